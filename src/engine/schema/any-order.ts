import type { GrammarBuilder } from '../grammar/builder.ts';
import { ruleSym } from '../grammar/builder.ts';
import type { Sym } from '../grammar/ir.ts';
import { JsonSchemaError } from './schema-error.ts';
import type { Punctuation } from './whitespace.ts';

/** A declared property of an object, ready for the grammar: its key lexeme and value symbol. */
export interface AnyOrderMember {
  key: Sym;
  /** null when no value is allowed (the property may then not appear). */
  value: Sym | null;
  required: boolean;
}

/** An object's members, as both constructions below read them. */
export interface AnyOrderObject {
  members: AnyOrderMember[];
  /** needs[i]: members that must be present when member i is (dependentRequired). */
  needs: number[][];
  /** `"key": value` for keys not declared (additionalProperties, patternProperties), or null. */
  additional: Sym | null;
  minProps: number;
  maxProps: number;
}

/** Grammar states (rules) per object; past it the schema is refused with a LIMIT-like error. */
export const MAX_ANY_ORDER_STATES = 20_000;
/**
 * Members named by dependentRequired that the counted construction tracks one by one (2^k
 * states); more is refused.
 */
export const MAX_DEPENDENCY_MEMBERS = 8;
/** Members named by dependentRequired (as trigger or dependency): those the counted construction tracks one by one. */
export function dependencyMembers(needs: number[][]): number {
  let n = 0;
  for (let i = 0; i < needs.length; i++) if (needs[i]!.length > 0 || needs.some((d) => d.includes(i))) n++;
  return n;
}

/** Declared properties up to which the plain construction (one state per subset) is built. */
export const MAX_SUBSET_MEMBERS = 10;

/**
 * Members in any order, counted: the grammar counts the required members read (and the members
 * read, for minProperties/maxProperties, capped where the count stops mattering), and the
 * engine's `unique_keys` state (parser/unique-keys.ts) refuses any declared key a second time in
 * the same object. Together that is exact: with every declared key at most once, "r required
 * members read" means "all r required keys present". Members named by dependentRequired are
 * tracked one by one (a bitmask; at most MAX_DEPENDENCY_MEMBERS of them). States: (required
 * read) × (count) × (tracked subset), each with one alternative per member; once the count is
 * capped, optional and additional members loop in a left-recursive repetition, so a long object
 * does not nest its members.
 */
export function anyOrderCounted(b: GrammarBuilder, p: Punctuation, o: AnyOrderObject, where: string): Sym | null {
  const n = o.members.length;
  const tracked: number[] = [];
  const bitOf = new Int32Array(n).fill(-1);
  for (let i = 0; i < n; i++) {
    if (o.needs[i]!.length > 0 || o.needs.some((d) => d.includes(i))) {
      bitOf[i] = tracked.length;
      tracked.push(i);
    }
  }
  // The caller refuses (or relaxes) more than MAX_DEPENDENCY_MEMBERS before building.
  if (tracked.length > MAX_DEPENDENCY_MEMBERS) throw new JsonSchemaError(where, 'dependentRequired', `more than ${MAX_DEPENDENCY_MEMBERS} properties named by dependentRequired`);
  const required: number[] = [];
  const optional: number[] = [];
  for (let i = 0; i < n; i++) {
    const m = o.members[i]!;
    if (m.value === null) {
      if (m.required) return null;
      continue;
    }
    if (bitOf[i]! >= 0) continue;
    (m.required ? required : optional).push(i);
  }
  const R = required.length;
  let requiredMask = 0;
  for (const i of tracked) if (o.members[i]!.required) requiredMask |= 1 << bitOf[i]!;
  const needMask = tracked.map((i) => o.needs[i]!.reduce((acc, d) => acc | (1 << bitOf[d]!), 0));
  const minP = o.minProps;
  const maxP = o.maxProps;
  const cap = (c: number) => (maxP === Infinity ? Math.min(c, Math.max(1, minP)) : c);
  const member = (i: number): Sym => {
    const m = o.members[i]!;
    return b.seq('member', [m.key, p.colon, m.value!]);
  };
  const memberSyms = o.members.map((m, i) => (m.value === null ? null : member(i)));
  const loopAlts: Sym[][] = optional.map((i) => [memberSyms[i]!]);
  if (o.additional !== null) loopAlts.push([o.additional]);
  const optMember = loopAlts.length === 0 ? null : loopAlts.length === 1 ? loopAlts[0]![0]! : b.choice('optional_member', loopAlts);
  const loop = optMember === null ? null : b.repeatSeq('member', [p.comma, optMember], 0, Infinity);
  const memo = new Map<string, Sym>();
  const state = (cr: number, c: number, mask: number): Sym => {
    const key = `${cr}|${c}|${mask}`;
    const found = memo.get(key);
    if (found !== undefined) return found;
    if (memo.size >= MAX_ANY_ORDER_STATES) {
      throw new JsonSchemaError(where, 'properties', `object schema needs more than ${MAX_ANY_ORDER_STATES} grammar states in any-order mode (maxProperties, required and dependentRequired together)`);
    }
    const r = b.newRule('members_any');
    const self = ruleSym(r);
    memo.set(key, self);
    // Once the count is capped, optional members leave the state as it is: a loop before the rest.
    const loops = loop !== null && c >= 1 && cap(c + 1) === c && c + 1 <= maxP;
    const body = loops ? b.newRule('members_any') : r;
    if (loops) b.addAlternative(r, [loop!, ruleSym(body)]);
    const sep = c > 0 ? [p.comma] : [];
    let done = cr === R && c >= minP && (mask & requiredMask) === requiredMask;
    for (let t = 0; t < tracked.length && done; t++) if (mask & (1 << t) && (needMask[t]! & mask) !== needMask[t]) done = false;
    if (done) b.addAlternative(body, []);
    if (c + 1 <= maxP) {
      const c1 = cap(c + 1);
      if (cr < R) for (const i of required) b.addAlternative(body, [...sep, memberSyms[i]!, state(cr + 1, c1, mask)]);
      for (let t = 0; t < tracked.length; t++) {
        const i = tracked[t]!;
        if (mask & (1 << t) || memberSyms[i] === null) continue;
        b.addAlternative(body, [...sep, memberSyms[i]!, state(cr, c1, mask | (1 << t))]);
      }
      if (!loops && optMember !== null) b.addAlternative(body, [...sep, optMember, state(cr, c1, mask)]);
    }
    return self;
  };
  return b.seq('object', [p.open, state(0, 0, 0), p.close]);
}

/**
 * Members in any order as a plain context-free grammar: the state is the set of declared members
 * read so far (a bitmask) and the member count, additional members anywhere. Exact without engine
 * support, for printing to servers, but 2^n states: only up to MAX_SUBSET_MEMBERS members.
 */
export function anyOrderSubsets(b: GrammarBuilder, p: Punctuation, o: AnyOrderObject, where: string): Sym | null {
  const n = o.members.length;
  const minP = o.minProps;
  const maxP = o.maxProps;
  const cap = (c: number) => (maxP === Infinity ? Math.min(c, Math.max(1, minP)) : c);
  const memo = new Map<string, Sym>();
  const chain = (used: number, c: number): Sym => {
    const key = `${used}|${c}`;
    const found = memo.get(key);
    if (found !== undefined) return found;
    if (memo.size >= MAX_ANY_ORDER_STATES) throw new JsonSchemaError(where, 'properties', `object schema needs more than ${MAX_ANY_ORDER_STATES} grammar states in any-order mode`);
    const r = b.newRule('members_any');
    memo.set(key, ruleSym(r));
    const sep = c > 0 ? [p.comma] : [];
    let done = c >= minP;
    for (let i = 0; i < n; i++) {
      if (used & (1 << i)) {
        if (o.needs[i]!.some((d) => !(used & (1 << d)))) done = false;
      } else if (o.members[i]!.required) done = false;
    }
    if (done) b.addAlternative(r, []);
    if (c + 1 <= maxP) {
      for (let i = 0; i < n; i++) {
        const m = o.members[i]!;
        if (used & (1 << i) || m.value === null) continue;
        b.addAlternative(r, [...sep, m.key, p.colon, m.value, chain(used | (1 << i), cap(c + 1))]);
      }
      if (o.additional !== null) b.addAlternative(r, [...sep, o.additional, chain(used, cap(c + 1))]);
    }
    return ruleSym(r);
  };
  return b.seq('object', [p.open, chain(0, 0), p.close]);
}
