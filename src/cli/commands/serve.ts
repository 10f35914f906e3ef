/**
 * `ananke serve`: the local model behind an OpenAI-compatible HTTP server (src/serve, docs/serve.md).
 * Loads the model with one context sequence per parallel request, listens (127.0.0.1 unless told
 * otherwise), and on SIGINT or SIGTERM closes cleanly: requests in flight are answered 503, then
 * the model is freed and the command exits 0.
 */
import type { Command } from 'commander';
import { AnankeError, EXIT } from '../../core/index.ts';
import { compile, EngineError, loadProgramGrammar, programLanguage, warmUp, warmUpProgram, type ProgramLanguage } from '../../engine/index.ts';
import { loadLocalModel } from '../../maze/index.ts';
import { CHAT_TEMPLATES, DEFAULT_SERVE_LIMITS, isLoopback, startServer } from '../../serve/index.ts';
import { loadConfig } from '../config.ts';
import { intOption } from '../parse-number.ts';
import { parseSize } from '../parse-size.ts';

interface ServeFlags {
  model?: string;
  host: string;
  port: string;
  apiKey?: string;
  parallel?: string;
  queue?: string;
  timeout?: string;
  maxBody?: string;
  maxPromptChars?: string;
  maxTokensLimit?: string;
  defaultMaxTokens?: string;
  threads?: string;
  contextSize?: string;
  servedModelName?: string;
  chatTemplate?: string;
  quiet?: boolean;
  warmUp?: boolean;
  warmUpLangs?: string;
}

const L = DEFAULT_SERVE_LIMITS;

export function configure(cmd: Command): void {
  cmd
    .option('--model <path|test>', 'a GGUF model file, or `test` for Ananke\'s random-weight test model (default: $ANANKE_MODEL, else test)')
    .option('--host <address>', 'the address to listen on (127.0.0.1: this machine only; 0.0.0.0: every interface)', '127.0.0.1')
    .option('--port <n>', 'the port (0: any free port)', '8000')
    .option('--api-key <key>', 'require `Authorization: Bearer <key>` on every route but /health (default: $ANANKE_API_KEY)')
    .option('--parallel <n>', `requests generating at once, each in its own context sequence (default ${L.parallel})`)
    .option('--queue <n>', `requests waiting for a turn; one more gets 429 (default ${L.queue})`)
    .option('--timeout <s>', `seconds a request may take, waiting included (default ${L.timeoutMs / 1000})`)
    .option('--max-body <size>', `largest request body (default ${L.maxBodyBytes / 1024 / 1024}m)`)
    .option('--max-prompt-chars <n>', `longest prompt, or chat messages together, in characters (default ${L.maxPromptChars})`)
    .option('--max-tokens-limit <n>', `the most max_tokens a request may ask for (default ${L.maxTokens})`)
    .option('--default-max-tokens <n>', `max_tokens when a request gives none (default ${L.defaultMaxTokens})`)
    .option('--threads <n>', 'CPU threads for the model (default: the cores, at most 4; 1 for the test model)')
    .option('--context-size <n>', 'tokens of context per sequence (default 8192, or the model\'s training context if smaller)')
    .option('--served-model-name <name>', 'the model\'s name in requests and answers (default: the model\'s own name)')
    .option('--chat-template <name>', `how chat messages become a prompt: ${CHAT_TEMPLATES.join(', ')} (default: chatML for the test model, else auto)`)
    .option('--quiet', 'no line per request on stderr')
    .option('--no-warm-up', 'skip the engine warm-up on synthetic tool-calling schemas before listening (the first requests then pay V8 warm-up)')
    .option('--warm-up-langs <list>', 'program languages (typescript, python, go, rust; comma-separated) whose shipped grammars walk their warm-up texts before listening: requests with code targets in them then take the walks those left (0.5–3.5 s each)')
    .addHelpText('after', `
Routes: GET /health, GET /v1/models, POST /v1/completions, POST /v1/chat/completions (stream: true
for server-sent events), POST /generate (the upstream Ananke protocol). Constraint fields: vLLM's
structured_outputs and guided_*, SGLang's ebnf / regex / json_schema, llama.cpp's grammar /
json_schema, OpenAI's response_format, and ananke (a ConstraintIR, or constraints and a target).

Examples:
  $ ananke serve --model test --port 8000
  $ ANANKE_API_KEY=secret ananke serve --model ./qwen2.5-coder-1.5b-instruct-q4_k_m.gguf --parallel 4
  $ curl -s localhost:8000/v1/chat/completions -H 'Content-Type: application/json' \\
      -d '{"messages":[{"role":"user","content":"yes or no?"}],"structured_outputs":{"choice":["yes","no"]}}'

Exit status: 0 after SIGINT/SIGTERM, 2 usage (a bad flag, the port in use), 3 the model file not
found, 4 a corrupt model file, 6 node-llama-cpp not installed.`)
    .action(async (flags: ServeFlags) => {
      process.exitCode = await runServe(flags);
    });
}

/** The languages of --warm-up-langs (aliases allowed, each once; javascript is read as typescript), or a usage error. */
function warmUpLanguages(list: string | undefined): ProgramLanguage[] {
  if (list === undefined) return [];
  const out = new Set<ProgramLanguage>();
  for (const part of list.split(',')) {
    if (part.trim() === '') continue;
    try {
      const lang = programLanguage(part);
      out.add(lang === 'javascript' ? 'typescript' : lang);
    } catch (e) {
      if (e instanceof EngineError) throw new AnankeError('USAGE', `--warm-up-langs: ${e.message}`);
      throw e;
    }
  }
  if (out.size === 0) throw new AnankeError('USAGE', '--warm-up-langs names no language');
  return [...out];
}

async function runServe(flags: ServeFlags): Promise<number> {
  const cfg = loadConfig();
  const port = intOption('--port', flags.port, 0, 65535)!;
  const parallel = intOption('--parallel', flags.parallel, 1, 64) ?? L.parallel;
  const limits = {
    parallel,
    queue: intOption('--queue', flags.queue, 0, 100_000) ?? L.queue,
    timeoutMs: (intOption('--timeout', flags.timeout, 1, 86_400) ?? L.timeoutMs / 1000) * 1000,
    maxBodyBytes: flags.maxBody !== undefined ? parseSize('--max-body', flags.maxBody) : L.maxBodyBytes,
    maxPromptChars: intOption('--max-prompt-chars', flags.maxPromptChars, 1) ?? L.maxPromptChars,
    maxTokens: intOption('--max-tokens-limit', flags.maxTokensLimit, 1, 1_000_000) ?? L.maxTokens,
    defaultMaxTokens: intOption('--default-max-tokens', flags.defaultMaxTokens, 1, 1_000_000) ?? cfg.maxTokens ?? L.defaultMaxTokens,
  };
  if (limits.defaultMaxTokens > limits.maxTokens) throw new AnankeError('USAGE', `--default-max-tokens (${limits.defaultMaxTokens}) is above --max-tokens-limit (${limits.maxTokens})`);
  const threads = intOption('--threads', flags.threads, 1) ?? cfg.threads;
  const contextSize = intOption('--context-size', flags.contextSize, 16);
  const apiKey = flags.apiKey ?? (process.env['ANANKE_API_KEY'] || undefined);
  if (apiKey !== undefined && apiKey.trim() === '') throw new AnankeError('USAGE', '--api-key is empty');
  const cacheDir = process.env['ANANKE_CACHE_DIR'] ? undefined : cfg.cacheDir;
  const say = (s: string): void => { process.stderr.write(`ananke: ${s}\n`); };
  const langs = warmUpLanguages(flags.warmUpLangs);

  const model = await loadLocalModel(flags.model ?? cfg.model ?? 'test', { threads, sequences: parallel, ...(contextSize !== undefined ? { contextSize } : {}), ...(cacheDir ? { cacheDir } : {}) });
  let server;
  try {
    if (flags.warmUp !== false) {
      // Before the port opens: the first requests' masks then run optimized code (src/engine/warm-up).
      const w = warmUp(model.tokenizer);
      say(`engine warmed up on ${w.schemas} synthetic tool schemas (${w.masks} masks) in ${(w.ms / 1000).toFixed(1)} s`);
    }
    for (const lang of langs) {
      // The grammars Braid builds on a language share its lexemes: their walks come from the store
      // of walks shared between grammars of this tokenizer (docs/engine-optimizations.md §48).
      const r = warmUpProgram(compile(loadProgramGrammar(lang), model.tokenizer), lang);
      say(`${lang} grammar warmed up on ${r.texts} texts (${r.masks} masks) in ${(r.ms / 1000).toFixed(1)} s`);
    }
    server = await startServer({
      model, host: flags.host, port, apiKey, limits,
      ...(flags.servedModelName !== undefined ? { modelName: flags.servedModelName } : {}),
      ...(flags.chatTemplate !== undefined ? { chatTemplate: flags.chatTemplate } : {}),
      log: flags.quiet ? undefined : (line) => say(line),
    });
  } catch (e) {
    await model.dispose();
    throw e;
  }
  if (model.isTestModel) say('using Ananke\'s test model (random weights): its text is meaningless, but every constraint is enforced on its real tokens');
  if (!isLoopback(flags.host) && apiKey === undefined) say(`warning: listening on ${flags.host} without an API key: anyone who can reach this address can use the model (give --api-key or ANANKE_API_KEY)`);
  say(`serving ${server.modelName} on ${server.url} (${parallel} at once, ${limits.queue} waiting${apiKey !== undefined ? ', API key required' : ''}); Ctrl-C stops`);

  // Listening until the server has stopped: a second signal while it stops (a terminal's Ctrl-C
  // reaches this process and the one that started it with a V8 pool size, which passes it on:
  // src/cli/v8-pool.ts) changes nothing; the stop is bounded (5 s, docs/serve.md).
  let stop = (): void => {};
  const stopped = new Promise<void>((resolve) => (stop = resolve));
  process.on('SIGINT', stop);
  process.on('SIGTERM', stop);
  try {
    await stopped;
    say('shutting down');
    await server.close();
    await model.dispose();
  } finally {
    process.removeListener('SIGINT', stop);
    process.removeListener('SIGTERM', stop);
  }
  say('stopped');
  return EXIT.OK;
}
