// Ananke grammar warm-up text: original code, not part of the build.

import { basename } from "node:path";

type OptionType = "string" | "number" | "boolean" | "list";

interface OptionSpec<T extends OptionType = OptionType> {
  type: T;
  alias?: string;
  description: string;
  default?: ValueOf<T>;
  required?: boolean;
  choices?: readonly string[];
}

type ValueOf<T extends OptionType> = T extends "string"
  ? string
  : T extends "number"
    ? number
    : T extends "boolean"
      ? boolean
      : string[];

export type Spec = Record<string, OptionSpec>;

export type ParsedOptions<S extends Spec> = {
  -readonly [K in keyof S]: S[K]["required"] extends true
    ? ValueOf<S[K]["type"]>
    : ValueOf<S[K]["type"]> | undefined;
};

export interface ParseResult<S extends Spec> {
  options: ParsedOptions<S>;
  positionals: string[];
  rest: string[];
}

export class UsageError extends Error {}

const LONG_FLAG = /^--([a-z][\w-]*)(?:=(.*))?$/i;
const SHORT_FLAGS = /^-([a-z]+)$/i;

function toKebab(name: string): string {
  return name.replace(/[A-Z]/g, (c) => `-${c.toLowerCase()}`);
}

function coerce(name: string, spec: OptionSpec, raw: string): string | number {
  if (spec.type === "number") {
    const value = Number(raw);
    if (!Number.isFinite(value)) throw new UsageError(`--${toKebab(name)} expects a number, got "${raw}"`);
    return value;
  }
  if (spec.choices && !spec.choices.includes(raw)) {
    throw new UsageError(`--${toKebab(name)} must be one of: ${spec.choices.join(", ")}`);
  }
  return raw;
}

export function parseArgs<S extends Spec>(spec: S, argv: readonly string[]): ParseResult<S> {
  const byFlag = new Map<string, string>();
  const byAlias = new Map<string, string>();
  for (const [name, option] of Object.entries(spec)) {
    byFlag.set(toKebab(name), name);
    if (option.alias) byAlias.set(option.alias, name);
  }

  const values: Record<string, unknown> = {};
  const positionals: string[] = [];
  let rest: string[] = [];

  const assign = (name: string, raw: string | undefined, next: () => string | undefined): void => {
    const option = spec[name]!;
    switch (option.type) {
      case "boolean":
        values[name] = raw === undefined ? true : !/^(false|0|no)$/i.test(raw);
        break;
      case "list": {
        const value = raw ?? next();
        if (value === undefined) throw new UsageError(`--${toKebab(name)} needs a value`);
        const current = (values[name] as string[] | undefined) ?? [];
        values[name] = [...current, ...value.split(",")];
        break;
      }
      default: {
        const value = raw ?? next();
        if (value === undefined) throw new UsageError(`--${toKebab(name)} needs a value`);
        values[name] = coerce(name, option, value);
      }
    }
  };

  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i]!;
    const next = () => {
      const candidate = argv[i + 1];
      if (candidate === undefined || candidate.startsWith("-")) return undefined;
      i += 1;
      return candidate;
    };

    if (arg === "--") {
      rest = argv.slice(i + 1);
      break;
    }

    let match = LONG_FLAG.exec(arg);
    if (match) {
      const [, flag = "", inline] = match;
      const negated = flag.startsWith("no-") && byFlag.has(flag.slice(3));
      const name = byFlag.get(negated ? flag.slice(3) : flag);
      if (!name) throw new UsageError(`Unknown option --${flag}`);
      if (negated) values[name] = false;
      else assign(name, inline, next);
      continue;
    }

    match = SHORT_FLAGS.exec(arg);
    if (match) {
      const letters = [...match[1]!];
      letters.forEach((letter, index) => {
        const name = byAlias.get(letter);
        if (!name) throw new UsageError(`Unknown option -${letter}`);
        const isLast = index === letters.length - 1;
        assign(name, undefined, isLast ? next : () => undefined);
      });
      continue;
    }

    positionals.push(arg);
  }

  const missing: string[] = [];
  for (const [name, option] of Object.entries(spec)) {
    if (values[name] === undefined && option.default !== undefined) values[name] = option.default;
    if (option.required && values[name] === undefined) missing.push(`--${toKebab(name)}`);
  }
  if (missing.length) {
    throw new UsageError(`Missing required option${missing.length > 1 ? "s" : ""}: ${missing.join(" ")}`);
  }

  return { options: values as ParsedOptions<S>, positionals, rest };
}

const cliSpec = {
  verbose: { type: "boolean", alias: "v", description: "Print progress while working" },
  jobs: { type: "number", alias: "j", description: "Parallel workers", default: 4 },
  format: { type: "string", description: "Output format", choices: ["text", "json", "csv"], default: "text" },
  include: { type: "list", alias: "I", description: "Glob patterns to include" },
  outDir: { type: "string", alias: "o", description: "Where results are written", required: true },
} satisfies Spec;

export async function main(argv = process.argv.slice(2)): Promise<number> {
  if (argv.includes("--help") || argv.includes("-h")) {
    const flags = Object.entries(cliSpec).map(([name, { description }]) => `  --${toKebab(name)}  ${description}`);
    process.stdout.write(`Usage: ${basename(process.argv[1] ?? "tool")} [options] [files...]\n${flags.join("\n")}\n`);
    return 0;
  }
  try {
    const { options, positionals } = parseArgs(cliSpec, argv);
    const log = options.verbose ? (...parts: unknown[]) => console.error("[tool]", ...parts) : () => {};
    log(`using ${options.jobs ?? 1} job(s), format=${options.format}`);
    for (const file of positionals) {
      log(`queued ${file}`);
    }
    return positionals.length > 0 ? 0 : 2;
  } catch (error) {
    if (error instanceof UsageError) {
      console.error(`error: ${error.message}\nTry --help for usage.`);
      return 64;
    }
    throw error;
  }
}
