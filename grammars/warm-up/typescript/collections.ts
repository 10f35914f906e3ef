// Ananke grammar warm-up text: original code, not part of the build.

/* Utility types and small generic data structures used across the app. */

export type Primitive = string | number | bigint | boolean | symbol | null | undefined;

export type DeepReadonly<T> = T extends Primitive | ((...args: any[]) => unknown)
  ? T
  : T extends Array<infer U>
    ? ReadonlyArray<DeepReadonly<U>>
    : { readonly [K in keyof T]: DeepReadonly<T[K]> };

export type KeysMatching<T, V> = { [K in keyof T]-?: T[K] extends V ? K : never }[keyof T];
export type Getters<T> = { [K in keyof T & string as `get${Capitalize<K>}`]: () => T[K] };

export type Result<T, E = Error> = { ok: true; value: T } | { ok: false; error: E };

export const ok = <T>(value: T): Result<T, never> => ({ ok: true, value });
export const err = <E>(error: E): Result<never, E> => ({ ok: false, error });

export function isDefined<T>(value: T | null | undefined): value is T {
  return value !== null && value !== undefined;
}

export function assert(condition: unknown, message = "Assertion failed"): asserts condition {
  if (!condition) throw new Error(message);
}

export function groupBy<T, K extends PropertyKey>(items: Iterable<T>, keyOf: (item: T) => K): Record<K, T[]> {
  const groups = {} as Record<K, T[]>;
  for (const item of items) {
    const key = keyOf(item);
    (groups[key] ??= []).push(item);
  }
  return groups;
}

export function chunk<T>(items: readonly T[], size: number): T[][] {
  if (size <= 0) throw new RangeError(`chunk size must be positive, got ${size}`);
  return Array.from({ length: Math.ceil(items.length / size) }, (_, i) => items.slice(i * size, (i + 1) * size));
}

export function* zip<A, B>(left: Iterable<A>, right: Iterable<B>): Generator<[A, B]> {
  const a = left[Symbol.iterator]();
  const b = right[Symbol.iterator]();
  while (true) {
    const x = a.next();
    const y = b.next();
    if (x.done || y.done) return;
    yield [x.value, y.value];
  }
}

/** Least-recently-used cache built on Map insertion order. */
export class LruCache<K, V> implements Iterable<[K, V]> {
  private readonly entries = new Map<K, { value: V; expires: number }>();
  hits = 0;
  misses = 0;

  constructor(
    private readonly capacity: number,
    private readonly ttlMs = Number.POSITIVE_INFINITY,
    private readonly now: () => number = Date.now,
  ) {
    if (!Number.isInteger(capacity) || capacity < 1) {
      throw new RangeError("capacity must be a positive integer");
    }
  }

  get size(): number {
    return this.entries.size;
  }

  get(key: K): V | undefined {
    const entry = this.entries.get(key);
    if (!entry || entry.expires <= this.now()) {
      if (entry) this.entries.delete(key);
      this.misses++;
      return undefined;
    }
    this.entries.delete(key);
    this.entries.set(key, entry);
    this.hits++;
    return entry.value;
  }

  set(key: K, value: V): this {
    this.entries.delete(key);
    this.entries.set(key, { value, expires: this.now() + this.ttlMs });
    while (this.entries.size > this.capacity) {
      const oldest = this.entries.keys().next();
      if (oldest.done) break;
      this.entries.delete(oldest.value);
    }
    return this;
  }

  *[Symbol.iterator](): Iterator<[K, V]> {
    for (const [key, { value }] of this.entries) yield [key, value];
  }
}

/** Binary min-heap ordered by a comparator. */
export class PriorityQueue<T> {
  private heap: T[] = [];

  constructor(private readonly compare: (a: T, b: T) => number) {}

  get length(): number {
    return this.heap.length;
  }

  push(...items: T[]): void {
    for (const item of items) {
      this.heap.push(item);
      this.siftUp(this.heap.length - 1);
    }
  }

  peek(): T | undefined {
    return this.heap[0];
  }

  pop(): T | undefined {
    const top = this.heap[0];
    const last = this.heap.pop();
    if (this.heap.length > 0 && last !== undefined) {
      this.heap[0] = last;
      this.siftDown(0);
    }
    return top;
  }

  private siftUp(index: number): void {
    let i = index;
    while (i > 0) {
      const parent = (i - 1) >> 1;
      if (this.compare(this.heap[i]!, this.heap[parent]!) >= 0) break;
      [this.heap[i], this.heap[parent]] = [this.heap[parent]!, this.heap[i]!];
      i = parent;
    }
  }

  private siftDown(index: number): void {
    const n = this.heap.length;
    let i = index;
    for (;;) {
      const left = 2 * i + 1;
      const right = left + 1;
      let smallest = i;
      if (left < n && this.compare(this.heap[left]!, this.heap[smallest]!) < 0) smallest = left;
      if (right < n && this.compare(this.heap[right]!, this.heap[smallest]!) < 0) smallest = right;
      if (smallest === i) return;
      [this.heap[i], this.heap[smallest]] = [this.heap[smallest]!, this.heap[i]!];
      i = smallest;
    }
  }
}

export const units = {
  kib: 1024,
  mib: 0x10_0000,
  maxSafe: 9_007_199_254_740_991n,
  mask: 0b1111_0000,
  perms: 0o755,
  epsilon: 1e-9,
  half: .5,
} as const;

export function memoize<A extends unknown[], R>(
  fn: (...args: A) => R,
  keyOf = (...args: A) => JSON.stringify(args),
) {
  const cache = new Map<string, R>();
  return function memoized(this: unknown, ...args: A): R {
    const key = keyOf(...args);
    if (!cache.has(key)) cache.set(key, fn.apply(this, args));
    return cache.get(key) as R;
  };
}

export abstract class Shape {
  abstract area(): number;
  protected static count = 0;

  constructor(public readonly label: string) {
    Shape.count += 1;
  }

  toString(): string {
    return `${this.constructor.name}(${this.label}, area=${this.area().toFixed(2)})`;
  }
}

export class Circle extends Shape {
  constructor(private radius: number) {
    super(`r=${radius}`);
  }

  area(): number {
    return Math.PI * this.radius ** 2;
  }
}
