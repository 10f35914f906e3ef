/**
 * The enum values Ariadne writes as `.Variant`, each table mapping a variant name to the core value
 * it stands for (src/core/constraint.ts). Matching ignores case, `_` and `-`: `.SnakeCase`,
 * `.snake_case` and `"snake_case"` are the same value. The printer writes the first spelling.
 */
import {
  LANGUAGES, type ArgumentShape, type AsyncStyle, type ConstraintKind, type ConstraintSource, type ErrorHandlingStyle,
  type IdentifierKind, type Language, type NamingStyle, type NamingVisibility, type SecurityFinding, type Severity,
} from '../core/index.ts';

export interface EnumTable<T extends string> {
  /** What the values are, for messages: "a naming style". */
  what: string;
  /** Variant name (as printed) → value. */
  variants: readonly (readonly [string, T])[];
}

export function normalizeVariant(name: string): string {
  return name.toLowerCase().replace(/[_-]/g, '');
}

export function lookupVariant<T extends string>(table: EnumTable<T>, name: string): T | undefined {
  const n = normalizeVariant(name);
  for (const [v, value] of table.variants) if (normalizeVariant(v) === n || normalizeVariant(value) === n) return value;
  return undefined;
}

export function variantOf<T extends string>(table: EnumTable<T>, value: T): string {
  for (const [v, x] of table.variants) if (x === value) return v;
  throw new Error(`no variant for ${value} in ${table.what}`);
}

export function variantList<T extends string>(table: EnumTable<T>): string {
  return table.variants.map(([v]) => `.${v}`).join(' ');
}

export const KINDS: EnumTable<ConstraintKind> = {
  what: 'a constraint kind',
  variants: [['Syntactic', 'syntactic'], ['TypeSafety', 'type_safety'], ['Semantic', 'semantic'], ['Architectural', 'architectural'], ['Operational', 'operational'], ['Security', 'security']],
};

export const SEVERITIES: EnumTable<Severity> = {
  what: 'a severity',
  variants: [['Error', 'error'], ['Warning', 'warning'], ['Info', 'info'], ['Hint', 'hint']],
};

export const SOURCES: EnumTable<ConstraintSource> = {
  what: 'a constraint source',
  variants: [
    ['AstPattern', 'ast_pattern'], ['TypeSystem', 'type_system'], ['ControlFlow', 'control_flow'], ['DataFlow', 'data_flow'],
    ['TestMining', 'test_mining'], ['Documentation', 'documentation'], ['UserDefined', 'user_defined'], ['LlmAnalysis', 'llm_analysis'],
  ],
};

export const IDENTIFIER_KINDS: EnumTable<IdentifierKind> = {
  what: 'an identifier kind',
  variants: [['Function', 'function'], ['Method', 'method'], ['Variable', 'variable'], ['Constant', 'constant'], ['Type', 'type'], ['File', 'file'], ['Parameter', 'parameter'], ['Field', 'field']],
};

export const VISIBILITIES: EnumTable<NamingVisibility> = {
  what: 'a visibility',
  variants: [['Exported', 'exported'], ['Unexported', 'unexported']],
};

export const NAMING_STYLES: EnumTable<NamingStyle> = {
  what: 'a naming style',
  variants: [['CamelCase', 'camelCase'], ['PascalCase', 'PascalCase'], ['SnakeCase', 'snake_case'], ['ScreamingSnakeCase', 'SCREAMING_SNAKE_CASE'], ['KebabCase', 'kebab-case'], ['Lowercase', 'lowercase']],
};

const LANGUAGE_VARIANTS: Record<Language, string> = {
  typescript: 'TypeScript', tsx: 'Tsx', javascript: 'JavaScript', python: 'Python', rust: 'Rust', go: 'Go', java: 'Java',
  c: 'C', cpp: 'Cpp', csharp: 'CSharp', ruby: 'Ruby', php: 'Php', kotlin: 'Kotlin', swift: 'Swift', zig: 'Zig',
};

export const LANGUAGE_TABLE: EnumTable<Language> = {
  what: 'a language',
  variants: LANGUAGES.map((l) => [LANGUAGE_VARIANTS[l], l] as const),
};

export const ERROR_STYLES: EnumTable<ErrorHandlingStyle> = {
  what: 'an error-handling style',
  variants: [['Exceptions', 'exceptions'], ['ResultType', 'result_type'], ['ErrorReturn', 'error_return'], ['OptionType', 'option_type']],
};

export const ASYNC_STYLES: EnumTable<AsyncStyle> = {
  what: 'an async style',
  variants: [['AsyncAwait', 'async_await'], ['Promises', 'promises'], ['Callbacks', 'callbacks'], ['Goroutines', 'goroutines'], ['Sync', 'sync']],
};

export const FINDINGS: EnumTable<SecurityFinding> = {
  what: 'a security finding',
  variants: [
    ['Eval', 'eval'], ['DynamicFunction', 'dynamic_function'], ['ShellInjection', 'shell_injection'], ['SqlInjection', 'sql_injection'],
    ['HardcodedSecret', 'hardcoded_secret'], ['UnsafeDeserialization', 'unsafe_deserialization'], ['InnerHtml', 'inner_html'],
  ],
};

export const SHAPES: EnumTable<ArgumentShape> = {
  what: 'an argument shape',
  variants: [['Any', 'any'], ['NotConstant', 'not_constant'], ['Built', 'built']],
};

export type PatternMatch = 'call' | 'built_string' | 'string_assignment' | 'property_assignment' | 'identifier' | 'text';

export const PATTERN_MATCHES: EnumTable<PatternMatch> = {
  what: 'a pattern kind',
  variants: [['Call', 'call'], ['BuiltString', 'built_string'], ['StringAssignment', 'string_assignment'], ['PropertyAssignment', 'property_assignment'], ['Identifier', 'identifier'], ['Text', 'text']],
};

export type Practice = 'no_any' | 'annotate_params' | 'annotate_returns';

export const PRACTICES: EnumTable<Practice> = {
  what: 'a type practice',
  variants: [['NoAny', 'no_any'], ['AnnotateParams', 'annotate_params'], ['AnnotateReturns', 'annotate_returns']],
};

export type GrammarFormat = 'lark' | 'gbnf';

export const GRAMMAR_FORMATS: EnumTable<GrammarFormat> = {
  what: 'a grammar format',
  variants: [['Lark', 'lark'], ['Gbnf', 'gbnf']],
};
