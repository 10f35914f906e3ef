/**
 * The functions and fields around a typed expression position, as Clew reads them from a file
 * (`typedPositionAt`) and Braid's types domain takes them (`typedExpressionGrammar`): one shape for
 * both sides of that contract.
 */

export interface TypedParam {
  /** Python: `*args` / `**kwargs` keep their stars; `*` marks where keyword-only parameters start. */
  name: string;
  type?: string;
  optional?: boolean;
  variadic?: boolean;
  /** Python: after `*` or `*args` (passed by keyword only). */
  keywordOnly?: boolean;
  /** Python: `**kwargs` (with `variadic`). */
  kwargs?: boolean;
}

export interface TypedFunction {
  name: string;
  params: TypedParam[];
  returnType?: string;
  typeParams?: string[];
  /** Python: `async def` (a call must be awaited). TypeScript writes `Promise<T>` as the return type. */
  async?: boolean;
  /** Methods: a static method (Python: also `@classmethod`), called on the type's name. */
  static?: boolean;
  visibility?: string;
}

export interface TypedField {
  name: string;
  type?: string;
  optional?: boolean;
  readonly?: boolean;
  static?: boolean;
  visibility?: string;
}
