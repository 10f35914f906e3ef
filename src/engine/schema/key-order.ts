import { schemaForUndeclared, type IntersectEnv } from './intersect.ts';
import type { Node, ObjectC } from './node.ts';
import { jsonEqual, validate } from './validate.ts';

/**
 * The key order a schema-order grammar (`propertyOrder: 'schema'`) writes a document in, as a tree
 * over the document: for each object its declared keys in the grammar's order, and the same for
 * the values inside it. Used to tell a valid document refused only for its key order (MaskBench's
 * "order-only" validation errors) from one refused for its content.
 */
export interface KeyOrder {
  /** An object's keys in the grammar's order; keys not listed come after them, in written order. */
  keys?: string[];
  /** The order inside member values (by key) and array items (by index). */
  inner: Map<string | number, KeyOrder>;
}

/** Deeper than this the document is left as written (the schema compiler bounds nesting too). */
const MAX_DEPTH = 200;

/**
 * The grammar's key order for `value` under node `n`, or undefined where order does not matter
 * (scalars) or cannot be told (a value no branch of a union matches). Follows the emitter: declared
 * properties, then required keys that are not declared, then the names dependentRequired adds;
 * a union follows the first branch the value is valid against; an enum/const object its written
 * order.
 */
export function keyOrder(n: Node, value: unknown, env: IntersectEnv, depth = 0): KeyOrder | undefined {
  if (depth > MAX_DEPTH || value === null || typeof value !== 'object') return undefined;
  switch (n.k) {
    case 'ref':
      return keyOrder(env.resolve(n.key), value, env, depth + 1);
    case 'post':
      // The grammar is the superset's: its order is the one written.
      return keyOrder(n.grammar, value, env, depth + 1);
    case 'union': {
      const branch = n.items.find((b) => validate(b, value, env.resolve));
      return branch === undefined ? undefined : keyOrder(branch, value, env, depth + 1);
    }
    case 'values': {
      const literal = n.values.find((v) => jsonEqual(v, value));
      return literal === undefined ? undefined : literalOrder(literal, depth);
    }
    case 'types': {
      if (Array.isArray(value)) {
        const a = n.array;
        if (a === undefined) return undefined;
        return withInner(undefined, value.map((x, i) => [i, keyOrder(i < a.prefix.length ? a.prefix[i]! : a.items, x, env, depth + 1)]));
      }
      const o = n.object;
      if (o === undefined) return undefined;
      const members = Object.entries(value as Record<string, unknown>);
      const declared = new Map(o.props);
      return withInner(declaredKeys(o), members.map(([k, x]) => [k, keyOrder(declared.get(k) ?? schemaForUndeclared(o, k, env, 0), x, env, depth + 1)]));
    }
  }
}

/** The keys an object rule lists in order (emit.ts, object): declared, required, then dependentRequired's. */
function declaredKeys(o: ObjectC): string[] {
  const keys = o.props.map(([k]) => k);
  const seen = new Set(keys);
  const add = (k: string) => {
    if (!seen.has(k)) {
      seen.add(k);
      keys.push(k);
    }
  };
  for (const k of o.required) add(k);
  for (const [trigger, deps] of o.dependentRequired) for (const k of [trigger, ...deps]) add(k);
  return keys;
}

/** An enum/const value is written as it is in the schema. */
function literalOrder(v: unknown, depth: number): KeyOrder | undefined {
  if (depth > MAX_DEPTH || v === null || typeof v !== 'object') return undefined;
  if (Array.isArray(v)) return withInner(undefined, v.map((x, i) => [i, literalOrder(x, depth + 1)]));
  const members = Object.entries(v as Record<string, unknown>);
  return withInner(members.map(([k]) => k), members.map(([k, x]) => [k, literalOrder(x, depth + 1)]));
}

function withInner(keys: string[] | undefined, inner: Array<[string | number, KeyOrder | undefined]>): KeyOrder {
  const out: KeyOrder = { inner: new Map() };
  if (keys !== undefined) out.keys = keys;
  for (const [k, x] of inner) if (x !== undefined) out.inner.set(k, x);
  return out;
}
