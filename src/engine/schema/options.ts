import type { Limits } from '../limits.ts';
import type { SchemaDocuments } from './registry.ts';

/** How whitespace between JSON tokens is allowed. */
export type JsonWhitespace = 'compact' | 'flexible';

export interface JsonSeparators {
  /** Between array items and between object members. Default `,`. */
  item: string;
  /** Between a key and its value. Default `:`. */
  key: string;
}

export interface JsonSchemaOptions {
  /**
   * 'flexible' (default): up to `maxWhitespace` of space, tab, CR, LF around each of `{ } [ ] , :`
   * and around the whole value, so `{"a": 1}`, `{"a":1}` and pretty-printed JSON all match.
   * 'compact': exactly the `separators`, nothing else.
   */
  whitespace?: JsonWhitespace;
  /** Whitespace characters allowed in each gap in flexible mode (default 32). Bounded so a model cannot loop on spaces. */
  maxWhitespace?: number;
  /** Compact-mode separators (ignored in flexible mode). Python's are `{ item: ', ', key: ': ' }`. */
  separators?: Partial<JsonSeparators>;
  /**
   * 'schema' (default, as llguidance and XGrammar do): declared properties appear in the order the
   * schema lists them (additional ones after them). 'any': any order, additional ones anywhere,
   * each declared property at most once and required ones tracked exactly, for any number of
   * properties (the grammar counts members and the engine's `unique_keys` option refuses a key
   * twice in one object; with `portable`, plain rules up to 10 declared properties per object).
   * Objects among `enum`/`const` values follow the same mode: written order, or any key order
   * (JSON equality; with `portable`, up to 10 members per object value). Repeats of undeclared
   * keys are not tracked (docs/engine-jsonschema.md, "Property order", says why).
   */
  propertyOrder?: 'schema' | 'any';
  /**
   * Build only plain rules, without engine-only grammar options, so that printLark's text is
   * exactly the schema for servers (jsonSchemaToLark and `%json` set it). Only `propertyOrder:
   * 'any'` differs: objects with more than 10 declared properties, and object values of more than
   * 10 members in `enum`/`const`, are refused (relaxed to schema or written order in lenient mode),
   * as their plain grammar is exponential.
   */
  portable?: boolean;
  /**
   * Extra keywords the caller declares inert (treated as annotations and ignored), e.g. MaskBench's
   * disabled `_format`: `(k) => k.startsWith('_')`. Explicit, so nothing is dropped silently.
   */
  annotations?: (keyword: string) => boolean;
  /**
   * Keywords that belong to no JSON Schema vocabulary (`_format`, `links`, `nullable`, typos):
   * 'ignore' (default, as the spec says: they are annotations), each reported in
   * `JsonSchemaGrammar.ignored`; 'error': refuse them (or relax them in lenient mode).
   */
  unknownKeywords?: 'ignore' | 'error';
  /**
   * Keywords beside `$ref` in drafts 04–07, which say to ignore them: 'draft' (default) ignores
   * them as the draft says; 'apply' applies them as in 2019-09 and later, as ajv (v8) and editors'
   * validators do and as SchemaStore's schemas are written to be read. 'apply' can only refuse
   * more documents. The library keeps the draft's reading; `ananke schema check` and `bench
   * schemastore` default to 'apply' (they validate documents as ajv does): a documented choice,
   * docs/engine-jsonschema.md, "Supported keywords".
   */
  refSiblings?: 'draft' | 'apply';
  /**
   * Other schema documents, for `$ref`s to URIs outside the schema (a schema registry, e.g.
   * `schemaCatalog([dir]).documents`): called with the URI without fragment, returns the parsed
   * document or undefined. Without it a remote reference is an error. Nothing is ever fetched.
   */
  documents?: SchemaDocuments;
  /**
   * Where the schema was read from (an absolute URI, e.g. its `file://` URL): the base of its
   * relative references when it has no `$id` (default `ananke-schema://local/root.json`).
   */
  baseUri?: string;
  /** Drop keywords that cannot be enforced, reporting each as a relaxation, instead of failing. */
  lenient?: boolean;
  /**
   * Constraints no grammar rule can hold exactly (`uniqueItems` over strings or objects, `oneOf`
   * with overlapping branches, `not`/`if` without a decidable complement, format `regex`) compile
   * to a grammar that allows a superset, plus a check of the complete document
   * (JsonSchemaGrammar.postCheck), each reported in `postChecks`. Off by default: then they are
   * errors (or relaxations in lenient mode), so masks never allow what the schema refuses.
   * `ananke schema check` turns it on: it validates complete documents.
   */
  postChecks?: boolean;
  limits?: Partial<Limits>;
}

/**
 * A constraint the grammar holds only as a superset, decided on the complete document by the
 * post-check (JsonSchemaGrammar.postCheck; only with `postChecks: true`).
 */
export interface PostCheckReport {
  /** JSON pointer of the schema object holding the keyword. */
  pointer: string;
  keyword: string;
  reason: string;
}

/** A keyword the compiler did not enforce (lenient mode only). */
export interface Relaxation {
  /** JSON pointer of the schema object holding the keyword. */
  pointer: string;
  keyword: string;
  reason: string;
}

export const DEFAULT_MAX_WHITESPACE = 32;

/** A keyword outside every JSON Schema vocabulary, ignored as an annotation. */
export interface IgnoredKeyword {
  /** JSON pointer of the schema object holding the keyword. */
  pointer: string;
  keyword: string;
  /** For `format`: which name was not a JSON Schema format. */
  detail?: string;
}
