import type { Language } from './language.ts';

/** What a constraint is about. */
export type ConstraintKind =
  | 'syntactic' | 'type_safety' | 'semantic' | 'architectural' | 'operational' | 'security';

export type Severity = 'error' | 'warning' | 'info' | 'hint';

/** Where the evidence for a constraint came from. */
export type ConstraintSource =
  | 'ast_pattern' | 'type_system' | 'control_flow' | 'data_flow' | 'test_mining'
  | 'documentation' | 'user_defined' | 'llm_analysis';

/** Hard domains intersect; soft domains bias (docs/architecture.md, "Domains and fusion"). */
export type Domain = 'syntax' | 'types' | 'imports' | 'control_flow' | 'semantics';

export interface Provenance {
  file: string;
  line: number;
  column: number;
}

export type IdentifierKind =
  | 'function' | 'method' | 'variable' | 'constant' | 'type' | 'file' | 'parameter' | 'field';

/**
 * Which declarations a naming rule is about, where a language makes visibility part of the name
 * (Go: an upper-case first letter exports). Absent: every declaration of the kind.
 */
export type NamingVisibility = 'exported' | 'unexported';

export type NamingStyle =
  | 'camelCase' | 'PascalCase' | 'snake_case' | 'SCREAMING_SNAKE_CASE' | 'kebab-case' | 'lowercase';

export interface ParamSpec {
  name: string;
  type?: string;
  optional?: boolean;
  variadic?: boolean;
}

export type ErrorHandlingStyle = 'exceptions' | 'result_type' | 'error_return' | 'option_type';
export type AsyncStyle = 'async_await' | 'promises' | 'callbacks' | 'goroutines' | 'sync';

export type SecurityFinding =
  | 'eval' | 'dynamic_function' | 'shell_injection' | 'sql_injection' | 'hardcoded_secret'
  | 'unsafe_deserialization' | 'inner_html';

/**
 * What an argument of a call must look like for the call to match: anything, anything but a plain
 * string literal, or a string built from values (concatenation, interpolation, a formatting call).
 */
export type ArgumentShape = 'any' | 'not_constant' | 'built';

/**
 * A code shape a checker finds in a syntax tree (src/clew/forbidden-pattern.ts evaluates it).
 * Regexes are JavaScript regex sources; names and callees must match whole, other texts anywhere.
 */
export type CodePattern =
  /**
   * A call (constructor calls included: `new X(…)` has callee `X`) whose callee, as written with
   * `::` and `->` read as `.` (`child_process.exec`, `os.system`), matches `callee`; optionally
   * only when an argument (`argument.index`, or any when absent) has a shape, when an argument is
   * `keyword` (`shell=True`), or unless the call's text matches `unless`.
   */
  | { match: 'call'; callee: string; argument?: { index?: number; shape: ArgumentShape }; keyword?: string; unless?: string }
  /** A string built from values whose text matches `text` (case-insensitive): SQL built by concatenation. */
  | { match: 'built_string'; text: string }
  /**
   * A constant string literal (4+ characters, no spaces, not a placeholder) assigned, declared or
   * given as a key's value (`=`, `:=`, `:`, `=>`) to a name matching `name` (case-insensitive).
   */
  | { match: 'string_assignment'; name: string }
  /** An assignment to a property matching `property` (`el.innerHTML = …`, `+=` too). */
  | { match: 'property_assignment'; property: string }
  /** An identifier, property or attribute name matching `name` (`dangerouslySetInnerHTML`). */
  | { match: 'identifier'; name: string }
  /** Text matching `regex` anywhere in the file, comments included (credential shapes). */
  | { match: 'text'; regex: string; what: string };

/** A pattern and the languages it is written for. */
export interface LanguagePattern {
  languages: Language[];
  pattern: CodePattern;
}

/** The machine-checkable content of a constraint: a discriminated union on `type`. */
export type Rule =
  | { type: 'signature'; name: string; params: ParamSpec[]; returnType?: string; async?: boolean }
  | { type: 'naming'; identifierKind: IdentifierKind; style: NamingStyle; language?: Language; visibility?: NamingVisibility }
  | { type: 'forbidden_identifiers'; names: string[] }
  | { type: 'forbidden_calls'; calls: string[]; finding?: SecurityFinding }
  /** Code that must not be written: any of `patterns`, each in its languages. */
  | { type: 'forbidden_pattern'; finding: SecurityFinding; patterns: LanguagePattern[] }
  | { type: 'allowed_imports'; modules: string[]; language?: Language }
  | { type: 'forbidden_imports'; modules: string[] }
  | { type: 'module_boundary'; from: string; mayImport: string[] }
  | { type: 'expected_type'; expected: string; bindings: { name: string; type?: string }[] }
  | { type: 'type_discipline'; practice: 'no_any' | 'annotate_params' | 'annotate_returns'; language: Language }
  | { type: 'json_schema'; schema: unknown }
  | { type: 'regex'; pattern: string }
  | { type: 'grammar'; grammar: string; format: 'lark' | 'gbnf' }
  | { type: 'length'; minChars?: number; maxChars?: number; maxLines?: number }
  | { type: 'error_handling'; style: ErrorHandlingStyle; language: Language }
  | { type: 'async_style'; style: AsyncStyle; language: Language }
  | { type: 'test_expectation'; subject: string; framework: string; assertion: string }
  | { type: 'precondition'; expression: string }
  | { type: 'postcondition'; expression: string };

export type RuleType = Rule['type'];

export interface Constraint {
  id: string;
  kind: ConstraintKind;
  severity: Severity;
  /** Higher wins when constraints conflict. */
  priority: number;
  /** 0..1, from the evidence (e.g. 212 of 215 functions follow the convention → 0.986). */
  confidence: number;
  source: ConstraintSource;
  provenance?: Provenance;
  /** Supporting counts, for explaining where `confidence` came from. */
  evidence?: { matching: number; total: number; examples?: Provenance[] };
  rule: Rule;
  /** Derived from `rule` by describeRule, never the other way round. */
  description: string;
}

const DOMAIN_OF: Record<RuleType, Domain> = {
  signature: 'types',
  naming: 'syntax',
  forbidden_identifiers: 'syntax',
  forbidden_calls: 'syntax',
  forbidden_pattern: 'syntax',
  allowed_imports: 'imports',
  forbidden_imports: 'imports',
  module_boundary: 'imports',
  expected_type: 'types',
  type_discipline: 'types',
  json_schema: 'syntax',
  regex: 'syntax',
  grammar: 'syntax',
  length: 'syntax',
  error_handling: 'control_flow',
  async_style: 'control_flow',
  test_expectation: 'semantics',
  precondition: 'semantics',
  postcondition: 'semantics',
};

export function domainOf(rule: Rule): Domain {
  return DOMAIN_OF[rule.type];
}

export function isHardDomain(d: Domain): boolean {
  return d === 'syntax' || d === 'types' || d === 'imports';
}

function list(xs: string[], max = 6): string {
  return xs.length <= max ? xs.join(', ') : `${xs.slice(0, max).join(', ')} and ${xs.length - max} more`;
}

const SHAPE_WORDS: Record<ArgumentShape, string> = { any: '', not_constant: 'a non-constant', built: 'a string built from values as' };

/** One pattern in words, derived from its fields. */
export function describePattern(p: CodePattern): string {
  switch (p.match) {
    case 'call': {
      const parts = [`a call of /${p.callee}/`];
      if (p.argument) {
        const where = p.argument.index === undefined ? 'an argument' : `argument ${p.argument.index + 1}`;
        if (p.argument.shape !== 'any') parts.push(`with ${SHAPE_WORDS[p.argument.shape]} ${where}`);
      }
      if (p.keyword !== undefined) parts.push(`with ${p.keyword}`);
      if (p.unless !== undefined) parts.push(`unless it contains /${p.unless}/`);
      return parts.join(' ');
    }
    case 'built_string': return `a string built from values matching /${p.text}/i`;
    case 'string_assignment': return `a string literal assigned to a name matching /${p.name}/i`;
    case 'property_assignment': return `an assignment to .${p.property}`;
    case 'identifier': return `the name ${p.name}`;
    case 'text': return `a ${p.what}`;
  }
}

/** The human-readable sentence for a rule. */
export function describeRule(rule: Rule): string {
  switch (rule.type) {
    case 'signature': {
      const ps = rule.params.map((p) => (p.type ? `${p.name}: ${p.type}` : p.name)).join(', ');
      return `${rule.async ? 'async ' : ''}${rule.name}(${ps})${rule.returnType ? ` -> ${rule.returnType}` : ''}`;
    }
    case 'naming': return `${rule.language ? `${rule.language} ` : ''}${rule.visibility ? `${rule.visibility} ` : ''}${rule.identifierKind} names are ${rule.style}`;
    case 'forbidden_identifiers': return `do not use identifiers ${list(rule.names)}`;
    case 'forbidden_calls': return `do not call ${list(rule.calls)}${rule.finding ? ` (${rule.finding})` : ''}`;
    case 'forbidden_pattern': {
      const ps = rule.patterns.map((p) => `${describePattern(p.pattern)} (${list(p.languages, 3)})`);
      return `no ${rule.finding.replace(/_/g, ' ')}: ${list(ps, 4)}`;
    }
    case 'allowed_imports': return `${rule.language ? `${rule.language} ` : ''}imports limited to ${list(rule.modules)}`;
    case 'forbidden_imports': return `do not import ${list(rule.modules)}`;
    case 'module_boundary': return rule.mayImport.length ? `${rule.from} may import only ${list(rule.mayImport)}` : `${rule.from} imports no other module of the project`;
    case 'expected_type': return `expression of type ${rule.expected} (${rule.bindings.length} bindings in scope)`;
    case 'type_discipline': {
      const what = { no_any: 'avoids `any`', annotate_params: 'annotates parameters', annotate_returns: 'annotates return types' }[rule.practice];
      return `${rule.language} code ${what}`;
    }
    case 'json_schema': return 'output matches a JSON schema';
    case 'regex': return `output matches /${rule.pattern}/`;
    case 'grammar': return `output follows a ${rule.format} grammar`;
    case 'length': {
      const parts: string[] = [];
      if (rule.minChars !== undefined) parts.push(`at least ${rule.minChars} chars`);
      if (rule.maxChars !== undefined) parts.push(`at most ${rule.maxChars} chars`);
      if (rule.maxLines !== undefined) parts.push(`at most ${rule.maxLines} lines`);
      return `length: ${parts.join(', ') || 'unbounded'}`;
    }
    case 'error_handling': return `${rule.language} errors are handled with ${rule.style.replace(/_/g, ' ')}`;
    case 'async_style': return `${rule.language} async code uses ${rule.style.replace(/_/g, ' ')}`;
    case 'test_expectation': return `${rule.subject}: ${rule.assertion} (${rule.framework})`;
    case 'precondition': return `requires ${rule.expression}`;
    case 'postcondition': return `ensures ${rule.expression}`;
  }
}
