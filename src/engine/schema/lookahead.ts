import type { Limits } from '../limits.ts';
import type { Regex } from '../regex/ast.ts';
import { parseRegexCached } from '../regex/parse-cache.ts';

/**
 * A schema `pattern` (ECMA-262, search semantics) as a regex over the string's characters,
 * lookaheads at its start included: `^(?!A)R` is "R from the start" and not "A from the start",
 * `^(?=A)R` the same with "and". That is exactly what the lookahead means there (at position 0 it
 * tests the string's prefixes), and the engine's regexes have `and` and `not`. Lookaheads
 * elsewhere, lookbehinds and backreferences still raise the parser's REGEX error.
 */
export function patternRegex(source: string, limits: Limits): Regex {
  const peeled = leadingLookaheads(source);
  if (peeled === null) return parseRegexCached(source, { flavor: 'ecma', search: true, limits });
  const items: Regex[] = [parseRegexCached(`^(?:${peeled.rest})`, { flavor: 'ecma', search: true, limits })];
  for (const l of peeled.lookaheads) {
    const prefix = parseRegexCached(`^(?:${l.body})`, { flavor: 'ecma', search: true, limits });
    items.push(l.negative ? { kind: 'not', item: prefix } : prefix);
  }
  return { kind: 'and', items };
}

interface Peeled {
  lookaheads: Array<{ negative: boolean; body: string }>;
  rest: string;
}

/**
 * `^(?!A)(?=B)R` → its lookaheads and R, when the pattern starts that way and R has no top-level
 * `|` (which would leave the lookaheads to only its first alternative); else null.
 */
function leadingLookaheads(source: string): Peeled | null {
  if (!source.startsWith('^(?!') && !source.startsWith('^(?=')) return null;
  const lookaheads: Peeled['lookaheads'] = [];
  let i = 1;
  while (source.startsWith('(?!', i) || source.startsWith('(?=', i)) {
    const end = groupEnd(source, i);
    if (end < 0) return null;
    lookaheads.push({ negative: source[i + 2] === '!', body: source.slice(i + 3, end) });
    i = end + 1;
  }
  const rest = source.slice(i);
  if (hasTopLevelBar(rest)) return null;
  return { lookaheads, rest };
}

/** Index of the `)` closing the group opened at `open`, skipping escapes and classes; -1 if none. */
function groupEnd(s: string, open: number): number {
  let depth = 0;
  for (let i = open; i < s.length; i++) {
    const c = s[i];
    if (c === '\\') i++;
    else if (c === '[') i = classEnd(s, i);
    else if (c === '(') depth++;
    else if (c === ')' && --depth === 0) return i;
    if (i < 0) return -1;
  }
  return -1;
}

/** Index of the `]` closing the class opened at `open` (ECMA: `[]` and `[^]` are whole classes); -1 if none. */
function classEnd(s: string, open: number): number {
  for (let i = open + 1; i < s.length; i++) {
    if (s[i] === '\\') i++;
    else if (s[i] === ']') return i;
  }
  return -1;
}

function hasTopLevelBar(s: string): boolean {
  let depth = 0;
  for (let i = 0; i < s.length; i++) {
    const c = s[i];
    if (c === '\\') i++;
    else if (c === '[') {
      i = classEnd(s, i);
      if (i < 0) return true;
    } else if (c === '(') depth++;
    else if (c === ')') depth--;
    else if (c === '|' && depth === 0) return true;
  }
  return false;
}
