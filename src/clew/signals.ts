/**
 * Style signals counted per file by the language extractors (FileFacts.signals) and summed over a
 * file set to derive conventions. A key that does not apply to a language is simply absent.
 */
export const SIGNAL = {
  // error handling
  TRY: 'error.try',                    // try/catch, try/except, begin/rescue blocks
  THROW: 'error.throw',                // throw / raise statements
  RESULT_RETURN: 'error.result',       // functions returning Result<…> / Either / Expected
  OPTION_RETURN: 'error.option',       // functions returning Option<…> / Optional / nullable T?
  QUESTION_OP: 'error.question',       // Rust `?` (and Swift `try`), error propagation operators
  ERR_RETURN: 'error.err_return',      // Go functions whose last result is `error`; Zig `!T`
  ERR_CHECK: 'error.err_check',        // Go `if err != nil`
  UNWRAP: 'error.unwrap',              // `.unwrap()` / `.expect(…)` / force unwrap `!`
  // async style
  ASYNC_FN: 'async.function',          // async functions / methods
  AWAIT: 'async.await',                // await expressions
  THEN: 'async.then',                  // `.then(` promise chains
  CALLBACK: 'async.callback',          // node-style callbacks `(err, …) =>`
  GOROUTINE: 'async.goroutine',        // `go f()`
  // type discipline
  ANY: 'types.any',                    // explicit `any` (TS), `Any` (Python typing), `dynamic` (C#), `interface{}`/`any` (Go)
  PARAM_ANNOTATED: 'types.param_annotated',
  PARAM_UNANNOTATED: 'types.param_unannotated',
  RETURN_ANNOTATED: 'types.return_annotated',
  RETURN_UNANNOTATED: 'types.return_unannotated',
} as const;

export type SignalKey = (typeof SIGNAL)[keyof typeof SIGNAL];

// Besides these, Python files count their indentation steps under `indent.spaces<N>` and
// `indent.tab` (indent-steps.ts): how many blocks open by each.

export function bump(signals: Record<string, number>, key: SignalKey, by = 1): void {
  signals[key] = (signals[key] ?? 0) + by;
}
