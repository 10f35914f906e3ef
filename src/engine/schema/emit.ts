import type { GrammarBuilder } from '../grammar/builder.ts';
import { ruleSym } from '../grammar/builder.ts';
import type { Sym } from '../grammar/ir.ts';
import type { Regex } from '../regex/ast.ts';
import { literal } from '../regex/ast.ts';
import { matchesEverything } from '../regex/universal.ts';
import { type AnyOrderMember, anyOrderCounted, anyOrderSubsets, dependencyMembers, MAX_DEPENDENCY_MEMBERS, MAX_SUBSET_MEMBERS } from './any-order.ts';
import { intersect, schemaForUndeclared } from './intersect.ts';
import { ANY_CHAR, ANY_CHARS, ANY_JSON_STRING, jsonStringLiteral, jsonStringRegex, scalarsOnly } from './json-string.ts';
import type { ArrayC, Node, NumberC, ObjectC, StringC, TypesNode } from './node.ts';
import { isAny, isNothing, isUnconstrainedString } from './node.ts';
import { JSON_NUMBER, PLAIN_NUMBER, equalTo, fractionDigitsAtMost, intRange, numberAtLeast, numberAtMost, toDecimal, uintMultipleOf, withZeroFraction } from './numbers.ts';
import { JsonSchemaError } from './schema-error.ts';
import type { Translator } from './translate.ts';
import { isMultiple } from './exact-numbers.ts';
import { jsonEqual, stringOk } from './validate.ts';
import { MAX_UNIQUE_VALUES, uniqueItemsArray } from './unique-items.ts';
import type { Punctuation } from './whitespace.ts';

/** Patterns in one patternProperties beyond which key subsets (2^n) are refused. */
const MAX_PATTERN_PROPERTIES = 6;
/** Object-chain states (property position × count × obligations) per object schema. */
const MAX_OBJECT_STATES = 20_000;
/** Integer ranges up to this many values may be enumerated for a multipleOf no regex covers. */
const MAX_ENUMERATED_MULTIPLES = 2_000;

/**
 * Node → grammar rules and lexemes. Scalars are single lexemes (a whole string, a whole number);
 * arrays and objects are rules over punctuation lexemes; each referenced definition is one rule,
 * so recursion costs nothing extra. Objects follow schema property order; optional properties,
 * counts (minProperties/maxProperties) and dependentRequired are tracked in the rule chain.
 */
export class Emitter {
  private readonly memo = new Map<Node, Sym | null>();
  private readonly refRules = new Map<string, number>();
  /** `not one of the declared names` regexes by name list: inlined copies of one object share it. */
  private readonly undeclared = new Map<string, Regex>();
  private readonly partIds = new Map<Regex, number>();
  private readonly contents = new Map<string, Regex>();
  /** String lexemes by content object: one content (a shared format or pattern) gives one lexeme. */
  private readonly stringLexemes = new Map<Regex, Regex>();

  /** Key lexemes of any-order objects, for the grammar's `unique_keys` option (mode 'engine'). */
  readonly trackedKeys = new Set<number>();

  /**
   * `anyOrder`: 'schema' keeps declared properties in schema order; 'engine' builds any order
   * with counted members and the engine's unique_keys (exact, any size); 'portable' builds plain
   * rules (one state per subset, exact, up to MAX_SUBSET_MEMBERS declared properties).
   */
  constructor(
    private readonly b: GrammarBuilder,
    private readonly tr: Translator,
    private readonly p: Punctuation,
    private readonly anyOrder: 'schema' | 'engine' | 'portable' = 'schema',
  ) {}

  /** A symbol for the node, or null when it matches nothing. */
  value(n: Node): Sym | null {
    const found = this.memo.get(n);
    if (found !== undefined) return found;
    if (n.k === 'types' && (n.array !== undefined || n.object !== undefined)) {
      // Containers may contain themselves (the shared ANY does): a rule first, body after.
      const r = this.b.newRule(isAny(n) ? 'value' : 'value_of');
      this.memo.set(n, ruleSym(r));
      const body = this.make(n);
      if (body !== null) this.b.addAlternative(r, [body]);
      return ruleSym(r);
    }
    const s = this.make(n);
    this.memo.set(n, s);
    return s;
  }

  private make(n: Node): Sym | null {
    switch (n.k) {
      case 'ref': {
        const have = this.refRules.get(n.key);
        if (have !== undefined) return ruleSym(have);
        const name = `def_${n.key.split('/').pop() || 'root'}`;
        const r = this.b.newRule(name);
        this.refRules.set(n.key, r);
        const body = this.value(this.tr.refNode(n.key));
        if (body !== null) this.b.addAlternative(r, [body]);
        return ruleSym(r);
      }
      case 'union': {
        const alts = n.items.map((x) => this.value(x)).filter((x): x is Sym => x !== null);
        if (alts.length === 0) return null;
        return this.b.choice('any_of', alts.map((x) => [x]));
      }
      case 'values': {
        let values = n.values;
        if (this.anyOrder !== 'schema') {
          // Objects equal in any key order are one value here (each takes every order below).
          values = [];
          for (const v of n.values) if (!values.some((u) => jsonEqual(u, v))) values.push(v);
        }
        const at = { where: n.where ?? '', keyword: n.keyword ?? 'enum' };
        const alts = values.map((v) => this.literalValue(v, at)).filter((x): x is Sym => x !== null);
        if (alts.length === 0) return null;
        return this.b.choice('enum', alts.map((x) => [x]));
      }
      case 'types':
        return this.types(n);
      case 'post':
        // The grammar holds the superset; the post-check decides the rest (reported).
        this.tr.postCheck(n.pointer, n.keyword, n.reason);
        return this.value(n.grammar);
    }
  }

  private types(n: TypesNode): Sym | null {
    const alts: Sym[] = [];
    if (n.null) alts.push(this.b.literal('null'));
    if (n.boolean) alts.push(this.b.literal('true'), this.b.literal('false'));
    if (n.number) {
      const s = this.number(n.number);
      if (s !== null) alts.push(s);
    }
    if (n.string) {
      const s = this.string(n.string);
      if (s !== null) alts.push(s);
    }
    if (n.array) {
      const s = this.array(n.array);
      if (s !== null) alts.push(s);
    }
    if (n.object) {
      const s = this.object(n.object);
      if (s !== null) alts.push(s);
    }
    if (alts.length === 0) return null;
    return this.b.choice(isAny(n) ? 'value' : 'value_of', alts.map((x) => [x]));
  }

  // ---- literals ---------------------------------------------------------------------------

  /**
   * One `enum`/`const` value. Arrays keep their order; an object's members are in the written
   * order in schema mode, and in any order in the any-order modes (JSON Schema compares values by
   * JSON equality): in 'engine' mode exactly n members, each one of the n, with every key tracked
   * by unique_keys (so all n are present; exact, any size, O(n) rules); in 'portable' mode one
   * state per subset of members (exact up to MAX_SUBSET_MEMBERS members; beyond, the written
   * order with a reported relaxation, or refused). Nested objects likewise.
   */
  private literalValue(v: unknown, at: { where: string; keyword: 'enum' | 'const' }): Sym | null {
    if (v === null) return this.b.literal('null');
    if (typeof v === 'boolean') return this.b.literal(v ? 'true' : 'false');
    if (typeof v === 'number') {
      if (!Number.isFinite(v)) return null;
      return this.b.regex('NUMBER_CONST', equalTo(toDecimal(v)));
    }
    if (typeof v === 'string') return this.stringLiteral(v);
    if (Array.isArray(v)) {
      const syms: Sym[] = [this.p.openArray];
      for (let i = 0; i < v.length; i++) {
        if (i > 0) syms.push(this.p.comma);
        const s = this.literalValue(v[i], at);
        if (s === null) return null;
        syms.push(s);
      }
      syms.push(this.p.closeArray);
      return this.b.seq('array_const', syms);
    }
    if (typeof v === 'object') {
      const entries = Object.entries(v as Record<string, unknown>);
      const members: AnyOrderMember[] = [];
      for (const [k, x] of entries) {
        const s = this.literalValue(x, at);
        if (s === null) return null;
        members.push({ key: this.stringLiteral(k), value: s, required: true });
      }
      if (this.anyOrder !== 'schema' && members.length > 1) {
        if (this.anyOrder === 'engine') {
          // n members, each key at most once (unique_keys): n of them read means all present.
          // One choice of members repeated exactly n times: O(n) rules, not O(n^2).
          for (const m of members) if (m.key.kind === 'lexeme') this.trackedKeys.add(m.key.id);
          const one = this.b.choice('const_member', members.map((m) => [m.key, this.p.colon, m.value!]));
          const rest = this.b.repeat(this.b.seq('const_member', [this.p.comma, one]), members.length - 1, members.length - 1);
          return this.b.seq('object_const', [this.p.open, one, rest, this.p.close]);
        }
        const ao = { members, needs: members.map(() => []), additional: null, minProps: 0, maxProps: Infinity };
        if (members.length <= MAX_SUBSET_MEMBERS) return anyOrderSubsets(this.b, this.p, ao, at.where);
        this.tr.relax(at.where, at.keyword, `an object value of more than ${MAX_SUBSET_MEMBERS} members in any property order has no plain grammar of reasonable size (2^n rules) and servers have no unique_keys: only its written order is accepted`);
      }
      const syms: Sym[] = [this.p.open];
      members.forEach((m, i) => {
        if (i > 0) syms.push(this.p.comma);
        syms.push(m.key, this.p.colon, m.value!);
      });
      syms.push(this.p.close);
      return this.b.seq('object_const', syms);
    }
    return null;
  }

  private stringLiteral(s: string): Sym {
    // Without control characters the spelling is unique: a plain literal (forced tokens work).
    if (!/[\u0000-\u001f]/.test(s)) return this.b.literal(JSON.stringify(s));
    return this.b.regex('STRING_CONST', jsonStringLiteral(s));
  }

  // ---- strings ----------------------------------------------------------------------------

  private stringContent(c: StringC): Regex | null {
    if (c.maxLength < c.minLength) return null;
    const parts: Regex[] = [];
    const counted = c.minLength > 0 || c.maxLength < Infinity;
    if (counted) parts.push({ kind: 'repeat', item: ANY_CHAR, min: c.minLength, max: c.maxLength });
    // Beside the length counter a pattern's surrogates are dead: drop them (scalarsOnly), so that
    // a walk can drop the counter where it is exact (lexer/length-bounds.ts).
    for (const ch of c.checks) parts.push(counted ? scalarsOnly(ch.regex) : ch.regex);
    if (parts.length === 0) return { kind: 'repeat', item: ANY_CHAR, min: 0, max: Infinity };
    return parts.length === 1 ? parts[0]! : { kind: 'and', items: parts };
  }

  private string(c: StringC): Sym | null {
    for (const ch of c.checks) if (ch.post) this.tr.postCheck(ch.post.pointer, ch.post.keyword, ch.post.reason);
    if (isUnconstrainedString(c)) return this.b.regex('STRING', ANY_JSON_STRING);
    const content = this.stringContent(c);
    if (content === null) return null;
    return this.b.regex('STRING_C', this.stringLexeme(content));
  }

  /** jsonStringRegex, one object per content in this compile (large lexemes dedupe by identity). */
  private stringLexeme(content: Regex): Regex {
    let lexeme = this.stringLexemes.get(content);
    if (lexeme === undefined) {
      lexeme = jsonStringRegex(content);
      this.stringLexemes.set(content, lexeme);
    }
    return lexeme;
  }

  // ---- numbers ----------------------------------------------------------------------------

  private fail(c: NumberC, reason: string): null {
    this.tr.relax(c.where ?? '', 'multipleOf', reason);
    return null;
  }

  /**
   * A multipleOf no regex holds: with post-checks on, the grammar allows every number the other
   * keywords allow and the post-check decides the multiple (on exact decimals, exact-numbers.ts);
   * returns whether it was left to the post-check (otherwise refused, or relaxed, by `fail`).
   */
  private postCheckedMultiple(c: NumberC, reason: string): boolean {
    if (!this.tr.postChecksOn) return false;
    this.tr.postCheck(c.where ?? '', 'multipleOf', `${reason}: the grammar allows every number in range, the post-check the multiple`);
    return true;
  }

  private number(c: NumberC): Sym | null {
    let integer = c.integer;
    const mults = c.multipleOf.slice();
    // A number that must be a multiple of an integer is an integer.
    if (!integer && mults.some((m) => Number.isInteger(m))) integer = true;
    if (integer) {
      const lo = c.min === undefined ? null : c.min.exclusive ? BigInt(Math.floor(c.min.value)) + 1n : BigInt(Math.ceil(c.min.value));
      const hi = c.max === undefined ? null : c.max.exclusive ? BigInt(Math.ceil(c.max.value)) - 1n : BigInt(Math.floor(c.max.value));
      if (lo !== null && hi !== null && hi < lo) return null;
      const range = intRange(lo, hi);
      const parts: Regex[] = [range];
      for (const m of mults) {
        if (isMultiple(1, m)) continue; // every integer is a multiple of 1, 0.5, 0.25, …
        if (!Number.isInteger(m)) {
          const reason = `multipleOf ${m} on integers is not supported`;
          if (this.postCheckedMultiple(c, reason)) continue;
          return this.fail(c, reason);
        }
        const re = uintMultipleOf(BigInt(m));
        if (re !== null) {
          parts.push({ kind: 'alt', items: [re, { kind: 'concat', items: [literal('-'), re] }] });
          continue;
        }
        if (lo !== null && hi !== null && (hi - lo) / BigInt(m) <= BigInt(MAX_ENUMERATED_MULTIPLES)) {
          const vals: Regex[] = [];
          const M = BigInt(m);
          let start = lo % M === 0n ? lo : lo + ((M - (((lo % M) + M) % M)) % M);
          for (let v = start; v <= hi; v += M) vals.push(literal(v.toString()));
          parts.push(vals.length === 0 ? { kind: 'never' } : { kind: 'alt', items: vals });
          continue;
        }
        const reason = `multipleOf ${m} is only supported for divisors of a power of 10 or small bounded ranges`;
        if (this.postCheckedMultiple(c, reason)) continue;
        return this.fail(c, reason);
      }
      for (const v of c.excluded ?? []) if (Number.isInteger(v)) parts.push({ kind: 'not', item: equalTo(toDecimal(v)) });
      const body = parts.length === 1 ? range : { kind: 'and' as const, items: parts };
      // Draft-04 integers have no fraction part; later drafts count the value (1.0 is an integer).
      return this.b.regex(c.min || c.max || mults.length > 0 || parts.length > 1 ? 'INTEGER_C' : 'INTEGER', this.tr.draft === 'draft4' ? body : withZeroFraction(body));
    }
    const parts: Regex[] = [];
    for (const m of mults) {
      const k = Math.round(-Math.log10(m));
      if (k > 0 && k <= 15 && Number(`1e-${k}`) === m) parts.push(fractionDigitsAtMost(k));
      else {
        const reason = `multipleOf ${m} on non-integer numbers is only supported for powers of ten (0.1, 0.01, …) and integers`;
        if (!this.postCheckedMultiple(c, reason)) return this.fail(c, reason);
      }
    }
    // Excluded values: every spelling of the value without an exponent is refused, and the
    // number is written without one (PLAIN_NUMBER below), so `5e0` cannot slip past `not 5`.
    for (const v of c.excluded ?? []) parts.push({ kind: 'not', item: equalTo(toDecimal(v)) });
    if (c.min) parts.push(numberAtLeast(toDecimal(c.min.value), c.min.exclusive));
    if (c.max) parts.push(numberAtMost(toDecimal(c.max.value), c.max.exclusive));
    if (parts.length === 0) return this.b.regex('NUMBER', JSON_NUMBER);
    return this.b.regex('NUMBER_C', { kind: 'and', items: [PLAIN_NUMBER, ...parts] });
  }

  // ---- arrays -----------------------------------------------------------------------------

  private array(a: ArrayC): Sym | null {
    if (a.maxItems < a.minItems) return null;
    if (a.unique && a.maxItems > 1) {
      const values = a.prefix.length === 0 && a.contains === undefined ? this.finiteScalars(a.items) : null;
      if (values !== null && values.length <= MAX_UNIQUE_VALUES) {
        const syms = values.map((v) => this.literalValue(v, { where: a.where ?? '', keyword: 'enum' })).filter((x): x is Sym => x !== null);
        return uniqueItemsArray(this.b, this.p, syms, a.minItems, a.maxItems);
      }
      this.tr.postCheck(a.where ?? '', 'uniqueItems', values === null
        ? 'uniqueItems over items that are not a short list of scalar values: the grammar allows repeats, the post-check refuses them'
        : `uniqueItems over more than ${MAX_UNIQUE_VALUES} values (2^n grammar states): the grammar allows repeats, the post-check refuses them`);
    }
    if (a.contains) return this.arrayContains(a, a.contains.node, a.contains.min);
    const memo = new Map<number, Sym[] | null>();
    const prefix = a.prefix.map((x) => this.value(x));
    const item = isNothing(a.items) ? null : this.value(a.items);
    const k = prefix.length;
    const lo = a.minItems;
    const hi = a.maxItems;
    const after = (j: number): Sym[][] | null => {
      // Alternatives for what follows j items.
      if (j === hi) return j >= lo ? [[]] : null;
      if (j >= k) {
        const rlo = Math.max(0, lo - j);
        const rhi = hi - j;
        if (item === null) return rlo === 0 ? [[]] : null;
        const alts: Sym[][] = [];
        if (j === 0) {
          if (rlo === 0) alts.push([]);
          alts.push(this.commaList('array_item', item, rlo, rhi));
        } else {
          alts.push([this.b.repeatSeq('array_item', [this.p.comma, item], rlo, rhi)]);
        }
        return alts;
      }
      const alts: Sym[][] = [];
      if (j >= lo) alts.push([]);
      const pj = prefix[j]!;
      if (pj !== null) {
        const rest = chain(j + 1);
        if (rest !== null) alts.push([...(j > 0 ? [this.p.comma] : []), pj, ...rest]);
      }
      return alts.length === 0 ? null : alts;
    };
    const chain = (j: number): Sym[] | null => {
      if (memo.has(j)) return memo.get(j)!;
      const alts = after(j);
      let out: Sym[] | null;
      if (alts === null) out = null;
      else if (alts.length === 1) out = alts[0]!;
      else out = [this.b.choice('array_items', alts)];
      memo.set(j, out);
      return out;
    };
    const body = chain(0);
    if (body === null) return null;
    return this.b.seq('array', [this.p.openArray, ...body, this.p.closeArray]);
  }

  /**
   * Arrays (no prefixItems, no maxItems) with at least `min` items matching `c`: each item is
   * either a plain item or a matching one, and matching ones are counted down to zero. Ambiguous
   * (a matching item may be read either way) but exact.
   */
  private arrayContains(a: ArrayC, c: Node, min: number): Sym | null {
    const item = isNothing(a.items) ? null : this.value(a.items);
    const hit = this.value(intersect(a.items, c, this.tr));
    if (hit === null) return null;
    const memo = new Map<string, Sym | null>();
    const need = (j: number, first: boolean, itemsSoFar: number): Sym | null => {
      const seen = Math.min(itemsSoFar, a.minItems);
      const key = `${j}|${first}|${seen}`;
      if (memo.has(key)) return memo.get(key)!;
      const r = this.b.newRule('contains_items');
      memo.set(key, ruleSym(r));
      const sep = first ? [] : [this.p.comma];
      if (j === 0) {
        const lo = Math.max(0, a.minItems - seen);
        if (item === null) {
          if (lo === 0) this.b.addAlternative(r, []);
        } else if (first) {
          if (lo === 0) this.b.addAlternative(r, []);
          this.b.addAlternative(r, this.commaList('array_item', item, lo, Infinity));
        } else this.b.addAlternative(r, [this.b.repeatSeq('array_item', [this.p.comma, item], lo, Infinity)]);
        return ruleSym(r);
      }
      if (item !== null) this.b.addAlternative(r, [...sep, item, need(j, false, seen + 1)!]);
      this.b.addAlternative(r, [...sep, hit, need(j - 1, false, seen + 1)!]);
      return ruleSym(r);
    };
    const body = need(min, true, 0);
    if (body === null) return null;
    return this.b.seq('array', [this.p.openArray, body, this.p.closeArray]);
  }

  /**
   * The values a node allows when they are finitely many scalars (an enum of strings, numbers,
   * booleans or null, through references), deduplicated by JSON equality; else null.
   */
  private finiteScalars(n: Node, depth = 0): unknown[] | null {
    if (depth > 16) return null;
    let out: unknown[];
    if (n.k === 'ref') return this.tr.refBusy(n.key) ? null : this.finiteScalars(this.tr.refNode(n.key), depth + 1);
    if (n.k === 'values') out = n.values;
    else if (n.k === 'union') {
      out = [];
      for (const it of n.items) {
        const v = this.finiteScalars(it, depth + 1);
        if (v === null) return null;
        out.push(...v);
      }
    } else if (n.k === 'types') {
      if (n.number || n.string || n.array || n.object) return null;
      out = [...(n.null ? [null] : []), ...(n.boolean ? [true, false] : [])];
    } else return null;
    if (out.some((v) => v !== null && typeof v === 'object')) return null;
    const unique: unknown[] = [];
    for (const v of out) if (!unique.some((u) => jsonEqual(u, v))) unique.push(v);
    return unique;
  }

  /**
   * The symbols of a comma-separated list of `lo`..`hi` (hi ≥ 1) `item`s (an array's items, an
   * object's extra members): unbounded, one `separated` rule, whose items repeat their parser states
   * (docs/engine-optimizations.md §46); bounded, the first item and a counted `, item` repetition.
   */
  private commaList(name: string, item: Sym, lo: number, hi: number): Sym[] {
    if (hi === 1) return [item];
    if (hi === Infinity) return [this.b.separated(item, this.p.comma, Math.max(lo, 1))];
    return [item, this.b.repeatSeq(name, [this.p.comma, item], Math.max(lo - 1, 0), hi - 1)];
  }

  // ---- objects ----------------------------------------------------------------------------

  private object(o: ObjectC): Sym | null {
    if (o.maxProps < o.minProps) return null;
    const keyOk = (k: string) => o.keyCheck === undefined || stringOk(o.keyCheck, k);
    const declared: Array<{ key: string; node: Node; required: boolean }> = [];
    const names = new Set<string>();
    for (const [k, n] of o.props) {
      names.add(k);
      const required = o.required.includes(k);
      if (!keyOk(k) || isNothing(n)) {
        if (required) return null;
        continue;
      }
      declared.push({ key: k, node: n, required });
    }
    for (const k of o.required) {
      if (names.has(k)) continue;
      names.add(k);
      const n = schemaForUndeclared(o, k, this.tr, 0);
      if (!keyOk(k) || isNothing(n)) return null;
      declared.push({ key: k, node: n, required: true });
    }
    // Names in dependentRequired that are not declared become optional declared properties
    // (after the declared ones, in the order they are named), so the chain can track them.
    for (const [trigger, deps] of o.dependentRequired) {
      for (const k of [trigger, ...deps]) {
        if (names.has(k)) continue;
        names.add(k);
        const n = schemaForUndeclared(o, k, this.tr, 0);
        if (keyOk(k) && !isNothing(n)) declared.push({ key: k, node: n, required: false });
      }
    }
    // A key whose dependency cannot appear cannot appear either (to a fixpoint); a required one
    // empties the object.
    const possible = new Set(declared.map((d) => d.key));
    for (let changed = true; changed; ) {
      changed = false;
      for (const [trigger, deps] of o.dependentRequired) {
        if (possible.has(trigger) && deps.some((d) => !possible.has(d))) {
          possible.delete(trigger);
          changed = true;
        }
      }
    }
    if (declared.some((d) => d.required && !possible.has(d.key))) return null;
    if (possible.size < declared.length) declared.splice(0, declared.length, ...declared.filter((d) => possible.has(d.key)));
    const index = new Map(declared.map((d, i) => [d.key, i]));
    // dependentRequired: every trigger and dependency must be a declared property.
    const needs: number[][] = declared.map(() => []);
    const neededBy: number[][] = declared.map(() => []);
    for (const [trigger, deps] of o.dependentRequired) {
      // Every name is declared by now; a trigger missing here cannot appear (the fixpoint above).
      const ti = index.get(trigger);
      if (ti === undefined) continue;
      for (const d of deps) {
        const di = index.get(d)!;
        if (di === ti) continue;
        needs[ti].push(di);
        neededBy[di].push(ti);
      }
    }
    // Keys excluded from the additional members: every declared name, also those that cannot appear.
    const add = this.additional(o, [...names]);
    if (this.anyOrder !== 'schema') {
      const where = o.where ?? '';
      const members = declared.map((d) => ({ key: this.stringLiteral(d.key), value: this.value(d.node), required: d.required }));
      let ao = { members, needs, additional: add, minProps: o.minProps, maxProps: o.maxProps };
      if (this.anyOrder === 'engine' && dependencyMembers(needs) > MAX_DEPENDENCY_MEMBERS) {
        // Each property named by dependentRequired is tracked one by one (2^k states).
        this.tr.relax(where, 'dependentRequired', `any property order with more than ${MAX_DEPENDENCY_MEMBERS} properties named by dependentRequired is not supported (2^n states)`);
        ao = { ...ao, needs: needs.map(() => []) };
      }
      if (this.anyOrder === 'engine') {
        for (const m of members) if (m.key.kind === 'lexeme') this.trackedKeys.add(m.key.id);
        return anyOrderCounted(this.b, this.p, ao, where);
      }
      if (declared.length <= MAX_SUBSET_MEMBERS) return anyOrderSubsets(this.b, this.p, ao, where);
      this.tr.relax(where, 'properties', `any property order over more than ${MAX_SUBSET_MEMBERS} declared properties has no plain grammar of reasonable size (2^n rules) and servers have no unique_keys: kept in schema order`);
    }
    const n = declared.length;
    const minP = o.minProps;
    const maxP = o.maxProps;
    const cap = (c: number) => (maxP === Infinity ? Math.min(c, Math.max(1, minP)) : c);
    const memo = new Map<string, Sym | null>();
    const keySyms = declared.map((d) => this.stringLiteral(d.key));
    const valueSyms = declared.map((d) => this.value(d.node));
    let states = 0;
    const chain = (i: number, c: number, must: number[], forb: number[]): Sym | null => {
      const key = `${i}|${c}|${must.join(',')}|${forb.join(',')}`;
      if (memo.has(key)) return memo.get(key)!;
      if (++states > MAX_OBJECT_STATES) {
        throw new JsonSchemaError('', 'properties', `object schema needs more than ${MAX_OBJECT_STATES} grammar states (too many optional properties with counts or dependencies)`);
      }
      const alts: Sym[][] = [];
      if (i === n) {
        const lo = Math.max(0, minP - c);
        const hi = maxP - c;
        if (hi >= 0) {
          if (add === null) {
            if (lo === 0) alts.push([]);
          } else if (c === 0) {
            if (lo === 0) alts.push([]);
            if (hi >= 1) alts.push(this.commaList('member', add, lo, hi));
          } else {
            alts.push([this.b.repeatSeq('member', [this.p.comma, add], lo, hi)]);
          }
        }
      } else {
        const d = declared[i]!;
        const required = d.required || must.includes(i);
        const forbidden = forb.includes(i);
        const v = valueSyms[i]!;
        if (!forbidden && v !== null && c + 1 <= maxP) {
          const must2 = [...new Set([...must.filter((x) => x > i), ...needs[i]!.filter((x) => x > i)])].sort((x, y) => x - y);
          // A dependency earlier in the order must already be present: skipping it forbade us.
          const rest = chain(i + 1, cap(c + 1), must2, forb.filter((x) => x > i));
          if (rest !== null) alts.push([...(c > 0 ? [this.p.comma] : []), keySyms[i]!, this.p.colon, v, rest]);
        }
        if (!required) {
          const forb2 = [...new Set([...forb.filter((x) => x > i), ...neededBy[i]!.filter((x) => x > i)])].sort((x, y) => x - y);
          // Skipping a property that an earlier included one needs is impossible (must has it).
          const rest = chain(i + 1, c, must.filter((x) => x > i), forb2);
          if (rest !== null) alts.push([rest]);
        }
      }
      const out = alts.length === 0 ? null : this.b.choice('members', alts);
      memo.set(key, out);
      return out;
    };
    const body = chain(0, 0, [], []);
    if (body === null) return null;
    return this.b.seq('object', [this.p.open, body, this.p.close]);
  }

  /** Key content `any string & parts…`, one object per distinct list of part objects. */
  private keyContent(parts: Regex[]): Regex {
    let ids = '';
    for (const p of parts) {
      let id = this.partIds.get(p);
      if (id === undefined) {
        id = this.partIds.size;
        this.partIds.set(p, id);
      }
      ids += `${id},`;
    }
    let r = this.contents.get(ids);
    if (r === undefined) {
      r = { kind: 'and', items: [ANY_CHARS, ...parts] };
      this.contents.set(ids, r);
    }
    return r;
  }

  private notOneOf(names: string[]): Regex {
    const key = names.join('\u0000');
    let r = this.undeclared.get(key);
    if (r === undefined) {
      r = { kind: 'not', item: { kind: 'alt', items: names.map((k) => literal(k)) } };
      this.undeclared.set(key, r);
    }
    return r;
  }

  /** `"key": value` for keys not declared: additionalProperties and patternProperties. */
  private additional(o: ObjectC, declared: string[]): Sym | null {
    const notDeclared: Regex[] = declared.length === 0 ? [] : [this.notOneOf(declared)];
    const keyParts: Regex[] = [...notDeclared];
    if (o.keyCheck) {
      const kc = this.stringContent(o.keyCheck);
      if (kc === null) return null;
      keyParts.push(kc);
    }
    const pats = o.patternProps;
    if (pats.length > MAX_PATTERN_PROPERTIES) {
      this.tr.relax('', 'patternProperties', `more than ${MAX_PATTERN_PROPERTIES} patternProperties in one object are not supported`);
      return null;
    }
    // A pattern that matches every string (an unanchored `.*`) matches every key: the key languages
    // that exclude it are empty, and the lexer would pay an emptiness search for them in each state.
    let required = 0;
    pats.forEach((p, j) => {
      if (matchesEverything(p.regex)) required |= 1 << j;
    });
    const alts: Sym[][] = [];
    for (let mask = 0; mask < 1 << pats.length; mask++) {
      if ((mask & required) !== required) continue;
      let node: Node = mask === 0 ? o.additional : { k: 'types' };
      const parts = [...keyParts];
      let first = true;
      pats.forEach((p, j) => {
        if (mask & (1 << j)) {
          node = first ? p.node : intersect(node, p.node, this.tr);
          first = false;
          // Nor does it narrow the key languages that include it.
          if ((required & (1 << j)) === 0) parts.push(p.regex);
        } else parts.push({ kind: 'not', item: p.regex });
      });
      if (isNothing(node)) continue;
      const v = this.value(node);
      if (v === null) continue;
      const keySym = parts.length === 0 ? this.b.regex('STRING', ANY_JSON_STRING) : this.b.regex('KEY', this.stringLexeme(this.keyContent(parts)));
      alts.push([keySym, this.p.colon, v]);
    }
    if (alts.length === 0) return null;
    return this.b.choice('additional_member', alts);
  }
}
