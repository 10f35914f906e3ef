import { EngineError } from '../errors.ts';
import type { ArrayC, Bound, Node, NumberC, ObjectC, PatternProp, StringC, TypesNode } from './node.ts';
import { ANY, NOTHING, isAny, isNothing } from './node.ts';
import { validate, type ResolveRef } from './validate.ts';

/**
 * Intersection of Nodes (`allOf`, and sibling keywords next to `$ref`/`anyOf`/`enum`). Exact, or
 * an error naming what cannot be intersected (the caller turns it into a SCHEMA error with the
 * keyword's pointer). References are inlined when intersected with something that constrains;
 * a reference still being translated (recursion) cannot be inlined.
 */
export class IntersectError extends Error {}

export interface IntersectEnv {
  resolve: ResolveRef;
  /** Resolve a reference for inlining; throws IntersectError when it is recursive. */
  inline: (key: string) => Node;
}

const MAX_INLINE_DEPTH = 64;
/** Branches an intersection of two unions may distribute into (allOf of anyOfs multiplies). */
const MAX_UNION_PRODUCT = 1024;

export function intersect(a: Node, b: Node, env: IntersectEnv, depth = 0): Node {
  if (depth > MAX_INLINE_DEPTH) throw new IntersectError('intersection nested too deeply (recursive references)');
  if (isAny(a)) return b;
  if (isAny(b)) return a;
  if (a === b) return a;
  if (isNothing(a) || isNothing(b)) return NOTHING;
  if (a.k === 'ref' && b.k === 'ref' && a.key === b.key) return a;
  // A post-checked constraint stays one: its test still applies to what the intersection allows.
  if (a.k === 'post') return { ...a, grammar: intersect(a.grammar, b, env, depth + 1) };
  if (b.k === 'post') return { ...b, grammar: intersect(a, b.grammar, env, depth + 1) };
  if (a.k === 'ref') return intersect(env.inline(a.key), b, env, depth + 1);
  if (b.k === 'ref') return intersect(a, env.inline(b.key), env, depth + 1);
  if (a.k === 'values') return { ...a, values: a.values.filter((v) => validate(b, v, env.resolve)) };
  if (b.k === 'values') return { ...b, values: b.values.filter((v) => validate(a, v, env.resolve)) };
  if (a.k === 'union' && b.k === 'union' && a.items.length * b.items.length > MAX_UNION_PRODUCT) {
    throw new IntersectError(`intersecting anyOf/oneOf with ${a.items.length} and ${b.items.length} branches would need more than ${MAX_UNION_PRODUCT} branches`);
  }
  if (a.k === 'union') return union(a.items.map((x) => intersect(x, b, env, depth + 1)));
  if (b.k === 'union') return union(b.items.map((x) => intersect(a, x, env, depth + 1)));
  return intersectTypes(a, b, env, depth);
}

export function union(items: Node[]): Node {
  const flat: Node[] = [];
  for (const it of items) {
    if (isNothing(it)) continue;
    if (isAny(it)) return ANY;
    if (it.k === 'union') flat.push(...it.items);
    else flat.push(it);
  }
  if (flat.length === 0) return NOTHING;
  return flat.length === 1 ? flat[0]! : { k: 'union', items: flat };
}

function intersectTypes(a: TypesNode, b: TypesNode, env: IntersectEnv, depth: number): Node {
  const out: TypesNode = { k: 'types' };
  if (a.null && b.null) out.null = true;
  if (a.boolean && b.boolean) out.boolean = true;
  if (a.number && b.number) out.number = intersectNumber(a.number, b.number);
  if (a.string && b.string) out.string = intersectString(a.string, b.string);
  if (a.array && b.array) out.array = intersectArray(a.array, b.array, env, depth);
  if (a.object && b.object) out.object = intersectObject(a.object, b.object, env, depth);
  return out;
}

function tighterMin(x: Bound | undefined, y: Bound | undefined): Bound | undefined {
  if (!x) return y;
  if (!y) return x;
  if (x.value !== y.value) return x.value > y.value ? x : y;
  return x.exclusive ? x : y;
}

function tighterMax(x: Bound | undefined, y: Bound | undefined): Bound | undefined {
  if (!x) return y;
  if (!y) return x;
  if (x.value !== y.value) return x.value < y.value ? x : y;
  return x.exclusive ? x : y;
}

function intersectNumber(a: NumberC, b: NumberC): NumberC {
  const out: NumberC = { integer: a.integer || b.integer, multipleOf: [...a.multipleOf, ...b.multipleOf] };
  if (a.excluded || b.excluded) out.excluded = [...(a.excluded ?? []), ...(b.excluded ?? [])];
  const min = tighterMin(a.min, b.min);
  const max = tighterMax(a.max, b.max);
  if (min) out.min = min;
  if (max) out.max = max;
  return out;
}

export function intersectString(a: StringC, b: StringC): StringC {
  return { minLength: Math.max(a.minLength, b.minLength), maxLength: Math.min(a.maxLength, b.maxLength), checks: [...a.checks, ...b.checks] };
}

function intersectArray(a: ArrayC, b: ArrayC, env: IntersectEnv, depth: number): ArrayC {
  const n = Math.max(a.prefix.length, b.prefix.length);
  const prefix: Node[] = [];
  for (let i = 0; i < n; i++) prefix.push(intersect(a.prefix[i] ?? a.items, b.prefix[i] ?? b.items, env, depth + 1));
  const out: ArrayC = { prefix, items: intersect(a.items, b.items, env, depth + 1), minItems: Math.max(a.minItems, b.minItems), maxItems: Math.min(a.maxItems, b.maxItems) };
  if (a.unique || b.unique) out.unique = true;
  if (a.where !== undefined || b.where !== undefined) out.where = (a.where ?? b.where)!;
  if (a.contains && b.contains) throw new IntersectError('cannot intersect two array schemas that both use contains');
  const c = a.contains ?? b.contains;
  if (c) {
    if (out.prefix.length > 0 || out.maxItems !== Infinity) throw new IntersectError('contains next to prefixItems or maxItems is not supported');
    out.contains = c;
  }
  return out;
}

/** The schema an object's value for `key` must satisfy, when `key` is not declared. */
export function schemaForUndeclared(o: ObjectC, key: string, env: IntersectEnv, depth: number): Node {
  const matching = o.patternProps.filter((p) => p.test(key));
  if (matching.length === 0) return o.additional;
  return matching.reduce<Node>((acc, p) => intersect(acc, p.node, env, depth + 1), ANY);
}

function intersectObject(a: ObjectC, b: ObjectC, env: IntersectEnv, depth: number): ObjectC {
  const props: Array<[string, Node]> = [];
  const bMap = new Map(b.props);
  const aMap = new Map(a.props);
  for (const [k, n] of a.props) props.push([k, intersect(n, bMap.get(k) ?? schemaForUndeclared(b, k, env, depth), env, depth + 1)]);
  for (const [k, n] of b.props) if (!aMap.has(k)) props.push([k, intersect(schemaForUndeclared(a, k, env, depth), n, env, depth + 1)]);
  let patternProps: PatternProp[];
  let additional: Node;
  const aTrivial = isAny(a.additional) && a.patternProps.length === 0;
  const bTrivial = isAny(b.additional) && b.patternProps.length === 0;
  if (aTrivial) {
    patternProps = b.patternProps;
    additional = b.additional;
  } else if (bTrivial) {
    patternProps = a.patternProps;
    additional = a.additional;
  } else if (a.patternProps.length === 0) {
    patternProps = b.patternProps.map((p) => ({ ...p, node: intersect(p.node, a.additional, env, depth + 1) }));
    additional = intersect(a.additional, b.additional, env, depth + 1);
  } else if (b.patternProps.length === 0) {
    patternProps = a.patternProps.map((p) => ({ ...p, node: intersect(p.node, b.additional, env, depth + 1) }));
    additional = intersect(a.additional, b.additional, env, depth + 1);
  } else if (isAny(a.additional) && isAny(b.additional)) {
    patternProps = [...a.patternProps, ...b.patternProps];
    additional = ANY;
  } else {
    throw new IntersectError('cannot intersect two object schemas that both have patternProperties and a restrictive additionalProperties');
  }
  const out: ObjectC = {
    props,
    required: [...new Set([...a.required, ...b.required])],
    patternProps,
    additional,
    minProps: Math.max(a.minProps, b.minProps),
    maxProps: Math.min(a.maxProps, b.maxProps),
    dependentRequired: [...a.dependentRequired, ...b.dependentRequired],
  };
  if (a.where !== undefined || b.where !== undefined) out.where = (a.where ?? b.where)!;
  if (a.keyCheck && b.keyCheck) out.keyCheck = intersectString(a.keyCheck, b.keyCheck);
  else if (a.keyCheck || b.keyCheck) out.keyCheck = (a.keyCheck ?? b.keyCheck)!;
  return out;
}

export function asEngineError(e: unknown): never {
  if (e instanceof IntersectError) throw new EngineError('SCHEMA', e.message);
  throw e;
}
