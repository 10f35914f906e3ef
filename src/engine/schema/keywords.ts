/**
 * Keywords that do not constrain instances: annotations, metadata and the vocabulary machinery.
 * They are ignored by design (listed so that anything else unknown is reported, never dropped).
 */
export const ANNOTATION_KEYWORDS: ReadonlySet<string> = new Set([
  '$schema', '$id', 'id', '$comment', '$vocabulary', '$anchor', '$defs', 'definitions',
  'title', 'description', 'default', 'examples', 'example', 'deprecated', 'readOnly', 'writeOnly',
  'contentMediaType', 'contentEncoding', 'contentSchema', '$dynamicAnchor', '$recursiveAnchor',
]);

/** Keywords the compiler enforces (the rest of the vocabulary is refused or relaxed). */
export const SUPPORTED_KEYWORDS: ReadonlySet<string> = new Set([
  'type', 'enum', 'const', '$ref', 'allOf', 'anyOf', 'oneOf', 'not',
  'properties', 'required', 'additionalProperties', 'patternProperties', 'minProperties', 'maxProperties',
  'dependentRequired', 'dependencies', 'propertyNames',
  'items', 'prefixItems', 'additionalItems', 'minItems', 'maxItems', 'uniqueItems',
  'minLength', 'maxLength', 'pattern', 'format',
  'minimum', 'maximum', 'exclusiveMinimum', 'exclusiveMaximum', 'multipleOf',
  'unevaluatedProperties', 'unevaluatedItems', 'contains', 'minContains', 'maxContains',
]);

/** `x-…` keywords are vendor extensions (OpenAPI, Kubernetes): annotations by convention, ignored. */
export function isVendorExtension(key: string): boolean {
  return key.startsWith('x-');
}

/**
 * Every keyword of the JSON Schema vocabularies (draft-03 to 2020-12) that can constrain an
 * instance. A keyword outside this set and outside ANNOTATION_KEYWORDS is not JSON Schema at all
 * (`_format`, `links`, `nullable`): the spec says to treat it as an annotation, so the compiler
 * ignores it and reports it (JsonSchemaGrammar.ignored), unless `unknownKeywords: 'error'`.
 */
export const VOCABULARY_KEYWORDS: ReadonlySet<string> = new Set([
  ...SUPPORTED_KEYWORDS, 'if', 'then', 'else', 'dependentSchemas', '$dynamicRef', '$recursiveRef',
  'extends', 'disallow', 'divisibleBy',
]);
