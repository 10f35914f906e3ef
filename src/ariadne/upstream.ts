/**
 * The fields of the upstream Ariadne's documented core form (`enforcement`, `failure_mode`,
 * `provenance`, `name`, `repair`, `metadata`, `depends_on`): what maps onto a real constraint is
 * mapped, everything else is reported as "has no effect" (a warning), never dropped silently.
 * docs/ariadne.md, "Files in the upstream form", lists the mapping.
 */
import type { ConstraintSource, Rule, Severity } from '../core/index.ts';
import type { Value } from './ast.ts';
import { closest } from './diagnostics.ts';
import { lookupVariant, normalizeVariant, SOURCES, variantList } from './enums.ts';
import { describeValue, type Reader } from './values.ts';

/** Values that carry nothing (null, [], {}): giving them is not worth a warning. */
export function isEmptyValue(v: Value): boolean {
  return v.kind === 'null' || (v.kind === 'list' && v.items.length === 0) || (v.kind === 'object' && v.entries.length === 0);
}

export function noEffect(r: Reader, v: Value, field: string, why: string): void {
  if (isEmptyValue(v)) return;
  r.warn(v.span, `field ${field} has no effect: ${why}`);
}

/**
 * The names a tree-sitter query forbids calling: the captures of a call's `function:` that a
 * `where @fn in ["eval", …]` or `where @fn == "eval"` (or a #eq?/#any-of? predicate) limits to names.
 */
export function forbiddenCallsOfQuery(text: string): string[] | undefined {
  if (!/\bcall(_expression)?\b/.test(text)) return undefined;
  const captures = new Set<string>();
  for (const m of text.matchAll(/function:\s*\(\s*(?:identifier|member_expression|attribute)\b[^()]*(?:\([^()]*\)[^()]*)*\)\s*@([\w.-]+)/g)) captures.add(m[1]!);
  if (captures.size === 0) return undefined;
  const names: string[] = [];
  const strings = (list: string): string[] => [...list.matchAll(/"((?:[^"\\]|\\.)*)"/g)].map((m) => m[1]!);
  for (const c of captures) {
    const at = `@${c.replace(/[.-]/g, '\\$&')}`;
    for (const m of text.matchAll(new RegExp(`${at}\\s+in\\s+\\[([^\\]]*)\\]`, 'g'))) names.push(...strings(m[1]!));
    for (const m of text.matchAll(new RegExp(`${at}\\s*==\\s*"((?:[^"\\\\]|\\\\.)*)"`, 'g'))) names.push(m[1]!);
    for (const m of text.matchAll(new RegExp(`#(?:eq|any-of)\\?\\s+${at}((?:\\s+"(?:[^"\\\\]|\\\\.)*")+)`, 'g'))) names.push(...strings(m[1]!));
  }
  const unique = [...new Set(names)].filter((n) => n !== '');
  return unique.length > 0 ? unique : undefined;
}

/**
 * `enforcement: .Structural({ … })` and the others: a rule where one maps (with the severity its
 * action implies: `.Forbid` an error, `.Warn` a warning), else a warning.
 */
export function readEnforcement(v: Value, r: Reader): { rule: Rule; severity: Severity } | undefined {
  if (v.kind !== 'enum') {
    noEffect(r, v, 'enforcement', `it must be .Structural({…}), .Type({…}), .Syntactic({…}) or .Semantic({…}), not ${describeValue(v)}`);
    return undefined;
  }
  const variant = normalizeVariant(v.name);
  const arg = v.arg?.kind === 'object' ? v.arg : undefined;
  const get = (k: string): Value | undefined => arg?.entries.find((e) => e.key === k)?.value;
  if (variant === 'structural') {
    const pattern = get('pattern');
    const action = get('action');
    const act = action === undefined ? 'forbid' : action.kind === 'enum' && !action.arg ? normalizeVariant(action.name) : '';
    const calls = pattern?.kind === 'query' && (act === 'forbid' || act === 'warn') ? forbiddenCallsOfQuery(pattern.text) : undefined;
    if (!calls) {
      r.warn(v.span, 'field enforcement has no effect: of the .Structural form only a query that forbids calls by name ' +
        '(function: (identifier) @fn … @fn in ["eval", …] with action: .Forbid or .Warn) maps to a rule; write forbidden_calls: […] or forbidden_pattern: {…} instead');
      return undefined;
    }
    for (const e of arg?.entries ?? []) {
      if (e.key === 'pattern' || e.key === 'action') continue;
      const why = e.key === 'language'
        ? `forbidden_calls applies to generated code in every language (use forbidden_pattern: {…} to limit a pattern to languages)`
        : 'the .Structural form has no such setting here';
      noEffect(r, e.value, `enforcement.${e.key}`, why);
    }
    return { rule: { type: 'forbidden_calls', calls }, severity: act === 'warn' ? 'warning' : 'error' };
  }
  const instead: Record<string, string> = {
    type: 'upstream type signatures have no counterpart here; write signature: {…}, expected_type: or type_discipline: {…}',
    syntactic: 'its grammar is in the upstream\'s own notation; write grammar: """…""" (Lark dialect) or regex: instead',
    semantic: 'semantic properties are not checked here; write requires: / ensures: for a condition carried as a soft preference',
  };
  r.warn(v.span, `field enforcement has no effect: .${v.name}: ${instead[variant] ?? 'not an enforcement Ananke knows (.Structural, .Type, .Syntactic, .Semantic)'}`);
  return undefined;
}

/** `failure_mode: .HardBlock | .SoftWarn | .AutoFix`: the severity it stands for, if any. */
export function readFailureMode(v: Value, r: Reader): Severity | undefined {
  if (v.kind !== 'enum') {
    noEffect(r, v, 'failure_mode', `it must be .HardBlock, .SoftWarn or .AutoFix, not ${describeValue(v)}`);
    return undefined;
  }
  const variant = normalizeVariant(v.name);
  if (variant === 'hardblock' || variant === 'softwarn') {
    if (v.arg) noEffect(r, v.arg, `failure_mode .${v.name}(…)`, 'its settings (messages, overrides) have no counterpart; the failure mode sets only the severity');
    return variant === 'hardblock' ? 'error' : 'warning';
  }
  if (variant === 'autofix') {
    r.warn(v.span, 'field failure_mode has no effect: .AutoFix repairs code after the fact; Ananke prevents violations while decoding (set severity: instead)');
    return undefined;
  }
  r.warn(v.span, `field failure_mode has no effect: unknown failure mode .${v.name} (known: .HardBlock → severity error, .SoftWarn → severity warning, .AutoFix)`);
  return undefined;
}

/** Upstream provenance sources and the constraint source each stands for. */
const UPSTREAM_SOURCES: Record<string, ConstraintSource | undefined> = {
  manualpolicy: 'user_defined', domainexpert: 'user_defined', clewmined: 'ast_pattern', llmgenerated: 'llm_analysis', telemetryinferred: undefined,
};

/**
 * A provenance source: one of ours (`.AstPattern`) or an upstream one (`.ManualPolicy`). Inside an
 * upstream `provenance` object (`lenient`), a source with no counterpart here is a warning, not an
 * error, unless it looks like a misspelling of one of ours.
 */
export function readProvenanceSource(v: Value, r: Reader, lenient = false): ConstraintSource | undefined {
  if (v.kind === 'enum' && !v.arg) {
    const n = normalizeVariant(v.name);
    if (Object.prototype.hasOwnProperty.call(UPSTREAM_SOURCES, n)) {
      const s = UPSTREAM_SOURCES[n];
      if (s === undefined) r.warn(v.span, `field provenance.source has no effect: .${v.name} has no counterpart among the sources here; the constraint stays user_defined`);
      return s;
    }
    if (lenient && lookupVariant(SOURCES, v.name) === undefined && !closest(v.name, SOURCES.variants.map(([x]) => x))) {
      r.warn(v.span, `field provenance.source has no effect: .${v.name} has no counterpart among the sources here (${variantList(SOURCES)}); the constraint stays user_defined`);
      return undefined;
    }
  }
  return r.enumOf(v, SOURCES, 'source');
}
