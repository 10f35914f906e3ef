import { DEFAULT_LIMITS } from '../limits.ts';
import type { Regex } from './ast.ts';
import { parseRegex, type ParseRegexOptions } from './parse.ts';

/**
 * Parsed regexes by source and options, shared across compilations (regex trees are immutable).
 * Schemas repeat the same patterns and formats (32 `format: uri` in one schema, the same date-time
 * everywhere), and parsing a large pattern costs more than the rest of its string schema. Bounded:
 * the least recently used entry goes first.
 */
const MAX_ENTRIES = 1024;
const cache = new Map<string, Regex>();

/** parseRegex, memoised. Errors are not cached (they are rethrown on every call). */
export function parseRegexCached(source: string, opts: ParseRegexOptions = {}): Regex {
  const limits = opts.limits ?? DEFAULT_LIMITS;
  const key = `${opts.flavor ?? 'rust'}\u0000${opts.search === true ? 1 : 0}\u0000${limits.maxRegexSize}\u0000${source}`;
  let r = cache.get(key);
  if (r !== undefined) {
    cache.delete(key);
    cache.set(key, r);
    return r;
  }
  r = parseRegex(source, opts);
  if (cache.size >= MAX_ENTRIES) cache.delete(cache.keys().next().value!);
  cache.set(key, r);
  return r;
}
