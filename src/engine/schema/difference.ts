import { IntersectError, intersect, union, type IntersectEnv } from './intersect.ts';
import type { Node, ObjectC, TypesNode } from './node.ts';
import { NOTHING, anyObject, isAny, isNothing } from './node.ts';

/**
 * X ∖ L for an object schema L that has no complement of its own (additionalProperties: false is
 * "no key outside these", whose negation "some key outside these" no object schema here says),
 * decided within X instead: when X allows only the keys it declares, "some key outside L's" is
 * "one of X's keys that L does not declare is present", a union of `required` objects. So
 * X ∖ L = X's other types ∪ (X's objects with a member count L refuses, or that miss a key L
 * requires, or hold one of L's keys with a value L refuses, or hold a key L does not declare). Exact; null where it cannot be decided (X
 * takes extra keys while L refuses them, patternProperties, counts, propertyNames, dependencies,
 * a property whose complement is undecidable). Used for oneOf (translate.ts, exactOneOf).
 */
export function objectDifference(x: Node, l: ObjectC, env: IntersectEnv, not: (n: Node) => Node | null, depth = 0): Node | null {
  if (depth > 16) return null;
  if (x.k === 'ref') {
    let target: Node;
    try {
      target = env.inline(x.key);
    } catch (e) {
      if (e instanceof IntersectError) return null;
      throw e;
    }
    return objectDifference(target, l, env, not, depth + 1);
  }
  if (x.k === 'union') {
    const items: Node[] = [];
    for (const it of x.items) {
      const d = objectDifference(it, l, env, not, depth + 1);
      if (d === null) return null;
      items.push(d);
    }
    return union(items);
  }
  if (x.k === 'values') return null; // (values are filtered by validate where they meet L instead)
  if (x.k === 'post') return null;
  if (!x.object) return x;
  if (!plainObject(l) || l.patternProps.length > 0) return null;
  const xo = x.object;
  const rest: TypesNode = { ...x };
  delete rest.object;
  const parts: Node[] = [rest];
  const only = (o: ObjectC): Node => intersect({ k: 'types', object: xo }, { k: 'types', object: o }, env);
  if (l.minProps > 0) parts.push(only({ ...anyObject(), maxProps: l.minProps - 1 }));
  if (l.maxProps < Infinity) parts.push(only({ ...anyObject(), minProps: l.maxProps + 1 }));
  for (const r of l.required) {
    const o = anyObject();
    o.props = [[r, NOTHING]];
    parts.push(only(o));
  }
  // A key X cannot hold violates nothing in X (and needs no complement of L's schema for it).
  const xHolds = (k: string): boolean => {
    const d = xo.props.find(([name]) => name === k);
    return d !== undefined ? !isNothing(d[1]) : xo.patternProps.length > 0 || !isNothing(xo.additional);
  };
  for (const [k, pk] of l.props) {
    if (isAny(pk) || !xHolds(k)) continue;
    const npk = not(pk);
    if (npk === null) return null;
    if (isNothing(npk)) continue;
    const o = anyObject();
    o.required = [k];
    o.props = [[k, npk]];
    parts.push(only(o));
  }
  if (!isAny(l.additional)) {
    // "A key L does not declare is present, with a value L's additionalProperties refuses": within X
    // only X's declared keys can be present, when X takes no others.
    if (!isNothing(xo.additional) || xo.patternProps.length > 0) return null;
    const notAdditional = isNothing(l.additional) ? null : not(l.additional);
    if (!isNothing(l.additional) && notAdditional === null) return null;
    const declaredByL = new Set(l.props.map(([k]) => k));
    for (const [k, xk] of xo.props) {
      if (declaredByL.has(k) || isNothing(xk)) continue;
      const o = anyObject();
      o.required = [k];
      if (notAdditional !== null) o.props = [[k, notAdditional]];
      parts.push(only(o));
    }
  }
  return union(parts);
}

/** An object schema made only of properties, required, additionalProperties and counts (what objectDifference reads). */
function plainObject(o: ObjectC): boolean {
  return o.dependentRequired.length === 0 && o.keyCheck === undefined;
}
