/**
 * Braid: a set of constraints, for one generation target, compiled into a ConstraintIR
 * (docs/braid.md). Steps: keep what applies to the target's language; classify hard and soft
 * (policy.ts); resolve conflicts (conflicts.ts); write the hard rules that a grammar can carry onto
 * the program grammar (emit.ts, through a template per kind of request: emit-template.ts);
 * everything else becomes a post-generation check or advice. Every input constraint ends with
 * exactly one enforcement entry. With a memo (CompileMemo, kept by Braid) the work that a request
 * shares with earlier ones is taken from them: docs/braid.md, "Caches and incremental compiles".
 */
import {
  AnankeError, domainOf, IR_VERSION, type Constraint, type ConstraintIR, type Enforcement, type EnforcementMode,
  type IdentifierKind, type Language, type PostCheck, type SoftBias, type Target,
} from '../core/index.ts';
import { compileJsonSchema, isProgramLanguage, parseLark, printLark, type Grammar, type ProgramLanguage } from '../engine/index.ts';
import { typedExpressionGrammar, type TypedBinding, type TypedDeclaration, type TypedExpressionResult, type TypedFunction } from './types/index.ts';
import { resolveConflicts, type ConflictMemo, type Grouping } from './conflicts.ts';
import type { EmitRequest, EmittedGrammar, NamingRestriction } from './emit.ts';
import { emitWithTemplate } from './emit-template.ts';
import { namingRegex } from './naming-regex.ts';
import { hardnessReasons, isHard, type HardnessOptions } from './policy.ts';
import { softBiasPlan } from './soft-bias.ts';

/** A target resolved against the files (the CLI does this with Clew: src/eval/target-context.ts). */
export interface TargetContext {
  target: Target;
  language: Language | 'json';
  /** function/body targets: what the function is. */
  fn?: { name: string; async: boolean; kind: 'function' | 'method' };
  /** function and new targets: the declaration head, forced as written. */
  head?: string;
  /** fim targets: the fixed text before and after the range. */
  prefix?: string;
  suffix?: string;
  /** json targets: the schema. */
  schema?: unknown;
  /** Python function/body/new targets: the function's indentation in its file; module targets with a context: the codebase's step (ConstraintIR.indent). */
  indent?: { base: string; unit: string };
  /** fim targets at a typed expression position (Clew's typedPositionAt): what is in scope there. */
  typed?: { expected: string; bindings: TypedBinding[]; functions?: TypedFunction[]; types?: TypedDeclaration[]; async?: boolean; where: string };
}

export interface BraidOptions extends HardnessOptions {
  /**
   * Emission results by the canonical key of their request (braid.ts): a change to a constraint
   * that does not change what the grammar carries reuses the grammar.
   */
  emitMemo?: (req: EmitRequest, make: () => EmittedGrammar) => EmittedGrammar;
  /** What a caller compiling many similar requests (Braid) keeps between compiles. */
  memo?: CompileMemo;
}

/**
 * Kept between compiles by Braid, read and filled by compileConstraints: the conflict decisions by
 * group (conflicts.ts, ConflictMemo), and per input constraint what was made for it before, so an
 * unchanged constraint costs a look instead of its conflict checks, its entry and its reason text.
 */
export interface CompileMemo {
  /** One per input constraint, in input order (Braid keeps one per constraint object). */
  constraints: readonly ConstraintMemo[];
  decisions: ConflictMemo['store'];
  /**
   * The last compile for the same target and options (Braid keeps one per target), read and
   * replaced by each compile: a request with the same ids in the same order, where the changed
   * constraints apply as before, takes over what did not change (where each id is, what applies,
   * the conflict groups) instead of going over every constraint again.
   */
  session?: { last?: CompileSnapshot; takenOver?: number };
}

/** What a compile leaves for the next one of its session (CompileMemo.session). */
export interface CompileSnapshot {
  readonly input: readonly Constraint[];
  readonly indexOf: ReadonlyMap<string, number>;
  /** Per input constraint, its position among the applicable ones, or -1. */
  readonly applicableAt: Int32Array;
  readonly applicable: readonly Constraint[];
  readonly applicableKeys: readonly string[];
  /** The entries of the constraints that do not apply, by position (frozen: shared with the IRs). */
  readonly notApplicable: ReadonlyMap<number, Enforcement>;
  readonly grouping: Grouping | undefined;
}

export interface ConstraintMemo {
  /** A name for the constraint's content: its key in the conflict decisions' keys. */
  readonly short: string;
  /** Its entry (and soft biases) when it was kept and soft, made under these hardness thresholds and language. */
  soft?: { thresholds: string; entry: Enforcement; biases: readonly SoftBias[] };
  /** Its entry when it lost a conflict, made from this decision (the memo replays the same object). */
  lost?: { decision: object; entry: Enforcement };
}

export type { EmittedGrammar } from './emit.ts';

export interface BraidResult {
  ir: ConstraintIR;
  /** The grammar in the engine's IR (what `ir.grammar` prints), for callers that compile it next. */
  grammar: Grammar;
}

/** The last segment names of a call pattern's callee regex, when it is a plain finite list (`((a|b)\.)?eval` → eval). */
export function calleeNames(callee: string): string[] | undefined {
  const s = callee.replace(/^\((?:[^()]|\([^()]*\))*\\\.\)[?*]/, '');
  const m = /^\(?([A-Za-z_$][\w$]*(?:\|[A-Za-z_$][\w$]*)*)\)?$/.exec(s);
  return m ? m[1]!.split('|') : undefined;
}

/** Whether a function body of the language can hold import statements (Python's import, Rust's use). */
function importsInBodies(lang: Language | 'json'): boolean {
  return lang === 'python' || lang === 'rust';
}

/** The plain names a forbidden_pattern rule spells in a language, and whether they are all of it. */
function patternNames(r: Extract<Constraint['rule'], { type: 'forbidden_pattern' }>, lang: Language | 'json'): { names: string[]; all: boolean } {
  const names: string[] = [];
  let all = true;
  for (const p of r.patterns) {
    if (!p.languages.includes(lang as Language)) continue;
    const pat = p.pattern;
    const ns = pat.match === 'call' && !pat.argument && pat.keyword === undefined && pat.unless === undefined ? calleeNames(pat.callee)
      : pat.match === 'identifier' && /^[A-Za-z_$][\w$]*(\|[A-Za-z_$][\w$]*)*$/.test(pat.name) ? pat.name.split('|') : undefined;
    if (ns) names.push(...ns); else all = false;
  }
  return { names, all };
}

/** The names a forbidden identifier, call or pattern rule excludes, as the grammar would (else undefined). */
function bannedNames(c: Constraint, lang: Language | 'json'): string[] | undefined {
  const r = c.rule;
  if (r.type === 'forbidden_identifiers') return r.names;
  if (r.type === 'forbidden_calls') return r.calls.filter((x) => /^[A-Za-z_$][\w$]*$/.test(x));
  if (r.type === 'forbidden_pattern') return patternNames(r, lang).names;
  return undefined;
}

function appliesTo(c: Constraint, lang: Language | 'json'): boolean {
  const r = c.rule;
  // A property read, not `'language' in r`: rules come in many shapes, and `in` on them is slow.
  const ruleLang = (r as { language?: Language }).language;
  if (ruleLang !== undefined && ruleLang !== lang && !(lang === 'javascript' && ruleLang === 'typescript')) return false;
  if (r.type === 'forbidden_pattern') return r.patterns.some((p) => p.languages.includes(lang as Language));
  return true;
}

export function compileConstraints(input: readonly Constraint[], ctx: TargetContext, opts: BraidOptions = {}): BraidResult {
  const lang = ctx.language;
  // Each input constraint's enforcement, by its position (the IR lists them in input order).
  const enforcement = new Array<Enforcement | undefined>(input.length);
  const set = (c: Constraint, mode: EnforcementMode, hard: boolean, reason: string, extra?: { by: string } | { grammarSymbols: string[] }): void => {
    enforcement[indexOf.get(c.id)!] = extra === undefined ? { id: c.id, mode, domain: domainOf(c.rule), hard, reason } : { id: c.id, mode, domain: domainOf(c.rule), hard, reason, ...extra };
  };

  // 1. Ids are unique; what applies to this target's language.
  const memos = opts.memo?.constraints;
  if (memos && memos.length !== input.length) throw new Error('compileConstraints: memo.constraints must have one record per constraint');
  const session = opts.memo?.session;
  const notApplicable = (c: Constraint): Enforcement => {
    const e: Enforcement = { id: c.id, mode: 'dropped', domain: domainOf(c.rule), hard: isHard(c, opts), reason: `applies to ${'language' in c.rule ? String(c.rule.language) : 'other languages'}, the target is ${lang}` };
    // Kept for the next compile of the session, so shared: frozen (nothing adds to these entries).
    return session ? Object.freeze(e) : e;
  };
  const last = session?.last;
  const changed = last && memos ? changedSince(last, input, lang) : undefined;
  let indexOf: ReadonlyMap<string, number>;
  let applicable: Constraint[];
  let applicableKeys: string[];
  let applicableAt: Int32Array;
  const notApplicableAt = new Map<number, Enforcement>();
  if (changed) {
    // The same ids in the same places: only the changed constraints are looked at.
    session!.takenOver = (session!.takenOver ?? 0) + 1;
    indexOf = last!.indexOf;
    applicableAt = last!.applicableAt;
    applicable = last!.applicable.slice();
    applicableKeys = last!.applicableKeys.slice();
    for (const [i, e] of last!.notApplicable) notApplicableAt.set(i, e);
    for (const i of changed) {
      const j = applicableAt[i]!;
      if (j >= 0) {
        applicable[j] = input[i]!;
        applicableKeys[j] = memos![i]!.short;
      } else notApplicableAt.set(i, notApplicable(input[i]!));
    }
    for (const [i, e] of notApplicableAt) enforcement[i] = e;
  } else {
    const ids = new Map<string, number>();
    indexOf = ids;
    applicable = [];
    applicableKeys = [];
    applicableAt = new Int32Array(input.length);
    for (let i = 0; i < input.length; i++) {
      const c = input[i]!;
      if (ids.has(c.id)) throw new AnankeError('USAGE', `two constraints have the id ${c.id}: ids must be unique`);
      ids.set(c.id, i);
      if (appliesTo(c, lang)) {
        applicableAt[i] = applicable.length;
        applicable.push(c);
        if (memos) applicableKeys.push(memos[i]!.short);
      } else {
        applicableAt[i] = -1;
        const e = notApplicable(c);
        enforcement[i] = e;
        notApplicableAt.set(i, e);
      }
    }
  }

  // 2. Conflicts, resolved by severity, priority, confidence (a hard tie throws CONFLICT).
  const hardOf = (c: Constraint): boolean => isHard(c, opts);
  const conflictMemo: ConflictMemo | undefined = opts.memo && { keys: applicableKeys, store: opts.memo.decisions };
  if (conflictMemo && changed && last!.grouping) {
    conflictMemo.previous = { grouping: last!.grouping, changed: changed.map((i) => applicableAt[i]!).filter((j) => j >= 0) };
  }
  const resolved = resolveConflicts(applicable, { isHard: hardOf, memo: conflictMemo });
  // Entries kept in the memo are shared between IRs: frozen, and replaced by a changed copy where a
  // later step adds to an entry (edit()).
  const edit = (i: number, change: Partial<Enforcement>): void => {
    const e = enforcement[i]!;
    if (Object.isFrozen(e)) enforcement[i] = { ...e, ...change };
    else Object.assign(e, change);
  };
  const lost = (decision: object, id: string, reason: () => string, by: string): void => {
    const i = indexOf.get(id)!;
    const m = memos?.[i];
    if (m?.lost?.decision === decision) {
      enforcement[i] = m.lost.entry;
      return;
    }
    const c = input[i]!;
    const e: Enforcement = { id, mode: 'dropped', domain: domainOf(c.rule), hard: hardOf(c), reason: reason(), by };
    if (m) m.lost = { decision, entry: Object.freeze(e) };
    enforcement[i] = e;
  };
  for (const d of resolved.dropped) lost(d, d.id, () => d.reason, d.by);
  for (const m of resolved.merged) lost(m, m.id, () => `merged: ${m.reason}`, m.into);
  const notes = new Map<string, string[]>();
  const note = (id: string, text: string): void => { notes.set(id, [...(notes.get(id) ?? []), text]); };
  for (const n of resolved.narrowed) note(n.id, `without ${n.removed.join(', ')}: ${n.reason}`);
  for (const u of resolved.undecided) for (const id of u.constraintIds) note(id, `not decided: ${u.reason}`);

  // 3. Enforcement of what was kept.
  const emitReq: EmitRequest = {
    language: (isProgramLanguage(lang) ? lang : 'typescript') as ProgramLanguage,
    naming: new Map<IdentifierKind, NamingRestriction>(),
    forbiddenNames: new Map<string, string[]>(),
    start: { kind: 'module' },
  };
  const postChecks: PostCheck[] = [];
  const decodeLater: Array<{ c: Constraint; why: string; symbols: () => string[]; fallback: string }> = [];
  const softBiases: ConstraintIR['softBiases'] = [];
  const limits: ConstraintIR['limits'] = {};
  const program = isProgramLanguage(lang);
  let typed: Extract<TypedExpressionResult, { supported: true }> | undefined;
  let typedBy = '';
  const inFunction = ctx.target.kind === 'function' || ctx.target.kind === 'body' || ctx.target.kind === 'new';

  const reasonOf = hardnessReasons(opts);
  const thresholds = `${opts.minConfidence}/${opts.minExamples}`;
  for (const c of resolved.kept) {
    const hard = hardOf(c);
    const r = c.rule;
    if (!hard) {
      const i = indexOf.get(c.id)!;
      // A narrowed constraint is a copy: its record is the original's.
      const m = input[i] === c ? memos?.[i] : undefined;
      const softKey = `${thresholds}/${lang}`;
      if (m?.soft?.thresholds === softKey) {
        enforcement[i] = m.soft.entry;
        for (const b of m.soft.biases) softBiases.push(b);
        continue;
      }
      // A soft constraint with a token pattern biases decoding (soft-bias.ts); the rest is advice.
      const plan = softBiasPlan(c, lang, bannedNames(c, lang));
      const soft = `soft: ${reasonOf(c, false)}`;
      let e: Enforcement;
      if ('what' in plan) {
        const weight = plan.biases[0]!.weight;
        e = { id: c.id, mode: 'advisory', domain: domainOf(c.rule), hard: false, reason: `biased (weight ${weight}): ${plan.what}; ${soft}`, bias: { weight, patterns: plan.biases.map((b) => b.pattern) } };
        for (const b of plan.biases) softBiases.push(b);
      } else {
        e = { id: c.id, mode: 'advisory', domain: domainOf(c.rule), hard: false, reason: `${soft}; not biased: ${plan.why}` };
      }
      if (m) m.soft = { thresholds: softKey, entry: Object.freeze(e), biases: plan.biases.map((b) => Object.freeze(b)) };
      enforcement[i] = e;
      continue;
    }
    switch (r.type) {
      case 'naming': {
        if (r.identifierKind === 'file') { set(c, 'dropped', true, 'file names are not generated'); break; }
        if (!program) { set(c, 'dropped', true, `a ${lang} target declares no ${r.identifierKind}s`); break; }
        const regex = namingRegex(r.style);
        postChecks.push({ kind: 'naming', constraintId: c.id, identifierKind: r.identifierKind, regex, style: r.style });
        if (r.visibility) { set(c, 'check', true, `${r.visibility} names: the grammar cannot tell visibility apart, checked after generation`); break; }
        const prev = emitReq.naming.get(r.identifierKind);
        emitReq.naming.set(r.identifierKind, { regex, label: r.style, ids: [...(prev?.ids ?? []), c.id] });
        decodeLater.push({ c, why: `${r.identifierKind} names must be ${r.style} at every declaration site`, symbols: () => [], fallback: `no ${r.identifierKind} declaration site in the ${lang} grammar for this target: checked after generation` });
        break;
      }
      case 'forbidden_identifiers':
        for (const n of r.names) emitReq.forbiddenNames.set(n, [...(emitReq.forbiddenNames.get(n) ?? []), c.id]);
        for (const n of r.names) postChecks.push({ kind: 'forbidden_identifier', constraintId: c.id, name: n });
        if (program) set(c, 'decode', true, `the identifier terminals exclude ${r.names.join(', ')}`);
        else set(c, 'dropped', true, `a ${lang} target has no identifiers`);
        break;
      case 'forbidden_calls': {
        const bare = r.calls.filter((x) => /^[A-Za-z_$][\w$]*$/.test(x));
        for (const n of bare) emitReq.forbiddenNames.set(n, [...(emitReq.forbiddenNames.get(n) ?? []), c.id]);
        for (const x of r.calls) postChecks.push({ kind: 'forbidden_call', constraintId: c.id, callee: x });
        if (!program) set(c, 'dropped', true, `a ${lang} target has no calls`);
        else if (bare.length === r.calls.length) set(c, 'decode', true, `the names ${bare.join(', ')} cannot be written (so not called); also checked after generation`);
        else set(c, 'check', true, `dotted callees (${r.calls.filter((x) => !bare.includes(x)).join(', ')}) are checked after generation${bare.length ? `; ${bare.join(', ')} excluded in the grammar` : ''}`);
        break;
      }
      case 'forbidden_pattern': {
        postChecks.push({ kind: 'pattern', constraintId: c.id, description: c.description });
        const { names, all } = patternNames(r, lang);
        for (const n of names) emitReq.forbiddenNames.set(n, [...(emitReq.forbiddenNames.get(n) ?? []), c.id]);
        if (names.length && all) set(c, 'decode', true, `the names ${names.join(', ')} cannot be written; the pattern is also checked after generation`);
        else set(c, 'check', true, names.length ? `${names.join(', ')} excluded in the grammar; the rest of the pattern (arguments, strings, assignments) is checked after generation` : 'the pattern depends on arguments, strings or assignments: checked after generation');
        break;
      }
      case 'allowed_imports':
      case 'forbidden_imports': {
        const key = r.type === 'allowed_imports' ? 'allowedModules' : 'forbiddenModules';
        const prev = emitReq[key];
        emitReq[key] = { modules: [...(prev?.modules ?? []), ...r.modules], ids: [...(prev?.ids ?? []), c.id] };
        postChecks.push(r.type === 'allowed_imports' ? { kind: 'import', constraintId: c.id, allowed: r.modules } : { kind: 'import', constraintId: c.id, forbidden: r.modules });
        decodeLater.push({ c, why: `the module of an import must be ${r.type === 'allowed_imports' ? 'one of the allowed' : 'none of the forbidden'}`, symbols: () => ['IMPORT_MODULE'], fallback: inFunction && !importsInBodies(lang) ? 'a function body has no import statements: dynamic imports are checked after generation' : `imports in ${lang} are checked after generation` });
        break;
      }
      case 'module_boundary':
        set(c, 'check', true, 'which module the generated file belongs to is known after generation: checked then');
        postChecks.push({ kind: 'pattern', constraintId: c.id, description: c.description });
        break;
      case 'signature': {
        const isTarget = ctx.fn !== undefined && (ctx.fn.name === r.name || ctx.fn.name.endsWith(`.${r.name}`));
        if (isTarget && ctx.head !== undefined) set(c, 'decode', true, 'the declaration head is forced as written in the file', { grammarSymbols: ['SIGNATURE'] });
        else set(c, 'dropped', true, `about ${r.name}, not the target${ctx.fn?.name ? ` (${ctx.fn.name})` : ''}`);
        break;
      }
      case 'json_schema':
        if (ctx.target.kind === 'json') set(c, 'dropped', true, 'the target\'s schema file is the schema enforced; a second schema is not intersected');
        else set(c, 'dropped', true, 'a JSON schema applies to json: targets');
        break;
      case 'length':
        if (r.maxChars !== undefined) limits.maxChars = Math.min(limits.maxChars ?? Infinity, r.maxChars);
        if (r.maxLines !== undefined) limits.maxLines = Math.min(limits.maxLines ?? Infinity, r.maxLines);
        postChecks.push({ kind: 'length', constraintId: c.id, minChars: r.minChars, maxChars: r.maxChars, maxLines: r.maxLines });
        set(c, 'check', true, 'lengths go into the IR limits (generation stops at them) and are checked after generation');
        break;
      case 'regex':
      case 'grammar':
        postChecks.push({ kind: 'pattern', constraintId: c.id, description: c.description });
        set(c, 'check', true, `a ${r.type} over the whole output cannot be intersected with the ${lang} grammar by the engine: checked after generation`);
        break;
      case 'expected_type': {
        const lang2 = lang === 'typescript' || lang === 'python' ? lang : undefined;
        if (ctx.target.kind !== 'fim' || !lang2) {
          set(c, 'advisory', true, `the types domain applies to typed fim holes in TypeScript and Python; this target is ${ctx.target.kind} in ${lang}`);
          break;
        }
        if (typed) { set(c, 'dropped', true, `merged: the hole's type is already enforced by ${typedBy}`, { by: typedBy }); break; }
        const t = typedExpressionGrammar({
          language: lang2, expected: r.expected, bindings: ctx.typed?.bindings ?? r.bindings,
          functions: ctx.typed?.functions, types: ctx.typed?.types, async: ctx.typed?.async,
        });
        if (t.supported) {
          typed = t;
          typedBy = c.id;
          set(c, 'decode', true, `the range is an expression of type ${r.expected}${ctx.typed ? ` (${ctx.typed.where})` : ''}: only expressions that produce it from the bindings in scope${t.notes.length ? `; ${t.notes.join('; ')}` : ''}`, { grammarSymbols: ['start'] });
        } else {
          set(c, 'advisory', true, `not enforced: ${t.reason}`);
        }
        break;
      }
      case 'type_discipline':
        postChecks.push({ kind: 'pattern', constraintId: c.id, description: c.description });
        set(c, 'check', true, 'type annotations are checked after generation');
        break;
      default:
        set(c, 'advisory', true, 'a soft-domain rule: reported, never restricts');
    }
  }

  // 4. The grammar.
  let grammar: Grammar;
  let lark: string;
  let provenance: Record<string, string[]> = {};
  if (ctx.target.kind === 'json') {
    if (ctx.schema === undefined) throw new AnankeError('USAGE', 'a json target needs its schema');
    grammar = compileJsonSchema(ctx.schema);
    lark = printLark(grammar);
  } else if (typed) {
    // A typed hole: the grammar is the expression's; a forbidden name cannot be one of its bindings.
    if (emitReq.forbiddenNames.size > 0) {
      const banned = emitReq.forbiddenNames;
      const r0 = typedExpressionGrammar({
        language: lang as 'typescript' | 'python', expected: ctx.typed?.expected ?? '', bindings: (ctx.typed?.bindings ?? []).filter((b) => !banned.has(b.name.split('.')[0]!)),
        functions: ctx.typed?.functions?.filter((f) => !banned.has(f.name)), types: ctx.typed?.types, async: ctx.typed?.async,
      });
      if (ctx.typed && r0.supported) typed = r0;
    }
    grammar = parseLark(typed.lark);
    lark = typed.lark;
    provenance = { start: [typedBy] };
    for (const d of decodeLater) set(d.c, 'check', true, 'the range is an expression: it declares and imports nothing the grammar could restrict; checked after generation');
  } else {
    if (!program) throw new AnankeError('UNSUPPORTED', `no program grammar for ${lang}: targets need one of typescript, javascript, python, go, rust`);
    if (ctx.target.kind === 'function' || ctx.target.kind === 'new') {
      if (ctx.head === undefined) throw new AnankeError('USAGE', `a ${ctx.target.kind} target needs the declaration head`);
      emitReq.start = { kind: 'declaration', head: ctx.head, fn: ctx.fn ?? { async: /\basync\b/.test(ctx.head), kind: 'function' } };
    } else if (ctx.target.kind === 'body') {
      emitReq.start = { kind: 'body', fn: ctx.fn ?? { async: false, kind: 'function' } };
    }
    // Clew's TypeScript/JavaScript constants are module-level, and so are Python's (a name
    // assigned in a function is a variable whatever its case): a function declares none.
    if (inFunction && (lang === 'typescript' || lang === 'javascript' || lang === 'python')) emitReq.absentKinds = ['constant'];
    const make = (): EmittedGrammar => emitWithTemplate(emitReq);
    const emitted = opts.emitMemo ? opts.emitMemo(emitReq, make) : make();
    grammar = emitted.grammar;
    lark = emitted.lark;
    // The IR's own lists (the emitted grammar's are shared with the caches).
    provenance = {};
    for (const [sym, ids] of Object.entries(emitted.provenance)) provenance[sym] = ids.slice();
    for (const d of decodeLater) {
      const r = d.c.rule;
      if (r.type === 'naming') {
        const n = emitted.sites[r.identifierKind] ?? 0;
        if (n > 0) set(d.c, 'decode', true, `${d.why} (${n} sites); also checked after generation`);
        else set(d.c, 'check', true, d.fallback);
      } else if (emitted.importsInGrammar && (!inFunction || importsInBodies(lang))) {
        // Rust: the grammar restricts the crate (a path's first segment); a longer module is checked after.
        const paths = lang === 'rust' && (r.type === 'allowed_imports' || r.type === 'forbidden_imports') ? r.modules.filter((m) => m.replace(/^::/, '').includes('::')) : [];
        if (paths.length) set(d.c, 'check', true, `the grammar restricts the crate of a use path (its first segment); ${paths.join(', ')} ${paths.length === 1 ? 'is a path' : 'are paths'} below a crate: checked after generation`, { grammarSymbols: d.symbols() });
        else set(d.c, 'decode', true, `${d.why}; also checked after generation`, { grammarSymbols: d.symbols() });
      } else {
        set(d.c, 'check', true, d.fallback);
      }
    }
  }
  for (const [id, texts] of notes) {
    const i = indexOf.get(id)!;
    const e = enforcement[i];
    if (e) edit(i, { reason: `${e.reason} (${texts.join('; ')})` });
  }
  const symbolsOf = new Map<string, string[]>();
  for (const [sym, ids] of Object.entries(provenance)) for (const id of ids) symbolsOf.set(id, [...(symbolsOf.get(id) ?? []), sym]);
  for (const [id, symbols] of symbolsOf) {
    const i = indexOf.get(id);
    const e = i === undefined ? undefined : enforcement[i];
    if (e && !e.grammarSymbols) edit(i!, { grammarSymbols: symbols });
  }

  const missing = input.filter((_, i) => enforcement[i] === undefined);
  if (missing.length) throw new AnankeError('INTERNAL', `Braid left constraints without an enforcement: ${missing.map((c) => c.id).join(', ')}`);
  const ir: ConstraintIR = {
    version: IR_VERSION,
    target: ctx.target,
    language: lang,
    grammar: lark,
    // function and new targets: the forced declaration head is fixed text the grammar reads first.
    ...(ctx.prefix !== undefined ? { prefix: ctx.prefix } : ctx.head !== undefined && (ctx.target.kind === 'function' || ctx.target.kind === 'new') ? { prefix: ctx.head } : {}),
    ...(ctx.suffix !== undefined ? { suffix: ctx.suffix } : {}),
    ...(typed ? { rangeOnly: true } : {}),
    ...(ctx.schema !== undefined ? { jsonSchema: ctx.schema } : {}),
    ...(ctx.indent !== undefined ? { indent: ctx.indent } : {}),
    tokenRules: [],
    softBiases,
    postChecks,
    limits,
    enforcement: enforcement as Enforcement[],
    conflicts: resolved.conflicts,
    provenance,
    constraints: [...input],
  };
  if (session) {
    session.last = { input: input.slice(), indexOf, applicableAt, applicable, applicableKeys, notApplicable: notApplicableAt, grouping: conflictMemo?.current };
  }
  return { ir, grammar };
}

/**
 * The positions whose constraint changed since the session's last compile, when the request has
 * the same ids in the same order and every changed constraint applies as before; else undefined
 * (the request is compiled as a new one).
 */
function changedSince(last: CompileSnapshot, input: readonly Constraint[], lang: Language | 'json'): number[] | undefined {
  if (last.input.length !== input.length) return undefined;
  const changed: number[] = [];
  for (let i = 0; i < input.length; i++) {
    const a = input[i]!;
    const b = last.input[i]!;
    if (a === b) continue;
    if (a.id !== b.id || appliesTo(a, lang) !== last.applicableAt[i]! >= 0) return undefined;
    changed.push(i);
  }
  return changed;
}
