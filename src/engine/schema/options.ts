import type { Limits } from '../limits.ts';

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
   * schema lists them (additional ones after them). 'any': any order, additional ones anywhere;
   * objects with more than 10 declared properties keep schema order (2^n grammar states).
   */
  propertyOrder?: 'schema' | 'any';
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
  /** Drop keywords that cannot be enforced, reporting each as a relaxation, instead of failing. */
  lenient?: boolean;
  limits?: Partial<Limits>;
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
