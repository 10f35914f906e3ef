/**
 * `ananke compile`: constraints (extracted from context paths with Clew, and/or read from
 * .ariadne / .json files) compiled by Braid for one generation target into a ConstraintIR, or its
 * grammar as Lark or GBNF. With `--check FILE`: is that candidate text allowed at the target, and
 * if not, where and because of which constraints.
 */
import fs from 'node:fs';
import path from 'node:path';
import type { Command } from 'commander';
import { AnankeError, EXIT, readTextFile, round2 as round, type Constraint, type ConstraintIR, type FileFacts } from '../../core/index.ts';
import { Braid, parseTarget, formatTarget, DEFAULT_MIN_CONFIDENCE, DEFAULT_MIN_EXAMPLES, type BraidOptions, type TargetContext } from '../../braid/index.ts';
import { byteTokenizer, compile, isProgramLanguage, loadProgramGrammar, portableGrammar, printGbnf, printLark, type CheckResult, type CompiledGrammar, type Grammar } from '../../engine/index.ts';
import { extractRepo } from '../../clew/index.ts';
import { postCheckInFile, resolveTarget, withCodebaseIndent, type ResolvedTarget } from '../../eval/index.ts';
import { portableOptionsFor } from '../../maze/index.ts';
import { loadConfig } from '../config.ts';
import { intOption, numberOption } from '../parse-number.ts';
import { readConstraintFiles } from '../constraint-files.ts';

interface CompileCliOptions {
  target: string;
  signature?: string;
  constraints?: string[];
  format: string;
  portable?: boolean;
  output?: string;
  json?: boolean;
  check?: string;
  minConfidence?: string;
  minExamples?: string;
  cache: boolean;
}

const FORMATS = ['ir', 'lark', 'gbnf'] as const;

export function configure(cmd: Command): void {
  cmd
    .argument('[context...]', 'source files or folders whose conventions apply (extracted with Clew, as `ananke extract` does)')
    .requiredOption('--target <spec>', 'what is generated: function:<file>:<name>, body:<file>:<name>, new:<file>:<line>, fim:<file>:<line>:<col>-<line>:<col>, module:<language>, json:<schema file>')
    .option('--signature <head>', 'for new: targets, the declaration head, e.g. "function add(a: number, b: number): number"')
    .option('--constraints <files...>', 'more constraints: .ariadne files, or JSON (an array of constraints, or `ananke extract --json` output)')
    .option('--format <format>', 'what to write: ir (the ConstraintIR as JSON), lark or gbnf (its grammar)', 'ir')
    .option('--portable', 'print the grammar without Ananke\'s extensions (indentation expanded; for servers that lack them)')
    .option('-o, --output <file>', 'write the output to this file instead of standard output')
    .option('--json', 'print a JSON report: timings (extractMs, braidMs, engineCompileMs), every constraint\'s enforcement, conflicts, and the output')
    .option('--check <candidate>', 'check this file\'s text as the generated part of the target instead of writing the IR')
    .option('--min-confidence <0..1>', `evidence-based naming and type rules are hard from this confidence (default: ${DEFAULT_MIN_CONFIDENCE})`)
    .option('--min-examples <n>', `... and this many examples (default: ${DEFAULT_MIN_EXAMPLES})`)
    .option('--no-cache', 'do not read or write the extraction cache')
    .addHelpText('after', `
Examples:
  $ ananke compile src --target function:src/core/stats.ts:percentile -o ir.json
  $ ananke compile src --target body:src/core/stats.ts:percentile --format lark --portable
  $ ananke compile src --target function:src/core/stats.ts:percentile --check candidate.ts
  $ ananke compile --constraints rules.ariadne --target module:python --format gbnf
  $ ananke compile --target json:schema.json --check doc.json --json

Exit status: 0 compiled (with --check: the candidate is allowed and every post-generation check
passed), 1 the candidate is rejected or a check failed, 2 usage, an invalid constraint file or
grammar, or constraints that leave nothing generable (CONFLICT), 3 a file not found.`)
    .action(async (context: string[], opts: CompileCliOptions) => {
      process.exitCode = await runCompile(context, opts);
    });
}

async function runCompile(context: string[], opts: CompileCliOptions): Promise<number> {
  if (!(FORMATS as readonly string[]).includes(opts.format)) throw new AnankeError('USAGE', `--format must be one of ${FORMATS.join(', ')}, got '${opts.format}'`);
  const target = parseTarget(opts.target, { signature: opts.signature });
  if (opts.signature !== undefined && target.kind !== 'new') throw new AnankeError('USAGE', '--signature applies to new: targets only');
  const cfg = loadConfig();
  const minConfidence = opts.minConfidence !== undefined ? numberOption('--min-confidence', opts.minConfidence, 0, 1) : cfg.minConfidence;
  const minExamples = opts.minExamples !== undefined ? intOption('--min-examples', opts.minExamples) : cfg.minExamples;
  const braidOpts: BraidOptions = {
    ...(minConfidence !== undefined ? { minConfidence } : {}),
    ...(minExamples !== undefined ? { minExamples } : {}),
  };
  const cacheDir = process.env['ANANKE_CACHE_DIR'] ? undefined : cfg.cacheDir;

  const t0 = performance.now();
  const constraints: Constraint[] = [];
  let files: FileFacts[] = [];
  if (context.length > 0) {
    const r = await extractRepo(context, { cache: opts.cache, minConfidence: 0, ...(cacheDir ? { cacheDir } : {}) });
    constraints.push(...r.constraints);
    files = r.facts.files;
  }
  constraints.push(...(await readConstraintFiles([...(cfg.constraints ?? []), ...(opts.constraints ?? [])])));
  const extractMs = performance.now() - t0;

  const resolved = withCodebaseIndent(await resolveTarget(target), files);
  constraints.push(...resolved.derived);
  const t1 = performance.now();
  const braid = await Braid.create(4);
  const { ir, grammar } = braid.compile(constraints, resolved.ctx, braidOpts);
  const braidMs = performance.now() - t1;
  const t2 = performance.now();
  const cg = compile(grammar, byteTokenizer());
  const engineCompileMs = performance.now() - t2;
  if (firstMaskEmpty(cg)) {
    const decode = ir.enforcement.filter((e) => e.mode === 'decode').map((e) => e.id);
    throw new AnankeError('CONFLICT', `the constraints leave nothing generable at ${formatTarget(target)}: the grammar accepts no text (constraints enforced in it: ${decode.join(', ') || 'none'})`);
  }
  const timings = { extractMs: round(extractMs), braidMs: round(braidMs), engineCompileMs: round(engineCompileMs) };

  if (opts.check !== undefined) return runCheck(opts, constraints, resolved, braid, braidOpts, ir, cg, timings);

  // Portable: as Maze sends servers (10 levels; a Python function's body at its depth in its file's unit).
  const portable = portableOptionsFor(ir);
  const output = opts.format === 'ir' ? `${JSON.stringify(opts.portable ? { ...ir, grammar: printLark(grammar, { portable }) } : ir, null, 2)}\n`
    : opts.format === 'lark' ? printLark(grammar, opts.portable ? { portable } : undefined)
    : printGbnf(portableGrammar(grammar, portable));
  const report = { target: formatTarget(target), language: ir.language, timings, constraints: constraints.length, enforcement: ir.enforcement, conflicts: ir.conflicts, format: opts.format, output: opts.format === 'ir' ? JSON.parse(output) as unknown : output };
  const counts = countModes(ir);
  const summary = `ananke: compiled ${constraints.length} constraints for ${formatTarget(target)} (${ir.language}): ${counts}; extract ${timings.extractMs} ms, braid ${timings.braidMs} ms, engine compile ${timings.engineCompileMs} ms\n`;
  if (opts.output !== undefined) {
    writeOut(opts.output, opts.json ? `${JSON.stringify(report, null, 2)}\n` : output);
    process.stderr.write(summary.replace(/\n$/, `; wrote ${opts.output}\n`));
  } else if (opts.json) {
    process.stdout.write(`${JSON.stringify(report, null, 2)}\n`);
  } else {
    process.stdout.write(output);
    process.stderr.write(summary);
  }
  return EXIT.OK;
}

function firstMaskEmpty(cg: ReturnType<typeof compile>): boolean {
  const m = cg.matcher();
  if (m.isAccepting()) return false;
  const bits = new Uint32Array(cg.maskWords);
  m.computeMask(bits);
  return bits.every((w) => w === 0);
}

function countModes(ir: ConstraintIR): string {
  const n: Record<string, number> = {};
  for (const e of ir.enforcement) n[e.mode] = (n[e.mode] ?? 0) + 1;
  const biased = ir.enforcement.filter((e) => e.bias !== undefined).length;
  return ['decode', 'check', 'advisory', 'dropped'].map((m) => `${n[m] ?? 0} ${m === 'decode' ? 'enforced while decoding' : m === 'check' ? 'checked after' : m === 'advisory' && biased > 0 ? `advisory (${biased} biased)` : m}`).join(', ');
}

function writeOut(file: string, text: string): void {
  try {
    fs.mkdirSync(path.dirname(path.resolve(file)), { recursive: true });
    fs.writeFileSync(file, text);
  } catch (e) {
    throw new AnankeError('IO', `cannot write ${file}: ${(e as Error).message}`, { file });
  }
}

function readCandidate(file: string): string {
  return file === '-' ? fs.readFileSync(0, 'utf8') : readTextFile(file, 'candidate file');
}

/** The text the target's grammar reads for a candidate, and where the candidate starts in it. */
function checkedText(resolved: ResolvedTarget, candidate: string, rangeOnly: boolean): { text: string; offset: number } {
  const ctx = resolved.ctx;
  if (ctx.target.kind === 'fim' && !rangeOnly) return { text: `${ctx.prefix ?? ''}${candidate}${ctx.suffix ?? ''}`, offset: (ctx.prefix ?? '').length };
  return { text: candidate, offset: 0 };
}

function checkWith(grammar: Grammar, text: string): CheckResult {
  return compile(grammar, byteTokenizer()).check(text);
}

async function runCheck(
  opts: CompileCliOptions, constraints: Constraint[], resolved: ResolvedTarget, braid: Braid, braidOpts: BraidOptions,
  ir: ConstraintIR, cg: CompiledGrammar, timings: Record<string, number>,
): Promise<number> {
  const candidate = readCandidate(opts.check!);
  const rangeOnly = ir.rangeOnly === true;
  const { text, offset } = checkedText(resolved, candidate, rangeOnly);
  // The IR's grammar is compiled once (runCompile); the variants without constraints are compiled here.
  const r = cg.check(text);
  let rejectedBy: string[] = [];
  let syntax = false;
  let cause: 'syntax' | 'constraints' | 'signature' | 'suffix' | undefined;
  const head = resolved.ctx.head;
  const at = (r.offset ?? 0) - Buffer.byteLength(text.slice(0, offset), 'utf8');
  if (!r.accepted && head !== undefined && at < Buffer.byteLength(head, 'utf8')) {
    // The declaration head is the target's own (forced as written): the candidate departs from it.
    cause = 'signature';
    rejectedBy = ir.enforcement.filter((e) => e.mode === 'decode' && ir.constraints.find((c) => c.id === e.id)?.rule.type === 'signature').map((e) => e.id);
  } else if (!r.accepted && resolved.ctx.target.kind === 'fim' && at > Buffer.byteLength(candidate, 'utf8')) {
    cause = 'suffix';
  } else if (!r.accepted) {
    // Which constraints: the target with no constraints at all must get further, and each
    // constraint enforced in the grammar is implicated when leaving it out gets further too.
    const free = braid.compile([], resolved.ctx, braidOpts);
    const base = checkWith(free.grammar, text);
    if (!base.accepted && (base.offset ?? 0) <= (r.offset ?? 0)) { syntax = true; cause = 'syntax'; }
    else {
      for (const e of ir.enforcement) {
        if (e.mode !== 'decode') continue;
        const without = braid.compile(constraints.filter((c) => c.id !== e.id), resolved.ctx, braidOpts);
        const w = checkWith(without.grammar, text);
        if (w.accepted || (w.offset ?? 0) > (r.offset ?? 0)) rejectedBy.push(e.id);
      }
      if (rejectedBy.length === 0) rejectedBy = ir.enforcement.filter((e) => e.mode === 'decode').map((e) => e.id);
      cause = 'constraints';
    }
  }
  // A typed hole's grammar reads the range alone: the whole file must still read as its language.
  let wholeFile: CheckResult | undefined;
  if (rangeOnly && isProgramLanguage(ir.language)) {
    wholeFile = compile(loadProgramGrammar(ir.language), byteTokenizer()).check(`${ir.prefix ?? ''}${candidate}${ir.suffix ?? ''}`);
  }
  const { results: post, firstLine } = await postCheckInFile(ir, resolved, candidate);
  // Lines of the spliced file, read as lines of the candidate.
  for (const p of post) for (const v of p.violations) v.line = v.line - firstLine + 1;
  const failed = post.filter((p) => p.checked && !p.satisfied);
  const unchecked = post.filter((p) => !p.checked);
  const accepted = r.accepted && failed.length === 0 && (wholeFile?.accepted ?? true);
  const where = r.accepted ? undefined : { line: r.line, column: r.column, offsetInCandidate: at };
  const report = {
    target: formatTarget(resolved.ctx.target), candidate: opts.check, accepted, timings,
    grammar: r.accepted ? { accepted: true } : { accepted: false, ...where, expected: r.expected, message: r.message, cause, constraintIds: rejectedBy },
    ...(wholeFile ? { wholeFile: { accepted: wholeFile.accepted, ...(wholeFile.accepted ? {} : { line: wholeFile.line, column: wholeFile.column, message: wholeFile.message }) } } : {}),
    postChecks: post,
  };
  if (opts.json) {
    process.stdout.write(`${JSON.stringify(report, null, 2)}\n`);
  } else {
    let out = '';
    if (r.accepted) out += `grammar: accepted (${candidate.length} characters at ${formatTarget(resolved.ctx.target)})\n`;
    else {
      out += `grammar: rejected at line ${r.line}, column ${r.column}: ${r.message}\n`;
      out += cause === 'signature' ? `  cause: the declaration head differs from the target's, which is kept as written${rejectedBy.length ? ` (${rejectedBy.join(', ')})` : ''}\n`
        : cause === 'suffix' ? '  cause: the text after the range cannot follow the candidate\n'
        : syntax ? '  cause: the text is not valid at this target even without constraints\n' : `  cause: constraints ${rejectedBy.join(', ')}\n`;
      for (const id of rejectedBy) {
        const c = ir.constraints.find((x) => x.id === id);
        if (c) out += `    ${id}: ${c.description}\n`;
      }
    }
    if (wholeFile && !wholeFile.accepted) out += `whole file: rejected at line ${wholeFile.line}, column ${wholeFile.column}: ${wholeFile.message}\n`;
    for (const p of post) {
      if (!p.checked) continue;
      if (p.satisfied) continue;
      out += `check ${p.constraintId} (${p.kind}): violated\n`;
      for (const v of p.violations) out += `  line ${v.line}${v.column !== undefined ? `:${v.column}` : ''}: ${v.message}\n`;
    }
    const passed = post.filter((p) => p.satisfied).length;
    out += `${accepted ? 'accepted' : 'rejected'}: ${passed} post-generation checks passed, ${failed.length} failed, ${unchecked.length} not verifiable here\n`;
    process.stdout.write(out);
  }
  return accepted ? EXIT.OK : EXIT.NO;
}
