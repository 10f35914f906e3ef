/**
 * The compile cache: ConstraintIR by the xxhash64 of the canonical form of what produced it (the
 * constraints, the resolved target, the options), in a least-recently-used map with O(1) get and
 * set (a Map keeps insertion order: a hit moves its entry to the end, eviction takes the first).
 * Counts hits, misses and evictions for the stats.
 */
import xxhash from 'xxhash-wasm';

type Hasher = Awaited<ReturnType<typeof xxhash>>;
let hasher: Promise<Hasher> | undefined;

/** JSON with object keys sorted, so equal values have one text whatever order they were built in. */
export function canonicalJson(v: unknown): string {
  if (v === null || typeof v !== 'object') return JSON.stringify(v) ?? 'null';
  if (Array.isArray(v)) return `[${v.map(canonicalJson).join(',')}]`;
  const o = v as Record<string, unknown>;
  const keys = Object.keys(o).filter((k) => o[k] !== undefined).sort();
  return `{${keys.map((k) => `${JSON.stringify(k)}:${canonicalJson(o[k])}`).join(',')}}`;
}

export interface CacheStats {
  hits: number;
  misses: number;
  evictions: number;
  size: number;
  capacity: number;
}

export class LruCache<V> {
  private readonly map = new Map<string, V>();
  hits = 0;
  misses = 0;
  evictions = 0;

  constructor(readonly capacity: number) {
    if (!(capacity >= 1)) throw new RangeError('cache capacity must be at least 1');
  }

  get(key: string): V | undefined {
    const v = this.map.get(key);
    if (v === undefined) {
      this.misses++;
      return undefined;
    }
    this.hits++;
    this.map.delete(key);
    this.map.set(key, v);
    return v;
  }

  set(key: string, v: V): void {
    if (this.map.has(key)) this.map.delete(key);
    else if (this.map.size >= this.capacity) {
      const oldest = this.map.keys().next().value as string;
      this.map.delete(oldest);
      this.evictions++;
    }
    this.map.set(key, v);
  }

  stats(): CacheStats {
    return { hits: this.hits, misses: this.misses, evictions: this.evictions, size: this.map.size, capacity: this.capacity };
  }
}

/** The 64-bit xxhash of a value's canonical JSON, as 16 hex digits. */
export async function canonicalKey(v: unknown): Promise<string> {
  hasher ??= xxhash();
  return (await hasher).h64ToString(canonicalJson(v));
}

/** The 64-bit xxhash of a text, as 16 hex digits: for keys that are one text already (no JSON escaping). */
export async function textKey(text: string): Promise<string> {
  hasher ??= xxhash();
  return (await hasher).h64ToString(text);
}

/** The same, once the hasher is loaded (after one `await canonicalKey` or `await loadHasher()`). */
let loaded: Hasher | undefined;
export async function loadHasher(): Promise<void> {
  hasher ??= xxhash();
  loaded = await hasher;
}

export function canonicalKeySync(v: unknown): string {
  return textKeySync(canonicalJson(v));
}

/** The 64-bit xxhash of a text, as 16 hex digits (once the hasher is loaded). */
export function textKeySync(text: string): string {
  if (!loaded) throw new Error('the hasher is not loaded: await loadHasher() first');
  return loaded.h64ToString(text);
}
