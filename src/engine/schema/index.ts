/** JSON Schema → grammar (see docs/engine-jsonschema.md). */
export { compileJsonSchema, jsonSchemaToLark, larkJsonHook, type JsonSchemaGrammar } from './compile.ts';
export type { IgnoredKeyword, JsonSchemaOptions, JsonWhitespace, JsonSeparators, PostCheckReport, Relaxation } from './options.ts';
export { DEFAULT_MAX_WHITESPACE } from './options.ts';
export { JsonSchemaError } from './schema-error.ts';
export { FORMATS } from './formats.ts';
export { parseLarkWithJson } from './lark-json.ts';
export { schemaCatalog, type SchemaCatalog } from './catalog.ts';
export { documentChecker, type DocumentChecker, type DocumentCheck } from './check.ts';
export type { SchemaDocuments } from './registry.ts';
export type { KeyOrder } from './key-order.ts';
