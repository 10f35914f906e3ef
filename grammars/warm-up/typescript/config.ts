// Ananke grammar warm-up text: original code, not part of the build.

import { readFile } from "node:fs/promises";
import * as path from "node:path";
import process from "node:process";

// ---------------------------------------------------------------------------
// A tiny schema language: each field knows how to parse a raw value.
// ---------------------------------------------------------------------------

export interface Field<T> {
  readonly kind: string;
  readonly optional: boolean;
  parse(raw: unknown, at: string): T;
}

export type Infer<S> = S extends Field<infer T> ? T : never;
export type Shape = Record<string, Field<unknown>>;
export type InferShape<S extends Shape> = { [K in keyof S]: Infer<S[K]> };

export class ConfigError extends Error {
  constructor(readonly issues: readonly string[]) {
    super(`Invalid configuration:\n${issues.map((issue) => `  - ${issue}`).join("\n")}`);
    this.name = "ConfigError";
  }
}

function field<T>(kind: string, parse: (raw: unknown, at: string) => T): Field<T> {
  return { kind, optional: false, parse };
}

export const t = {
  string(options: { pattern?: RegExp; min?: number } = {}): Field<string> {
    return field("string", (raw, at) => {
      if (typeof raw !== "string") throw new ConfigError([`${at}: expected a string, got ${typeof raw}`]);
      if (options.min !== undefined && raw.length < options.min) {
        throw new ConfigError([`${at}: must be at least ${options.min} characters`]);
      }
      if (options.pattern && !options.pattern.test(raw)) {
        throw new ConfigError([`${at}: "${raw}" does not match ${options.pattern.source}`]);
      }
      return raw;
    });
  },

  number(options: { min?: number; max?: number; integer?: boolean } = {}): Field<number> {
    return field("number", (raw, at) => {
      const value = typeof raw === "string" && raw.trim() !== "" ? Number(raw) : raw;
      if (typeof value !== "number" || Number.isNaN(value)) {
        throw new ConfigError([`${at}: expected a number`]);
      }
      if (options.integer && !Number.isInteger(value)) throw new ConfigError([`${at}: expected an integer`]);
      if (options.min !== undefined && value < options.min) throw new ConfigError([`${at}: below ${options.min}`]);
      if (options.max !== undefined && value > options.max) throw new ConfigError([`${at}: above ${options.max}`]);
      return value;
    });
  },

  boolean(): Field<boolean> {
    return field("boolean", (raw, at) => {
      if (typeof raw === "boolean") return raw;
      switch (String(raw).toLowerCase()) {
        case "1":
        case "true":
        case "yes":
        case "on":
          return true;
        case "0":
        case "false":
        case "no":
        case "off":
          return false;
        default:
          throw new ConfigError([`${at}: expected a boolean, got ${JSON.stringify(raw)}`]);
      }
    });
  },

  oneOf<const V extends readonly string[]>(...values: V): Field<V[number]> {
    return field("enum", (raw, at) => {
      if (typeof raw === "string" && (values as readonly string[]).includes(raw)) {
        return raw as V[number];
      }
      throw new ConfigError([`${at}: expected one of ${values.join(" | ")}`]);
    });
  },

  object<S extends Shape>(shape: S): Field<InferShape<S>> {
    return field("object", (raw, at) => parseShape(shape, raw, at));
  },

  optional<T>(inner: Field<T>, fallback?: T): Field<T | undefined> {
    return {
      kind: inner.kind,
      optional: true,
      parse: (raw, at) => (raw === undefined || raw === null ? fallback : inner.parse(raw, at)),
    };
  },
} as const;

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === "object" && value !== null && !Array.isArray(value);
}

function parseShape<S extends Shape>(shape: S, raw: unknown, at: string): InferShape<S> {
  if (!isRecord(raw)) throw new ConfigError([`${at || "<root>"}: expected an object`]);
  const issues: string[] = [];
  const out: Partial<Record<keyof S, unknown>> = {};
  for (const key of Object.keys(shape) as Array<keyof S & string>) {
    const spec = shape[key]!;
    const where = at ? `${at}.${key}` : key;
    if (raw[key] === undefined && !spec.optional) {
      issues.push(`${where}: is required`);
      continue;
    }
    try {
      out[key] = spec.parse(raw[key], where);
    } catch (error) {
      if (error instanceof ConfigError) issues.push(...error.issues);
      else throw error;
    }
  }
  if (issues.length > 0) throw new ConfigError(issues);
  return out as InferShape<S>;
}

// ---------------------------------------------------------------------------
// Loading: file, then environment overrides (APP__SERVER__PORT=8080 style).
// ---------------------------------------------------------------------------

function setPath(target: Record<string, unknown>, keys: string[], value: string): void {
  let cursor = target;
  keys.forEach((key, index) => {
    if (index === keys.length - 1) {
      cursor[key] = value;
      return;
    }
    const next = cursor[key];
    cursor = isRecord(next) ? next : (cursor[key] = {});
  });
}

function camelCase(segment: string): string {
  return segment.toLowerCase().replace(/_([a-z0-9])/g, (_match, ch: string) => ch.toUpperCase());
}

export function envOverrides(prefix: string, env: NodeJS.ProcessEnv = process.env): Record<string, unknown> {
  const result: Record<string, unknown> = {};
  const marker = `${prefix.toUpperCase()}__`;
  for (const [name, value] of Object.entries(env)) {
    if (!name.startsWith(marker) || value === undefined) continue;
    const keys = name.slice(marker.length).split("__").map(camelCase);
    setPath(result, keys, value);
  }
  return result;
}

function deepMerge(base: unknown, override: unknown): unknown {
  if (!isRecord(base) || !isRecord(override)) return override ?? base;
  const merged: Record<string, unknown> = { ...base };
  for (const [key, value] of Object.entries(override)) {
    merged[key] = key in merged ? deepMerge(merged[key], value) : value;
  }
  return merged;
}

export async function loadConfig<S extends Shape>(
  shape: S,
  { file, envPrefix = "APP", cwd = process.cwd() }: { file?: string; envPrefix?: string; cwd?: string } = {},
): Promise<Readonly<InferShape<S>>> {
  let fromFile: unknown = {};
  if (file) {
    const absolute = path.isAbsolute(file) ? file : path.join(cwd, file);
    try {
      fromFile = JSON.parse(await readFile(absolute, "utf8"));
    } catch (error) {
      const code = (error as NodeJS.ErrnoException).code;
      if (code !== "ENOENT") {
        throw new ConfigError([`${absolute}: ${(error as Error).message}`]);
      }
    }
  }
  const merged = deepMerge(fromFile, envOverrides(envPrefix));
  return Object.freeze(parseShape(shape, merged, ""));
}

export const appSchema = {
  server: t.object({
    host: t.optional(t.string(), "127.0.0.1"),
    port: t.number({ min: 1, max: 0xffff, integer: true }),
    trustProxy: t.optional(t.boolean(), false),
  }),
  logLevel: t.oneOf("debug", "info", "warn", "error"),
  allowedOrigins: t.optional(t.string({ pattern: /^https?:\/\/[\w.-]+(:\d+)?$/ })),
  cacheTtlSeconds: t.optional(t.number({ min: 0 }), 3.6e3),
};

export type AppConfig = InferShape<typeof appSchema>;
