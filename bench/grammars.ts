/**
 * The program grammars (grammars/*.lark) on real code:
 * - coverage: every file of each corpus (bench/lib/corpora.ts; install steps in bench/README.md)
 *   checked whole against its language's grammar; rejected files listed with line:column, what
 *   was expected and the line's text, in bench/results/grammars-coverage.json. For TypeScript also
 *   functions: a lower bound that counts a function as accepted when its file is, or when it ends
 *   before the file's first rejection.
 * - speed: grammar compile, and token-by-token masks over accepted files with the Llama-3 and
 *   Qwen3 vocabularies, beside the JSON grammar over MaskBench documents in the same run; each
 *   program grammar three times: freshly compiled; freshly compiled then warmed on its language's
 *   warm-up texts (grammars/warm-up/, src/engine/warm-up/program-warm-up.ts); and freshly compiled
 *   after another compile walked the warm-up texts, as a server's per-request grammars after a
 *   warm-up at startup (the walks in the store shared between grammars, matcher/shared-plans.ts,
 *   are all the two share). Each starts with an empty shared store.
 * - soundness: 1,000 texts sampled from each grammar (100 with --quick) must parse in the
 *   language's tree-sitter grammar without an ERROR or MISSING node (Python: CPython's parser,
 *   `ast.parse`, bench/lib/python-oracle.ts, when python3 is installed; what compile() refuses
 *   beyond it, bindings and scopes, is reported beside by category; Rust: rustc's parser,
 *   bench/lib/rust-oracle.ts, when rustc is installed).
 * Run alone: node --import tsx bench/grammars.ts [--quick] [--lang python,go]
 */
import { mkdirSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import {
  byteTokenizer, compile, EngineError, loadProgramGrammar, loadTokenizer, parseLark, prepareTokenizer, programGrammarPath, programGrammarText,
  warmUpProgram, type CompiledGrammar, type ProgramLanguage, type Tokenizer,
} from '../src/engine/index.ts';
import { extractFile } from '../src/clew/index.ts';
import { checkGrammarSoundness, TREE_SITTER_ADJUSTMENTS, walkTokens, type SoundnessReport } from '../src/eval/index.ts';
import { argValue } from './lib/args.ts';
import { corpora, spread, type Corpus } from './lib/corpora.ts';
import { maskbenchDocs } from './engine.ts';
import { resetSharedPlans } from '../src/engine/matcher/shared-plans.ts';
import { adjustPythonForCPython, unicodeNameLookup } from './lib/python-adjustments.ts';
import { pythonSoundnessJudge, startPythonOracle, type CompileReport } from './lib/python-oracle.ts';
import { RUST_ORACLE_EDITION, startRustOracle } from './lib/rust-oracle.ts';
import { treeSitterJudge } from './lib/tree-sitter-judge.ts';
import { adjustTypeScriptForTreeSitter } from './lib/typescript-adjustments.ts';
import { summarize, type Summary } from './lib/stats.ts';
import type { BenchOptions, BenchSuite, Measurement, SuiteResult, TargetCheck } from './lib/types.ts';

const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const REPORT = path.join(ROOT, 'bench/results/grammars-coverage.json');

/** Coverage targets (files accepted whole), per language. */
const FILE_TARGETS: Record<ProgramLanguage, number> = { typescript: 0.98, javascript: 0.95, python: 0.97, go: 0.95, rust: 0.95 };
const TS_FUNCTION_TARGET = 0.99;
const MASK_P50_TARGET_US = 20;
const MASK_P99_TARGET_US = 500;
const COMPILE_TARGET_MS = 50;
/** Files above this size are left out of coverage (generated tables, not code people write). */
const MAX_FILE_BYTES = 512 * 1024;
/** Speed: accepted files of at most this many bytes, and this many tokens per language and vocabulary. */
const SPEED_FILE_BYTES = 16 * 1024;
const SPEED_TOKENS = 20_000;
const SOUNDNESS_SAMPLES = 1000;
/** The tree-sitter grammar that judges each program grammar's samples. */
const TREE_SITTER: Record<ProgramLanguage, 'typescript' | 'javascript' | 'python' | 'go' | 'rust'> = {
  typescript: 'typescript', javascript: 'javascript', python: 'python', go: 'go', rust: 'rust',
};

export interface Rejection {
  path: string;
  line?: number;
  column?: number;
  expected?: string[];
  /** The rejected line's text (trimmed), or why the file could not be checked. */
  construct: string;
}

export interface LanguageCoverage {
  lang: ProgramLanguage;
  corpus: string;
  files: number;
  accepted: number;
  ratio: number;
  skipped: number;
  functions?: { total: number; accepted: number; ratio: number };
  checkMs: Summary;
  rejected: Rejection[];
}

function readText(file: string): string | undefined {
  if (statSync(file).size > MAX_FILE_BYTES) return undefined;
  try {
    return new TextDecoder('utf-8', { fatal: true }).decode(readFileSync(file));
  } catch {
    return undefined;
  }
}

async function coverage(corpus: Corpus, cg: CompiledGrammar, files: string[]): Promise<{ cov: LanguageCoverage; acceptedTexts: string[] }> {
  const rejected: Rejection[] = [];
  const times: number[] = [];
  const acceptedTexts: string[] = [];
  let accepted = 0;
  let skipped = 0;
  let fnTotal = 0;
  let fnAccepted = 0;
  for (const file of files) {
    const text = readText(file);
    if (text === undefined) {
      skipped++;
      continue;
    }
    const rel = path.relative(corpus.root, file);
    const t0 = performance.now();
    let r;
    try {
      r = cg.check(text);
    } catch (e) {
      if (!(e instanceof EngineError && e.code === 'LIMIT')) throw e;
      times.push(performance.now() - t0);
      rejected.push({ path: rel, construct: `limit: ${e.message}` });
      continue;
    }
    times.push(performance.now() - t0);
    if (r.accepted) {
      accepted++;
      if (text.length <= SPEED_FILE_BYTES) acceptedTexts.push(text);
    } else {
      const line = text.split('\n')[(r.line ?? 1) - 1] ?? '';
      rejected.push({ path: rel, line: r.line, column: r.column, expected: r.expected?.slice(0, 8), construct: line.trim().slice(0, 160) });
    }
    if (corpus.lang === 'typescript') {
      const facts = await extractFile(file, text, 'typescript');
      for (const f of facts.functions) {
        fnTotal++;
        if (r.accepted || (r.line !== undefined && (f.endLine ?? f.line) < r.line)) fnAccepted++;
      }
    }
  }
  const checked = files.length - skipped;
  const cov: LanguageCoverage = {
    lang: corpus.lang, corpus: corpus.name, files: checked, accepted, ratio: checked ? accepted / checked : NaN, skipped,
    checkMs: summarize(times), rejected,
  };
  if (corpus.lang === 'typescript') cov.functions = { total: fnTotal, accepted: fnAccepted, ratio: fnTotal ? fnAccepted / fnTotal : NaN };
  return { cov, acceptedTexts };
}

/** Mask times token by token over texts, until `SPEED_TOKENS` masks. */
function maskTimes(cg: CompiledGrammar, texts: string[]): { summary: Summary; tokens: number; rejected: number } {
  const all: number[] = [];
  let rejected = 0;
  for (const t of texts) {
    if (all.length >= SPEED_TOKENS) break;
    const w = walkTokens(cg, t);
    if (!w.accepted) rejected++;
    all.push(...w.perTokenUs);
  }
  return { summary: summarize(all), tokens: all.length, rejected };
}

/** The mask-speed target row: p50 and p99 within MASK_P50_TARGET_US / MASK_P99_TARGET_US, and `ok`. */
function maskTarget(metric: string, s: Summary, ok = true): TargetCheck {
  const met = ok && s.p50 <= MASK_P50_TARGET_US && s.p99 <= MASK_P99_TARGET_US;
  return { component: 'grammars', metric, target: `≤ ${MASK_P50_TARGET_US} / ${MASK_P99_TARGET_US} µs`, measured: s.p50, unit: 'µs', met, note: `p99 ${s.p99.toFixed(0)} µs` };
}

/** Compile runs per grammar and vocabulary; the best is reported (the first pays for JIT warm-up). */
const COMPILE_RUNS = 3;

function timeCompile(text: string, tok: Tokenizer): { cg: CompiledGrammar; ms: number } {
  let best = Infinity;
  let cg: CompiledGrammar | undefined;
  for (let i = 0; i < COMPILE_RUNS; i++) {
    const t0 = performance.now();
    cg = compile(parseLark(text), tok);
    best = Math.min(best, performance.now() - t0);
  }
  return { cg: cg!, ms: best };
}

async function run(opts: BenchOptions & { langs?: string[] }): Promise<SuiteResult> {
  const measurements: Measurement[] = [];
  const targets: TargetCheck[] = [];
  const ratios: Record<string, number> = {};
  const report: { coverage: LanguageCoverage[]; speed: Record<string, unknown>[]; soundness: Array<{ lang: string; judge: string; compile?: CompileReport } & SoundnessReport> } = { coverage: [], speed: [], soundness: [] };
  const vocabularies = ['llama3', 'qwen3'].map((n) => {
    const tok = loadTokenizer(n);
    prepareTokenizer(tok);
    return tok;
  });
  const speedTexts = new Map<ProgramLanguage, string[]>();
  for (const corpus of corpora(ROOT)) {
    if (opts.langs && !opts.langs.includes(corpus.lang)) continue;
    let grammarText: string;
    try {
      grammarText = programGrammarText(corpus.lang);
    } catch {
      measurements.push({ name: `${corpus.lang} coverage`, unit: 'count', value: 0, note: `${programGrammarPath(corpus.lang)} not found: skipped` });
      continue;
    }
    const files = opts.quick ? spread(corpus.files, 60) : corpus.files;
    const { cg } = timeCompile(grammarText, byteTokenizer());
    const { cov, acceptedTexts } = await coverage(corpus, cg, files);
    report.coverage.push(cov);
    speedTexts.set(corpus.lang, [...(speedTexts.get(corpus.lang) ?? []), ...spread(acceptedTexts, 40)]);
    measurements.push({ name: `${corpus.lang} files accepted whole`, unit: 'ratio', value: cov.ratio, note: `${cov.accepted} of ${cov.files} (${corpus.name})${cov.skipped ? `; ${cov.skipped} skipped (over ${MAX_FILE_BYTES / 1024} KB or not UTF-8)` : ''}` });
    measurements.push({ name: `${corpus.lang} check time per file`, unit: 'us', summary: scale(cov.checkMs, 1000) });
    targets.push({ component: 'grammars', metric: `${corpus.lang}: files accepted`, target: `≥ ${FILE_TARGETS[corpus.lang] * 100}%`, measured: cov.ratio * 100, unit: '%', met: cov.ratio >= FILE_TARGETS[corpus.lang], note: `${cov.accepted}/${cov.files}` });
    if (cov.functions) {
      targets.push({ component: 'grammars', metric: `${corpus.lang}: functions accepted (lower bound)`, target: `≥ ${TS_FUNCTION_TARGET * 100}%`, measured: cov.functions.ratio * 100, unit: '%', met: cov.functions.ratio >= TS_FUNCTION_TARGET, note: `${cov.functions.accepted}/${cov.functions.total}` });
    }
  }
  // Speed, per grammar and vocabulary, with the JSON grammar in the same run for comparison.
  const jsonText = readFileSync(path.join(ROOT, 'grammars/json.lark'), 'utf8');
  const workloads: Array<[string, string, string[]]> = [['json', jsonText, maskbenchDocs(60)]];
  for (const [lang, texts] of speedTexts) {
    if (lang !== 'javascript') workloads.push([lang, programGrammarText(lang), texts]);
  }
  for (const [name, text, docs] of workloads) {
    if (docs.length === 0) continue;
    for (const tok of vocabularies) {
      // Each measurement starts with an empty store of shared walks: none takes the walks an
      // earlier one built on the same texts.
      resetSharedPlans(tok);
      const { cg, ms } = timeCompile(text, tok);
      const m = maskTimes(cg, docs);
      report.speed.push({ grammar: name, tokenizer: tok.name, compileMs: ms, tokens: m.tokens, rejected: m.rejected, mask: m.summary });
      measurements.push({ name: `${name} mask per token (${tok.name})`, unit: 'us', summary: m.summary, note: `${m.tokens} masks; compile ${ms.toFixed(1)} ms` });
      if (name === 'json') continue;
      targets.push(maskTarget(`${name} mask p50 / p99, fresh grammar (${tok.name})`, m.summary));
      targets.push({ component: 'grammars', metric: `${name} compile (${tok.name})`, target: `≤ ${COMPILE_TARGET_MS} ms`, measured: ms, unit: 'ms', met: ms <= COMPILE_TARGET_MS });
      // The same texts on another fresh grammar that first walked the language's warm-up texts
      // (grammars/warm-up/, none of them in a corpus): what a process that keeps the grammar sees.
      resetSharedPlans(tok);
      const warm = compile(parseLark(text), tok);
      const w = warmUpProgram(warm, name as ProgramLanguage);
      const mw = maskTimes(warm, docs);
      report.speed.push({ grammar: name, tokenizer: tok.name, warmUp: { texts: w.texts, masks: w.masks, refused: w.refused, ms: w.ms }, tokens: mw.tokens, rejected: mw.rejected, mask: mw.summary });
      measurements.push({ name: `${name} mask per token after the warm-up (${tok.name})`, unit: 'us', summary: mw.summary, note: `${mw.tokens} masks; warm-up ${w.masks} masks of ${w.texts} texts in ${w.ms.toFixed(0)} ms${w.refused ? `, ${w.refused} refused` : ''}` });
      targets.push(maskTarget(`${name} mask p50 / p99 after the warm-up (${tok.name})`, mw.summary, w.refused === 0));
      // A per-request grammar: compiled afresh after another compile walked the warm-up texts.
      resetSharedPlans(tok);
      warmUpProgram(compile(parseLark(text), tok), name as ProgramLanguage);
      const mr = maskTimes(compile(parseLark(text), tok), docs);
      report.speed.push({ grammar: name, tokenizer: tok.name, perRequest: true, tokens: mr.tokens, rejected: mr.rejected, mask: mr.summary });
      measurements.push({ name: `${name} mask per token, a fresh compile after another's warm-up (${tok.name})`, unit: 'us', summary: mr.summary, note: `${mr.tokens} masks` });
      targets.push(maskTarget(`${name} mask p50 / p99, a fresh compile after another's warm-up (${tok.name})`, mr.summary));
    }
  }
  for (const s of report.speed) {
    if (s.warmUp !== undefined || s.perRequest !== undefined) continue;
    const json = report.speed.find((j) => j.grammar === 'json' && j.tokenizer === s.tokenizer);
    const key = `grammar_${String(s.grammar)}_${String(s.tokenizer)}_p50_vs_json`;
    if (s.grammar !== 'json' && json) ratios[key] = (s.mask as Summary).p50 / (json.mask as Summary).p50;
  }
  // Soundness: what the grammar generates, the language's own parser must read.
  for (const lang of ['typescript', 'python', 'go', 'rust'] as const) {
    if (opts.langs && !opts.langs.includes(lang)) continue;
    if (!speedTexts.has(lang) && !report.coverage.some((c) => c.lang === lang)) continue;
    const treeSitter = treeSitterJudge(TREE_SITTER[lang]);
    // Python's judge is CPython's parser when there is one (tree-sitter-python is narrower);
    // compile()'s verdict comes in the same round trip and is reported beside, not counted.
    const python = lang === 'python' ? startPythonOracle() : undefined;
    const pyJudge = python ? pythonSoundnessJudge(python) : undefined;
    // Rust's judge is rustc's own parser when rustc is installed (tree-sitter-rust is narrower than Rust).
    const rust = lang === 'rust' ? startRustOracle() : undefined;
    const judge = python ? `CPython ${python.version} parser (ast.parse)` : rust ? `${rust.version} parser (edition ${RUST_ORACLE_EDITION})` : `tree-sitter-${TREE_SITTER[lang]}`;
    const n = opts.quick ? SOUNDNESS_SAMPLES / 10 : SOUNDNESS_SAMPLES;
    let sound: SoundnessReport;
    try {
      // Rewrites for judges narrower than their language (tree-sitter) or for tables the grammar
      // does not hold (Python's character names), each counted in the report.
      const adjust = python ? adjustPythonForCPython(unicodeNameLookup(python.python))
        : rust ? undefined : lang === 'typescript' ? adjustTypeScriptForTreeSitter : TREE_SITTER_ADJUSTMENTS[lang];
      sound = await checkGrammarSoundness(loadProgramGrammar(lang), pyJudge ? pyJudge.parse : rust ? rust.parse : treeSitter, { n, seed: 1, adjust });
    } finally {
      python?.close();
      rust?.close();
    }
    const compiled = pyJudge?.report(sound, 1);
    report.soundness.push({ lang, judge, ...sound, ...(compiled ? { compile: compiled } : {}) });
    const ok = sound.parsed / sound.samples;
    measurements.push({ name: `${lang} samples that ${judge} parses`, unit: 'ratio', value: ok, note: `${sound.parsed} of ${sound.samples}; ${sound.unsampled.length} seeds unsampled; rewrites: ${JSON.stringify(sound.adjusted ?? {})}; ${(sound.ms / 1000).toFixed(1)} s` });
    targets.push({ component: 'grammars', metric: `${lang}: sampled texts parse (${judge})`, target: '100%', measured: ok * 100, unit: '%', met: sound.failed === 0 && sound.unsampled.length === 0, note: `${sound.failed} failures of ${sound.samples}` });
    if (compiled) {
      // Not a target: the symbol table's and code generator's checks are not syntax.
      measurements.push({ name: `${lang} samples that ${compiled.judge} also accepts`, unit: 'ratio', value: compiled.judged ? compiled.accepted / compiled.judged : NaN, note: `${compiled.accepted} of the ${compiled.judged} the parser accepts; refused: ${JSON.stringify(compiled.categories)}` });
    }
  }
  mkdirSync(path.dirname(REPORT), { recursive: true });
  writeFileSync(REPORT, JSON.stringify(report, null, 2) + '\n');
  measurements.push({ name: 'coverage report', unit: 'count', value: report.coverage.reduce((n, c) => n + c.rejected.length, 0), note: `rejected files listed in ${path.relative(ROOT, REPORT)}` });
  return { suite: 'grammars', measurements, targets, ratios };
}

function scale(s: Summary, k: number): Summary {
  return { n: s.n, avg: s.avg * k, p25: s.p25 * k, p50: s.p50 * k, p75: s.p75 * k, p90: s.p90 * k, p95: s.p95 * k, p99: s.p99 * k, p999: s.p999 * k, max: s.max * k };
}

export const suite: BenchSuite = { name: 'grammars', run };

if (import.meta.url === pathToFileURL(process.argv[1] ?? '').href) {
  const langs = argValue('--lang')?.split(',');
  const r = await run({ quick: process.argv.includes('--quick'), calibrationUs: 1, langs });
  for (const m of r.measurements) console.log(`${m.name}: ${m.summary ? `p50 ${m.summary.p50.toFixed(2)} p99 ${m.summary.p99.toFixed(2)} max ${m.summary.max.toFixed(0)}` : m.value}${m.note ? ` (${m.note})` : ''}`);
  for (const t of r.targets) console.log(`${t.met ? 'met   ' : 'MISSED'} ${t.metric}: ${t.measured?.toFixed(2)} ${t.unit} (target ${t.target})${t.note ? ` ${t.note}` : ''}`);
}
