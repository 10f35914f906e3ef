/**
 * Compiling one parsed file: each `constraint` block → one Constraint (src/core/constraint.ts) per
 * rule field (usually one; a block with several gives each the id `<id>.<rule field>`), with the
 * common fields (id, kind, severity, priority, confidence or weight, source, provenance, evidence)
 * and a description derived by describeRule. Upstream fields are mapped or reported (upstream.ts).
 * `pub const` lists become named groups for selective imports.
 */
import {
  describeRule, domainOf, isHardDomain,
  type Constraint, type ConstraintKind, type ConstraintSource, type Provenance, type Rule, type RuleType, type Severity,
} from '../core/index.ts';
import type { AriadneFile, ConstraintDecl, Entry, Value } from './ast.ts';
import { closest, type Span } from './diagnostics.ts';
import { KINDS, SEVERITIES } from './enums.ts';
import { RULE_CODECS, RULE_FIELDS, type RuleContext } from './rules.ts';
import { isEmptyValue, noEffect, readEnforcement, readFailureMode, readProvenanceSource } from './upstream.ts';
import { describeValue, type Reader } from './values.ts';

/** The kind a rule's constraint has when the block does not say. */
export const DEFAULT_KIND: Readonly<Record<RuleType, ConstraintKind>> = {
  signature: 'type_safety', naming: 'syntactic', forbidden_identifiers: 'syntactic', forbidden_calls: 'security',
  forbidden_pattern: 'security', allowed_imports: 'architectural', forbidden_imports: 'architectural',
  module_boundary: 'architectural', expected_type: 'type_safety', type_discipline: 'type_safety', json_schema: 'syntactic',
  regex: 'syntactic', grammar: 'syntactic', length: 'syntactic', error_handling: 'semantic', async_style: 'semantic',
  test_expectation: 'semantic', precondition: 'semantic', postcondition: 'semantic',
};

export const DEFAULT_PRIORITY = 50;
export const DEFAULT_CONFIDENCE = 1;

/** Hard rules default to errors; soft preferences (control flow, semantics) to warnings. */
export function defaultSeverity(rule: Rule): Severity {
  return isHardDomain(domainOf(rule)) ? 'error' : 'warning';
}

/** The fields a block may have besides its rule. */
export const COMMON_FIELDS = ['id', 'kind', 'severity', 'priority', 'confidence', 'weight', 'source', 'provenance', 'evidence'] as const;
/** Fields of the upstream form, read for compatibility. */
export const UPSTREAM_FIELDS = ['name', 'enforcement', 'failure_mode', 'repair', 'metadata', 'depends_on', 'description'] as const;

const KNOWN_FIELDS: string[] = [...COMMON_FIELDS, ...RULE_FIELDS.keys(), ...UPSTREAM_FIELDS];
/** The rule fields by their canonical names, for messages. */
const RULE_FIELD_LIST = Object.values(RULE_CODECS).map((c: { field: string }) => c.field).join(', ');

export interface CompiledConstraint {
  name: string;
  decl: ConstraintDecl;
  constraint: Constraint;
}

export interface CompiledFile {
  constraints: CompiledConstraint[];
  /** Constraint names declared (compiled or not), for import checks. */
  declared: Set<string>;
  /** `pub const name = [a, b]`: group name → constraint names. */
  groups: Map<string, string[]>;
}

export interface CompileContext extends RuleContext {
  /** The file as shown to the user; also the provenance of its constraints. */
  file: string;
}

/** A value holding a part the parser could not read (depth is bounded by the parser's limit). */
function hasError(v: Value): boolean {
  switch (v.kind) {
    case 'error': return true;
    case 'list': return v.items.some(hasError);
    case 'object': return v.entries.some((e) => hasError(e.value));
    case 'enum': return v.arg !== undefined && hasError(v.arg);
    default: return false;
  }
}

/** Keys of `provenance`: ours (a location) and the upstream's (source, confidence_score). */
const PROVENANCE_KEYS = ['file', 'line', 'column', 'source', 'confidence_score'];

/**
 * `provenance`: a location `{ file, line, column }`, `null` for none, or the upstream form
 * `{ source: .ManualPolicy, confidence_score: 0.9, … }`. Other upstream keys (origin_artifact,
 * rationale, …) are warnings; a near miss of a known key is an error.
 */
function readProvenance(v: Value, r: Reader): { location?: Provenance | null; source?: ConstraintSource; confidence?: number } | undefined {
  if (v.kind === 'null') return { location: null };
  if (v.kind !== 'object') {
    r.error(v.span, `provenance must be an object { file: "…", line: 1, column: 1 } or null, not ${describeValue(v)}`);
    return undefined;
  }
  const known: Entry[] = [];
  let ok = true;
  for (const e of v.entries) {
    if (PROVENANCE_KEYS.includes(e.key)) known.push(e);
    else if (closest(e.key, PROVENANCE_KEYS)) {
      r.error(e.keySpan, `provenance has no field '${e.key}' (did you mean '${closest(e.key, PROVENANCE_KEYS)}'?)`);
      ok = false;
    } else {
      noEffect(r, e.value, `provenance.${e.key}`, 'a constraint\'s provenance is a file, line and column (provenance: { file: "…", line: 1, column: 1 })');
    }
  }
  const f = r.fields(known, v.span, 'provenance', Object.fromEntries(PROVENANCE_KEYS.map((k) => [k, false])));
  const out: { location?: Provenance; source?: ConstraintSource; confidence?: number } = {};
  const file = f.get('file');
  const line = f.get('line');
  const column = f.get('column');
  if (file || line || column) {
    if (!file) {
      r.error(f.span, 'provenance with a line or column needs \'file\'');
      return undefined;
    }
    const fname = r.string(file, 'file');
    const l = line ? r.int(line, 'line', 1) : 1;
    const c = column ? r.int(column, 'column', 0) : 1;
    if (fname === undefined || l === undefined || c === undefined) return undefined;
    out.location = { file: fname, line: l, column: c };
  }
  const s = f.get('source');
  if (s) out.source = readProvenanceSource(s, r, true);
  const cs = f.get('confidence_score');
  if (cs) {
    out.confidence = r.number(cs, 'confidence_score', 0, 1);
    if (out.confidence === undefined) ok = false;
  }
  return ok ? out : undefined;
}

function readEvidence(v: Value, r: Reader): Constraint['evidence'] | undefined {
  const f = r.object(v, 'evidence', { matching: true, total: true, examples: false });
  if (!f?.ok) return undefined;
  const matching = r.int(f.get('matching')!, 'matching');
  const total = r.int(f.get('total')!, 'total');
  const ev = f.get('examples');
  const examples = ev
    ? r.list(ev, 'examples', (x) => {
      const p = readProvenance(x, r);
      if (p && !p.location) r.error(x.span, 'an example is a location { file: "…", line: 1, column: 1 }');
      return p?.location ?? undefined;
    })
    : undefined;
  if (matching === undefined || total === undefined || (ev && !examples)) return undefined;
  return examples ? { matching, total, examples } : { matching, total };
}

/** Compiles every constraint block of a file; diagnostics go to the context's reader. */
export function compileFile(ast: AriadneFile, ctx: CompileContext): CompiledFile {
  const r = ctx.reader;
  const moduleName = ast.module?.path.join('.');
  const out: CompiledFile = { constraints: [], declared: new Set(), groups: new Map() };
  const firstAt = new Map<string, Span>();
  for (const decl of ast.constraints) {
    const prev = firstAt.get(decl.name);
    if (prev) {
      r.error(decl.nameSpan, `constraint ${decl.name} is declared twice in this file (first at line ${prev.line})`);
      continue;
    }
    firstAt.set(decl.name, decl.nameSpan);
    out.declared.add(decl.name);
    for (const c of compileConstraint(decl, moduleName, ctx)) out.constraints.push({ name: decl.name, decl, constraint: c });
  }
  for (const k of ast.consts) {
    if (k.value.kind !== 'list' || !k.value.items.every((x) => x.kind === 'path' && x.parts.length === 1)) {
      r.warn(k.span, `pub const ${k.name} has no effect: only a list of this file's constraint names is a group (pub const ${k.name} = [a, b])`);
      continue;
    }
    const names: string[] = [];
    for (const it of k.value.items) {
      if (it.kind !== 'path') continue;
      const n = it.parts[0]!;
      if (!out.declared.has(n)) r.error(it.span, `pub const ${k.name}: no constraint named ${n} in this file`);
      else names.push(n);
    }
    if (out.groups.has(k.name) || out.declared.has(k.name)) r.error(k.span, `the name ${k.name} is already used in this file`);
    else out.groups.set(k.name, names);
  }
  for (const f of ast.fns) {
    r.warn(f.span, `pub fn ${f.name} has no effect: an Ariadne file declares constraints, and Ananke compiles them itself (ananke check; Braid builds the IR)`);
  }
  return out;
}

function compileConstraint(decl: ConstraintDecl, moduleName: string | undefined, ctx: CompileContext): Constraint[] {
  const r = ctx.reader;
  const seen = new Map<string, Entry>();
  /** The block's rules, each with the field that gave it (one constraint per rule). */
  const rules: { entry: Entry; field: string; rule: Rule }[] = [];
  let ruleFailed = false;
  let enforcementUnmapped = false;
  let id: string | undefined;
  let kind: ConstraintKind | undefined;
  let severity: Severity | undefined;
  let failureSeverity: Severity | undefined;
  let actionSeverity: Severity | undefined;
  let priority: number | undefined;
  let confidence: number | undefined;
  let weight: Entry | undefined;
  let weightValue: number | undefined;
  let source: ConstraintSource | undefined;
  let prov: ReturnType<typeof readProvenance>;
  let evidence: Constraint['evidence'] | undefined;
  let description: Entry | undefined;
  let bad = false;

  const addRule = (e: Entry, field: string, x: Rule | undefined): void => {
    if (!x) {
      ruleFailed = true;
      return;
    }
    const same = rules.find((y) => y.rule.type === x.type);
    if (same) {
      r.error(e.keySpan, `constraint ${decl.name} has two ${x.type} rules ('${same.entry.key}' at line ${same.entry.keySpan.line} and '${e.key}'): write them as two constraints`);
      bad = true;
      return;
    }
    rules.push({ entry: e, field, rule: x });
  };

  for (const e of decl.fields) {
    const first = seen.get(e.key);
    if (first) {
      r.error(e.keySpan, `field ${e.key} is given twice (first at line ${first.keySpan.line})`);
      bad = true;
      continue;
    }
    seen.set(e.key, e);
    const v = e.value;
    if (hasError(v)) {
      bad = true; // reported by the parser; a type error on top would only repeat it
      continue;
    }
    const codec = RULE_FIELDS.get(e.key);
    if (codec) {
      addRule(e, codec.field, codec.read(v, ctx));
      continue;
    }
    switch (e.key) {
      case 'id': {
        const x = r.string(v, 'id');
        if (x === '') r.error(v.span, 'id must not be empty');
        if (x === undefined || x === '') bad = true;
        else id = x;
        break;
      }
      case 'kind': kind = r.enumOf(v, KINDS, 'kind'); if (!kind) bad = true; break;
      case 'severity': severity = r.enumOf(v, SEVERITIES, 'severity'); if (!severity) bad = true; break;
      case 'priority': priority = r.number(v, 'priority'); if (priority === undefined) bad = true; break;
      case 'confidence': confidence = r.number(v, 'confidence', 0, 1); if (confidence === undefined) bad = true; break;
      case 'weight': weight = e; weightValue = r.number(v, 'weight', 0, 1); if (weightValue === undefined) bad = true; break;
      case 'source': source = readProvenanceSource(v, r); break;
      case 'provenance': prov = readProvenance(v, r); if (!prov) bad = true; break;
      case 'evidence': evidence = readEvidence(v, r); if (!evidence) bad = true; break;
      case 'description': description = e; break;
      case 'name': {
        const x = v.kind === 'string' ? v.value : v.kind === 'path' ? v.parts.join('.') : undefined;
        if (x !== decl.name) noEffect(r, v, 'name', `a constraint is named by its block (constraint ${decl.name}); set its id with id: "…"`);
        break;
      }
      case 'enforcement': {
        const x = readEnforcement(v, r);
        if (x) {
          addRule(e, RULE_CODECS[x.rule.type].field, x.rule);
          actionSeverity = x.severity;
        }
        else if (!isEmptyValue(v)) enforcementUnmapped = true;
        break;
      }
      case 'failure_mode': failureSeverity = readFailureMode(v, r); break;
      case 'repair': noEffect(r, v, 'repair', 'Ananke prevents violations while decoding instead of repairing code afterwards'); break;
      case 'metadata': noEffect(r, v, 'metadata', 'constraints carry no free-form metadata (a comment keeps it for readers)'); break;
      case 'depends_on': noEffect(r, v, 'depends_on', 'constraints do not declare dependencies; Braid relates them by what they constrain'); break;
      default: {
        const guess = closest(e.key, KNOWN_FIELDS);
        if (guess) {
          r.error(e.keySpan, `unknown field ${e.key} (did you mean ${guess}?)`);
          bad = true;
        } else {
          r.warn(e.keySpan, `field ${e.key} has no effect: Ariadne has no such field (rule fields: ${RULE_FIELD_LIST}; others: ${COMMON_FIELDS.join(', ')})`);
        }
      }
    }
  }

  if (rules.length === 0) {
    if (ruleFailed || bad || decl.broken) return [];
    if (enforcementUnmapped) {
      r.warn(decl.nameSpan, `constraint ${decl.name} compiles to nothing: none of its fields gives a rule Ananke can enforce (see the warnings above)`);
    } else {
      r.error(decl.nameSpan, `constraint ${decl.name} has no rule: give it a rule field, like ${RULE_CODECS.forbidden_calls.example} (rule fields: ${RULE_FIELD_LIST})`);
    }
    return [];
  }

  const hard = rules.find((x) => isHardDomain(domainOf(x.rule)));
  if (weight && hard) {
    r.error(weight.keySpan, `weight applies to soft preferences (error_handling, async_style, test_expectation, precondition, postcondition); ${hard.rule.type} is a hard rule: use severity and priority`);
    bad = true;
  }
  if (weight && seen.has('confidence')) {
    r.error(weight.keySpan, 'give weight or confidence, not both (a soft preference\'s weight is its confidence)');
    bad = true;
  }
  if (severity && failureSeverity && severity !== failureSeverity) {
    r.error(seen.get('failure_mode')!.keySpan, `failure_mode says ${failureSeverity} but severity says ${severity}`);
    bad = true;
  }
  if (source && prov?.source && source !== prov.source) {
    r.error(seen.get('provenance')!.keySpan, `provenance.source says ${prov.source} but source says ${source}`);
    bad = true;
  }
  if (prov?.confidence !== undefined && (confidence ?? weightValue) !== undefined && prov.confidence !== (confidence ?? weightValue)) {
    r.error(seen.get('provenance')!.keySpan, `provenance.confidence_score says ${prov.confidence} but ${confidence !== undefined ? 'confidence' : 'weight'} says ${confidence ?? weightValue}`);
    bad = true;
  }
  if (description) {
    const derived = rules.map((x) => `"${describeRule(x.rule)}"`).join(', ');
    r.warn(description.keySpan, `field description has no effect: a constraint's description is derived from its rule (${derived})`);
  }
  if (bad || ruleFailed) return [];

  const baseId = id ?? (moduleName ? `${moduleName}.${decl.name}` : decl.name);
  return rules.map(({ field, rule }) => {
    const c: Constraint = {
      id: rules.length === 1 ? baseId : `${baseId}.${field}`,
      kind: kind ?? DEFAULT_KIND[rule.type],
      severity: severity ?? failureSeverity ?? actionSeverity ?? defaultSeverity(rule),
      priority: priority ?? DEFAULT_PRIORITY,
      confidence: confidence ?? weightValue ?? prov?.confidence ?? DEFAULT_CONFIDENCE,
      source: source ?? prov?.source ?? 'user_defined',
      rule,
      description: describeRule(rule),
    };
    if (prov?.location !== null) c.provenance = prov?.location ?? { file: ctx.file, line: decl.span.line, column: decl.span.column };
    if (evidence) c.evidence = evidence;
    return c;
  });
}
