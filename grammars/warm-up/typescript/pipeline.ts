// Ananke grammar warm-up text: original code, not part of the build.

import { readFile, writeFile } from 'node:fs/promises';
import { createHash, type BinaryLike } from 'node:crypto';
import type { WriteFileOptions } from 'node:fs';
import { EventEmitter } from 'node:events';

/** Severity levels used by the pipeline logger. */
export const enum Level {
  Debug = 10,
  Info = 20,
  Warn = 30,
  Error = 40,
}

export enum StageState {
  Idle = 'idle',
  Running = 'running',
  Done = 'done',
  Failed = 'failed',
}

export type Json = string | number | boolean | null | Json[] | { [key: string]: Json };

export interface Record_ {
  id: string;
  source: string;
  payload: Json;
  receivedAt: number;
  tags?: readonly string[];
}

export interface StageContext {
  readonly runId: string;
  readonly attempt: number;
  signal?: AbortSignal;
  log(level: Level, message: string, extra?: Record<string, unknown>): void;
}

export type StageFn<In, Out> = (input: In, ctx: StageContext) => Out | Promise<Out>;

export type StageResult<T> =
  | { ok: true; value: T; durationMs: number }
  | { ok: false; error: PipelineError; durationMs: number };

type Unwrap<T> = T extends Promise<infer U> ? Unwrap<U> : T;
type Widen<T> = { -readonly [K in keyof T]: T[K] extends number ? number : T[K] };
type Getters<T> = { [K in keyof T & string as `get${Capitalize<K>}`]: () => T[K] };

export type RecordGetters = Getters<Pick<Record_, 'id' | 'source'>>;

const DEFAULT_OPTIONS = {
  batchSize: 250,
  maxAttempts: 4,
  baseDelayMs: 1_000,
  maxDelayMs: 30_000,
  highWaterMark: 0x4000,
  flags: 0b0101,
} as const;

export type PipelineOptions = Partial<Widen<typeof DEFAULT_OPTIONS>>;

/** Base class for every error raised from a stage. */
export class PipelineError extends Error {
  override readonly name: string = 'PipelineError';

  constructor(
    message: string,
    public readonly stage: string,
    public readonly retryable = false,
    options?: { cause?: unknown },
  ) {
    super(message, options);
  }
}

export class TimeoutError extends PipelineError {
  override readonly name = 'TimeoutError';

  constructor(stage: string, public readonly limitMs: number) {
    super(`stage '${stage}' exceeded ${limitMs}ms`, stage, true);
  }
}

export class ValidationError extends PipelineError {
  override readonly name = 'ValidationError';

  constructor(stage: string, public readonly issues: readonly string[]) {
    super(`${issues.length} validation issue(s) in '${stage}'`, stage, false);
  }
}

export function isPipelineError(value: unknown): value is PipelineError {
  return value instanceof PipelineError;
}

export function assertRecord(value: unknown, where = 'input'): asserts value is Record_ {
  if (typeof value !== 'object' || value === null) {
    throw new ValidationError(where, ['expected an object']);
  }
  const missing = (['id', 'source', 'payload', 'receivedAt'] as const).filter((key) => !(key in value));
  if (missing.length > 0) {
    throw new ValidationError(where, missing.map((key) => `missing field '${key}'`));
  }
}

function assertNever(value: never, message = 'unexpected value'): never {
  throw new Error(`${message}: ${JSON.stringify(value)}`);
}

/** Tagged template that escapes values before they reach the log sink. */
export function safe(strings: TemplateStringsArray, ...values: unknown[]): string {
  let out = strings[0] ?? '';
  for (let i = 0, n = values.length; i < n; i++) {
    const raw = String(values[i]).replace(/[\u0000-\u001f\\'"]/g, (ch) => `\\x${ch.charCodeAt(0).toString(16).padStart(2, '0')}`);
    out += raw + (strings[i + 1] ?? '');
  }
  return out;
}

const TAG_PATTERN = /^[a-z][a-z0-9_-]{1,31}$/i;
/** Small metrics registry with counters and a histogram per stage. */
export class Metrics {
  readonly #counters = new Map<string, bigint>();
  readonly #timings = new Map<string, number[]>();
  #frozen = false;

  constructor(private readonly prefix = 'pipeline') {}

  freeze(): void {
    this.#frozen = true;
  }

  increment(name: string, by = 1n): void {
    if (this.#frozen) return;
    const key = `${this.prefix}.${name}`;
    this.#counters.set(key, (this.#counters.get(key) ?? 0n) + by);
  }

  observe(name: string, ms: number): void {
    if (this.#frozen) return;
    this.#timings.set(name, [...(this.#timings.get(name) ?? []), ms]);
  }

  snapshot(): Readonly<Record<string, string>> {
    const out: Record<string, string> = {};
    for (const [key, value] of this.#counters) {
      out[key] = value.toString();
    }
    for (const [name, values] of this.#timings) {
      const avg = values.reduce((sum, v) => sum + v, 0) / (values.length || 1);
      out[`${this.prefix}.${name}.avg`] = `${avg.toFixed(1)}ms`;
    }
    return Object.freeze(out);
  }
}

/** Abstract stage; concrete stages implement `process`. */
export abstract class Stage<In, Out> {
  protected state: StageState = StageState.Idle;
  static readonly registry = new Set<string>();

  protected constructor(readonly name: string, protected readonly timeoutMs = 5_000) {
    if (Stage.registry.has(name)) {
      throw new Error(`duplicate stage name '${name}'`);
    }
    Stage.registry.add(name);
  }

  abstract process(input: In, ctx: StageContext): Promise<Out>;

  async run(input: In, ctx: StageContext): Promise<StageResult<Out>> {
    const started = performance.now();
    this.state = StageState.Running;
    let timer: ReturnType<typeof setTimeout> | undefined;
    try {
      const timeout = new Promise<never>((_, reject) => {
        timer = setTimeout(() => reject(new TimeoutError(this.name, this.timeoutMs)), this.timeoutMs);
      });
      const value = await Promise.race([this.process(input, ctx), timeout]);
      this.state = StageState.Done;
      return { ok: true, value, durationMs: performance.now() - started };
    } catch (err) {
      this.state = StageState.Failed;
      const error = isPipelineError(err)
        ? err
        : new PipelineError(err instanceof Error ? err.message : String(err), this.name, false, { cause: err });
      return { ok: false, error, durationMs: performance.now() - started };
    } finally {
      if (timer !== undefined) clearTimeout(timer);
    }
  }
}

export class MapStage<In, Out> extends Stage<In, Out> {
  constructor(name: string, private readonly fn: StageFn<In, Out>, timeoutMs?: number) {
    super(name, timeoutMs);
  }

  async process(input: In, ctx: StageContext): Promise<Out> {
    return await this.fn(input, ctx);
  }
}

const ValidateStage = class extends Stage<unknown, Record_> {
  constructor() {
    super('validate', 500);
  }

  async process(input: unknown): Promise<Record_> {
    assertRecord(input, this.name);
    const issues = (input.tags ?? []).filter((t) => !TAG_PATTERN.test(t)).map((t) => `bad tag '${t}'`);
    if (!input.id.trim()) issues.push('id must not be blank');
    if (issues.length) throw new ValidationError(this.name, issues);
    return input;
  }
};

export interface RetryPolicy {
  maxAttempts: number;
  baseDelayMs: number;
  maxDelayMs: number;
  shouldRetry?: (error: PipelineError, attempt: number) => boolean;
}

export function backoff(attempt: number, { baseDelayMs, maxDelayMs }: Pick<RetryPolicy, 'baseDelayMs' | 'maxDelayMs'>): number {
  const exp = Math.min(maxDelayMs, baseDelayMs * 2 ** (attempt - 1));
  const jitter = Math.random() * exp * 0.2;
  return Math.round(exp - jitter);
}

const sleep = (ms: number): Promise<void> => new Promise((resolve) => setTimeout(resolve, ms));

export async function withRetry<T>(
  task: (attempt: number) => Promise<StageResult<T>>,
  policy: RetryPolicy,
  signal?: AbortSignal,
): Promise<StageResult<T>> {
  let attempt = 0;
  let last: StageResult<T> | undefined;
  do {
    attempt += 1;
    last = await task(attempt);
    if (last.ok) return last;
    const retryable = policy.shouldRetry?.(last.error, attempt) ?? last.error.retryable;
    if (!retryable) break;
    if (attempt < policy.maxAttempts) {
      if (signal?.aborted) break;
      await sleep(backoff(attempt, policy));
    }
  } while (attempt < policy.maxAttempts);
  return last!;
}

export async function* readLines(path: string): AsyncGenerator<string> {
  const text = await readFile(path, 'utf8');
  for (const line of text.split(/\r?\n/)) {
    if (line.trim() !== '' && !line.startsWith('#')) yield line;
  }
}

export async function* parseRecords(lines: AsyncIterable<string>, source: string): AsyncGenerator<unknown> {
  let lineNo = 0;
  for await (const line of lines) {
    lineNo++;
    try {
      const payload = JSON.parse(line) as Json;
      yield { id: `${source}:${lineNo}`, source, payload, receivedAt: Date.now() };
    } catch {
      yield { bad: true, lineNo };
    }
  }
}

export function fingerprint(record: Record_): string {
  const input: BinaryLike = `${record.source}\u0000${JSON.stringify(record.payload)}`;
  return createHash('sha256').update(input).digest('hex').slice(0, 16);
}

type PipelineEvents = {
  batch: [index: number, size: number];
  failure: [error: PipelineError, record: unknown];
  done: [summary: RunSummary];
};

export interface RunSummary {
  runId: string;
  processed: number;
  failed: number;
  skipped: number;
  batches: number;
  metrics: Readonly<Record<string, string>>;
}

/**
 * Runs records through validation and a chain of transform stages,
 * batching writes and retrying retryable failures.
 */
export class Pipeline<Out extends { id: string } = Record_> extends EventEmitter<PipelineEvents> {
  readonly #stages: Stage<any, any>[] = [];
  readonly #seen = new Set<string>();
  readonly #cache = new WeakMap<object, string>();
  readonly metrics = new Metrics();
  #options: Required<PipelineOptions>;
  private level: Level = Level.Info;

  constructor(options: PipelineOptions = {}, private readonly sink?: (batch: Out[]) => Promise<void>) {
    super();
    this.#options = { ...DEFAULT_OPTIONS, ...options };
  }

  use<T>(stage: Stage<Out, T>): Pipeline<T & { id: string }>;
  use<T>(name: string, fn: StageFn<Out, T>): Pipeline<T & { id: string }>;
  use<T>(stageOrName: Stage<Out, T> | string, fn?: StageFn<Out, T>): Pipeline<T & { id: string }> {
    const stage = typeof stageOrName === 'string' ? new MapStage(stageOrName, fn!) : stageOrName;
    this.#stages.push(stage);
    return this as unknown as Pipeline<T & { id: string }>;
  }

  setLevel(level: Level): this {
    this.level = level;
    return this;
  }

  private context(runId: string, attempt: number, signal?: AbortSignal): StageContext {
    const threshold = this.level;
    return {
      runId,
      attempt,
      signal,
      log(level, message, extra = {}) {
        if (level < threshold) return;
        const label = level >= Level.Error ? 'ERROR' : level >= Level.Warn ? 'WARN' : 'INFO';
        console.log(`[${runId}] ${label} ${message}${Object.keys(extra).length ? ` ${JSON.stringify(extra)}` : ''}`);
      },
    };
  }

  private keyFor(record: object): string {
    let key = this.#cache.get(record);
    key ??= 'id' in record && typeof record.id === 'string' ? record.id : JSON.stringify(record);
    this.#cache.set(record, key);
    return key;
  }

  async run(input: AsyncIterable<unknown> | Iterable<unknown>, signal?: AbortSignal): Promise<RunSummary> {
    const runId = `run-${Date.now().toString(36)}-${Math.floor(Math.random() * 0xffff).toString(16)}`;
    const { maxAttempts, baseDelayMs, maxDelayMs } = this.#options;
    const policy: RetryPolicy = { maxAttempts, baseDelayMs, maxDelayMs };
    const validator = new ValidateStage();
    let processed = 0, failed = 0, skipped = 0, batches = 0;
    let pending: Out[] = [];

    const flush = async (): Promise<void> => {
      if (pending.length === 0) return;
      const batch = pending;
      pending = [];
      this.emit('batch', batches++, batch.length);
      await this.sink?.(batch);
    };

    outer: for await (const raw of input) {
      if (signal?.aborted) break outer;
      const checked = await validator.run(raw, this.context(runId, 1, signal));
      if (!checked.ok) {
        failed++;
        this.metrics.increment('invalid');
        this.emit('failure', checked.error, raw);
        continue outer;
      }
      const key = this.keyFor(checked.value);
      if (this.#seen.has(key)) {
        skipped++;
        continue;
      }
      this.#seen.add(key);

      let current: unknown = checked.value;
      for (const stage of this.#stages) {
        const result = await withRetry(
          (attempt) => stage.run(current, this.context(runId, attempt, signal)),
          policy,
          signal,
        );
        this.metrics.observe(stage.name, result.durationMs);
        if (!result.ok) {
          failed++;
          this.metrics.increment(`failed.${stage.name}`);
          this.emit('failure', result.error, current);
          continue outer;
        }
        current = result.value;
      }

      pending.push(current as Out);
      processed++;
      this.metrics.increment('processed');
      if (pending.length >= this.#options.batchSize) await flush();
    }

    await flush();
    this.metrics.freeze();
    const summary: RunSummary = { runId, processed, failed, skipped, batches, metrics: this.metrics.snapshot() };
    this.emit('done', summary);
    return summary;
  }
}

/** Output formats supported by the file sink. */
export type Format = 'jsonl' | 'csv' | 'tsv';

const SEPARATORS = {
  csv: ',',
  tsv: '\t',
} satisfies Partial<Record<Format, string>>;

export function encodeRows(rows: readonly Record<string, Json>[], format: Format): string {
  switch (format) {
    case 'jsonl':
      return rows.map((row) => JSON.stringify(row)).join('\n');
    case 'csv':
    // falls through: csv and tsv share the same encoder
    case 'tsv': {
      const sep = SEPARATORS[format];
      const columns = [...new Set(rows.flatMap((row) => Object.keys(row)))];
      const quote = (v: Json): string => {
        const text = typeof v === 'string' ? v : JSON.stringify(v);
        return /[",\t\n]/.test(text) ? `"${text.replace(/"/g, '""')}"` : text;
      };
      const body = rows.map((row) => columns.map((c) => quote(row[c] ?? null)).join(sep));
      return [columns.join(sep), ...body].join('\n');
    }
    default:
      return assertNever(format, 'unsupported format');
  }
}

export function fileSink<T extends { id: string }>(path: string, format: Format = 'jsonl') {
  let first = true;
  return async (batch: T[]): Promise<void> => {
    const text = encodeRows(batch as unknown as Record<string, Json>[], format);
    const options: WriteFileOptions = { flag: first ? 'w' : 'a' };
    await writeFile(path, `${text}\n`, options);
    first = false;
  };
}

export type Resolved = Unwrap<Promise<Promise<RunSummary>>>;

export default async function main(argv: readonly string[] = process.argv.slice(2)): Promise<number> {
  const [inputPath, outputPath = 'out.jsonl', ...rest] = argv;
  if (!inputPath) {
    console.error('usage: pipeline <input> [output] [--verbose]');
    return 2;
  }
  const verbose = rest.includes('--verbose');
  const sink = fileSink<Record_ & { fingerprint: string }>(outputPath);
  const pipeline = new Pipeline({ batchSize: 100 }, sink)
    .use('fingerprint', (record) => ({ ...record, fingerprint: fingerprint(record) }))
    .use('normalize', async (record, ctx) => {
      ctx.log(Level.Debug, `normalizing ${record.id}`);
      const tags = record.tags?.map((t) => t.toLowerCase()) ?? [];
      return { ...record, tags };
    });

  pipeline.setLevel(verbose ? Level.Debug : Level.Info);
  pipeline
    .on('batch', (index, size) => console.log(safe`batch ${index} with ${size} rows`))
    .on('failure', (error) => console.warn(`stage ${error.stage} failed: ${error.message}`))
    .on('done', (summary) => void console.table(summary.metrics));

  const controller = new AbortController();
  process.once('SIGINT', () => controller.abort(new Error('interrupted')));

  try {
    const summary = await pipeline.run(parseRecords(readLines(inputPath), `file://${inputPath}`), controller.signal);
    console.log(`processed ${summary.processed}, failed ${summary.failed}`);
    return summary.failed > 0 ? 1 : 0;
  } catch (err) {
    console.error(err instanceof Error ? err.stack ?? err.message : err);
    return 1;
  } finally {
    Stage.registry.clear();
  }
}
