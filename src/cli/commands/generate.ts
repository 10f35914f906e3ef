/**
 * `ananke generate "<prompt>"`: the whole pipeline — extract the context's constraints (Clew),
 * compile them for the target (Braid), generate under the IR (Maze: a local model masked per step,
 * or an inference server given the constraint in its own format), and check the result again (the
 * engine, then Clew's post-generation checks). Code on stdout as it is produced; progress and a
 * one-line summary on stderr; `--json` for `{ code, report, stats }`.
 */
import fs from 'node:fs';
import path from 'node:path';
import type { Command } from 'commander';
import { AnankeError, EXIT, isLanguage, type Constraint, type FileFacts, type Language, type Target } from '../../core/index.ts';
import { Braid, formatTarget, parseTarget } from '../../braid/index.ts';
import { extractRepo } from '../../clew/index.ts';
import {
  biasReason, DEFAULT_SAMPLING, isBackendKind, isServerKind, GRAMMAR_FORMATS, LocalBackend, loadLocalModel, ModalBackend, OpenAICompatibleBackend, SERVER_KINDS,
  type BackendKind, type GenerationBackend, type GrammarFormat, type LocalModel, type RetryEvent, type ServerBackendOptions,
} from '../../maze/index.ts';
import { loadConfig } from '../config.ts';
import { intOption, numberOption } from '../parse-number.ts';
import { readConstraintFiles } from '../constraint-files.ts';
import { generationPrompt, postCheckInFile, resolveTarget, withCodebaseIndent } from '../../eval/index.ts';

interface GenerateOptions {
  context?: string[];
  target?: string;
  signature?: string;
  constraints?: string[];
  model?: string;
  seed?: string;
  maxTokens?: string;
  minConfidence?: string;
  minExamples?: string;
  temperature?: string;
  topP?: string;
  topK?: string;
  stop?: string[];
  presencePenalty?: string;
  frequencyPenalty?: string;
  threads?: string;
  json?: boolean;
  output?: string;
  cache: boolean;
  backend?: string;
  endpoint?: string;
  server?: string;
  apiKey?: string;
  timeout?: string;
  grammarFormat?: string;
  completeBytes?: string;
  reserveTokens?: string;
}

const DEFAULT_MAX_TOKENS = 256;

export function configure(cmd: Command): void {
  cmd
    .argument('<prompt>', 'what to write (the model sees it before the code)')
    .option('--context <paths...>', 'source files or folders whose conventions the code must follow (extracted with Clew)')
    .option('--target <spec>', 'where the code goes (as for `compile`); default: a module of the context\'s main language')
    .option('--signature <head>', 'for new: targets, the declaration head')
    .option('--constraints <files...>', 'more constraints: .ariadne or .json files')
    .option('--backend <kind>', 'where the text comes from: local (a GGUF model here, default), openai (an OpenAI-compatible server: vLLM, SGLang, llama.cpp, OpenAI, ananke serve) or modal (the POST /generate protocol)')
    .option('--endpoint <url>', 'the server\'s base URL for --backend openai|modal (e.g. http://127.0.0.1:8000)')
    .option('--server <kind>', `for --backend openai: ${SERVER_KINDS.join(', ')} (which request format the server documents)`)
    .option('--model <path|test|name>', 'local: a GGUF model file, or `test` for Ananke\'s random-weight test model (default: $ANANKE_MODEL, else test); servers: the model name (default: the first the server lists)')
    .option('--api-key <key>', 'sent as "Authorization: Bearer <key>" to the server (default: $ANANKE_API_KEY)')
    .option('--timeout <seconds>', 'servers: the longest one request may take, per attempt (default 120)')
    .option('--complete-bytes <n>', 'servers: a text cut off by max_tokens that the grammar does not accept gets the grammar\'s shortest completion appended when it is at most N bytes (default 128; 0: never)')
    .option('--reserve-tokens <n>', 'servers: ask for N tokens fewer than --max-tokens, kept for that completion (default 0)')
    .option('--grammar-format <format>', 'servers: send the grammar as lark or gbnf instead of the server\'s default (json: targets then go as a grammar too; not with --server ananke, which is sent the IR)')
    .option('--seed <n>', 'make the run reproducible')
    .option('--max-tokens <n>', `at most this many tokens (default ${DEFAULT_MAX_TOKENS})`)
    .option('--min-confidence <0..1>', 'evidence needed for naming and type rules to be hard (default 0.95)')
    .option('--min-examples <n>', '... and this many examples (default 20)')
    .option('--temperature <t>', 'sampling temperature (0: greedy; default 0.8)')
    .option('--top-p <p>', 'nucleus sampling (default 0.95)')
    .option('--top-k <k>', 'sample among the k likeliest allowed tokens (0: off; default 40 locally, the server\'s own otherwise; not sent to --server openai)')
    .option('--stop <text>', 'end the code before the first occurrence of this text (repeatable; \\n, \\t and \\\\ are read as escapes); a text cut before the grammar could end is reported, and exits 1', (v: string, prev: string[] = []) => [...prev, v])
    .option('--presence-penalty <p>', 'subtracted from every token already generated (-2 to 2; default 0)')
    .option('--frequency-penalty <p>', 'subtracted per occurrence from tokens already generated (-2 to 2; default 0)')
    .option('--threads <n>', 'CPU threads for the model (default: the cores, at most 4; 1 for the test model)')
    .option('--json', 'print { code, report, stats } instead of the code')
    .option('-o, --output <file>', 'write the code to this file (written only when the result passes every check)')
    .option('--no-cache', 'do not use the extraction cache')
    .addHelpText('after', `
Examples:
  $ ananke generate "sum of the values" --context src --target new:src/math.ts:40 --signature "export function sum(xs: number[]): number" --model test --seed 1
  $ ananke generate "parse the header" --context lib --target body:lib/io.py:parse_header --model ./qwen2.5-coder-1.5b.gguf
  $ ananke generate "a config object" --target json:config.schema.json --json
  $ ananke generate "parse the header" --context lib --target body:lib/io.py:parse_header --backend openai --server vllm --endpoint http://127.0.0.1:8000

Exit status: 0 the code satisfies every check, 1 it does not (cut off by --max-tokens, or a check
failed, or a server's text that the grammar rejects: the report says which), 2 usage or infeasible
constraints, 3 a file or the model not found, 4 a corrupt model file, 5 a limit (the prompt is
longer than the model's context), 6 a target a server cannot take, 7 a server unreachable, too
slow (--timeout), failing after retries, or refusing the request.`)
    .action(async (prompt: string, opts: GenerateOptions) => {
      process.exitCode = await runGenerate(prompt, opts);
    });
}

/** The language most of the context's files are in (for the default target). */
function mainLanguage(files: ReadonlyArray<{ language: Language }>): Language {
  const n = new Map<Language, number>();
  for (const f of files) n.set(f.language, (n.get(f.language) ?? 0) + 1);
  const best = [...n].sort((a, b) => b[1] - a[1])[0];
  if (!best) throw new AnankeError('USAGE', 'no --target, and no source file in --context to tell the language: give --target module:<language>');
  return best[0] === 'tsx' ? 'typescript' : best[0];
}

/**
 * The error `p` has already failed with, once the callbacks due now have run (a promise rejected
 * by the synchronous part of an async function); undefined while it is still pending or fulfilled.
 */
async function failedAtOnce(p: Promise<unknown>): Promise<unknown> {
  let error: unknown;
  let failed = false;
  p.catch((e: unknown) => { failed = true; error = e; });
  await new Promise((resolve) => setImmediate(resolve));
  return failed ? error ?? new AnankeError('INTERNAL', 'the model failed to load') : undefined;
}

interface BackendSettings {
  kind: BackendKind;
  serverKind?: (typeof SERVER_KINDS)[number];
  grammarFormat?: GrammarFormat;
  server: ServerBackendOptions;
}

/**
 * The backend and its settings, from flags, then ANANKE_* variables, then ananke.toml's [backend];
 * checked before any work, so a mistyped flag costs no extraction. The API key comes only from
 * --api-key or ANANKE_API_KEY: a config file is often committed.
 */
function backendSettings(opts: GenerateOptions, cfg: ReturnType<typeof loadConfig>, progress: (s: string) => void): BackendSettings {
  const kind = opts.backend ?? cfg.backend ?? 'local';
  if (!isBackendKind(kind)) throw new AnankeError('USAGE', `--backend must be local, openai or modal, not '${kind}'`);
  if (kind === 'local') {
    for (const [flag, v] of [['--endpoint', opts.endpoint], ['--server', opts.server], ['--api-key', opts.apiKey], ['--timeout', opts.timeout], ['--grammar-format', opts.grammarFormat], ['--complete-bytes', opts.completeBytes], ['--reserve-tokens', opts.reserveTokens]] as const) {
      if (v !== undefined) throw new AnankeError('USAGE', `${flag} is for --backend openai or modal (the local backend runs the model here)`);
    }
    return { kind, server: { endpoint: '' } };
  }
  const endpoint = opts.endpoint ?? cfg.endpoint;
  if (endpoint === undefined) throw new AnankeError('USAGE', `--backend ${kind} needs --endpoint URL (or ANANKE_ENDPOINT, or endpoint in ananke.toml's [backend])`);
  const timeout = numberOption('--timeout', opts.timeout, 0.001, 3600) ?? cfg.timeout;
  const apiKey = opts.apiKey ?? (process.env['ANANKE_API_KEY'] || undefined);
  const completeBytes = intOption('--complete-bytes', opts.completeBytes, 0, 1 << 20);
  const reserveTokens = intOption('--reserve-tokens', opts.reserveTokens, 0, 1 << 20);
  const server: ServerBackendOptions = {
    endpoint,
    ...(opts.model ?? cfg.serverModel ? { model: opts.model ?? cfg.serverModel } : {}),
    ...(apiKey ? { apiKey } : {}),
    ...(timeout !== undefined ? { timeoutMs: timeout * 1000 } : {}),
    ...(cfg.retries !== undefined ? { retry: { attempts: cfg.retries + 1 } } : {}),
    ...(completeBytes !== undefined || reserveTokens !== undefined
      ? { localCompletion: { ...(completeBytes !== undefined ? { maxBytes: completeBytes } : {}), ...(reserveTokens !== undefined ? { reserveTokens } : {}) } }
      : {}),
    onRetry: (e: RetryEvent) => progress(`${e.reason}; retrying in ${(e.delayMs / 1000).toFixed(1)} s`),
  };
  const grammarFormat = opts.grammarFormat ?? cfg.grammarFormat;
  if (grammarFormat !== undefined && !(GRAMMAR_FORMATS as readonly string[]).includes(grammarFormat)) throw new AnankeError('USAGE', `--grammar-format must be lark or gbnf, not '${grammarFormat}'`);
  const format = grammarFormat !== undefined ? { grammarFormat: grammarFormat as GrammarFormat } : {};
  if (kind === 'modal') {
    if (opts.server !== undefined) throw new AnankeError('USAGE', '--server is for --backend openai (the /generate protocol is one format)');
    return { kind, server, ...format };
  }
  const serverKind = opts.server ?? cfg.server;
  if (serverKind === undefined) throw new AnankeError('USAGE', `--backend openai needs --server ${SERVER_KINDS.join('|')}: each takes the grammar in its own field (or ANANKE_SERVER, or server in ananke.toml's [backend])`);
  if (!isServerKind(serverKind)) throw new AnankeError('USAGE', `--server must be one of ${SERVER_KINDS.join(', ')}, not '${serverKind}'`);
  return { kind, serverKind, server, ...format };
}

async function runGenerate(prompt: string, opts: GenerateOptions): Promise<number> {
  if (prompt.trim() === '') throw new AnankeError('USAGE', 'the prompt is empty');
  // Flags win over ANANKE_* variables, which win over ananke.toml.
  const cfg = loadConfig();
  const maxTokens = intOption('--max-tokens', opts.maxTokens, 1) ?? cfg.maxTokens ?? DEFAULT_MAX_TOKENS;
  const seed = intOption('--seed', opts.seed, 0) ?? cfg.seed;
  const threads = intOption('--threads', opts.threads, 1) ?? cfg.threads;
  const temperature = numberOption('--temperature', opts.temperature, 0, 10) ?? cfg.temperature;
  const topP = numberOption('--top-p', opts.topP, 0, 1) ?? cfg.topP;
  const topK = intOption('--top-k', opts.topK, 0);
  const presence = numberOption('--presence-penalty', opts.presencePenalty, -2, 2);
  const frequency = numberOption('--frequency-penalty', opts.frequencyPenalty, -2, 2);
  const stop = opts.stop?.map((v) => {
    const t = v.replace(/\\([nt\\])/g, (_m, c: string) => (c === 'n' ? '\n' : c === 't' ? '\t' : '\\'));
    if (t === '') throw new AnankeError('USAGE', '--stop needs a non-empty text');
    return t;
  });
  const extra = {
    ...(topK !== undefined ? { topK } : {}),
    ...(presence || frequency ? { penalties: { ...(presence ? { presence } : {}), ...(frequency ? { frequency } : {}) } } : {}),
    ...(stop?.length ? { stop } : {}),
  };
  const minConfidence = numberOption('--min-confidence', opts.minConfidence, 0, 1) ?? cfg.minConfidence;
  const minExamples = intOption('--min-examples', opts.minExamples, 0) ?? cfg.minExamples;
  const cacheDir = process.env['ANANKE_CACHE_DIR'] ? undefined : cfg.cacheDir;
  const progress = (s: string): void => { if (!opts.json) process.stderr.write(`ananke: ${s}\n`); };
  const settings = backendSettings(opts, cfg, progress);

  // What can be checked without the context comes first: the target (its file read and parsed),
  // the context paths, the constraint files. A mistake there is reported before the model loads.
  let target: Target | undefined;
  if (opts.target !== undefined) target = parseTarget(opts.target, { signature: opts.signature });
  else if (opts.signature !== undefined) throw new AnankeError('USAGE', '--signature needs a new: --target');
  for (const p of opts.context ?? []) {
    if (!fs.existsSync(p)) throw new AnankeError('NOT_FOUND', `${p}: no such file or folder`, { file: p });
  }
  const t0 = performance.now();
  const constraints: Constraint[] = [...(await readConstraintFiles([...(cfg.constraints ?? []), ...(opts.constraints ?? [])]))];
  const targetResolved = target !== undefined ? await resolveTarget(target) : undefined;
  const checkMs = performance.now() - t0;

  // The local model loads while Clew extracts and Braid compiles (most of a load is llama.cpp's own
  // work, off this thread). What loadLocalModel can tell from the file alone (no such file, not a
  // GGUF, a vocabulary the engine cannot reproduce) rejects at once and is reported before anything
  // else is done; a later failure is reported where the model is awaited. When the pipeline fails
  // first, the model is disposed of once loaded, and its own failure, if any, goes unreported.
  const tLoad = performance.now();
  let loading: Promise<{ model: LocalModel; at: number }> | undefined;
  if (settings.kind === 'local') {
    let nativeLoad!: () => void;
    const native = new Promise<void>((resolve) => { nativeLoad = resolve; });
    loading = loadLocalModel(opts.model ?? cfg.model ?? 'test', { threads, ...(cacheDir ? { cacheDir } : {}), onNativeLoad: () => nativeLoad() })
      .then((model) => ({ model, at: performance.now() }));
    const early = await failedAtOnce(loading);
    if (early !== undefined) throw early;
    // The runtime's import and start, and node-llama-cpp's read of the header, take this thread:
    // done first, llama.cpp's own load of the weights and vocabulary then runs on its thread beside
    // the extraction instead of after it. (A failure before that is the load's, reported where the
    // model is awaited.)
    await Promise.race([native, loading.then(() => undefined, () => undefined)]);
  }
  const dropModel = (): void => { void loading?.then(({ model }) => model.dispose()).catch(() => undefined); };

  let extractMs: number;
  let braidMs: number;
  let resolved: Awaited<ReturnType<typeof resolveTarget>>;
  let ir: ReturnType<Braid['compile']>['ir'];
  try {
    const tx = performance.now();
    let files: FileFacts[] = [];
    if (opts.context?.length) {
      const r = await extractRepo(opts.context, { cache: opts.cache, minConfidence: 0, ...(cacheDir ? { cacheDir } : {}) });
      constraints.push(...r.constraints);
      files = r.facts.files;
      progress(`${r.stats.files} context files, ${r.constraints.length} constraints`);
    }
    target ??= { kind: 'module', language: mainLanguage(files) };
    if (target.kind === 'module' && !isLanguage(target.language)) throw new AnankeError('USAGE', `unknown language ${target.language}`);
    resolved = withCodebaseIndent(targetResolved ?? await resolveTarget(target), files);
    // Reading the constraint files and the target, and the extraction (not the runtime's start).
    extractMs = checkMs + performance.now() - tx;
    constraints.push(...resolved.derived);
    const t1 = performance.now();
    const braid = await Braid.create(4);
    ({ ir } = braid.compile(constraints, resolved.ctx, { ...(minConfidence !== undefined ? { minConfidence } : {}), ...(minExamples !== undefined ? { minExamples } : {}) }));
    braidMs = performance.now() - t1;
  } catch (e) {
    dropModel();
    throw e;
  }

  const t2 = performance.now();
  let backend: GenerationBackend;
  let testModel = false;
  // modelLoadMs: the load's own time (from its start, beside extraction and compile);
  // modelWaitMs: what was left of it once they were done.
  let modelLoadMs: number;
  let modelWaitMs = 0;
  if (loading !== undefined) {
    const { model, at } = await loading;
    modelWaitMs = performance.now() - t2;
    modelLoadMs = at - tLoad;
    testModel = model.isTestModel;
    if (model.isTestModel) progress('using Ananke\'s test model (random weights): its code is meaningless, but every constraint is enforced on its real tokens');
    backend = new LocalBackend(model);
  } else {
    backend = settings.kind === 'openai'
      ? new OpenAICompatibleBackend({ ...settings.server, server: settings.serverKind!, grammarFormat: settings.grammarFormat })
      : new ModalBackend({ ...settings.server, grammarFormat: settings.grammarFormat });
    progress(`generating with ${backend.description}${settings.server.model !== undefined ? `, model ${settings.server.model}` : ''}`);
    modelLoadMs = performance.now() - t2;
  }

  // The model reads the prompt, then the code before the target, then the fixed prefix (a fim
  // range's text before it, or a declaration's forced head).
  const { prompt: fullPrompt, head } = generationPrompt(prompt, resolved, ir);
  const abort = new AbortController();
  const onSigint = (): void => abort.abort();
  // `on`, not `once`: a terminal's Ctrl-C may arrive twice (src/cli/v8-pool.ts); the first aborts.
  process.on('SIGINT', onSigint);
  const stream = !opts.json && opts.output === undefined;
  if (stream && head) process.stdout.write(head);
  // A server gets generate's documented sampling defaults too, not its own (vLLM's is temperature 1).
  const sampling = settings.kind === 'local' ? { temperature, topP }
    : { temperature: temperature ?? DEFAULT_SAMPLING.temperature, topP: topP ?? DEFAULT_SAMPLING.topP };
  let result;
  try {
    result = await backend.generate({
      ir, prompt: fullPrompt, maxTokens, seed, ...sampling, ...extra, signal: abort.signal,
      onText: stream ? (chunk) => process.stdout.write(chunk) : undefined,
    });
  } finally {
    process.removeListener('SIGINT', onSigint);
    await backend.dispose();
  }
  if (stream) process.stdout.write('\n');
  const code = head + result.text;
  const remote = result.remote;

  // Checked again, independently: Clew's post-generation checks on the code put back in its file.
  const { results: post } = await postCheckInFile(ir, resolved, code);
  const failed = post.filter((p) => p.checked && !p.satisfied);
  const ok = result.grammarAccepted && failed.length === 0 && result.stop !== 'aborted';
  const report = {
    target: formatTarget(target), backend: settings.kind, model: remote ? remote.model : (backend as LocalBackend).model.name, testModel, stop: result.stop,
    grammarAccepted: result.grammarAccepted, truncated: result.truncated,
    ...(remote ? { remote } : {}),
    constraints: ir.enforcement.map((e) => {
      const p = post.find((x) => x.constraintId === e.id);
      // A soft bias reaches the model only where Maze decodes (local, or a server given the IR).
      const reason = biasReason(e, !remote || remote.constraint === 'constraint_ir');
      return { id: e.id, mode: e.mode, hard: e.hard, reason, ...(p ? { checked: p.checked, satisfied: p.satisfied, violations: p.violations } : {}) };
    }),
  };
  const stats = { ...result.stats, extractMs, braidMs, modelLoadMs, modelWaitMs };
  if (opts.output !== undefined && ok) {
    try {
      fs.mkdirSync(path.dirname(path.resolve(opts.output)), { recursive: true });
      fs.writeFileSync(opts.output, code);
    } catch (e) {
      throw new AnankeError('IO', `cannot write ${opts.output}: ${(e as Error).message}`, { file: opts.output });
    }
  }
  if (opts.json) process.stdout.write(`${JSON.stringify({ code, report, stats }, null, 2)}\n`);
  else {
    const s = result.stats;
    const verdict = result.grammarAccepted ? 'accepted' : result.truncated ? 'cut off (raise --max-tokens)'
      : result.stop === 'stop_string' ? `cut off by the stop text ${JSON.stringify(result.stopString)} before it could end`
      : `rejected${remote?.rejection?.message ? ` (${remote.rejection.message})` : ''}`;
    const how = remote
      ? `${remote.completionTokens ?? '?'} tokens from ${backend.description} (model ${remote.model || '?'}) in ${(s.totalMs / 1000).toFixed(1)} s${remote.attempts > 1 ? ` after ${remote.attempts} attempts` : ''}, stop ${result.stop}${remote.finishReason ? ` (${remote.finishReason})` : ''}${remote.localCompletion ? `, ${remote.localCompletion.bytes} bytes of the grammar's shortest completion appended here` : ''}${remote.notSent ? `; not sent: ${remote.notSent.join('; ')}` : ''}`
      : `${s.tokens} tokens (${s.forced} forced) in ${(s.totalMs / 1000).toFixed(1)} s, stop ${result.stop}${s.steered ? ` (${s.steered} tokens steered to complete it)` : ''}; mask p50 ${s.maskUs.p50.toFixed(1)} µs p99 ${s.maskUs.p99.toFixed(0)} µs`;
    const checks = `${post.filter((p) => p.satisfied).length} checks passed, ${failed.length} failed${post.some((p) => !p.checked) ? `, ${post.filter((p) => !p.checked).length} not verifiable` : ''}`;
    process.stderr.write(`ananke: ${how}; grammar ${verdict}; ${checks}${opts.output !== undefined ? (ok ? `; wrote ${opts.output}` : `; did not write ${opts.output}`) : ''}\n`);
    for (const p of failed) for (const v of p.violations) process.stderr.write(`  ${p.constraintId}: line ${v.line}: ${v.message}\n`);
  }
  return ok ? EXIT.OK : EXIT.NO;
}
