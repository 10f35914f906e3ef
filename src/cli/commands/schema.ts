import { existsSync, readFileSync } from 'node:fs';
import type { Command } from 'commander';
import {
  byteTokenizer, compile, compileJsonSchema, EngineError, JsonSchemaError, jsonSchemaToLark, type JsonSchemaOptions,
} from '../../engine/index.ts';

interface SchemaFlags {
  lenient?: boolean;
  propertyOrder?: string;
  whitespace?: string;
  unknownKeywords?: string;
  json?: boolean;
}

/** Exit statuses: 0 all instances valid, 1 some instance rejected, 2 schema (or usage) error, 3 file not found. */
const EXIT_OK = 0;
const EXIT_REJECTED = 1;
const EXIT_SCHEMA = 2;
const EXIT_NOT_FOUND = 3;

/** `ananke schema check|grammar`: JSON Schema through the engine. */
export function register(program: Command): void {
  const schema = program.command('schema').description('Compile JSON Schemas to grammars and validate instances with them.');
  const common = (c: Command) =>
    c
      .option('--lenient', 'drop keywords that cannot be enforced (each reported as a relaxation) instead of failing')
      .option('--whitespace <mode>', 'compact or flexible (default flexible)', 'flexible')
      .option('--property-order <order>', 'schema (declared properties in schema order, the default) or any', 'schema')
      .option('--unknown-keywords <mode>', 'keywords of no JSON Schema vocabulary: ignore (annotations, as the spec says; each reported) or error', 'ignore')
      .option('--json', 'print a JSON report');
  common(
    schema
      .command('check')
      .description('Compile a schema; validate each instance file and say where each one fails.')
      .argument('<schema>', 'JSON Schema file')
      .argument('[instances...]', 'JSON instance files'),
  ).action((file: string, instances: string[], flags: SchemaFlags) => {
    process.exitCode = runCheck(file, instances, flags);
  });
  common(
    schema
      .command('grammar')
      .description('Print the schema as a Lark grammar (llguidance dialect, for vLLM / SGLang / llama.cpp).')
      .argument('<schema>', 'JSON Schema file'),
  ).action((file: string, flags: SchemaFlags) => {
    process.exitCode = runGrammar(file, flags);
  });
}

function options(flags: SchemaFlags): JsonSchemaOptions | string {
  if (flags.whitespace !== 'compact' && flags.whitespace !== 'flexible') return `--whitespace must be compact or flexible, not '${flags.whitespace}'`;
  if (flags.propertyOrder !== 'schema' && flags.propertyOrder !== 'any') return `--property-order must be schema or any, not '${flags.propertyOrder}'`;
  if (flags.unknownKeywords !== 'ignore' && flags.unknownKeywords !== 'error') return `--unknown-keywords must be ignore or error, not '${flags.unknownKeywords}'`;
  return { whitespace: flags.whitespace, lenient: flags.lenient === true, propertyOrder: flags.propertyOrder, unknownKeywords: flags.unknownKeywords };
}

function readSchema(file: string): { schema?: unknown; error?: string; code?: number } {
  if (!existsSync(file)) return { error: `schema file not found: ${file}`, code: EXIT_NOT_FOUND };
  try {
    return { schema: JSON.parse(readFileSync(file, 'utf8')) as unknown };
  } catch (e) {
    return { error: `${file}: not valid JSON: ${(e as Error).message}`, code: EXIT_SCHEMA };
  }
}

function schemaError(file: string, e: unknown, json: boolean): number {
  if (!(e instanceof EngineError)) throw e;
  const report: Record<string, unknown> = { schema: file, error: { code: e.code, message: e.message } };
  if (e instanceof JsonSchemaError) Object.assign(report['error'] as object, { pointer: e.pointer === '' ? '#' : `#${e.pointer}`, keyword: e.keyword });
  if (json) process.stdout.write(JSON.stringify(report, null, 2) + '\n');
  else process.stderr.write(`ananke: error [${e.code}]: ${file}: ${e.message}\n`);
  return e.code === 'LIMIT' ? 5 : EXIT_SCHEMA;
}

function runGrammar(file: string, flags: SchemaFlags): number {
  const opts = options(flags);
  if (typeof opts === 'string') {
    process.stderr.write(`ananke: error: ${opts}\n`);
    return EXIT_SCHEMA;
  }
  const { schema, error, code } = readSchema(file);
  if (error !== undefined) {
    process.stderr.write(`ananke: error: ${error}\n`);
    return code!;
  }
  try {
    if (flags.json) {
      const g = compileJsonSchema(schema, opts);
      process.stdout.write(JSON.stringify({ schema: file, lark: jsonSchemaToLark(schema, opts), relaxations: g.relaxations, ignored: g.ignored, lexemes: g.lexemes.length, rules: g.rules.length }, null, 2) + '\n');
    } else process.stdout.write(jsonSchemaToLark(schema, opts));
    return EXIT_OK;
  } catch (e) {
    return schemaError(file, e, flags.json === true);
  }
}

interface InstanceReport {
  file: string;
  valid: boolean;
  offset?: number;
  line?: number;
  column?: number;
  expected?: string[];
  message?: string;
}

function runCheck(file: string, instances: string[], flags: SchemaFlags): number {
  const opts = options(flags);
  if (typeof opts === 'string') {
    process.stderr.write(`ananke: error: ${opts}\n`);
    return EXIT_SCHEMA;
  }
  const { schema, error, code } = readSchema(file);
  if (error !== undefined) {
    process.stderr.write(`ananke: error: ${error}\n`);
    return code!;
  }
  let g;
  let cg;
  try {
    g = compileJsonSchema(schema, opts);
    cg = compile(g, byteTokenizer());
  } catch (e) {
    return schemaError(file, e, flags.json === true);
  }
  const reports: InstanceReport[] = [];
  let missing = false;
  for (const inst of instances) {
    if (!existsSync(inst)) {
      process.stderr.write(`ananke: error: instance file not found: ${inst}\n`);
      missing = true;
      continue;
    }
    // A final newline (as editors write) is not part of the instance.
    const text = readFileSync(inst, 'utf8').replace(/\r?\n$/, '');
    const r = cg.check(text);
    const rep: InstanceReport = { file: inst, valid: r.accepted };
    if (!r.accepted) Object.assign(rep, { offset: r.offset, line: r.line, column: r.column, expected: r.expected, message: r.message });
    reports.push(rep);
  }
  if (flags.json) {
    process.stdout.write(JSON.stringify({ schema: file, relaxations: g.relaxations, ignored: g.ignored, instances: reports, valid: reports.every((r) => r.valid) }, null, 2) + '\n');
  } else {
    for (const r of g.relaxations) process.stdout.write(`relaxed: '${r.keyword}' at ${r.pointer}: ${r.reason}\n`);
    for (const k of g.ignored) process.stdout.write(`ignored: '${k.keyword}' at ${k.pointer}: ${k.detail ?? 'not a JSON Schema keyword (an annotation)'}\n`);
    if (instances.length === 0) process.stdout.write(`${file}: schema compiles (${g.lexemes.length} lexemes, ${g.rules.length} rules)\n`);
    for (const r of reports) process.stdout.write(r.valid ? `${r.file}: valid\n` : `${r.file}: invalid: ${r.message}\n`);
  }
  if (missing) return EXIT_NOT_FOUND;
  return reports.every((r) => r.valid) ? EXIT_OK : EXIT_REJECTED;
}
