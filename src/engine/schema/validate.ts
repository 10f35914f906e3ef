import { EngineError } from '../errors.ts';
import { isMultiple } from './exact-numbers.ts';
import type { Node, NumberC, ObjectC, StringC } from './node.ts';

/**
 * Decides whether a JSON value satisfies a Node. Used where the compiler must reason about
 * concrete values: filtering `enum`/`const` by sibling keywords, and proving `oneOf` branches
 * disjoint. Every constraint a Node can hold is decided here exactly.
 */
export type ResolveRef = (key: string) => Node;

const MAX_DEPTH = 200;

export function jsonEqual(a: unknown, b: unknown): boolean {
  if (typeof a === 'number' && typeof b === 'number') return a === b;
  if (a === null || b === null || typeof a !== 'object' || typeof b !== 'object') return a === b;
  if (Array.isArray(a) !== Array.isArray(b)) return false;
  if (Array.isArray(a)) {
    const bb = b as unknown[];
    return a.length === bb.length && a.every((x, i) => jsonEqual(x, bb[i]));
  }
  const ao = a as Record<string, unknown>;
  const bo = b as Record<string, unknown>;
  const ak = Object.keys(ao);
  if (ak.length !== Object.keys(bo).length) return false;
  return ak.every((k) => Object.prototype.hasOwnProperty.call(bo, k) && jsonEqual(ao[k], bo[k]));
}

export function stringOk(c: StringC, s: string): boolean {
  const n = [...s].length;
  if (n < c.minLength || n > c.maxLength) return false;
  return c.checks.every((ch) => ch.test(s));
}

function numberOk(c: NumberC, x: number): boolean {
  if (c.integer && !Number.isInteger(x)) return false;
  if (c.min) if (c.min.exclusive ? !(x > c.min.value) : !(x >= c.min.value)) return false;
  if (c.max) if (c.max.exclusive ? !(x < c.max.value) : !(x <= c.max.value)) return false;
  if (c.excluded?.includes(x)) return false;
  return c.multipleOf.every((m) => isMultiple(x, m));
}

function objectOk(c: ObjectC, o: Record<string, unknown>, resolve: ResolveRef, depth: number): boolean {
  const keys = Object.keys(o);
  if (keys.length < c.minProps || keys.length > c.maxProps) return false;
  // Own keys only: `"toString" in o` is true for every object.
  const has = (k: string) => Object.prototype.hasOwnProperty.call(o, k);
  for (const r of c.required) if (!has(r)) return false;
  for (const [k, deps] of c.dependentRequired) if (has(k) && !deps.every(has)) return false;
  for (const k of keys) {
    if (c.keyCheck && !stringOk(c.keyCheck, k)) return false;
    const declared = c.props.find(([name]) => name === k);
    let matched = false;
    for (const p of c.patternProps) {
      if (p.test(k)) {
        matched = true;
        if (!validate(p.node, o[k], resolve, depth + 1)) return false;
      }
    }
    if (declared) {
      if (!validate(declared[1], o[k], resolve, depth + 1)) return false;
    } else if (!matched && !validate(c.additional, o[k], resolve, depth + 1)) return false;
  }
  return true;
}

export function validate(n: Node, v: unknown, resolve: ResolveRef, depth = 0): boolean {
  if (depth > MAX_DEPTH) throw new EngineError('LIMIT', `schema nesting deeper than ${MAX_DEPTH} while checking a value`);
  switch (n.k) {
    case 'ref':
      return validate(resolve(n.key), v, resolve, depth + 1);
    case 'values':
      return n.values.some((x) => jsonEqual(x, v));
    case 'union':
      return n.items.some((x) => validate(x, v, resolve, depth + 1));
    case 'post': {
      if (!validate(n.grammar, v, resolve, depth + 1)) return false;
      const t = n.test;
      if (t.kind === 'oneOf') return t.items.filter((x) => validate(x, v, resolve, depth + 1)).length === 1;
      if (t.kind === 'not') return !validate(t.item, v, resolve, depth + 1);
      return validate(t.if, v, resolve, depth + 1) ? validate(t.then, v, resolve, depth + 1) : validate(t.else, v, resolve, depth + 1);
    }
    case 'types':
      if (v === null) return n.null === true;
      if (typeof v === 'boolean') return n.boolean === true;
      if (typeof v === 'number') return n.number !== undefined && numberOk(n.number, v);
      if (typeof v === 'string') return n.string !== undefined && stringOk(n.string, v);
      if (Array.isArray(v)) {
        const a = n.array;
        if (a === undefined || v.length < a.minItems || v.length > a.maxItems) return false;
        if (a.contains && v.filter((x) => validate(a.contains!.node, x, resolve, depth + 1)).length < a.contains.min) return false;
        if (a.unique) for (let i = 1; i < v.length; i++) for (let j = 0; j < i; j++) if (jsonEqual(v[i], v[j])) return false;
        return v.every((x, i) => validate(i < a.prefix.length ? a.prefix[i]! : a.items, x, resolve, depth + 1));
      }
      if (typeof v === 'object') return n.object !== undefined && objectOk(n.object, v as Record<string, unknown>, resolve, depth);
      return false;
  }
}
