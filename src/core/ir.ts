/**
 * ConstraintIR: what Braid compiles a set of constraints into, for one generation target, and what
 * Maze, the server and the CLI read (docs/constraint-ir.md). Versioned: a reader refuses a version
 * it does not know instead of guessing at renamed fields.
 */
import type { Constraint, Domain, IdentifierKind } from './constraint.ts';
import type { Language } from './language.ts';

export const IR_VERSION = 1;

/** What is generated and where (docs/constraint-ir.md, "Targets"). Lines and columns are 1-based. */
export type Target =
  /** The whole declaration of an existing function or method: signature forced, body generated. */
  | { kind: 'function'; file: string; name: string }
  /** Only the body of an existing function or method. */
  | { kind: 'body'; file: string; name: string }
  /** A new function at a line of a file, with its declaration head given. */
  | { kind: 'new'; file: string; line: number; signature: string }
  /** Replace a range (end exclusive): prefix and suffix fixed. */
  | { kind: 'fim'; file: string; start: { line: number; column: number }; end: { line: number; column: number } }
  /** A whole file of a language. */
  | { kind: 'module'; language: Language }
  /** A JSON value matching a schema file. */
  | { kind: 'json'; schemaFile: string };

/** How one input constraint is enforced; every input constraint gets exactly one. */
export type EnforcementMode =
  /** In the grammar (or the token rules): violating text cannot be generated. */
  | 'decode'
  /** Checked on the result after generation (the report says satisfied or violated). */
  | 'check'
  /** A soft bias during decoding, or a note in the report. */
  | 'advisory'
  /** Not used, with the reason (a conflict lost, not applicable to the target, merged into another). */
  | 'dropped';

export interface Enforcement {
  id: string;
  mode: EnforcementMode;
  domain: Domain;
  /** Whether the constraint was hard (by severity or evidence) when Braid classified it. */
  hard: boolean;
  /** Why this mode: e.g. "naming regex on variable declarations", "conflict: lost to c12 (priority)". */
  reason: string;
  /** For 'dropped' by a conflict or merge: the constraint that won or absorbed it. */
  by?: string;
  /** Grammar rules and terminals this constraint produced (provenance). */
  grammarSymbols?: string[];
  /** For a soft constraint that biases decoding ('advisory'): its weight and patterns (softBiases). */
  bias?: { weight: number; patterns: string[] };
}

/** A rule on tokens, as text, resolved against the tokenizer when matching (never token ids or hashes). */
export interface TokenRule {
  /** Tokens whose text contains this string are never allowed (after the grammar's mask). */
  forbidSubstring: string;
  constraintId: string;
}

/**
 * A soft preference: tokens whose decoded text matches `pattern` get `weight` added to their logit,
 * among the tokens the mask allows only (a bias never allows a token; end tokens are never biased).
 * `pattern` is a JavaScript regex source without flags, lookarounds or backreferences, read as
 * `RegExp.test` reads it (unanchored unless it anchors itself) against the token's text (its bytes as
 * UTF-8, leading spaces included) and run as the engine's automaton (linear time). `weight` is in
 * logits (positive: toward, negative: away). Weights of several biases on one token add up.
 */
export interface SoftBias {
  pattern: string;
  weight: number;
  constraintId: string;
  why: string;
}

/** A check the result must pass after generation (Maze and `compile --check` run them). */
export type PostCheck =
  | { kind: 'naming'; constraintId: string; identifierKind: IdentifierKind; regex: string; style?: string }
  | { kind: 'forbidden_call'; constraintId: string; callee: string }
  | { kind: 'forbidden_identifier'; constraintId: string; name: string }
  | { kind: 'import'; constraintId: string; allowed?: string[]; forbidden?: string[] }
  | { kind: 'length'; constraintId: string; minChars?: number; maxChars?: number; maxLines?: number }
  | { kind: 'pattern'; constraintId: string; description: string };

export interface Conflict {
  domain: Domain;
  /** What the constraints disagree about: "variable names", "import of lodash", "length". */
  subject: string;
  constraintIds: string[];
  explanation: string;
  /** The constraint kept, when the conflict was resolved; absent when nothing is generable. */
  winner?: string;
  resolvedBy?: 'severity' | 'priority' | 'confidence' | 'order';
}

export interface IRLimits {
  maxTokens?: number;
  maxChars?: number;
  maxLines?: number;
}

export interface ConstraintIR {
  version: typeof IR_VERSION;
  /** The target as given, and its language. */
  target: Target;
  language: Language | 'json';
  /** One grammar in the Lark dialect that llguidance accepts (after `--portable` expansion). */
  grammar: string;
  /** Fixed text before the generated part (fim, body, function targets): the engine consumes it first. */
  prefix?: string;
  /** Fixed text after the generated part (fim): the end is allowed only where this can follow. */
  suffix?: string;
  /**
   * The grammar reads only the generated range (a typed fim hole: an expression of the expected
   * type); `prefix` and `suffix` are then fixed context, not read by the grammar, and the whole
   * file is checked with the language's program grammar after generation.
   */
  rangeOnly?: boolean;
  /** For a json target: the schema itself, for servers that take JSON Schema rather than a grammar. */
  jsonSchema?: unknown;
  /**
   * Python function, body and new targets: where the function sits in its file's indentation. `base`
   * is the whitespace before its `def` (a new target's signature's own), `unit` the file's
   * indentation step (four spaces, two, a tab). Python module targets compiled with a context:
   * base empty, unit the step most blocks of the codebase's Python files open by.
   * A server's grammar (the portable expansion, which counts fixed units) puts the generated body's
   * lines under `base`, one `unit` per level; the engine's own indentation stack needs neither.
   */
  indent?: { base: string; unit: string };
  tokenRules: TokenRule[];
  softBiases: SoftBias[];
  postChecks: PostCheck[];
  limits: IRLimits;
  /** For every input constraint, how it is enforced. */
  enforcement: Enforcement[];
  conflicts: Conflict[];
  /** Grammar symbol (rule or terminal name) → the constraint ids that produced it. */
  provenance: Record<string, string[]>;
  /** The constraints compiled, so `explain` and post-checks need nothing else. */
  constraints: Constraint[];
}
