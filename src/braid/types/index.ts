/**
 * The types domain of Braid (docs/braid-types.md): at a typed expression position, a grammar of
 * the expressions that produce the expected type from the bindings in scope.
 */
export {
  typedExpressionGrammar, DEFAULT_MAX_DEPTH, DEFAULT_MAX_RULES, MAX_DEPTH_LIMIT, type TypedExpressionResult,
} from './typed-expression.ts';
export type {
  TypedExpressionRequest, TypedExpressionLimits, TypedBinding, TypedFunction, TypedParam, TypedField, TypedDeclaration,
} from './declarations.ts';
export { parseTsType } from './parse-ts-type.ts';
export { parsePythonType } from './parse-python-type.ts';
export { showType, typeKey, type Ty, type TypeLanguage } from './type.ts';
