import { EngineError } from '../errors.ts';
import { regexIsEmpty } from '../lexer/witness.ts';
import type { Regex } from '../regex/ast.ts';
import { IntersectError, intersect, schemaForUndeclared, type IntersectEnv } from './intersect.ts';
import { ANY_CHAR } from './json-string.ts';
import type { Node, NumberC, ObjectC, StringC } from './node.ts';
import { isNothing } from './node.ts';

/** How deep into properties and references a proof of emptiness looks (deeper: "not proved"). */
const MAX_EMPTY_DEPTH = 12;
/** Automaton states a string constraint's emptiness check may visit (lexer/witness.ts). */
const EMPTY_REGEX_STATES = 2_000;

/**
 * Whether a Node provably matches no JSON value. Sound, not complete: true means empty; false
 * means empty was not proved (a regex too large to decide, a recursive reference, a
 * multipleOf gap). Used to prove oneOf branches disjoint: A ∩ B empty for every pair.
 */
export function provablyEmpty(n: Node, env: IntersectEnv, depth = 0): boolean {
  if (depth > MAX_EMPTY_DEPTH) return false;
  if (isNothing(n)) return true;
  switch (n.k) {
    case 'values':
      return n.values.length === 0;
    case 'union':
      return n.items.every((x) => provablyEmpty(x, env, depth + 1));
    case 'post':
      return provablyEmpty(n.grammar, env, depth + 1);
    case 'ref': {
      let target: Node;
      try {
        target = env.inline(n.key);
      } catch (e) {
        if (e instanceof IntersectError) return false;
        throw e;
      }
      return provablyEmpty(target, env, depth + 1);
    }
    case 'types':
      if (n.null || n.boolean) return false;
      if (n.number && !numberEmpty(n.number)) return false;
      if (n.string && !stringEmpty(n.string)) return false;
      if (n.array) {
        const a = n.array;
        if (a.maxItems >= a.minItems) {
          // The first minItems items must exist: one of them impossible empties the array type.
          let itemEmpty = false;
          for (let i = 0; i < a.minItems && !itemEmpty; i++) itemEmpty = provablyEmpty(i < a.prefix.length ? a.prefix[i]! : a.items, env, depth + 1);
          if (!itemEmpty) return false;
        }
      }
      if (n.object && !objectEmpty(n.object, env, depth)) return false;
      return true;
  }
}

/** Whether two Nodes provably share no value (their intersection is provably empty). */
export function provablyDisjoint(a: Node, b: Node, env: IntersectEnv): boolean {
  let both: Node;
  try {
    both = intersect(a, b, env);
  } catch (e) {
    if (e instanceof IntersectError) return false;
    throw e;
  }
  return provablyEmpty(both, env);
}

function numberEmpty(c: NumberC): boolean {
  const { min, max } = c;
  if (min === undefined || max === undefined) return false;
  if (c.integer) {
    const lo = min.exclusive ? Math.floor(min.value) + 1 : Math.ceil(min.value);
    const hi = max.exclusive ? Math.ceil(max.value) - 1 : Math.floor(max.value);
    return hi < lo;
  }
  return max.value < min.value || (max.value === min.value && (min.exclusive || max.exclusive));
}

function stringEmpty(c: StringC): boolean {
  if (c.maxLength < c.minLength) return true;
  if (c.checks.length === 0) return false;
  const parts: Regex[] = c.checks.map((x) => x.regex);
  if (c.minLength > 0 || c.maxLength < Infinity) parts.push({ kind: 'repeat', item: ANY_CHAR, min: c.minLength, max: c.maxLength });
  try {
    return regexIsEmpty(parts.length === 1 ? parts[0]! : { kind: 'and', items: parts }, { maxStates: EMPTY_REGEX_STATES });
  } catch (e) {
    if (e instanceof EngineError && e.code === 'LIMIT') return false;
    throw e;
  }
}

function objectEmpty(o: ObjectC, env: IntersectEnv, depth: number): boolean {
  if (o.maxProps < o.minProps || o.required.length > o.maxProps) return true;
  for (const k of o.required) {
    if (o.keyCheck && !keyAllowedBy(o.keyCheck, k)) return true;
    const declared = o.props.find(([name]) => name === k);
    let node: Node;
    try {
      node = declared ? declared[1] : schemaForUndeclared(o, k, env, 0);
    } catch (e) {
      if (e instanceof IntersectError) continue;
      throw e;
    }
    if (provablyEmpty(node, env, depth + 1)) return true;
  }
  return false;
}

function keyAllowedBy(c: StringC, k: string): boolean {
  const n = [...k].length;
  return n >= c.minLength && n <= c.maxLength && c.checks.every((x) => x.test(k));
}
