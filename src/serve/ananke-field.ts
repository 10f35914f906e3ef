/**
 * The `ananke` request field: Ananke's own constraints over HTTP, as a ConstraintIR to enforce as
 * it is, or as what Braid compiles into one (docs/serve.md, "The ananke field"):
 *
 *   { "ir": { "version": 1, "grammar": "…", … } }                         an IR (`ananke compile` writes them)
 *   { "target": "module:python", "constraints": [ … ], "context": [ { "path": "app/db.py", "text": "…" } ] }
 *   { "target": "json", "schema": { … } }
 *
 * `context` carries source files inline: their conventions are extracted with Clew from the text
 * given, and `path` only names the file (for its language and in messages); the server never reads
 * a path or fetches anything a request names. Targets inside a file (function, body, new, fim) need
 * that file resolved: compile them with `ananke compile` and send the IR.
 */
import { AnankeError, IR_VERSION, constraintFromJson, type Constraint, type ConstraintIR, type FileFacts, type Target } from '../core/index.ts';
import { Braid, parseTarget, type TargetContext } from '../braid/index.ts';
import { compileRegexMatcher, DEFAULT_LIMITS } from '../engine/index.ts';
import { Fields } from './fields.ts';
import { badRequest } from './http-error.ts';
import { REQUEST_ENGINE_LIMITS, type ServeLimits } from './limits.ts';

/** Constraints in one request: far more than a code base's extraction gives one target. */
export const MAX_REQUEST_CONSTRAINTS = 10_000;

const IR_FORM = new Set(['ir']);
const COMPILE_FORM = new Set(['target', 'constraints', 'context', 'schema', 'min_confidence', 'min_examples']);

let braid: Promise<Braid> | undefined;

/** The IR a request's `ananke` field stands for. */
export async function anankeIr(f: Fields, limits: ServeLimits): Promise<ConstraintIR> {
  if (f.has('ir')) {
    f.onlyKnown(IR_FORM, 'with ir, nothing else: the IR is enforced as it is');
    return irFromJson(f.object('ir')!, limits);
  }
  f.onlyKnown(COMPILE_FORM);
  const spec = f.string('target', { required: true, nonEmpty: true })!;
  const constraints: Constraint[] = [];
  const list = f.raw('constraints');
  if (list !== undefined) {
    if (!Array.isArray(list)) throw badRequest(`${f.path('constraints')} must be a list of constraints`, f.path('constraints'));
    if (list.length > MAX_REQUEST_CONSTRAINTS) throw badRequest(`${f.path('constraints')} has ${list.length} constraints, over the limit of ${MAX_REQUEST_CONSTRAINTS}`, f.path('constraints'), 'limit_exceeded');
    list.forEach((c, i) => constraints.push(constraintFromJson(c, `${f.path('constraints')}[${i}]`)));
  }
  if (f.has('context')) constraints.push(...(await contextConstraints(f, limits)));

  let ctx: TargetContext;
  if (spec === 'json') {
    if (!f.has('schema')) throw badRequest(`a json target needs ${f.path('schema')}: the JSON Schema itself`, f.path('schema'), 'missing_field');
    const target: Target = { kind: 'json', schemaFile: '(request)' };
    ctx = { target, language: 'json', schema: f.raw('schema') };
  } else {
    let target: Target;
    try {
      target = parseTarget(spec);
    } catch (e) {
      throw badRequest(`${f.path('target')}: ${(e as Error).message}`, f.path('target'));
    }
    if (target.kind !== 'module') {
      throw badRequest(`${f.path('target')}: a ${target.kind} target lies in a file the server does not read; compile it with \`ananke compile\` and send the IR as ananke.ir (over HTTP: module:<language>, or json with a schema)`, f.path('target'), 'unsupported_value');
    }
    if (f.has('schema')) throw badRequest(`${f.path('schema')} goes with target "json" only`, f.path('schema'));
    ctx = { target, language: target.language === 'tsx' ? 'typescript' : target.language };
  }
  const minConfidence = f.number('min_confidence', { min: 0, max: 1 });
  const minExamples = f.number('min_examples', { min: 0, integer: true });
  braid ??= Braid.create(32);
  return (await braid).compile(constraints, ctx, { ...(minConfidence !== undefined ? { minConfidence } : {}), ...(minExamples !== undefined ? { minExamples } : {}) }).ir;
}

/** Constraints Clew extracts from the inline files of `context`. */
async function contextConstraints(f: Fields, limits: ServeLimits): Promise<Constraint[]> {
  const files = f.raw('context');
  const where = f.path('context');
  if (!Array.isArray(files)) throw badRequest(`${where} must be a list of { "path", "text" } objects (source text inline)`, where);
  if (files.length > limits.maxContextFiles) throw badRequest(`${where} has ${files.length} files, over the limit of ${limits.maxContextFiles}`, where, 'limit_exceeded');
  // Clew (tree-sitter) is loaded only by the requests that need it.
  const clew = await import('../clew/index.ts');
  const facts: FileFacts[] = [];
  for (const [i, item] of files.entries()) {
    const file = Fields.of(item, `${where}[${i}]`);
    file.onlyKnown(new Set(['path', 'text']), 'files are given by their text; the server reads no path');
    const name = file.string('path', { required: true, nonEmpty: true })!;
    const text = file.string('text', { required: true })!;
    const language = clew.detectLanguage(name, text.slice(0, 200));
    if (!language) throw badRequest(`${file.path('path')}: cannot tell the language of ${JSON.stringify(name)} from its name`, file.path('path'));
    facts.push(await clew.extractFile(name, text, language));
  }
  // As `ananke generate` does: every convention found, and Braid's thresholds decide which are hard.
  return clew.deriveConstraints({ root: '', files: facts, skipped: [] }, { minConfidence: 0 });
}

function irFromJson(f: Fields, limits: ServeLimits): ConstraintIR {
  const version = f.raw('version');
  if (version !== IR_VERSION) throw badRequest(`${f.path('version')} is ${JSON.stringify(version)}; this server reads ConstraintIR version ${IR_VERSION}`, f.path('version'), 'unsupported_value');
  const grammar = f.string('grammar', { required: true, nonEmpty: true, maxChars: limits.maxGrammarChars })!;
  const prefix = f.string('prefix', { maxChars: limits.maxPromptChars });
  const suffix = f.string('suffix', { maxChars: limits.maxPromptChars });
  const rangeOnly = f.boolean('rangeOnly');
  const list = (k: string): unknown[] => {
    const v = f.raw(k);
    if (v === undefined) return [];
    if (!Array.isArray(v)) throw badRequest(`${f.path(k)} must be a list`, f.path(k));
    return v;
  };
  const language = f.string('language') ?? 'json';
  const target = f.raw('target') ?? { kind: 'json', schemaFile: '(request)' };
  if (typeof target !== 'object' || target === null) throw badRequest(`${f.path('target')} must be an object`, f.path('target'));
  const constraints = list('constraints').map((c, i) => constraintFromJson(c, `${f.path('constraints')}[${i}]`));
  // The fields Maze reads are checked above; the rest (the report Braid wrote) is carried as given.
  return {
    ...(f.obj as object),
    version: IR_VERSION, grammar, target: target as Target, language: language as ConstraintIR['language'],
    ...(prefix !== undefined ? { prefix } : {}), ...(suffix !== undefined ? { suffix } : {}), ...(rangeOnly !== undefined ? { rangeOnly } : {}),
    tokenRules: checkEmptyTokenRules(f, list('tokenRules')), softBiases: checkSoftBiases(f, list('softBiases')), postChecks: list('postChecks') as ConstraintIR['postChecks'],
    limits: (f.raw('limits') ?? {}) as ConstraintIR['limits'], enforcement: list('enforcement') as ConstraintIR['enforcement'],
    conflicts: list('conflicts') as ConstraintIR['conflicts'], provenance: (f.raw('provenance') ?? {}) as ConstraintIR['provenance'], constraints,
  };
}

/** At most this many soft biases in a request's IR (Braid writes one per soft constraint with a token pattern). */
const MAX_SOFT_BIASES = 64;
const MAX_BIAS_PATTERN_CHARS = 2_000;

/**
 * Soft biases in a request's IR, checked for shape and compiled here so that a bad one is a 400
 * naming it. Patterns run as the engine's automaton (src/maze/soft-biases.ts), never as a
 * backtracking RegExp, so a hostile pattern costs bounded time.
 */
function checkSoftBiases(f: Fields, biases: unknown[]): ConstraintIR['softBiases'] {
  const at = f.path('softBiases');
  if (biases.length > MAX_SOFT_BIASES) throw badRequest(`${at}: at most ${MAX_SOFT_BIASES} soft biases, not ${biases.length}`, at, 'limit_exceeded');
  return biases.map((b, i) => {
    const p = `${at}[${i}]`;
    const o = b as Partial<Record<'pattern' | 'weight' | 'constraintId' | 'why', unknown>>;
    if (typeof b !== 'object' || b === null || Array.isArray(b)) throw badRequest(`${p} must be an object { pattern, weight, constraintId, why }`, p);
    if (typeof o.pattern !== 'string' || o.pattern === '' || o.pattern.length > MAX_BIAS_PATTERN_CHARS) throw badRequest(`${p}.pattern must be a regular expression of 1 to ${MAX_BIAS_PATTERN_CHARS} characters`, `${p}.pattern`);
    if (typeof o.weight !== 'number' || !Number.isFinite(o.weight)) throw badRequest(`${p}.weight must be a finite number (logits)`, `${p}.weight`);
    try {
      compileRegexMatcher(o.pattern, 'ecma', { ...DEFAULT_LIMITS, ...REQUEST_ENGINE_LIMITS }, true);
    } catch (e) {
      throw badRequest(`${p}.pattern: ${(e as Error).message}`, `${p}.pattern`, 'invalid_regex');
    }
    return { pattern: o.pattern, weight: o.weight, constraintId: typeof o.constraintId === 'string' ? o.constraintId : `softBiases[${i}]`, why: typeof o.why === 'string' ? o.why : '' };
  });
}

/** Token rules are empty in IR version 1 (every hard rule is in the grammar); Maze does not apply them, so an IR with some is refused rather than half enforced. */
function checkEmptyTokenRules(f: Fields, rules: unknown[]): [] {
  if (rules.length > 0) throw new AnankeError('UNSUPPORTED', `${f.path('tokenRules')}: token rules are not enforced by this server (IR version 1 puts every hard rule in the grammar)`);
  return [];
}
