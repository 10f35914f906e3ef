import { readdirSync, readFileSync, statSync } from 'node:fs';
import path from 'node:path';
import { EngineError, compile, byteTokenizer, compileJsonSchema, type JsonSchemaOptions } from '../engine/index.ts';
import { parseRawJson, pythonDumps, pythonNumber, pythonString, rawGet, rawToValue, type RawJson } from './raw-json.ts';

/**
 * The official JSON Schema test suite through the engine. Each instance of each group is a case:
 * the group's schema is compiled once, each instance is serialized (flexible whitespace: Python's
 * `json.dumps` style, `", "` and `": "`, numbers as written in the file; compact: no spaces) and
 * matched whole with the compiled grammar.
 */
export type JstsOutcome = 'pass' | 'false-positive' | 'false-negative' | 'compile-error-valid' | 'compile-error-invalid';

export interface JstsCase {
  id: string;
  file: string;
  optional: boolean;
  description: string;
  valid: boolean;
  outcome: JstsOutcome;
  error?: string;
}

export interface JstsCounts {
  cases: number;
  pass: number;
  falsePositive: number;
  falseNegative: number;
  /** Compile errors, on valid and invalid instances together. */
  compileError: number;
  compileErrorValid: number;
  compileErrorInvalid: number;
}

export interface JstsReport {
  folder: string;
  whitespace: 'compact' | 'flexible';
  required: JstsCounts;
  optional: JstsCounts;
  files: Record<string, JstsCounts>;
  cases: JstsCase[];
}

export interface JstsOptions {
  /** Only these files (paths relative to the folder, e.g. `type.json`, `optional/bignum.json`). */
  files?: string[];
  schema?: JsonSchemaOptions;
}

function emptyCounts(): JstsCounts {
  return { cases: 0, pass: 0, falsePositive: 0, falseNegative: 0, compileError: 0, compileErrorValid: 0, compileErrorInvalid: 0 };
}

function add(c: JstsCounts, o: JstsOutcome): void {
  c.cases++;
  if (o === 'pass') c.pass++;
  else if (o === 'false-positive') c.falsePositive++;
  else if (o === 'false-negative') c.falseNegative++;
  else {
    c.compileError++;
    if (o === 'compile-error-valid') c.compileErrorValid++;
    else c.compileErrorInvalid++;
  }
}

/** Compact JSON with numbers as written. */
export function compactDumps(v: RawJson): string {
  switch (v.kind) {
    case 'null': return 'null';
    case 'bool': return v.value ? 'true' : 'false';
    case 'number': return pythonNumber(v.text);
    case 'string': return pythonString(v.value);
    case 'array': return `[${v.items.map(compactDumps).join(',')}]`;
    case 'object': return `{${v.entries.map(([k, x]) => `${pythonString(k)}:${compactDumps(x)}`).join(',')}}`;
  }
}

/** Every `*.json` under the folder (recursively), relative paths, sorted. */
export function suiteFiles(folder: string): string[] {
  const out: string[] = [];
  const walk = (rel: string) => {
    for (const name of readdirSync(path.join(folder, rel)).sort()) {
      const r = rel === '' ? name : `${rel}/${name}`;
      if (statSync(path.join(folder, r)).isDirectory()) walk(r);
      else if (name.endsWith('.json')) out.push(r);
    }
  };
  walk('');
  return out;
}

export function runJsts(folder: string, opts: JstsOptions = {}): JstsReport {
  const schemaOpts: JsonSchemaOptions = opts.schema ?? {};
  const whitespace = schemaOpts.whitespace ?? 'flexible';
  const dumps = whitespace === 'compact' ? compactDumps : pythonDumps;
  const report: JstsReport = { folder, whitespace, required: emptyCounts(), optional: emptyCounts(), files: {}, cases: [] };
  const tok = byteTokenizer();
  for (const file of opts.files ?? suiteFiles(folder)) {
    const optional = file.startsWith('optional/');
    const raw = parseRawJson(readFileSync(path.join(folder, file), 'utf8'));
    if (raw.kind !== 'array') continue;
    const fileCounts = emptyCounts();
    raw.items.forEach((group, gi) => {
      const schemaRaw = rawGet(group, 'schema');
      const tests = rawGet(group, 'tests');
      if (schemaRaw === undefined || tests?.kind !== 'array') return;
      let matches: ((text: string) => boolean) | null = null;
      let error: string | undefined;
      try {
        const g = compileJsonSchema(rawToValue(schemaRaw), schemaOpts);
        const cg = compile(g, tok, schemaOpts.limits);
        // With `postChecks: true`, the post-check decides what the grammar holds only as a superset.
        matches = (t) => cg.matches(t) && g.postCheck(t);
      } catch (e) {
        error = e instanceof EngineError ? e.message : `crash: ${(e as Error).message}`;
      }
      tests.items.forEach((t, ti) => {
        const valid = rawGet(t, 'valid');
        const data = rawGet(t, 'data');
        const desc = rawGet(t, 'description');
        if (valid?.kind !== 'bool' || data === undefined) return;
        let outcome: JstsOutcome;
        let caseError = error;
        if (matches === null) outcome = valid.value ? 'compile-error-valid' : 'compile-error-invalid';
        else {
          let accepted: boolean;
          try {
            accepted = matches(dumps(data));
          } catch (e) {
            accepted = false;
            caseError = e instanceof EngineError ? e.message : `crash: ${(e as Error).message}`;
          }
          outcome = accepted === valid.value ? 'pass' : accepted ? 'false-positive' : 'false-negative';
        }
        const c: JstsCase = { id: `${file}#${gi}/${ti}`, file, optional, description: desc?.kind === 'string' ? desc.value : '', valid: valid.value, outcome };
        if (caseError !== undefined) c.error = caseError;
        report.cases.push(c);
        add(fileCounts, outcome);
        add(optional ? report.optional : report.required, outcome);
      });
    });
    report.files[file] = fileCounts;
  }
  return report;
}

/** Outcome order for the ratchet: a case may move up, never down. */
const RANK: Record<JstsOutcome, number> = { 'false-positive': 0, 'compile-error-valid': 1, 'compile-error-invalid': 1, 'false-negative': 1, pass: 2 };

export type JstsBaseline = Record<string, JstsOutcome>;

export function baselineOf(r: JstsReport): JstsBaseline {
  const out: JstsBaseline = {};
  for (const c of r.cases) out[c.id] = c.outcome;
  return out;
}

/** Cases whose outcome ranks lower than in the baseline (new cases count only when false positives). */
export function regressions(r: JstsReport, baseline: JstsBaseline): Array<{ id: string; was: JstsOutcome | 'absent'; now: JstsOutcome }> {
  const out: Array<{ id: string; was: JstsOutcome | 'absent'; now: JstsOutcome }> = [];
  for (const c of r.cases) {
    const was = baseline[c.id];
    if (was === undefined) {
      if (c.outcome === 'false-positive') out.push({ id: c.id, was: 'absent', now: c.outcome });
    } else if (RANK[c.outcome] < RANK[was]) out.push({ id: c.id, was, now: c.outcome });
  }
  return out;
}
