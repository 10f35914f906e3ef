import { createHash } from 'node:crypto';
import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import { parse as parseToml } from 'smol-toml';
import { documentChecker, EngineError, JsonSchemaError, schemaCatalog, type JsonSchemaOptions, type SchemaCatalog } from '../engine/index.ts';

/**
 * SchemaStore's schemas with their own test documents, through `ananke schema check`'s defaults
 * (strict; any property order; post-checks; keywords beside `$ref` applied; other schemas of the
 * folder as the registry for remote `$ref`s), with a reference validator (ajv, injected by the
 * caller: src/eval/schemastore-ajv.ts) telling which positive documents are valid.
 *
 * Two layouts are read:
 * - a copy of SchemaStore's `src/` folder: `schemas/json/<name>.json`, `test/<name>/*`,
 *   `negative_test/<name>/*` (JSON, YAML, TOML), and `schema-validation.jsonc` (its `skiptest`
 *   list is left out); the schemas run are those with negative tests;
 * - a slice (`../shared/data/schemastore-dev`): `<name>/schema.json`, `<name>/pos/*.json`,
 *   `<name>/neg/*.json`.
 * JSON documents are checked as written (the file's own text); YAML and TOML ones (a raw checkout
 * has about 1,200 of them) as `JSON.stringify(value, null, 2)` of the value SchemaStore's own tests
 * read: TOML by smol-toml (a dependency), YAML by the `parseYaml` the caller passes (`yamlParser()`
 * of schemastore-ajv.ts: the `yaml` package, as SchemaStore uses; the CLI and the bench pass it and
 * stop with a usage error when it is not installed). Without `parseYaml` YAML documents are
 * reported in `skipped`, never counted either way.
 */
export type SchemaOutcome = 'exact' | 'post-check' | 'refused' | 'limit' | 'crash';
export type DocumentOutcome =
  /** A negative document rejected, a valid positive one accepted. */
  | 'pass'
  /** A negative document accepted. */
  | 'false-positive'
  /** A positive document the reference accepts, rejected. */
  | 'false-negative'
  /** The schema did not compile. */
  | 'not-compiled'
  /** A positive document the reference rejects or cannot decide (not counted either way). */
  | 'no-reference';

export interface SchemastoreCase {
  /** `<schema>` for the schema; `<schema>/<neg|pos>/<sha1 of the value, 12 hex>` for a document. */
  id: string;
  schema: string;
  /** The document's file (relative to the folder), or the schema's. */
  file: string;
  outcome: SchemaOutcome | DocumentOutcome;
  /** Why a schema was refused, or where a document was rejected. */
  detail?: string;
  /** The keyword a refusal names. */
  keyword?: string;
}

export interface SchemastoreCounts {
  schemas: number;
  exact: number;
  postCheck: number;
  refused: number;
  limit: number;
  crash: number;
  negatives: number;
  /** Negative documents of compiled schemas. */
  negativesChecked: number;
  falsePositive: number;
  positives: number;
  /** Positive documents of compiled schemas that the reference accepts. */
  positivesChecked: number;
  falseNegative: number;
  /** Positive documents the reference rejects or could not decide (compiled schemas only). */
  noReference: number;
}

export interface SchemastoreReport {
  folder: string;
  layout: 'schemastore' | 'slice';
  counts: SchemastoreCounts;
  /** Refusals by the keyword they name. */
  refusals: Record<string, number>;
  /** Documents not read: YAML without a parseYaml, or unreadable files (with why). */
  skipped: Array<{ file: string; why: string }>;
  /** Compile time per schema, milliseconds (compile + engine tables). */
  compileMs: number[];
  cases: SchemastoreCase[];
}

/** The reference validator: a function per schema, or null when it cannot compile it. */
export interface ReferenceValidator {
  validator(schema: unknown, name: string): ((value: unknown) => boolean) | null;
}

export interface SchemastoreOptions {
  /** Only schemas whose name contains this. */
  filter?: string;
  /** Only these schemas (by name). */
  names?: string[];
  /** At most this many schemas (in name order). */
  limit?: number;
  /** Extra folders for remote `$ref`s (the layout's own schemas are always searched). */
  schemaDirs?: string[];
  /** Options beside the defaults of `schema check` (tests narrow or widen them). */
  schema?: JsonSchemaOptions;
  /** `(text) => value` for YAML documents (`yamlParser()`: the `yaml` package's `parse`), or undefined to skip them (reported in `skipped`). */
  parseYaml?: (text: string) => unknown;
  progress?: (line: string) => void;
}

interface SchemaEntry {
  name: string;
  schemaFile: string;
  negatives: string[];
  positives: string[];
}

/** The options `ananke schema check` compiles with (strict, any order, post-checks, siblings applied). */
export const CHECK_DEFAULTS: JsonSchemaOptions = { propertyOrder: 'any', postChecks: true, refSiblings: 'apply', whitespace: 'flexible' };

function files(dir: string): string[] {
  if (!existsSync(dir)) return [];
  return readdirSync(dir).sort().map((f) => path.join(dir, f)).filter((f) => statSync(f).isFile());
}

/** Which layout a folder has, or an error message. */
export function schemastoreLayout(folder: string): 'schemastore' | 'slice' | string {
  if (!existsSync(folder) || !statSync(folder).isDirectory()) return `${folder} is not a folder`;
  if (existsSync(path.join(folder, 'schemas', 'json')) && existsSync(path.join(folder, 'negative_test'))) return 'schemastore';
  if (readdirSync(folder).some((d) => existsSync(path.join(folder, d, 'schema.json')))) return 'slice';
  return `${folder} is neither SchemaStore's src/ folder (schemas/json, test, negative_test) nor a slice (<name>/schema.json, pos/, neg/)`;
}

const YAML_FILE = /\.ya?ml$/i;

/** Whether the schemas a run with these options reads have YAML test documents (then it needs `parseYaml`). */
export function hasYamlDocuments(folder: string, opts: Pick<SchemastoreOptions, 'filter' | 'names' | 'limit'> = {}): boolean {
  const layout = schemastoreLayout(folder);
  if (layout !== 'schemastore' && layout !== 'slice') return false;
  return selected(folder, layout, opts).some((e) => [...e.negatives, ...e.positives].some((f) => YAML_FILE.test(f)));
}

function selected(folder: string, layout: 'schemastore' | 'slice', opts: Pick<SchemastoreOptions, 'filter' | 'names' | 'limit'>): SchemaEntry[] {
  let list = entries(folder, layout);
  if (opts.filter !== undefined) list = list.filter((e) => e.name.includes(opts.filter!));
  if (opts.names !== undefined) list = list.filter((e) => opts.names!.includes(e.name));
  if (opts.limit !== undefined) list = list.slice(0, opts.limit);
  return list;
}

/** JSON with `//` comments, as schema-validation.jsonc is written. */
function parseJsonc(text: string): unknown {
  let out = '';
  let inString = false;
  for (let i = 0; i < text.length; i++) {
    const c = text[i]!;
    if (inString) {
      out += c;
      if (c === '\\') out += text[++i] ?? '';
      else if (c === '"') inString = false;
    } else if (c === '"') {
      inString = true;
      out += c;
    } else if (c === '/' && text[i + 1] === '/') {
      while (i < text.length && text[i] !== '\n') i++;
      out += '\n';
    } else out += c;
  }
  return JSON.parse(out) as unknown;
}

function entries(folder: string, layout: 'schemastore' | 'slice'): SchemaEntry[] {
  if (layout === 'slice') {
    return readdirSync(folder).sort().filter((d) => existsSync(path.join(folder, d, 'schema.json'))).map((d) => ({
      name: d,
      schemaFile: path.join(folder, d, 'schema.json'),
      negatives: files(path.join(folder, d, 'neg')),
      positives: files(path.join(folder, d, 'pos')),
    }));
  }
  let skip = new Set<string>();
  const sv = path.join(folder, 'schema-validation.jsonc');
  if (existsSync(sv)) {
    const v = parseJsonc(readFileSync(sv, 'utf8')) as { skiptest?: unknown };
    if (Array.isArray(v.skiptest)) skip = new Set(v.skiptest.filter((x): x is string => typeof x === 'string'));
  }
  return readdirSync(path.join(folder, 'negative_test')).sort()
    .filter((d) => !skip.has(`${d}.json`) && existsSync(path.join(folder, 'schemas', 'json', `${d}.json`)))
    .map((d) => ({
      name: d,
      schemaFile: path.join(folder, 'schemas', 'json', `${d}.json`),
      negatives: files(path.join(folder, 'negative_test', d)),
      positives: files(path.join(folder, 'test', d)),
    }));
}

/** A document's text to check and its value: JSON as written; YAML and TOML as pretty JSON. */
function readDocument(file: string, parseYaml: ((t: string) => unknown) | undefined): { text: string; value: unknown } | string {
  const raw = readFileSync(file, 'utf8').replace(/^\uFEFF/, '');
  const ext = path.extname(file).toLowerCase();
  try {
    if (ext === '.json') {
      const text = raw.replace(/\r?\n$/, '');
      return { text, value: JSON.parse(text) as unknown };
    }
    let value: unknown;
    if (ext === '.toml') value = tomlToJson(parseToml(raw));
    else if (ext === '.yaml' || ext === '.yml') {
      if (parseYaml === undefined) return 'YAML (no parseYaml given: the `yaml` package reads it)';
      value = parseYaml(raw);
    } else return `not JSON, YAML or TOML (${ext || 'no extension'})`;
    return { text: JSON.stringify(value, null, 2), value };
  } catch (e) {
    return `unreadable: ${(e instanceof Error ? e.message : String(e)).split('\n')[0]}`;
  }
}

/** TOML dates and times become their text (JSON has no date type; SchemaStore's tests mean strings). */
function tomlToJson(v: unknown): unknown {
  if (v instanceof Date) return v.toISOString();
  if (Array.isArray(v)) return v.map(tomlToJson);
  if (v !== null && typeof v === 'object') {
    const o = v as Record<string, unknown>;
    if (typeof o['toISOString'] === 'function') return String(v);
    return Object.fromEntries(Object.entries(o).map(([k, x]) => [k, tomlToJson(x)]));
  }
  return v;
}

function hashOf(value: unknown): string {
  return createHash('sha1').update(JSON.stringify(value) ?? 'undefined').digest('hex').slice(0, 12);
}

function emptyCounts(): SchemastoreCounts {
  return { schemas: 0, exact: 0, postCheck: 0, refused: 0, limit: 0, crash: 0, negatives: 0, negativesChecked: 0, falsePositive: 0, positives: 0, positivesChecked: 0, falseNegative: 0, noReference: 0 };
}

export function runSchemastore(folder: string, reference: ReferenceValidator, opts: SchemastoreOptions = {}): SchemastoreReport {
  const layout = schemastoreLayout(folder);
  if (layout !== 'schemastore' && layout !== 'slice') throw new EngineError('STATE', layout);
  const list = selected(folder, layout, opts);
  const ownDir = layout === 'schemastore' ? path.join(folder, 'schemas', 'json') : folder;
  const catalog: SchemaCatalog = schemaCatalog([ownDir, ...(opts.schemaDirs ?? [])]);
  const report: SchemastoreReport = { folder, layout, counts: emptyCounts(), refusals: {}, skipped: [], compileMs: [], cases: [] };
  const c = report.counts;
  const rel = (f: string) => path.relative(folder, f);
  for (const e of list) {
    c.schemas++;
    const schema = JSON.parse(readFileSync(e.schemaFile, 'utf8').replace(/^\uFEFF/, '')) as unknown;
    const schemaCase: SchemastoreCase = { id: e.name, schema: e.name, file: rel(e.schemaFile), outcome: 'exact' };
    let checker: ReturnType<typeof documentChecker> | null = null;
    const t0 = performance.now();
    try {
      checker = documentChecker(schema, { ...CHECK_DEFAULTS, ...opts.schema, documents: catalog.documents, baseUri: pathToFileURL(e.schemaFile).href });
      report.compileMs.push(performance.now() - t0);
      if (checker.grammar.postChecks.length > 0) {
        schemaCase.outcome = 'post-check';
        schemaCase.detail = checker.grammar.postChecks.map((p) => `${p.keyword} at ${p.pointer}`).join('; ');
        c.postCheck++;
      } else c.exact++;
    } catch (err) {
      if (err instanceof JsonSchemaError || (err instanceof EngineError && err.code === 'SCHEMA')) {
        schemaCase.outcome = 'refused';
        const kw = err instanceof JsonSchemaError ? err.keyword || '(schema)' : '(schema)';
        schemaCase.keyword = kw;
        report.refusals[kw] = (report.refusals[kw] ?? 0) + 1;
        c.refused++;
      } else if (err instanceof EngineError && err.code === 'LIMIT') {
        schemaCase.outcome = 'limit';
        c.limit++;
      } else {
        schemaCase.outcome = 'crash';
        c.crash++;
      }
      schemaCase.detail = err instanceof Error ? err.message : String(err);
    }
    report.cases.push(schemaCase);
    const ref = checker === null ? null : safeValidator(reference, schema, e.name);
    for (const [kind, docs] of [['neg', e.negatives], ['pos', e.positives]] as const) {
      for (const f of docs) {
        const doc = readDocument(f, opts.parseYaml);
        if (typeof doc === 'string') {
          report.skipped.push({ file: rel(f), why: doc });
          continue;
        }
        if (kind === 'neg') c.negatives++;
        else c.positives++;
        const dc: SchemastoreCase = { id: `${e.name}/${kind}/${hashOf(doc.value)}`, schema: e.name, file: rel(f), outcome: 'not-compiled' };
        report.cases.push(dc);
        if (checker === null) continue;
        let accepted: boolean;
        try {
          const r = checker.check(doc.text);
          accepted = r.accepted;
          if (!r.accepted) dc.detail = r.message;
        } catch (err) {
          accepted = false;
          dc.detail = `error: ${err instanceof Error ? err.message : String(err)}`;
        }
        if (kind === 'neg') {
          c.negativesChecked++;
          dc.outcome = accepted ? 'false-positive' : 'pass';
          if (accepted) c.falsePositive++;
          continue;
        }
        let valid: boolean | null = null;
        try {
          valid = ref === null ? null : ref(doc.value);
        } catch {
          valid = null;
        }
        if (valid !== true) {
          dc.outcome = 'no-reference';
          c.noReference++;
          continue;
        }
        c.positivesChecked++;
        dc.outcome = accepted ? 'pass' : 'false-negative';
        if (!accepted) c.falseNegative++;
      }
    }
    opts.progress?.(`${e.name}: ${schemaCase.outcome}`);
  }
  return report;
}

function safeValidator(reference: ReferenceValidator, schema: unknown, name: string): ((v: unknown) => boolean) | null {
  try {
    return reference.validator(schema, name);
  } catch {
    return null;
  }
}

// ---- the ratchet -----------------------------------------------------------------------------

/** What a case may move to: up, never down (a false positive is the worst). */
const RANK: Record<SchemaOutcome | DocumentOutcome, number> = {
  'false-positive': 0,
  crash: 1, limit: 1, refused: 1, 'false-negative': 1, 'not-compiled': 1,
  'post-check': 2, 'no-reference': 2,
  exact: 3, pass: 3,
};

export type SchemastoreBaseline = Record<string, SchemaOutcome | DocumentOutcome>;

export function schemastoreBaselineOf(r: SchemastoreReport): SchemastoreBaseline {
  const out: SchemastoreBaseline = {};
  for (const k of r.cases) out[k.id] = k.outcome;
  return out;
}

/**
 * Cases worse than the baseline (cases the baseline does not hold count only as false positives):
 * a baseline recorded on the whole SchemaStore serves a run on a slice too, since ids are the
 * schema's name and the hash of each document's value.
 */
export function schemastoreRegressions(r: SchemastoreReport, baseline: SchemastoreBaseline): Array<{ id: string; was: string; now: string }> {
  const out: Array<{ id: string; was: string; now: string }> = [];
  for (const k of r.cases) {
    const was = baseline[k.id];
    if (was === undefined) {
      if (k.outcome === 'false-positive') out.push({ id: k.id, was: 'absent', now: k.outcome });
    } else if (RANK[k.outcome] < RANK[was]) out.push({ id: k.id, was, now: k.outcome });
  }
  return out;
}
