import { EngineError } from '../errors.ts';
import type { Limits } from '../limits.ts';
import { parseRegexCached } from '../regex/parse-cache.ts';
import type { Regex } from '../regex/ast.ts';
import { refOverridesSiblings, type Draft } from './draft.ts';
import { FORMATS, STANDARD_FORMATS, formatTest, type FormatDef } from './formats.ts';
import { objectDifference } from './difference.ts';
import { provablyDisjoint } from './emptiness.ts';
import { applyUnevaluated, childLocation, evaluatedProperties, type EvaluatedKeys, type SchemaReader } from './unevaluated.ts';
import { IntersectError, intersect, union, type IntersectEnv } from './intersect.ts';
import { ANNOTATION_KEYWORDS, SUPPORTED_KEYWORDS, VOCABULARY_KEYWORDS, isVendorExtension } from './keywords.ts';
import type { Node, NumberC, ObjectC, StringC, TypesNode } from './node.ts';
import { ANY, NOTHING, anyArray, anyNumber, anyObject, anyString, anyTypes, isAny, isNothing, isUnconstrainedArray, isUnconstrainedNumber, isUnconstrainedObject, isUnconstrainedString } from './node.ts';
import type { IgnoredKeyword, PostCheckReport, Relaxation } from './options.ts';
import type { SchemaLocation, SchemaRegistry } from './registry.ts';
import { JsonSchemaError, childPointer, pointerText } from './schema-error.ts';
import { validate, jsonEqual } from './validate.ts';
import { ANY_CHAR, ANY_CHARS } from './json-string.ts';
import { patternRegex } from './lookahead.ts';
import { ecmaRegExp } from './ecma-regexp.ts';

const TYPE_NAMES = new Set(['null', 'boolean', 'integer', 'number', 'string', 'array', 'object']);
/**
 * Branches up to which oneOf is built as ⋁ᵢ (Lᵢ ∧ ⋀ⱼ≠ᵢ ¬Bⱼ): each term intersects n − 1 complements,
 * and intersections of unions are bounded (intersect.ts), so n stays small.
 */
const MAX_EXACT_ONE_OF = 8;
/** Keywords whose subschemas may evaluate properties beside the schema's own (unevaluated.ts). */
const UNEVALUATED_APPLICATORS = ['allOf', 'anyOf', 'oneOf', '$ref', 'not', 'if', 'dependentSchemas', '$dynamicRef'];

type Obj = Record<string, unknown>;

function isObj(x: unknown): x is Obj {
  return typeof x === 'object' && x !== null && !Array.isArray(x);
}

function isNonNegInt(x: unknown): x is number {
  return typeof x === 'number' && Number.isInteger(x) && x >= 0;
}

/** Thrown by relax() while probing; never escapes the Translator. */
class ProbeFail extends Error {}

interface DefEntry {
  loc: SchemaLocation;
  node?: Node;
  busy: boolean;
}

/**
 * JSON Schema → Node. Reads every keyword of every subschema: the ones it enforces, the
 * annotations it ignores by design (keywords.ts), and the rest, which are a JsonSchemaError in
 * strict mode or a recorded Relaxation in lenient mode. Invalid keyword values are always errors.
 */
export class Translator implements IntersectEnv {
  readonly relaxations: Relaxation[] = [];
  /** Keywords of no JSON Schema vocabulary, ignored as annotations (unknownKeywords: 'ignore'). */
  readonly ignored: IgnoredKeyword[] = [];
  private readonly ignoredSeen = new Set<string>();
  private readonly defs = new Map<string, DefEntry>();
  private steps = 0;
  /** Depth of nested complements (not → property schema → not …). */
  private notDepth = 0;
  /** > 0 while trying a construction that may fail (exact oneOf): relax() then throws ProbeFail. */
  private probing = 0;

  constructor(
    readonly registry: SchemaRegistry,
    readonly draft: Draft,
    readonly lenient: boolean,
    readonly limits: Limits,
    readonly annotations?: (keyword: string) => boolean,
    readonly ignoreUnknown = true,
    /** Constraints no grammar rule holds exactly become post-checks (PostNode) instead of relaxations. */
    readonly postChecksOn = false,
    /** 'apply': keywords beside `$ref` apply in every draft (as ajv and editors read them); 'draft': as each draft says. */
    readonly refSiblings: 'draft' | 'apply' = 'draft',
  ) {}

  /** The post-checks the emitted grammar relies on (each once), in the order first emitted. */
  readonly postChecks: PostCheckReport[] = [];
  private readonly postSeen = new Set<string>();

  /**
   * The grammar holds this constraint only as a superset: with post-checks on, it is reported and
   * left to the post-check; otherwise it is refused (or relaxed in lenient mode) like any keyword
   * that cannot be enforced.
   */
  postCheck(pointer: string, keyword: string, reason: string): void {
    if (!this.postChecksOn) {
      this.relax(pointer, keyword, reason);
      return;
    }
    const at = pointerText(pointer);
    const key = `${at}\u0000${keyword}`;
    if (this.postSeen.has(key)) return;
    this.postSeen.add(key);
    this.postChecks.push({ pointer: at, keyword, reason });
  }

  readonly resolve = (key: string): Node => this.refNode(key);

  readonly inline = (key: string): Node => {
    const e = this.defs.get(key);
    if (e === undefined) throw new IntersectError(`unknown reference ${key}`);
    if (e.busy) throw new IntersectError(`a recursive $ref (${key === '' ? '#' : `#${key}`}) cannot be intersected with sibling constraints`);
    return this.refNode(key);
  };

  /** The translated target of a reference key (translating it on first use). */
  refNode(key: string): Node {
    const e = this.defs.get(key);
    if (e === undefined) throw new EngineError('STATE', `unknown schema reference ${key}`);
    if (e.node === undefined) {
      if (e.busy) throw new JsonSchemaError(key, '$ref', 'the reference refers to itself without consuming input');
      e.busy = true;
      try {
        e.node = this.schema(e.loc.schema, e.loc, 0);
      } finally {
        e.busy = false;
      }
    }
    return e.node;
  }

  /** Whether the reference is being translated (a recursive use): its node is not known yet. */
  refBusy(key: string): boolean {
    return this.defs.get(key)?.busy === true;
  }

  /** Register a reference target; returns its key (the target's pointer). */
  refTo(loc: SchemaLocation): string {
    if (!this.defs.has(loc.pointer)) this.defs.set(loc.pointer, { loc, busy: false });
    return loc.pointer;
  }

  relax(pointer: string, keyword: string, reason: string): void {
    if (this.probing > 0) throw new ProbeFail();
    if (!this.lenient) throw new JsonSchemaError(pointer, keyword, `${reason} (use lenient mode to drop it with a reported relaxation)`);
    this.relaxations.push({ pointer: pointerText(pointer), keyword, reason });
  }

  private ignore(pointer: string, keyword: string, detail?: string): void {
    const at = pointerText(pointer);
    const key = `${at}\u0000${keyword}`;
    if (this.ignoredSeen.has(key)) return;
    this.ignoredSeen.add(key);
    this.ignored.push(detail === undefined ? { pointer: at, keyword } : { pointer: at, keyword, detail });
  }

  private and(a: Node, b: Node, pointer: string, keyword: string): Node {
    try {
      return intersect(a, b, this);
    } catch (e) {
      if (e instanceof IntersectError) {
        this.relax(pointer, keyword, e.message);
        return a;
      }
      throw e;
    }
  }

  /** Translate the schema at `loc` (a subschema value at its location). */
  schema(s: unknown, loc: SchemaLocation, depth: number): Node {
    const pointer = loc.pointer;
    if (depth > this.limits.maxNesting) throw new EngineError('LIMIT', `schema nesting at #${pointer} is deeper than limits.maxNesting (${this.limits.maxNesting})`);
    if (++this.steps > this.limits.maxGrammarSize) throw new EngineError('LIMIT', `schema translation exceeded limits.maxGrammarSize (${this.limits.maxGrammarSize}) steps`);
    if (s === true) return ANY;
    if (s === false) return NOTHING;
    if (!isObj(s)) throw new JsonSchemaError(pointer, '', 'a schema must be an object or a boolean');
    const sub = (value: unknown, ...tokens: Array<string | number>): Node => {
      const p = childPointer(pointer, ...tokens);
      const fallback: SchemaLocation = { schema: value, base: loc.base, pointer: p };
      if (loc.draft !== undefined) fallback.draft = loc.draft;
      return this.schema(value, this.registry.locate(value, fallback), depth + 1);
    };

    if (typeof s['$ref'] === 'string' && this.refSiblings === 'draft' && refOverridesSiblings(loc.draft ?? this.draft)) {
      return this.ref(s['$ref'], loc);
    }

    for (const key of Object.keys(s)) {
      if (ANNOTATION_KEYWORDS.has(key) || SUPPORTED_KEYWORDS.has(key) || isVendorExtension(key) || this.annotations?.(key) === true) continue;
      if (key === '$dynamicRef' || key === '$recursiveRef') this.relax(pointer, key, 'dynamic references are not supported');
      else if (key === 'if' || key === 'then' || key === 'else' || key === 'dependentSchemas') continue; // below
      else if (this.ignoreUnknown && !VOCABULARY_KEYWORDS.has(key)) this.ignore(pointer, key);
      else this.relax(pointer, key, 'unknown or unsupported keyword');
    }

    // ---- type ------------------------------------------------------------------------------
    let t: TypesNode;
    const type = s['type'];
    if (type === undefined) {
      t = { k: 'types', null: true, boolean: true, number: anyNumber(false), string: anyString(), array: anyArray(), object: anyObject() };
    } else {
      const names = Array.isArray(type) ? type : [type];
      if (names.length === 0 && !Array.isArray(type)) throw new JsonSchemaError(pointer, 'type', 'must be a type name or an array of them');
      t = { k: 'types' };
      for (const n of names) {
        if (typeof n !== 'string' || !TYPE_NAMES.has(n)) throw new JsonSchemaError(pointer, 'type', `unknown type ${JSON.stringify(n)}`);
        if (n === 'null') t.null = true;
        else if (n === 'boolean') t.boolean = true;
        else if (n === 'integer') t.number = t.number ? t.number : anyNumber(true);
        else if (n === 'number') t.number = anyNumber(false);
        else if (n === 'string') t.string = anyString();
        else if (n === 'array') t.array = anyArray();
        else if (n === 'object') t.object = anyObject();
      }
    }
    if (t.string) this.stringKeywords(s, pointer, t.string);
    else this.checkStringKeywords(s, pointer);
    if (t.number) this.numberKeywords(s, pointer, t.number);
    else this.checkNumberKeywords(s, pointer);
    if (t.array) this.arrayKeywords(s, pointer, t, sub);
    else this.arrayKeywords(s, pointer, { k: 'types', array: anyArray() }, sub);
    if (t.object) this.objectKeywords(s, pointer, t.object, sub, depth);
    else this.objectKeywords(s, pointer, anyObject(), sub, depth);

    let node: Node = t;

    // ---- enum / const ----------------------------------------------------------------------
    if (s['enum'] !== undefined) {
      if (!Array.isArray(s['enum'])) throw new JsonSchemaError(pointer, 'enum', 'must be an array');
      node = this.and(node, { k: 'values', values: s['enum'], where: pointer, keyword: 'enum' }, pointer, 'enum');
    }
    if ('const' in s) node = this.and(node, { k: 'values', values: [s['const']], where: pointer, keyword: 'const' }, pointer, 'const');

    // ---- applicators -----------------------------------------------------------------------
    if (s['$ref'] !== undefined) {
      if (typeof s['$ref'] !== 'string') throw new JsonSchemaError(pointer, '$ref', 'must be a string');
      node = this.and(node, this.ref(s['$ref'], loc), pointer, '$ref');
    }
    const list = (k: string): unknown[] | undefined => {
      const v = s[k];
      if (v === undefined) return undefined;
      if (!Array.isArray(v) || v.length === 0) throw new JsonSchemaError(pointer, k, 'must be a non-empty array of schemas');
      return v;
    };
    const allOf = list('allOf');
    if (allOf) allOf.forEach((x, i) => (node = this.and(node, sub(x, 'allOf', i), pointer, 'allOf')));
    const anyOf = list('anyOf');
    if (anyOf) node = this.and(node, union(anyOf.map((x, i) => sub(x, 'anyOf', i))), pointer, 'anyOf');
    const oneOf = list('oneOf');
    if (oneOf) {
      const branches = oneOf.map((x, i) => sub(x, 'oneOf', i));
      const withBase = branches.map((b) => this.and(node, b, pointer, 'oneOf'));
      const keep = branches.map((_, i) => i).filter((i) => !isNothing(withBase[i]!));
      const live = keep.map((i) => withBase[i]!);
      let exact: Node | null = null;
      if (live.length <= 1 || this.disjoint(live)) node = union(live);
      else if ((exact = this.oneOfByType(live)) !== null) node = exact;
      else if ((exact = this.exactOneOf(live, keep.map((i) => branches[i]!), pointer)) !== null) node = exact;
      else if (this.postChecksOn) {
        node = { k: 'post', grammar: union(live), test: { kind: 'oneOf', items: live }, pointer, keyword: 'oneOf', reason: 'the branches overlap: the grammar allows any of them, the post-check exactly one' };
      } else {
        this.relax(pointer, 'oneOf', 'oneOf branches are not provably disjoint (only exact-one semantics that equal anyOf are supported)');
        node = union(live);
      }
    }
    if (s['not'] !== undefined) node = this.and(node, this.not(sub(s['not'], 'not'), pointer), pointer, 'not');
    // if/then/else = (if ∧ then) ∨ (¬if ∧ else), where the complement of `if` can be decided.
    if (s['if'] !== undefined && (s['then'] !== undefined || s['else'] !== undefined)) {
      const ifN = sub(s['if'], 'if');
      const thenN = s['then'] !== undefined ? sub(s['then'], 'then') : ANY;
      const elseN = s['else'] !== undefined ? sub(s['else'], 'else') : ANY;
      const notIf = this.not(ifN, pointer, 'if');
      node = this.and(node, union([this.and(ifN, thenN, pointer, 'then'), this.and(notIf, elseN, pointer, 'else')]), pointer, 'if');
    } else {
      for (const k of ['if', 'then', 'else']) if (s[k] !== undefined) sub(s[k], k); // no effect alone; checked for validity
    }
    // dependentSchemas (and draft-07 schema dependencies): absent key, or present key ∧ schema.
    const depSchemas: Array<[string, unknown, string]> = [];
    const ds = s['dependentSchemas'];
    if (ds !== undefined) {
      if (!isObj(ds)) throw new JsonSchemaError(pointer, 'dependentSchemas', 'must be an object of schemas');
      for (const [k, v] of Object.entries(ds)) depSchemas.push([k, v, 'dependentSchemas']);
    }
    const dd = s['dependencies'];
    if (isObj(dd)) for (const [k, v] of Object.entries(dd)) if (!Array.isArray(v)) depSchemas.push([k, v, 'dependencies']);
    for (const [k, v, kw] of depSchemas) {
      const dep = sub(v, kw, k);
      if (isAny(dep)) continue;
      const absent = anyTypes();
      absent.object!.props = [[k, NOTHING]];
      const present: TypesNode = { k: 'types', object: anyObject() };
      present.object!.required = [k];
      node = this.and(node, union([absent, this.and(present, dep, pointer, kw)]), pointer, kw);
    }
    const ue = s['unevaluatedProperties'];
    if (ue !== undefined && ue !== true && UNEVALUATED_APPLICATORS.some((k) => s[k] !== undefined)) {
      const ev = evaluatedProperties(loc, this.reader);
      if (ev === null) {
        this.relax(pointer, 'unevaluatedProperties', 'unevaluatedProperties next to anyOf/oneOf/if/dependentSchemas branches that declare properties of their own is not supported');
      } else if (!ev.all) {
        node = this.withUnevaluated(node, sub(ue, 'unevaluatedProperties'), ev, pointer);
      }
    }
    return node;
  }

  /** Reads schema values for evaluatedProperties (unevaluated.ts). */
  private readonly reader: SchemaReader = {
    resolveRef: (ref, from) => this.registry.resolve(ref, from, '$ref'),
    child: (value, from, ...tokens) => this.registry.locate(value, childLocation(value, from, tokens)),
  };

  /** unevaluatedProperties beside applicators (unevaluated.ts); refused when the node cannot be rewritten. */
  private withUnevaluated(n: Node, x: Node, ev: EvaluatedKeys, pointer: string): Node {
    try {
      return applyUnevaluated(n, x, ev, this, this.limits.maxNesting, ecmaRegExp);
    } catch (e) {
      if (e instanceof IntersectError) {
        this.relax(pointer, 'unevaluatedProperties', e.message);
        return n;
      }
      throw e;
    }
  }

  /**
   * oneOf decided one JSON type at a time: restricted to a type, the branches are pairwise disjoint
   * (they are a union there), or two of them accept every value of the type (then no value of it
   * matches exactly one). The common case is a union of objects told apart by a discriminator,
   * written without `type: object`: every non-object matches all branches, so none is allowed.
   */
  private oneOfByType(branches: Node[]): Node | null {
    return this.probe(() => {
      const parts: Node[] = [];
      for (const t of ONE_TYPE) {
        const only = t();
        const restricted = branches.map((b) => intersect(b, only, this)).filter((b) => !isNothing(b));
        if (restricted.length <= 1 || this.disjoint(restricted)) parts.push(...restricted);
        else if (restricted.filter((r) => acceptsWholeType(r, only)).length < 2) return null;
      }
      return union(parts);
    });
  }

  /**
   * oneOf as ∨ᵢ (Lᵢ ∧ ⋀_{j≠i} ¬Bⱼ), where Lᵢ is branch i within the rest of the schema (its base)
   * and Bⱼ the bare branch j, when the complements it needs can be decided (of at most
   * MAX_EXACT_ONE_OF branches: those that overlap another; a disjoint pair needs none). Within the base,
   * ¬Bⱼ and ¬Lⱼ agree, and the bare branch is often the decidable one: `oneOf: [{required: [a]},
   * {required: [b]}]` under an object with properties and additionalProperties (exactly one of the
   * keys). The complements of the based branches are tried when the bare ones cannot be decided.
   */
  private exactOneOf(live: Node[], bare: Node[], pointer: string): Node | null {
    // Lᵢ ∧ ¬Bⱼ is Lᵢ itself where Lᵢ and Lⱼ are disjoint: only overlapping pairs need a complement.
    const sigs = live.map((b) => this.signature(b));
    const overlap = live.map((a, i) => live.map((b, j) => i !== j && !this.pairDisjoint(a, sigs[i]!, b, sigs[j]!)));
    const needed = live.map((_, j) => overlap.some((row) => row[j])).reduce((n, x) => n + (x ? 1 : 0), 0);
    if (needed > MAX_EXACT_ONE_OF) return null;
    // Within Lᵢ only Lᵢ's JSON types matter: ¬Bⱼ is taken of Bⱼ restricted to them (a branch
    // `string | integer range` needs no integer complement against a string branch).
    const masks = sigs.map((sig) => (sig === null ? null : typesOnly(sig)));
    for (const comp of [bare, live]) {
      const exact = this.probe(() => {
        const nots = new Map<string, Node>();
        const notOf = (i: number, j: number): Node => {
          const key = `${j}|${[...(sigs[i] ?? ['*'])].sort().join(',')}`;
          let nb = nots.get(key);
          if (nb === undefined) {
            const mask = masks[i];
            nb = this.not(mask === null ? comp[j]! : intersect(comp[j]!, mask, this), pointer, 'oneOf', false);
            nots.set(key, nb);
          }
          return nb;
        };
        return union(live.map((b, i) => live.reduce<Node>((acc, _, j) => (overlap[i]![j] ? intersect(acc, notOf(i, j), this) : acc), b)));
      });
      if (exact !== null) return exact;
    }
    // Else Lᵢ ∖ Lⱼ decided within Lᵢ, for object branches (difference.ts): objects that allow only
    // their own keys need no complement of "no key outside these".
    return this.probe(() => {
      const terms: Node[] = [];
      for (let i = 0; i < live.length; i++) {
        let acc: Node | null = live[i]!;
        for (let j = 0; j < live.length && acc !== null; j++) {
          if (!overlap[i]![j]) continue;
          const other = this.objectOnly(live[j]!);
          if (other === null) return null;
          acc = objectDifference(acc, other, this, (n) => this.probe(() => this.not(n, pointer, 'oneOf', false)));
        }
        if (acc === null) return null;
        terms.push(acc);
      }
      return union(terms);
    });
  }

  /**
   * A construction that may fail: relax() throws ProbeFail while it runs, and an intersection may
   * be refused; either way the result is null instead of an error.
   */
  private probe<T>(build: () => T | null): T | null {
    this.probing++;
    try {
      return build();
    } catch (e) {
      if (e instanceof ProbeFail || e instanceof IntersectError) return null;
      throw e;
    } finally {
      this.probing--;
    }
  }

  private ref(ref: string, loc: SchemaLocation): Node {
    const target = this.registry.resolve(ref, loc, '$ref');
    return { k: 'ref', key: this.refTo(target) };
  }

  // ---- not --------------------------------------------------------------------------------

  /**
   * The complement of a node where it can be decided; otherwise, with post-checks on (and
   * `allowPost`), a post-checked "anything but n"; otherwise a relaxation/error.
   */
  private not(n: Node, pointer: string, keyword = 'not', allowPost = this.postChecksOn): Node {
    if (allowPost) {
      const exact = this.probe(() => this.not(n, pointer, keyword, false));
      if (exact !== null) return exact;
      return { k: 'post', grammar: ANY, test: { kind: 'not', item: n }, pointer, keyword, reason: 'no grammar rule holds this complement: the grammar allows every value here, the post-check refuses those the subschema matches' };
    }
    // Complements recurse into property schemas, and through $ref into recursive definitions.
    if (this.notDepth >= this.limits.maxNesting) {
      this.relax(pointer, keyword, `not of a schema nested deeper than limits.maxNesting (${this.limits.maxNesting}), e.g. a recursive one, is not supported`);
      return ANY;
    }
    this.notDepth++;
    try {
      return this.notAt(n, pointer, keyword);
    } finally {
      this.notDepth--;
    }
  }

  private notAt(n: Node, pointer: string, keyword: string): Node {
    if (n.k === 'ref') {
      try {
        n = this.inline(n.key);
      } catch (e) {
        if (e instanceof IntersectError) {
          this.relax(pointer, keyword, e.message);
          return ANY;
        }
        throw e;
      }
    }
    if (isAny(n)) return NOTHING;
    if (isNothing(n)) return ANY;
    if (n.k === 'union') {
      let acc: Node = ANY;
      for (const it of n.items) acc = this.and(acc, this.not(it, pointer, keyword), pointer, keyword);
      return acc;
    }
    if (n.k === 'values') {
      // Complement of values: every type stays; strings lose the listed strings; other types are
      // decidable only for null and booleans.
      const out: TypesNode = { k: 'types', null: true, boolean: true, number: anyNumber(false), string: anyString(), array: anyArray(), object: anyObject() };
      const strings: string[] = [];
      const others: unknown[] = [];
      for (const v of n.values) (typeof v === 'string' ? strings : others).push(v);
      if (others.some((v) => v === null)) delete out.null;
      const bools = others.filter((v) => typeof v === 'boolean');
      // A type node allows both booleans or neither: the one boolean left is a value of its own.
      let otherBoolean: Node | null = null;
      if (bools.length > 0) {
        delete out.boolean;
        if (!(bools.includes(true) && bools.includes(false))) otherBoolean = { k: 'values', values: [!bools[0]] };
      }
      const numbers = others.filter((v): v is number => typeof v === 'number');
      if (numbers.length > 0) out.number = { integer: false, multipleOf: [], excluded: numbers };
      if (others.some((v) => v !== null && typeof v !== 'boolean' && typeof v !== 'number')) {
        this.relax(pointer, keyword, 'not of array or object values is not supported');
        return ANY;
      }
      if (strings.length > 0) {
        const set = new Set(strings);
        const re: Regex = { kind: 'not', item: { kind: 'alt', items: strings.map((x) => literalRegex(x)) } };
        out.string = { minLength: 0, maxLength: Infinity, checks: [{ regex: { kind: 'and', items: [re, ANY_CHARS] }, test: (x) => !set.has(x), what: 'not enum' }] };
      }
      return otherBoolean === null ? out : union([out, otherBoolean]);
    }
    if (n.k !== 'types') {
      this.relax(pointer, keyword, 'not of a nested reference is not supported');
      return ANY;
    }
    // types: a type that is allowed unconstrained is excluded; a type not allowed is fully allowed;
    // a constrained type is complemented only for strings made of regex checks.
    const out: TypesNode = { k: 'types' };
    const numberParts: NumberC[] = [];
    const extraParts: Node[] = [];
    if (!n.null) out.null = true;
    if (!n.boolean) out.boolean = true;
    if (!n.number) out.number = anyNumber(false);
    else if (n.number.excluded?.length) {
      // not (a number other than these): these numbers, when nothing else constrains it.
      if (n.number.integer || n.number.min || n.number.max || n.number.multipleOf.length > 0) {
        this.relax(pointer, keyword, 'not of a number range with excluded values is not supported');
        return ANY;
      }
      extraParts.push({ k: 'values', values: n.number.excluded });
    } else if (n.number.integer && !n.number.min && !n.number.max && n.number.multipleOf.length === 0) {
      this.relax(pointer, keyword, 'not of integer (non-integer numbers only) is not supported');
      return ANY;
    } else if (n.number.integer || n.number.multipleOf.length > 0) {
      this.relax(pointer, keyword, 'not of integer ranges or multipleOf is not supported');
      return ANY;
    } else if (n.number.min || n.number.max) {
      // Complement of a number range: below its minimum or above its maximum.
      if (n.number.min) numberParts.push({ integer: false, multipleOf: [], max: { value: n.number.min.value, exclusive: !n.number.min.exclusive } });
      if (n.number.max) numberParts.push({ integer: false, multipleOf: [], min: { value: n.number.max.value, exclusive: !n.number.max.exclusive } });
    }
    if (!n.string) out.string = anyString();
    else if (n.string.checks.length > 0 || n.string.minLength > 0 || n.string.maxLength < Infinity) {
      const c = n.string;
      const lenRe: Regex = { kind: 'repeat', item: ANY_CHAR, min: c.minLength, max: c.maxLength };
      const inner: Regex = { kind: 'and', items: [lenRe, ...c.checks.map((x) => x.regex)] };
      out.string = { minLength: 0, maxLength: Infinity, checks: [{ regex: { kind: 'and', items: [{ kind: 'not', item: inner }, ANY_CHARS] }, test: (x) => !stringAllows(c, x), what: 'not string' }] };
    }
    for (const k of ['array', 'object'] as const) {
      const part = n[k];
      if (!part) {
        if (k === 'array') out.array = anyArray();
        else out.object = anyObject();
      } else if (k === 'object' && isUnconstrainedObjectPart({ ...(part as ObjectC), required: [], props: [], minProps: 0, maxProps: Infinity })) {
        // not { required: [a], properties: { b: B }, minProperties: m, maxProperties: M }: an object
        // missing a, or with b present and its value in ¬B (declared properties only constrain the
        // keys that are present), or with fewer than m or more than M members.
        const o0 = part as ObjectC;
        if (o0.minProps > 0) extraParts.push({ k: 'types', object: { ...anyObject(), maxProps: o0.minProps - 1 } });
        if (o0.maxProps < Infinity) extraParts.push({ k: 'types', object: { ...anyObject(), minProps: o0.maxProps + 1 } });
        for (const r of o0.required) {
          const o = anyObject();
          o.props = [[r, NOTHING]];
          extraParts.push({ k: 'types', object: o });
        }
        for (const [name, sub] of o0.props) {
          const notSub = this.not(sub, pointer, keyword);
          if (isNothing(notSub)) continue;
          const o = anyObject();
          o.required = [name];
          o.props = [[name, notSub]];
          extraParts.push({ k: 'types', object: o });
        }
      } else if (!(k === 'array' ? isUnconstrainedArrayPart(part as TypesNode['array']) : isUnconstrainedObjectPart(part as ObjectC))) {
        this.relax(pointer, keyword, `not of a constrained ${k} is not supported`);
        return ANY;
      }
    }
    const parts: Node[] = [...numberParts.map((c): Node => ({ k: 'types', number: c })), ...extraParts];
    if (parts.length > 0) return union([out, ...parts]);
    return out;
  }

  /** oneOf branches provably never both match: disjoint types, or distinct values. */
  private disjoint(branches: Node[]): boolean {
    const sigs = branches.map((b) => this.signature(b));
    for (let i = 0; i < sigs.length; i++) {
      for (let j = i + 1; j < sigs.length; j++) {
        if (!this.pairDisjoint(branches[i]!, sigs[i]!, branches[j]!, sigs[j]!)) return false;
      }
    }
    return true;
  }

  private signature(n: Node): Set<string> | null {
    // A post-checked node allows a subset of its grammar: the grammar's types bound it.
    if (n.k === 'post') return this.signature(n.grammar);
    if (n.k === 'ref') {
      const e = this.defs.get(n.key);
      if (!e || e.busy) return null;
      return this.signature(this.refNode(n.key));
    }
    if (n.k === 'values') return new Set(n.values.map(typeOfValue));
    if (n.k === 'union') {
      const out = new Set<string>();
      for (const it of n.items) {
        const s = this.signature(it);
        if (s === null) return null;
        for (const x of s) out.add(x);
      }
      return out;
    }
    const out = new Set<string>();
    if (n.null) out.add('null');
    if (n.boolean) out.add('boolean');
    if (n.number) out.add('number');
    if (n.string) out.add('string');
    if (n.array) out.add('array');
    if (n.object) out.add('object');
    return out;
  }

  private pairDisjoint(a: Node, sa: Set<string> | null, b: Node, sb: Set<string> | null): boolean {
    if (sa !== null && sb !== null && ![...sa].some((x) => sb.has(x))) return true;
    const va = this.values(a);
    const vb = this.values(b);
    if (va !== null && vb !== null) return !va.some((x) => vb.some((y) => jsonEqual(x, y)));
    if (va !== null) return va.every((x) => !validate(b, x, this.resolve));
    if (vb !== null) return vb.every((x) => !validate(a, x, this.resolve));
    // Objects discriminated by a required property whose values are disjoint constants.
    const oa = this.objectOnly(a);
    const ob = this.objectOnly(b);
    if (oa && ob) {
      for (const [k, na] of oa.props) {
        if (!oa.required.includes(k) || !ob.required.includes(k)) continue;
        const nb = ob.props.find(([x]) => x === k)?.[1];
        if (!nb) continue;
        const xa = this.values(na);
        const xb = this.values(nb);
        if (xa && xb && !xa.some((x) => xb.some((y) => jsonEqual(x, y)))) return true;
      }
      // Or by a key one requires and the other cannot hold (additionalProperties: false).
      if (oa.required.some((k) => !keyAllowed(ob, k)) || ob.required.some((k) => !keyAllowed(oa, k))) return true;
    }
    // Otherwise: their intersection, proved empty (a discriminator nested deeper, bounds, lengths).
    return provablyDisjoint(a, b, this);
  }

  private values(n: Node): unknown[] | null {
    if (n.k === 'values') return n.values;
    if (n.k === 'ref') {
      const e = this.defs.get(n.key);
      if (!e || e.busy) return null;
      return this.values(this.refNode(n.key));
    }
    return null;
  }

  private objectOnly(n: Node): ObjectC | null {
    if (n.k === 'post') return this.objectOnly(n.grammar);
    if (n.k === 'ref') {
      const e = this.defs.get(n.key);
      if (!e || e.busy) return null;
      return this.objectOnly(this.refNode(n.key));
    }
    if (n.k !== 'types' || !n.object || n.null || n.boolean || n.number || n.string || n.array) return null;
    return n.object;
  }

  // ---- strings ----------------------------------------------------------------------------

  /** String keywords on a schema that allows no strings: their values are still checked. */
  private checkStringKeywords(s: Obj, pointer: string): void {
    for (const k of ['minLength', 'maxLength']) if (s[k] !== undefined && !isNonNegInt(s[k])) throw new JsonSchemaError(pointer, k, 'must be a non-negative integer');
    for (const k of ['pattern', 'format']) if (s[k] !== undefined && typeof s[k] !== 'string') throw new JsonSchemaError(pointer, k, 'must be a string');
  }

  private stringKeywords(s: Obj, pointer: string, c: StringC): void {
    if (s['minLength'] !== undefined) {
      if (!isNonNegInt(s['minLength'])) throw new JsonSchemaError(pointer, 'minLength', 'must be a non-negative integer');
      c.minLength = s['minLength'];
    }
    if (s['maxLength'] !== undefined) {
      if (!isNonNegInt(s['maxLength'])) throw new JsonSchemaError(pointer, 'maxLength', 'must be a non-negative integer');
      c.maxLength = s['maxLength'];
    }
    const p = s['pattern'];
    if (p !== undefined) {
      if (typeof p !== 'string') throw new JsonSchemaError(pointer, 'pattern', 'must be a string');
      const js = ecmaRegExp(p);
      if (js === null) throw new JsonSchemaError(pointer, 'pattern', `invalid ECMA-262 regex /${p}/`);
      try {
        const regex = patternRegex(p, this.limits);
        c.checks.push({ regex, test: (x) => js.test(x), what: `pattern /${p}/` });
      } catch (e) {
        if (!(e instanceof EngineError && e.code === 'REGEX')) throw e;
        // A lookaround or backreference no regex here holds: any string for the grammar, the
        // pattern itself (JavaScript's RegExp) for the post-check.
        if (this.postChecksOn) c.checks.push({ regex: ANY_CHARS, test: (x) => js.test(x), what: `pattern /${p}/`, post: { pointer, keyword: 'pattern', reason: `${e.message}: checked on the complete document` } });
        else this.relax(pointer, 'pattern', e.message);
      }
    }
    const f = s['format'];
    if (f !== undefined) {
      if (typeof f !== 'string') throw new JsonSchemaError(pointer, 'format', 'must be a string');
      const def = FORMATS[f];
      if (def === undefined && this.ignoreUnknown && !STANDARD_FORMATS.has(f)) this.ignore(pointer, 'format', `format ${JSON.stringify(f)} is defined by no JSON Schema draft: an annotation`);
      else if (f === 'regex' && this.postChecksOn) {
        // A regex's syntax nests parentheses: no regex holds it. Any string for the grammar;
        // JavaScript's own RegExp (the `u` syntax ECMA-262 means) for the post-check.
        c.checks.push({ regex: ANY_CHARS, test: isEcmaRegex, what: 'format regex', post: { pointer, keyword: 'format', reason: 'format "regex" (ECMA-262 syntax nests parentheses, which no regex holds): checked on the complete document' } });
      }
      else if (def === undefined) this.relax(pointer, 'format', `format ${JSON.stringify(f)} is not supported (supported: ${Object.keys(FORMATS).join(', ')})`);
      else {
        const regex = formatRegex(f, def, this.limits);
        c.checks.push({ regex, test: (x) => formatTest(f, x), what: `format ${f}` });
      }
    }
  }

  // ---- numbers ----------------------------------------------------------------------------

  private checkNumberKeywords(s: Obj, pointer: string): void {
    this.numberKeywords(s, pointer, anyNumber(false));
  }

  private numberKeywords(s: Obj, pointer: string, c: NumberC): void {
    const num = (k: string): number | undefined => {
      const v = s[k];
      if (v === undefined) return undefined;
      if (typeof v !== 'number' || !Number.isFinite(v)) throw new JsonSchemaError(pointer, k, 'must be a number');
      return v;
    };
    const bool = (k: string): boolean => {
      const v = s[k];
      if (v === undefined) return false;
      if (typeof v !== 'boolean') throw new JsonSchemaError(pointer, k, 'must be a boolean (draft-04 form, next to minimum/maximum)');
      return v;
    };
    const tighten = (which: 'min' | 'max', value: number, exclusive: boolean) => {
      const cur = c[which];
      const better = !cur || (which === 'min' ? value > cur.value : value < cur.value) || (value === cur.value && exclusive);
      if (better) c[which] = { value, exclusive };
    };
    const minimum = num('minimum');
    const maximum = num('maximum');
    if (typeof s['exclusiveMinimum'] === 'boolean' || typeof s['exclusiveMaximum'] === 'boolean') {
      const exMin = bool('exclusiveMinimum');
      const exMax = bool('exclusiveMaximum');
      if (minimum !== undefined) tighten('min', minimum, exMin);
      if (maximum !== undefined) tighten('max', maximum, exMax);
      if (typeof s['exclusiveMinimum'] === 'number') tighten('min', s['exclusiveMinimum'], true);
      if (typeof s['exclusiveMaximum'] === 'number') tighten('max', s['exclusiveMaximum'], true);
    } else {
      if (minimum !== undefined) tighten('min', minimum, false);
      if (maximum !== undefined) tighten('max', maximum, false);
      const emin = num('exclusiveMinimum');
      const emax = num('exclusiveMaximum');
      if (emin !== undefined) tighten('min', emin, true);
      if (emax !== undefined) tighten('max', emax, true);
    }
    const m = num('multipleOf');
    if (m !== undefined) {
      if (!(m > 0)) throw new JsonSchemaError(pointer, 'multipleOf', 'must be greater than 0');
      c.multipleOf.push(m);
      c.where ??= pointer;
    }
  }

  // ---- arrays -----------------------------------------------------------------------------

  private arrayKeywords(s: Obj, pointer: string, t: TypesNode, sub: (v: unknown, ...tok: Array<string | number>) => Node): void {
    const a = t.array!;
    const items = s['items'];
    const prefixItems = s['prefixItems'];
    if (prefixItems !== undefined) {
      if (!Array.isArray(prefixItems)) throw new JsonSchemaError(pointer, 'prefixItems', 'must be an array of schemas');
      a.prefix = prefixItems.map((x, i) => sub(x, 'prefixItems', i));
    }
    if (Array.isArray(items)) {
      // Drafts before 2020-12: `items: [...]` is prefixItems, and `additionalItems` the rest.
      a.prefix = items.map((x, i) => sub(x, 'items', i));
      if (s['additionalItems'] !== undefined) a.items = sub(s['additionalItems'], 'additionalItems');
    } else if (items !== undefined) {
      a.items = sub(items, 'items');
    } else if (s['additionalItems'] !== undefined) {
      // additionalItems without an items array has no effect (validate its form only).
      sub(s['additionalItems'], 'additionalItems');
    }
    const ue = s['unevaluatedItems'];
    if (ue !== undefined && ue !== true) {
      const applicators = ['allOf', 'anyOf', 'oneOf', '$ref', 'not', 'if', 'contains', 'dependentSchemas', '$dynamicRef'].some((k) => s[k] !== undefined);
      if (applicators) this.relax(pointer, 'unevaluatedItems', 'unevaluatedItems next to applicators is not supported');
      else if (items === undefined || Array.isArray(items)) {
        const n = sub(ue, 'unevaluatedItems');
        if (!(Array.isArray(items) && s['additionalItems'] !== undefined)) a.items = n;
      }
    }
    const count = (k: 'minItems' | 'maxItems') => {
      const v = s[k];
      if (v === undefined) return undefined;
      if (!isNonNegInt(v)) throw new JsonSchemaError(pointer, k, 'must be a non-negative integer');
      return v;
    };
    a.minItems = count('minItems') ?? 0;
    a.maxItems = count('maxItems') ?? Infinity;
    const u = s['uniqueItems'];
    if (u !== undefined) {
      if (typeof u !== 'boolean') throw new JsonSchemaError(pointer, 'uniqueItems', 'must be a boolean');
      // With at most one item every array is unique; otherwise the emitter writes it into the
      // grammar for a short list of scalar values, or leaves it to a post-check (emit.ts).
      if (u && a.maxItems > 1) {
        a.unique = true;
        a.where = pointer;
      }
    }
    for (const k of ['minContains', 'maxContains']) {
      if (s[k] !== undefined && !isNonNegInt(s[k])) throw new JsonSchemaError(pointer, k, 'must be a non-negative integer');
    }
    if (s['contains'] !== undefined) {
      const cn = sub(s['contains'], 'contains');
      const min = (s['minContains'] as number | undefined) ?? 1;
      const max = s['maxContains'] as number | undefined;
      if (max !== undefined && max < min) a.maxItems = -1; // nothing matches
      else if (max !== undefined && !(max >= a.maxItems)) this.relax(pointer, 'maxContains', 'maxContains is not supported (only when maxItems ≤ maxContains)');
      if (min > 0) {
        if (a.prefix.length > 0) this.relax(pointer, 'contains', 'contains next to prefixItems is not supported');
        else if (a.maxItems !== Infinity) this.relax(pointer, 'contains', 'contains next to maxItems is not supported');
        else a.contains = { node: cn, min };
      }
    }
  }

  // ---- objects ----------------------------------------------------------------------------

  private objectKeywords(s: Obj, pointer: string, o: ObjectC, sub: (v: unknown, ...tok: Array<string | number>) => Node, _depth: number): void {
    o.where = pointer;
    const props = s['properties'];
    const declared: Array<[string, Node]> = [];
    if (props !== undefined) {
      if (!isObj(props)) throw new JsonSchemaError(pointer, 'properties', 'must be an object of schemas');
      for (const [k, v] of Object.entries(props)) declared.push([k, sub(v, 'properties', k)]);
    }
    const pp = s['patternProperties'];
    if (pp !== undefined) {
      if (!isObj(pp)) throw new JsonSchemaError(pointer, 'patternProperties', 'must be an object of schemas');
      for (const [src, v] of Object.entries(pp)) {
        const js = ecmaRegExp(src);
        if (js === null) throw new JsonSchemaError(childPointer(pointer, 'patternProperties'), src, `invalid ECMA-262 regex /${src}/`);
        const node = sub(v, 'patternProperties', src);
        try {
          const regex = patternRegex(src, this.limits);
          o.patternProps.push({ source: src, regex, test: (x) => js.test(x), node });
        } catch (e) {
          if (e instanceof EngineError && e.code === 'REGEX') this.relax(pointer, 'patternProperties', e.message);
          else throw e;
        }
      }
    }
    if (s['additionalProperties'] !== undefined) o.additional = sub(s['additionalProperties'], 'additionalProperties');
    const ue = s['unevaluatedProperties'];
    if (ue !== undefined && ue !== true) {
      const applicators = ['allOf', 'anyOf', 'oneOf', '$ref', 'not', 'if', 'dependentSchemas', '$dynamicRef'].some((k) => s[k] !== undefined);
      // Next to applicators it is applied to the combined node (schema(), withUnevaluated).
      if (!applicators && s['additionalProperties'] === undefined) o.additional = sub(ue, 'unevaluatedProperties');
    }
    // Declared properties also obey matching patternProperties.
    o.props = declared.map(([k, n]) => {
      let node = n;
      for (const p of o.patternProps) if (p.test(k)) node = this.and(node, p.node, pointer, 'patternProperties');
      return [k, node] as [string, Node];
    });
    const req = s['required'];
    if (req !== undefined) {
      if (!Array.isArray(req) || req.some((x) => typeof x !== 'string')) throw new JsonSchemaError(pointer, 'required', 'must be an array of strings');
      o.required = [...new Set(req as string[])];
    }
    const count = (k: 'minProperties' | 'maxProperties') => {
      const v = s[k];
      if (v === undefined) return undefined;
      if (!isNonNegInt(v)) throw new JsonSchemaError(pointer, k, 'must be a non-negative integer');
      return v;
    };
    o.minProps = count('minProperties') ?? 0;
    o.maxProps = count('maxProperties') ?? Infinity;
    const deps: Array<[string, string[]]> = [];
    const dr = s['dependentRequired'];
    if (dr !== undefined) {
      if (!isObj(dr)) throw new JsonSchemaError(pointer, 'dependentRequired', 'must be an object of string arrays');
      for (const [k, v] of Object.entries(dr)) {
        if (!Array.isArray(v) || v.some((x) => typeof x !== 'string')) throw new JsonSchemaError(childPointer(pointer, 'dependentRequired'), k, 'must be an array of strings');
        deps.push([k, v as string[]]);
      }
    }
    const dd = s['dependencies'];
    if (dd !== undefined) {
      if (!isObj(dd)) throw new JsonSchemaError(pointer, 'dependencies', 'must be an object');
      for (const [k, v] of Object.entries(dd)) {
        if (Array.isArray(v)) {
          if (v.some((x) => typeof x !== 'string')) throw new JsonSchemaError(childPointer(pointer, 'dependencies'), k, 'must be an array of strings or a schema');
          deps.push([k, v as string[]]);
        } // schema dependencies are applied with dependentSchemas
      }
    }
    o.dependentRequired = deps.filter(([, v]) => v.length > 0);
    const pn = s['propertyNames'];
    if (pn !== undefined) {
      const n = sub(pn, 'propertyNames');
      const kc = this.keyConstraint(n, pointer);
      if (kc !== undefined) o.keyCheck = kc;
    }
  }

  /** propertyNames as a constraint on key strings. */
  private keyConstraint(n: Node, pointer: string): StringC | undefined {
    if (n.k === 'ref') {
      try {
        n = this.inline(n.key);
      } catch (e) {
        if (e instanceof IntersectError) {
          this.relax(pointer, 'propertyNames', e.message);
          return undefined;
        }
        throw e;
      }
    }
    if (isAny(n)) return undefined;
    if (n.k === 'types') {
      if (!n.string) return { minLength: 0, maxLength: -1, checks: [] };
      return n.string;
    }
    if (n.k === 'values') {
      const strings = n.values.filter((v): v is string => typeof v === 'string');
      const set = new Set(strings);
      return { minLength: 0, maxLength: Infinity, checks: [{ regex: strings.length === 0 ? { kind: 'never' } : { kind: 'alt', items: strings.map(literalRegex) }, test: (x) => set.has(x), what: 'propertyNames enum' }] };
    }
    this.relax(pointer, 'propertyNames', 'propertyNames with anyOf/oneOf is not supported');
    return undefined;
  }
}

function literalRegex(s: string): Regex {
  const items: Regex[] = [];
  for (const ch of s) items.push({ kind: 'chars', ranges: [[ch.codePointAt(0)!, ch.codePointAt(0)!]] });
  return items.length === 0 ? { kind: 'empty' } : items.length === 1 ? items[0]! : { kind: 'concat', items };
}

function typeOfValue(v: unknown): string {
  if (v === null) return 'null';
  if (Array.isArray(v)) return 'array';
  return typeof v;
}

function stringAllows(c: StringC, x: string): boolean {
  const n = [...x].length;
  return n >= c.minLength && n <= c.maxLength && c.checks.every((k) => k.test(x));
}

function isUnconstrainedArrayPart(a: TypesNode['array']): boolean {
  return a !== undefined && a.prefix.length === 0 && isAny(a.items) && a.minItems === 0 && a.maxItems === Infinity && a.contains === undefined && a.unique !== true;
}

function isUnconstrainedObjectPart(o: ObjectC): boolean {
  return o.props.length === 0 && o.required.length === 0 && o.patternProps.length === 0 && isAny(o.additional) && o.minProps === 0 && o.maxProps === Infinity && o.dependentRequired.length === 0 && o.keyCheck === undefined;
}

/** One regex object per format (and size limit), so the lexemes built on it are shared too. */
const formatRegexes = new Map<string, Regex>();

function formatRegex(name: string, def: FormatDef, limits: Limits): Regex {
  const key = `${limits.maxRegexSize}\u0000${name}`;
  let regex = formatRegexes.get(key);
  if (regex === undefined) {
    const body = parseRegexCached(def.pattern, { flavor: 'ecma', limits });
    regex = def.maxLength === undefined ? body : { kind: 'and', items: [body, { kind: 'repeat', item: ANY_CHAR, min: 0, max: def.maxLength }] };
    formatRegexes.set(key, regex);
  }
  return regex;
}

/** Whether a string is an ECMA-262 regular expression (with the `u` flag, as JSON Schema reads them). */
function isEcmaRegex(x: string): boolean {
  try {
    new RegExp(x, 'u');
    return true;
  } catch {
    return false;
  }
}

/** Whether an object schema lets key `k` be present at all (declared, matched by a pattern, or additional). */
function keyAllowed(o: ObjectC, k: string): boolean {
  const declared = o.props.find(([x]) => x === k);
  if (declared) return !isNothing(declared[1]);
  if (o.patternProps.some((p) => p.test(k))) return true;
  return !isNothing(o.additional);
}

/** Every value of the JSON types named (as `signature` names them), unconstrained. */
function typesOnly(sig: Set<string>): TypesNode {
  const t: TypesNode = { k: 'types' };
  if (sig.has('null')) t.null = true;
  if (sig.has('boolean')) t.boolean = true;
  if (sig.has('number')) t.number = anyNumber(false);
  if (sig.has('string')) t.string = anyString();
  if (sig.has('array')) t.array = anyArray();
  if (sig.has('object')) t.object = anyObject();
  return t;
}

/** One JSON type each, unconstrained (integers are numbers). */
const ONE_TYPE: Array<() => TypesNode> = [
  () => ({ k: 'types', null: true }),
  () => ({ k: 'types', boolean: true }),
  () => ({ k: 'types', number: anyNumber(false) }),
  () => ({ k: 'types', string: anyString() }),
  () => ({ k: 'types', array: anyArray() }),
  () => ({ k: 'types', object: anyObject() }),
];

/** Whether `n` (restricted to the one type of `only`) accepts every value of that type. */
function acceptsWholeType(n: Node, only: TypesNode): boolean {
  if (n.k !== 'types') return false;
  if (only.null) return n.null === true;
  if (only.boolean) return n.boolean === true;
  if (only.number) return n.number !== undefined && isUnconstrainedNumber(n.number);
  if (only.string) return n.string !== undefined && isUnconstrainedString(n.string);
  if (only.array) return n.array !== undefined && isUnconstrainedArray(n.array);
  return n.object !== undefined && isUnconstrainedObject(n.object);
}
