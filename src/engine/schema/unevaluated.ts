import { IntersectError, intersect, union, type IntersectEnv } from './intersect.ts';
import type { Node } from './node.ts';
import type { SchemaLocation } from './registry.ts';
import { childPointer } from './schema-error.ts';
import { validate } from './validate.ts';

/**
 * The properties a schema evaluates whatever the instance (JSON Schema 2019-09 "annotations"):
 * names from `properties`, regexes from `patternProperties`, or all of them (`additionalProperties`
 * or a nested `unevaluatedProperties`), gathered through `allOf` and `$ref`. Subschemas that apply
 * only sometimes (`anyOf`, `oneOf`, `if`/`then`/`else`, `dependentSchemas`) must evaluate nothing:
 * then what they contribute does not depend on which of them holds, and `unevaluatedProperties`
 * next to them is "additionalProperties over the keys the rest does not name" (translate.ts).
 * `not` never contributes.
 */
export interface EvaluatedKeys {
  names: Set<string>;
  patterns: string[];
  all: boolean;
}

export interface SchemaReader {
  /** The location a `$ref` written at `from` resolves to. */
  resolveRef(ref: string, from: SchemaLocation): SchemaLocation;
  /** The location of `value`, the subschema of `from` under the keyword path `tokens`. */
  child(value: unknown, from: SchemaLocation, ...tokens: Array<string | number>): SchemaLocation;
}

/** Reference chains and nesting followed at most this deep (deeper: not decided, null). */
const MAX_DEPTH = 64;
const CONDITIONAL = ['anyOf', 'oneOf'] as const;

function isObj(x: unknown): x is Record<string, unknown> {
  return typeof x === 'object' && x !== null && !Array.isArray(x);
}

/**
 * The keys evaluated by the schema at `loc` in every case, or null when that depends on which
 * conditional subschema holds (or on `$dynamicRef`, which is not followed).
 */
export function evaluatedProperties(loc: SchemaLocation, reader: SchemaReader, seen: Set<unknown> = new Set(), depth = 0): EvaluatedKeys | null {
  // The schema's own unevaluatedProperties is what is being decided: only nested ones count.
  const out: EvaluatedKeys = { names: new Set(), patterns: [], all: false };
  const s = loc.schema;
  if (!isObj(s) || seen.has(s)) return out;
  if (depth > MAX_DEPTH) return null;
  seen.add(s);
  const merge = (e: EvaluatedKeys | null): boolean => {
    if (e === null) return false;
    for (const n of e.names) out.names.add(n);
    out.patterns.push(...e.patterns);
    if (e.all) out.all = true;
    return true;
  };
  const isEmpty = (e: EvaluatedKeys | null): boolean => e !== null && !e.all && e.names.size === 0 && e.patterns.length === 0;
  if (isObj(s['properties'])) for (const k of Object.keys(s['properties'])) out.names.add(k);
  if (isObj(s['patternProperties'])) out.patterns.push(...Object.keys(s['patternProperties']));
  if (s['additionalProperties'] !== undefined || (depth > 0 && s['unevaluatedProperties'] !== undefined)) out.all = true;
  if (s['$dynamicRef'] !== undefined || s['$recursiveRef'] !== undefined) return null;
  if (typeof s['$ref'] === 'string' && !merge(evaluatedProperties(reader.resolveRef(s['$ref'], loc), reader, seen, depth + 1))) return null;
  if (Array.isArray(s['allOf'])) {
    for (let i = 0; i < s['allOf'].length; i++) {
      if (!merge(evaluatedProperties(reader.child(s['allOf'][i], loc, 'allOf', i), reader, seen, depth + 1))) return null;
    }
  }
  for (const k of CONDITIONAL) {
    const list = s[k];
    if (!Array.isArray(list)) continue;
    for (let i = 0; i < list.length; i++) if (!isEmpty(evaluatedProperties(reader.child(list[i], loc, k, i), reader, seen, depth + 1))) return null;
  }
  for (const k of ['if', 'then', 'else']) {
    if (s[k] !== undefined && !isEmpty(evaluatedProperties(reader.child(s[k], loc, k), reader, seen, depth + 1))) return null;
  }
  if (isObj(s['dependentSchemas'])) {
    for (const [k, v] of Object.entries(s['dependentSchemas'])) {
      if (!isEmpty(evaluatedProperties(reader.child(v, loc, 'dependentSchemas', k), reader, seen, depth + 1))) return null;
    }
  }
  seen.delete(s);
  return out;
}

/** The pointer of a child location (for SchemaReader implementations). */
export function childLocation(value: unknown, from: SchemaLocation, tokens: Array<string | number>): SchemaLocation {
  const loc: SchemaLocation = { schema: value, base: from.base, pointer: childPointer(from.pointer, ...tokens) };
  if (from.draft !== undefined) loc.draft = from.draft;
  return loc;
}

/**
 * `unevaluatedProperties: x` applied to the node a schema compiled to, where the keys evaluated
 * in every case are `ev` (and no branch evaluates more): in every object the node allows, each key
 * outside `ev` also satisfies x, whether the node leaves it to additionalProperties (its own is
 * "anything": a component with additionalProperties would have evaluated every key) or a branch
 * constrains it without evaluating it (`not`, a conditional's `required`). References are inlined
 * (a recursive one cannot be: IntersectError, as for any intersection).
 */
export function applyUnevaluated(n: Node, x: Node, ev: EvaluatedKeys, env: IntersectEnv, maxDepth: number, regexOf: (source: string) => RegExp | null): Node {
  const tests = ev.patterns.map(regexOf);
  const evaluated = (k: string) => ev.names.has(k) || tests.some((t) => t !== null && t.test(k));
  const go = (m: Node, depth: number): Node => {
    if (depth > maxDepth) throw new IntersectError('unevaluatedProperties over a node nested too deeply');
    switch (m.k) {
      case 'ref':
        return go(env.inline(m.key), depth + 1);
      case 'union':
        return union(m.items.map((it) => go(it, depth + 1)));
      case 'post':
        return { ...m, grammar: go(m.grammar, depth + 1) };
      case 'values':
        return { k: 'values', values: m.values.filter((v) => !isObj(v) || Object.keys(v).every((k) => evaluated(k) || validate(x, v[k], env.resolve))) };
      case 'types': {
        if (!m.object) return m;
        const o = m.object;
        const props = o.props.map(([k, v]): [string, Node] => [k, evaluated(k) ? v : intersect(v, x, env)]);
        const patternProps = o.patternProps.map((pp) => (ev.patterns.includes(pp.source) ? pp : { ...pp, node: intersect(pp.node, x, env) }));
        return { ...m, object: { ...o, props, patternProps, additional: intersect(o.additional, x, env) } };
      }
    }
  };
  return go(n, 0);
}
