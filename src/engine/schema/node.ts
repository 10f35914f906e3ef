import type { Regex } from '../regex/ast.ts';

/**
 * The schema compiler's intermediate form: what a (sub)schema allows, split by JSON type, after
 * keywords are read and before grammar rules are made. `allOf` intersects these, `anyOf` unions
 * them, `enum`/`const` become value lists filtered by the rest, `$ref` stays a reference (one
 * grammar rule per referenced definition, so recursion works).
 */
export type Node = TypesNode | ValuesNode | UnionNode | RefNode | PostNode;

/** A check on a string, kept both as a regex over characters (for the grammar) and as a test (for values). */
export interface StringCheck {
  regex: Regex;
  test: (s: string) => boolean;
  /** For messages and Lark names: `pattern /…/`, `format date`, `not enum`. */
  what: string;
  /**
   * Set when `regex` is only a superset and `test` alone is exact (a format no regex can hold):
   * the grammar checks the regex and a post-check the test (post-check.ts); the reason.
   */
  post?: { pointer: string; keyword: string; reason: string };
}

export interface StringC {
  minLength: number;
  maxLength: number; // Infinity when unbounded
  checks: StringCheck[];
}

export interface Bound {
  /** The bound's exact decimal text (shortest round-trip of the JSON number). */
  value: number;
  exclusive: boolean;
}

export interface NumberC {
  integer: boolean;
  min?: Bound;
  max?: Bound;
  multipleOf: number[];
  /** Values excluded (`not` of number values): written without an exponent, as bounded numbers are. */
  excluded?: number[];
  /** Pointer of the schema that set multipleOf (for errors raised when emitting). */
  where?: string;
}

export interface ArrayC {
  prefix: Node[];
  items: Node;
  minItems: number;
  maxItems: number; // Infinity when unbounded
  /** At least `min` items match `node` (`contains` / `minContains`). */
  contains?: { node: Node; min: number };
  /** uniqueItems: true (with maxItems > 1). */
  unique?: boolean;
  /** Pointer of the schema that declared the array (for errors raised when emitting). */
  where?: string;
}

export interface PatternProp {
  source: string;
  regex: Regex;
  test: (s: string) => boolean;
  node: Node;
}

export interface ObjectC {
  /** Declared properties, in schema order. */
  props: Array<[string, Node]>;
  required: string[];
  patternProps: PatternProp[];
  additional: Node;
  minProps: number;
  maxProps: number;
  dependentRequired: Array<[string, string[]]>;
  /** `propertyNames` as a string constraint, when present. */
  keyCheck?: StringC;
  /** Pointer of the schema that declared the object (for errors raised when emitting). */
  where?: string;
}

/** Allowed types with their constraints; an absent key means that type is not allowed. */
export interface TypesNode {
  k: 'types';
  null?: true;
  boolean?: true;
  number?: NumberC;
  string?: StringC;
  array?: ArrayC;
  object?: ObjectC;
}

/** Exactly these JSON values (`enum`, `const`). */
export interface ValuesNode {
  k: 'values';
  values: unknown[];
  /** Where the values were written (`enum`/`const`), for messages; '' when unknown. */
  where?: string;
  keyword?: 'enum' | 'const';
}

export interface UnionNode {
  k: 'union';
  items: Node[];
}

/** A reference to a (sub)schema by its canonical location; resolved lazily. */
export interface RefNode {
  k: 'ref';
  key: string;
}

/**
 * A constraint the grammar holds only as a superset (`grammar`), decided exactly on the complete
 * document by a post-check (post-check.ts): `oneOf` whose branches overlap beyond what the
 * grammar can tell apart, `not` and `if` whose complement no grammar rule can hold. Made only when
 * post-checks are asked for (JsonSchemaOptions.postChecks); each is reported.
 */
export interface PostNode {
  k: 'post';
  grammar: Node;
  test: PostTest;
  pointer: string;
  keyword: string;
  reason: string;
}

export type PostTest =
  | { kind: 'oneOf'; items: Node[] }
  | { kind: 'not'; item: Node }
  | { kind: 'if'; if: Node; then: Node; else: Node };

function makeAny(): TypesNode {
  const n: TypesNode = { k: 'types', null: true, boolean: true, number: { integer: false, multipleOf: [] }, string: { minLength: 0, maxLength: Infinity, checks: [] } };
  n.array = { prefix: [], items: n, minItems: 0, maxItems: Infinity };
  n.object = { props: [], required: [], patternProps: [], additional: n, minProps: 0, maxProps: Infinity, dependentRequired: [] };
  return n;
}

/** The schema `true` (shared; never mutate it). */
export const ANY: TypesNode = makeAny();
/** The schema `false`. */
export const NOTHING: TypesNode = { k: 'types' };

export function anyString(): StringC {
  return { minLength: 0, maxLength: Infinity, checks: [] };
}
export function anyNumber(integer: boolean): NumberC {
  return { integer, multipleOf: [] };
}
export function anyArray(): ArrayC {
  return { prefix: [], items: ANY, minItems: 0, maxItems: Infinity };
}
export function anyObject(): ObjectC {
  return { props: [], required: [], patternProps: [], additional: ANY, minProps: 0, maxProps: Infinity, dependentRequired: [] };
}

export function isUnconstrainedString(s: StringC): boolean {
  return s.minLength === 0 && s.maxLength === Infinity && s.checks.length === 0;
}
export function isUnconstrainedNumber(n: NumberC): boolean {
  return !n.integer && n.min === undefined && n.max === undefined && n.multipleOf.length === 0 && (n.excluded?.length ?? 0) === 0;
}
export function isUnconstrainedArray(a: ArrayC): boolean {
  return a.prefix.length === 0 && isAny(a.items) && a.minItems === 0 && a.maxItems === Infinity && a.contains === undefined && a.unique !== true;
}
export function isUnconstrainedObject(o: ObjectC): boolean {
  return o.props.length === 0 && o.required.length === 0 && o.patternProps.length === 0 && isAny(o.additional) && o.minProps === 0 && o.maxProps === Infinity && o.dependentRequired.length === 0 && o.keyCheck === undefined;
}

/** Whether a node allows every JSON value (structurally, not only the shared ANY). */
export function isAny(n: Node): boolean {
  if (n === ANY) return true;
  if (n.k !== 'types') return false;
  return n.null === true && n.boolean === true && n.number !== undefined && isUnconstrainedNumber(n.number) && n.string !== undefined && isUnconstrainedString(n.string)
    && n.array !== undefined && isUnconstrainedArray(n.array) && n.object !== undefined && isUnconstrainedObject(n.object);
}

export function isNothing(n: Node): boolean {
  if (n.k === 'types') return n.null === undefined && n.boolean === undefined && n.number === undefined && n.string === undefined && n.array === undefined && n.object === undefined;
  if (n.k === 'values') return n.values.length === 0;
  if (n.k === 'union') return n.items.every(isNothing);
  if (n.k === 'post') return isNothing(n.grammar);
  return false;
}

/** A fresh, mutable "anything" (ANY is shared and frozen). */
export function anyTypes(): TypesNode {
  return { k: 'types', null: true, boolean: true, number: anyNumber(false), string: anyString(), array: anyArray(), object: anyObject() };
}
