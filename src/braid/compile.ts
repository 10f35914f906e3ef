/**
 * Braid: a set of constraints, for one generation target, compiled into a ConstraintIR
 * (docs/braid.md). Steps: keep what applies to the target's language; classify hard and soft
 * (policy.ts); resolve conflicts (conflicts.ts); write the hard rules that a grammar can carry onto
 * the program grammar (emit.ts); everything else becomes a post-generation check or advice. Every
 * input constraint ends with exactly one enforcement entry.
 */
import {
  AnankeError, domainOf, IR_VERSION, type Constraint, type ConstraintIR, type Enforcement, type EnforcementMode,
  type IdentifierKind, type Language, type PostCheck, type Target,
} from '../core/index.ts';
import { compileJsonSchema, isProgramLanguage, parseLark, printLark, type Grammar, type ProgramLanguage } from '../engine/index.ts';
import { typedExpressionGrammar, type TypedBinding, type TypedDeclaration, type TypedExpressionResult, type TypedFunction } from './types/index.ts';
import { resolveConflicts } from './conflicts.ts';
import { emitProgramGrammar, type EmitRequest, type EmitResult, type NamingRestriction } from './emit.ts';
import { namingRegex } from './naming-regex.ts';
import { hardnessReason, isHard, type HardnessOptions } from './policy.ts';

/** A target resolved against the files (the CLI does this with Clew: src/cli/target-context.ts). */
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
  /** fim targets at a typed expression position (Clew's typedPositionAt): what is in scope there. */
  typed?: { expected: string; bindings: TypedBinding[]; functions?: TypedFunction[]; types?: TypedDeclaration[]; async?: boolean; where: string };
}

export interface BraidOptions extends HardnessOptions {
  /**
   * Emission results by the canonical key of their request (braid.ts): a change to a constraint
   * that does not change what the grammar carries reuses the grammar.
   */
  emitMemo?: (req: EmitRequest, make: () => EmittedGrammar) => EmittedGrammar;
}

/** An emitted grammar with its printed Lark text (printing is part of what the memo saves). */
export interface EmittedGrammar extends EmitResult {
  lark: string;
}

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

function appliesTo(c: Constraint, lang: Language | 'json'): boolean {
  const r = c.rule;
  const ruleLang = 'language' in r ? r.language : undefined;
  if (ruleLang !== undefined && ruleLang !== lang && !(lang === 'javascript' && ruleLang === 'typescript')) return false;
  if (r.type === 'forbidden_pattern') return r.patterns.some((p) => p.languages.includes(lang as Language));
  return true;
}

export function compileConstraints(input: readonly Constraint[], ctx: TargetContext, opts: BraidOptions = {}): BraidResult {
  const lang = ctx.language;
  const enforcement = new Map<string, Enforcement>();
  const set = (c: Constraint, mode: EnforcementMode, hard: boolean, reason: string, extra: Partial<Enforcement> = {}): void => {
    enforcement.set(c.id, { id: c.id, mode, domain: domainOf(c.rule), hard, reason, ...extra });
  };
  const seen = new Set<string>();
  for (const c of input) {
    if (seen.has(c.id)) throw new AnankeError('USAGE', `two constraints have the id ${c.id}: ids must be unique`);
    seen.add(c.id);
  }

  // 1. What applies to this target's language.
  const applicable: Constraint[] = [];
  for (const c of input) {
    if (appliesTo(c, lang)) applicable.push(c);
    else set(c, 'dropped', isHard(c, opts), `applies to ${'language' in c.rule ? String(c.rule.language) : 'other languages'}, the target is ${lang}`);
  }

  // 2. Conflicts, resolved by severity, priority, confidence (a hard tie throws CONFLICT).
  const hardOf = (c: Constraint): boolean => isHard(c, opts);
  const resolved = resolveConflicts(applicable, { isHard: hardOf });
  const byId = new Map(applicable.map((c) => [c.id, c]));
  for (const d of resolved.dropped) set(byId.get(d.id)!, 'dropped', hardOf(byId.get(d.id)!), d.reason, { by: d.by });
  for (const m of resolved.merged) set(byId.get(m.id)!, 'dropped', hardOf(byId.get(m.id)!), `merged: ${m.reason}`, { by: m.into });
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

  for (const c of resolved.kept) {
    const hard = hardOf(c);
    const r = c.rule;
    if (!hard) {
      set(c, 'advisory', false, `soft: ${hardnessReason(c, false, opts)}`);
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
        const names: string[] = [];
        let all = true;
        for (const p of r.patterns) {
          if (!p.languages.includes(lang as Language)) continue;
          const pat = p.pattern;
          const ns = pat.match === 'call' && !pat.argument && pat.keyword === undefined && pat.unless === undefined ? calleeNames(pat.callee)
            : pat.match === 'identifier' && /^[A-Za-z_$][\w$]*(\|[A-Za-z_$][\w$]*)*$/.test(pat.name) ? pat.name.split('|') : undefined;
          if (ns) names.push(...ns); else all = false;
        }
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
        decodeLater.push({ c, why: `the module of an import must be ${r.type === 'allowed_imports' ? 'one of the allowed' : 'none of the forbidden'}`, symbols: () => ['IMPORT_MODULE'], fallback: inFunction ? 'a function body has no import statements: dynamic imports are checked after generation' : `imports in ${lang} are checked after generation` });
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
    // Clew's TypeScript/JavaScript constants are module-level: a function declares none.
    if (inFunction && (lang === 'typescript' || lang === 'javascript')) emitReq.absentKinds = ['constant'];
    const make = (): EmittedGrammar => {
      const e = emitProgramGrammar(emitReq);
      return { ...e, lark: printLark(e.grammar) };
    };
    const emitted = opts.emitMemo ? opts.emitMemo(emitReq, make) : make();
    grammar = emitted.grammar;
    lark = emitted.lark;
    provenance = structuredClone(emitted.provenance);
    for (const d of decodeLater) {
      const r = d.c.rule;
      if (r.type === 'naming') {
        const n = emitted.sites[r.identifierKind] ?? 0;
        if (n > 0) set(d.c, 'decode', true, `${d.why} (${n} sites); also checked after generation`);
        else set(d.c, 'check', true, d.fallback);
      } else if (emitted.importsInGrammar && !inFunction) {
        set(d.c, 'decode', true, `${d.why}; also checked after generation`, { grammarSymbols: d.symbols() });
      } else {
        set(d.c, 'check', true, d.fallback);
      }
    }
  }
  for (const [id, texts] of notes) {
    const e = enforcement.get(id);
    if (e) e.reason += ` (${texts.join('; ')})`;
  }
  const symbolsOf = new Map<string, string[]>();
  for (const [sym, ids] of Object.entries(provenance)) for (const id of ids) symbolsOf.set(id, [...(symbolsOf.get(id) ?? []), sym]);
  for (const e of enforcement.values()) {
    if (e.grammarSymbols) continue;
    const symbols = symbolsOf.get(e.id);
    if (symbols) e.grammarSymbols = symbols;
  }

  const missing = enforcement.size === input.length ? [] : input.filter((c) => !enforcement.has(c.id));
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
    tokenRules: [],
    softBiases,
    postChecks,
    limits,
    enforcement: input.map((c) => enforcement.get(c.id)!),
    conflicts: resolved.conflicts,
    provenance,
    constraints: [...input],
  };
  return { ir, grammar };
}
