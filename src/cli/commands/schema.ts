import { existsSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import type { Command } from 'commander';
import { AnankeError, EXIT } from '../../core/index.ts';
import {
  compileJsonSchema, documentChecker, EngineError, jsonSchemaToLark, schemaCatalog, type JsonSchemaOptions, type SchemaCatalog,
} from '../../engine/index.ts';

interface SchemaFlags {
  lenient?: boolean;
  propertyOrder?: string;
  whitespace?: string;
  unknownKeywords?: string;
  refSiblings?: string;
  schemaDir?: string[];
  postChecks?: boolean;
  json?: boolean;
}

const collect = (v: string, prev: string[] = []): string[] => [...prev, v];

/** `ananke schema check|grammar`: JSON Schema through the engine. */
export function configure(schema: Command): void {
  const common = (c: Command, order: 'schema' | 'any', orderWhy: string) =>
    c
      .option('--lenient', 'drop keywords that cannot be enforced (each reported as a relaxation) instead of failing')
      .option('--whitespace <mode>', 'flexible (compact, Python-style and pretty-printed JSON all match) or compact (exact separators)', 'flexible')
      .option('--property-order <order>', `schema (declared properties in schema order) or any (${orderWhy})`, order)
      .option('--unknown-keywords <mode>', 'keywords of no JSON Schema vocabulary: ignore (annotations, as the spec says; each reported) or error', 'ignore')
      .option('--ref-siblings <mode>', 'keywords beside $ref in drafts 04-07: apply (here, as ajv and editors validate documents; can only refuse more) or draft (ignored, as those drafts say, and as the library reads them)', 'apply')
      .option('--schema-dir <dir>', 'a folder of schemas for $refs to other files, found by $id or file name (repeatable; nothing is fetched)', collect)
      .option('--json', 'print a JSON report');
  common(
    schema
      .command('check')
      .description('Compile a schema; validate each instance file and say where each one fails.')
      .argument('<schema>', 'JSON Schema file')
      .argument('[instances...]', 'JSON instance files')
      .option('--no-post-checks', 'refuse constraints the grammar holds only as a superset instead of checking them on the parsed document')
      .addHelpText('after', `
check validates existing documents, so properties may come in any order by default (generation,
\`schema grammar\`, keeps schema order by default), and constraints no grammar can hold exactly
(uniqueItems over strings, overlapping oneOf, …) are checked on the parsed document (post-checks,
each reported).

Examples:
  $ ananke schema check tool.schema.json                           does the schema compile?
  $ ananke schema check tool.schema.json call1.json call2.json     validate instances, say where one fails
  $ ananke schema check tool.schema.json call.json --json
  $ ananke schema check schemas/json/cheatsheets.json doc.json --schema-dir schemas/json
                                                                   $refs to other files of that folder

Exit status: 0 all instances valid, 1 some rejected, 2 schema or usage error, 3 file not found, 5 a limit exceeded.`),
    'any',
    'existing documents list properties in any order',
  ).action((file: string, instances: string[], flags: SchemaFlags) => {
    process.exitCode = runCheck(file, instances, flags);
  });
  common(
    schema
      .command('grammar')
      .description('Print the schema as a Lark grammar (llguidance dialect, for vLLM / SGLang / llama.cpp).')
      .argument('<schema>', 'JSON Schema file')
      .addHelpText('after', `
Example:
  $ ananke schema grammar tool.schema.json > tool.lark              Lark for vLLM, SGLang or llama.cpp

Exit status: 0 printed, 2 schema or usage error, 3 file not found, 5 a limit exceeded.`),
    'schema',
    'generation keeps schema order, as llguidance and XGrammar',
  ).action((file: string, flags: SchemaFlags) => {
    process.exitCode = runGrammar(file, flags);
  });
}

function options(file: string, flags: SchemaFlags, catalog: SchemaCatalog | undefined): JsonSchemaOptions {
  const usage = (msg: string): AnankeError => new AnankeError('USAGE', msg);
  if (flags.whitespace !== 'compact' && flags.whitespace !== 'flexible') throw usage(`--whitespace must be compact or flexible, not '${flags.whitespace}'`);
  if (flags.propertyOrder !== 'schema' && flags.propertyOrder !== 'any') throw usage(`--property-order must be schema or any, not '${flags.propertyOrder}'`);
  if (flags.unknownKeywords !== 'ignore' && flags.unknownKeywords !== 'error') throw usage(`--unknown-keywords must be ignore or error, not '${flags.unknownKeywords}'`);
  if (flags.refSiblings !== 'apply' && flags.refSiblings !== 'draft') throw usage(`--ref-siblings must be apply or draft, not '${flags.refSiblings}'`);
  const opts: JsonSchemaOptions = {
    whitespace: flags.whitespace, lenient: flags.lenient === true, propertyOrder: flags.propertyOrder, unknownKeywords: flags.unknownKeywords,
    refSiblings: flags.refSiblings, postChecks: flags.postChecks === true,
    // Relative $refs of a schema without $id resolve against the file it was read from.
    baseUri: pathToFileURL(path.resolve(file)).href,
  };
  if (catalog) opts.documents = catalog.documents;
  return opts;
}

/** The --schema-dir folders as one registry (a missing folder is NOT_FOUND). */
function catalogOf(flags: SchemaFlags): SchemaCatalog | undefined {
  const dirs = flags.schemaDir ?? [];
  if (dirs.length === 0) return undefined;
  for (const d of dirs) if (!existsSync(d)) throw new AnankeError('NOT_FOUND', `schema folder not found: ${d}`);
  return schemaCatalog(dirs);
}

function readSchema(file: string): unknown {
  if (!existsSync(file)) throw new AnankeError('NOT_FOUND', `schema file not found: ${file}`);
  try {
    return JSON.parse(readFileSync(file, 'utf8')) as unknown;
  } catch (e) {
    throw new AnankeError('SCHEMA', `not valid JSON: ${(e as Error).message}`, { file });
  }
}

/** Engine errors about the schema name the schema file; the CLI reports them (report-error.ts). */
function withFile<T>(file: string, f: () => T): T {
  try {
    return f();
  } catch (e) {
    if (e instanceof EngineError) e.message = `${file}: ${e.message}`;
    throw e;
  }
}

function runGrammar(file: string, flags: SchemaFlags): number {
  const opts = options(file, flags, catalogOf(flags));
  const schema = readSchema(file);
  withFile(file, () => {
    if (flags.json) {
      // The grammar printed for servers: plain rules only (jsonSchemaToLark builds it so).
      const g = compileJsonSchema(schema, { ...opts, portable: true });
      process.stdout.write(JSON.stringify({ schema: file, propertyOrder: opts.propertyOrder, lark: jsonSchemaToLark(schema, opts), relaxations: g.relaxations, ignored: g.ignored, postChecks: g.postChecks, lexemes: g.lexemes.length, rules: g.rules.length }, null, 2) + '\n');
    } else process.stdout.write(jsonSchemaToLark(schema, opts));
  });
  return EXIT.OK;
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
  const opts = options(file, flags, catalogOf(flags));
  const schema = readSchema(file);
  const checker = withFile(file, () => documentChecker(schema, opts));
  const g = checker.grammar;
  const reports: InstanceReport[] = [];
  let missing = false;
  for (const inst of instances) {
    if (!existsSync(inst)) {
      // The other instances are still checked; the run then exits as NOT_FOUND.
      process.stderr.write(`ananke: error [NOT_FOUND]: instance file not found: ${inst}\n`);
      missing = true;
      continue;
    }
    // A final newline (as editors write) is not part of the instance.
    const text = readFileSync(inst, 'utf8').replace(/\r?\n$/, '');
    const r = checker.check(text);
    const rep: InstanceReport = { file: inst, valid: r.accepted };
    if (!r.accepted) Object.assign(rep, { offset: r.offset, line: r.line, column: r.column, expected: r.expected, message: r.message });
    reports.push(rep);
  }
  if (flags.json) {
    process.stdout.write(JSON.stringify({ schema: file, propertyOrder: opts.propertyOrder, relaxations: g.relaxations, ignored: g.ignored, postChecks: g.postChecks, instances: reports, valid: reports.every((r) => r.valid) }, null, 2) + '\n');
  } else {
    for (const r of g.relaxations) process.stdout.write(`relaxed: '${r.keyword}' at ${r.pointer}: ${r.reason}\n`);
    for (const k of g.ignored) process.stdout.write(`ignored: '${k.keyword}' at ${k.pointer}: ${k.detail ?? 'not a JSON Schema keyword (an annotation)'}\n`);
    for (const c of g.postChecks) process.stdout.write(`post-check: '${c.keyword}' at ${c.pointer}: ${c.reason}\n`);
    const order = opts.propertyOrder === 'any' ? 'properties in any order' : 'properties in schema order';
    if (instances.length === 0) process.stdout.write(`${file}: schema compiles (${g.lexemes.length} lexemes, ${g.rules.length} rules; ${order})\n`);
    for (const r of reports) process.stdout.write(r.valid ? `${r.file}: valid\n` : `${r.file}: invalid: ${r.message}\n`);
  }
  if (missing) return EXIT.NOT_FOUND;
  return reports.every((r) => r.valid) ? EXIT.OK : EXIT.NO;
}
