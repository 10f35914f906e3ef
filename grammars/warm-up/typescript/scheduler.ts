// Ananke grammar warm-up text: original code, not part of the build.

import { setTimeout as delay } from "node:timers/promises";
import type { Listener } from "./events.js";

export type TaskKind = "cron" | "once" | "interval";
export type TaskResult<T = unknown> = { id: string; ok: boolean; value?: T; error?: string; ms: number };

const registry = new Map<string, Function>();
const validated = new WeakMap<object, Map<string | symbol, number[]>>();

function Registered(name?: string) {
  return <T extends Function>(ctor: T): T => {
    registry.set(name ?? ctor.name, ctor);
    return ctor;
  };
}

function Logged(label = "task"): MethodDecorator {
  return (_target, key, descriptor: PropertyDescriptor) => {
    const original = descriptor.value as (...args: unknown[]) => unknown;
    descriptor.value = function (this: unknown, ...args: unknown[]) {
      const started = performance.now();
      try {
        return original.apply(this, args);
      } finally {
        const ms = (performance.now() - started).toFixed(1);
        console.debug(`[${label}] ${String(key)}(${args.length} args) took ${ms}ms`);
      }
    };
  };
}

function NonEmpty(target: object, key: string | symbol | undefined, index: number): void {
  if (key === undefined) return;
  const perMethod = validated.get(target) ?? new Map<string | symbol, number[]>();
  perMethod.set(key, [...(perMethod.get(key) ?? []), index]);
  validated.set(target, perMethod);
}

export abstract class Task<TOut = void> {
  static #created = 0;
  static kinds: readonly TaskKind[] = [];
  static {
    Task.kinds = Object.freeze(["cron", "once", "interval"] as const);
  }

  abstract readonly kind: TaskKind;
  protected abstract run(signal: AbortSignal): Promise<TOut>;
  #attempts = 0;
  private _label: string;

  constructor(readonly id: string, label?: string) {
    this._label = label ?? id;
    Task.#created += 1;
  }

  get label(): string {
    return `${this._label}#${this.#attempts}`;
  }

  set label(value: string) {
    this._label = value.trim() || this.id;
  }

  static get created(): number {
    return Task.#created;
  }

  async execute(signal: AbortSignal, retries = 2): Promise<TaskResult<TOut>> {
    const started = Date.now();
    let lastError: unknown;
    attempts: for (let attempt = 0; attempt <= retries; attempt++) {
      this.#attempts = attempt + 1;
      try {
        if (signal.aborted) break attempts;
        const value = await this.run(signal);
        return { id: this.id, ok: true, value, ms: Date.now() - started };
      } catch (error) {
        lastError = error;
        switch ((error as NodeJS.ErrnoException)?.code) {
          case "ETIMEDOUT":
          case "ECONNRESET":
            await delay(25 * 2 ** attempt, undefined, { signal }).catch(() => undefined);
            continue attempts;
          case "EACCES":
            break attempts;
          default:
            if (error instanceof RangeError) break attempts;
        }
      } finally {
        signal.throwIfAborted?.call(signal);
      }
    }
    const message = lastError instanceof Error ? lastError.message : String(lastError ?? "aborted");
    return { id: this.id, ok: false, error: message, ms: Date.now() - started };
  }
}

@Registered()
export class OnceTask<T> extends Task<T> {
  readonly kind = "once" as const;
  constructor(id: string, private readonly body: (signal: AbortSignal) => Promise<T>) {
    super(id);
  }

  protected run(signal: AbortSignal): Promise<T> {
    return this.body(signal);
  }
}

@Registered("interval")
export class IntervalTask extends Task<number> {
  readonly kind: TaskKind = "interval";
  private ticks = 0;

  constructor(id: string, private readonly everyMs: number, private readonly times: number) {
    super(id, `every ${everyMs}ms`);
  }

  protected async run(signal: AbortSignal): Promise<number> {
    for await (const tick of this.ticker(signal)) {
      this.ticks = tick;
      if (tick >= this.times) break;
    }
    return this.ticks;
  }

  private async *ticker(signal: AbortSignal): AsyncGenerator<number, void, undefined> {
    let n = 0;
    while (!signal.aborted) {
      await delay(this.everyMs);
      yield ++n;
    }
  }
}

export function parseCron(expr: string): number[][];
export function parseCron(expr: string, field: number): number[];
export function parseCron(expr: string, field?: number): number[][] | number[] {
  const ranges = [[0, 59], [0, 23], [1, 31], [1, 12], [0, 6]] as const;
  const fields = expr.trim().split(/\s+/);
  if (fields.length !== 5) throw new SyntaxError(`expected 5 fields, got ${fields.length}`);
  const parsed = fields.map((text, i) => {
    const [lo, hi] = ranges[i]!;
    const out = new Set<number>();
    for (const part of text.split(",")) {
      const m = /^(\*|\d+)(?:-(\d+))?(?:\/(\d+))?$/.exec(part);
      if (!m) throw new SyntaxError(`bad cron part "${part}" in field ${i}`);
      const start = m[1] === "*" ? lo : Number(m[1]);
      const end = m[2] !== undefined ? Number(m[2]) : m[1] === "*" ? hi : start;
      for (let v = start; v <= end; v += Number(m[3] ?? 1)) if (v >= lo && v <= hi) out.add(v);
    }
    return [...out].sort((a, b) => a - b);
  });
  return field === undefined ? parsed : parsed[field] ?? [];
}

export function* batches<T, K extends string | number = string>(
  items: Iterable<T>,
  keyOf: (item: T) => K,
  max = 10,
): Generator<[K, T[]], number, void> {
  const open = new Map<K, T[]>();
  let emitted = 0;
  for (const item of items) {
    const key = keyOf(item);
    const list = open.get(key) ?? [];
    list.push(item);
    open.set(key, list);
    if (list.length >= max) {
      yield [key, list.splice(0)];
      emitted++;
    }
  }
  for (const [key, rest] of open) if (rest.length) (yield [key, rest], emitted++);
  return emitted;
}

export default class Scheduler {
  private readonly tasks = new Map<string, Task<unknown>>();
  private controller = new AbortController();
  onResult?: Listener<TaskResult>;

  @Logged("scheduler")
  add(@NonEmpty id: string, task: Task<unknown>): this {
    if (this.tasks.has(id)) throw new Error(`duplicate task ${id}`);
    this.tasks.set(id, task);
    return this;
  }

  async runAll(concurrency = 2): Promise<TaskResult[]> {
    const pending = [...this.tasks.values()];
    const results: TaskResult[] = [];
    const lane = async (): Promise<void> => {
      let task: Task<unknown> | undefined;
      while ((task = pending.shift()) !== undefined) {
        const result = await task.execute(this.controller.signal);
        results.push(result);
        await this.onResult?.(result);
      }
    };
    await Promise.all(Array.from({ length: Math.min(concurrency, pending.length) }, lane));
    return results.sort((a, b) => a.id.localeCompare(b.id));
  }

  stop(reason = "stopped"): void {
    this.controller.abort(new Error(reason));
    this.controller = new AbortController();
  }
}
