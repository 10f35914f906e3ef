/**
 * Settings a user can keep instead of typing flags: `ananke.toml` in the current folder (or the file
 * `$ANANKE_CONFIG` names), then `ANANKE_*` environment variables, then flags — each later one wins.
 * Every key is checked: an unknown key or a value of the wrong type is an error naming it, never
 * ignored. `ananke init` writes a commented file (CONFIG_TEMPLATE).
 */
import fs from 'node:fs';
import path from 'node:path';
import { parse, TomlError } from 'smol-toml';
import { AnankeError } from '../core/index.ts';
import { BACKEND_KINDS, GRAMMAR_FORMATS, SERVER_KINDS } from '../maze/index.ts';

export interface AnankeConfig {
  model?: string;
  threads?: number;
  maxTokens?: number;
  temperature?: number;
  topP?: number;
  seed?: number;
  minConfidence?: number;
  minExamples?: number;
  /** Constraint files (.ariadne/.json) every compile, generate and validate reads, relative to the config file. */
  constraints?: string[];
  cacheDir?: string;
  /** [backend]: where `generate` gets its text (local, openai, modal) and the server's settings. */
  backend?: string;
  endpoint?: string;
  server?: string;
  /** The server's model name (model.path is the local GGUF file). */
  serverModel?: string;
  /** Seconds per request attempt. */
  timeout?: number;
  /** Retries after the first attempt (only on 408, 429, 5xx and timeouts). */
  retries?: number;
  grammarFormat?: string;
}

export const CONFIG_FILE = 'ananke.toml';

type Kind = 'string' | 'int' | 'number' | 'strings';
/** table.key → setting, its type, its bounds or allowed values, and the environment variable that overrides it. */
const KEYS: Record<string, { key: keyof AnankeConfig; kind: Kind; min?: number; max?: number; choices?: readonly string[]; env?: string }> = {
  'model.path': { key: 'model', kind: 'string', env: 'ANANKE_MODEL' },
  'model.threads': { key: 'threads', kind: 'int', min: 1, max: 256, env: 'ANANKE_THREADS' },
  'generate.max_tokens': { key: 'maxTokens', kind: 'int', min: 1, max: 1_000_000, env: 'ANANKE_MAX_TOKENS' },
  'generate.temperature': { key: 'temperature', kind: 'number', min: 0, max: 10, env: 'ANANKE_TEMPERATURE' },
  'generate.top_p': { key: 'topP', kind: 'number', min: 0, max: 1, env: 'ANANKE_TOP_P' },
  'generate.seed': { key: 'seed', kind: 'int', min: 0, max: 2 ** 32 - 1, env: 'ANANKE_SEED' },
  'constraints.min_confidence': { key: 'minConfidence', kind: 'number', min: 0, max: 1, env: 'ANANKE_MIN_CONFIDENCE' },
  'constraints.min_examples': { key: 'minExamples', kind: 'int', min: 0, max: 1e9, env: 'ANANKE_MIN_EXAMPLES' },
  'constraints.files': { key: 'constraints', kind: 'strings' },
  'cache.dir': { key: 'cacheDir', kind: 'string' },
  'backend.type': { key: 'backend', kind: 'string', choices: BACKEND_KINDS, env: 'ANANKE_BACKEND' },
  'backend.endpoint': { key: 'endpoint', kind: 'string', env: 'ANANKE_ENDPOINT' },
  'backend.server': { key: 'server', kind: 'string', choices: SERVER_KINDS, env: 'ANANKE_SERVER' },
  'backend.model': { key: 'serverModel', kind: 'string', env: 'ANANKE_SERVER_MODEL' },
  'backend.timeout': { key: 'timeout', kind: 'number', min: 0.001, max: 3600, env: 'ANANKE_TIMEOUT' },
  'backend.retries': { key: 'retries', kind: 'int', min: 0, max: 10, env: 'ANANKE_RETRIES' },
  'backend.grammar_format': { key: 'grammarFormat', kind: 'string', choices: GRAMMAR_FORMATS, env: 'ANANKE_GRAMMAR_FORMAT' },
};

export const CONFIG_TEMPLATE = `# Ananke's settings for this project (ananke.toml). Precedence: this file, then ANANKE_*
# environment variables, then command-line flags. Unknown keys are errors. Uncomment to use.

[model]
# path = "test"              # a GGUF file, or "test" for Ananke's random-weight test model (ANANKE_MODEL)
# threads = 2                # CPU threads for the model (ANANKE_THREADS)

[generate]
# max_tokens = 256           # ANANKE_MAX_TOKENS
# temperature = 0.8          # 0 is greedy (ANANKE_TEMPERATURE)
# top_p = 0.95               # ANANKE_TOP_P
# seed = 1                   # a fixed seed makes runs reproducible (ANANKE_SEED)

[constraints]
# min_confidence = 0.95      # evidence-based naming and type rules are hard from this confidence (ANANKE_MIN_CONFIDENCE)
# min_examples = 20          # ... over at least this many examples (ANANKE_MIN_EXAMPLES)
# files = ["policy.ariadne"] # constraint files every compile, generate and validate reads (relative to this file)

[cache]
# dir = ".ananke/cache"      # extraction cache and the test model (ANANKE_CACHE_DIR wins over it)

[backend]
# type = "local"             # where generate gets its text: local, openai (vLLM, SGLang, llama.cpp, OpenAI, ananke serve) or modal (ANANKE_BACKEND)
# endpoint = "http://127.0.0.1:8000"  # the server's base URL (ANANKE_ENDPOINT)
# server = "vllm"            # for type openai: vllm, vllm-legacy, sglang, llamacpp, openai or ananke (ANANKE_SERVER)
# model = "Qwen/Qwen2.5-Coder-7B-Instruct"  # the server's model name; default: the first it lists (ANANKE_SERVER_MODEL)
# timeout = 120              # seconds one request may take, per attempt (ANANKE_TIMEOUT)
# retries = 3                # retries after the first attempt, only on 408, 429, 5xx and timeouts (ANANKE_RETRIES)
# grammar_format = "gbnf"    # lark or gbnf instead of the server's default (ANANKE_GRAMMAR_FORMAT)
# The API key is never read from this file: --api-key or ANANKE_API_KEY.
`;

function typed(where: string, kind: Kind, v: unknown, min?: number, max?: number, choices?: readonly string[]): unknown {
  const bad = (what: string): AnankeError => new AnankeError('PARSE', `${where}: ${what}`);
  if (kind === 'string') {
    if (typeof v !== 'string' || v === '') throw bad('expected a non-empty string');
    if (choices && !choices.includes(v)) throw bad(`expected one of ${choices.join(', ')}, got ${JSON.stringify(v)}`);
    return v;
  }
  if (kind === 'strings') {
    if (!Array.isArray(v) || v.some((x) => typeof x !== 'string' || x === '')) throw bad('expected a list of file names');
    return v;
  }
  const n = typeof v === 'string' && v.trim() !== '' ? Number(v) : v;
  if (typeof n !== 'number' || !Number.isFinite(n) || (kind === 'int' && !Number.isInteger(n))) throw bad(`expected ${kind === 'int' ? 'an integer' : 'a number'}, got ${JSON.stringify(v)}`);
  if ((min !== undefined && n < min) || (max !== undefined && n > max)) throw bad(`${n} is outside ${min}..${max}`);
  return n;
}

/** The settings of the config file (if any) with the environment over them. */
export function loadConfig(cwd = process.cwd(), env: NodeJS.ProcessEnv = process.env): AnankeConfig & { file?: string } {
  const file = env['ANANKE_CONFIG'] ? path.resolve(cwd, env['ANANKE_CONFIG']) : path.join(cwd, CONFIG_FILE);
  const out: AnankeConfig & { file?: string } = {};
  if (fs.existsSync(file)) {
    let doc: Record<string, unknown>;
    try {
      doc = parse(fs.readFileSync(file, 'utf8')) as Record<string, unknown>;
    } catch (e) {
      const where = e instanceof TomlError ? { line: e.line, column: e.column } : {};
      throw new AnankeError('PARSE', `${file}: not valid TOML: ${(e as Error).message.split('\n')[0]}`, { file, ...where });
    }
    for (const [table, body] of Object.entries(doc)) {
      if (body === null || typeof body !== 'object' || Array.isArray(body)) throw new AnankeError('PARSE', `${file}: [${table}] is not a table (known: ${[...new Set(Object.keys(KEYS).map((k) => k.split('.')[0]))].join(', ')})`, { file });
      for (const [k, v] of Object.entries(body as Record<string, unknown>)) {
        const spec = KEYS[`${table}.${k}`];
        if (!spec) throw new AnankeError('PARSE', `${file}: unknown key ${table}.${k} (known: ${Object.keys(KEYS).join(', ')})`, { file });
        (out as Record<string, unknown>)[spec.key] = typed(`${file}: ${table}.${k}`, spec.kind, v, spec.min, spec.max, spec.choices);
      }
    }
    if (out.constraints) out.constraints = out.constraints.map((f) => path.resolve(path.dirname(file), f));
    if (out.cacheDir) out.cacheDir = path.resolve(path.dirname(file), out.cacheDir);
    out.file = file;
  } else if (env['ANANKE_CONFIG']) {
    throw new AnankeError('NOT_FOUND', `ANANKE_CONFIG names ${file}, which does not exist`, { file });
  }
  for (const [name, spec] of Object.entries(KEYS)) {
    const v = spec.env ? env[spec.env] : undefined;
    if (v !== undefined && v !== '') (out as Record<string, unknown>)[spec.key] = typed(`${spec.env} (${name})`, spec.kind, v, spec.min, spec.max, spec.choices);
  }
  return out;
}
