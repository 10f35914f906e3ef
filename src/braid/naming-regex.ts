/**
 * Naming styles as regexes in the engine's dialect, for declaration-site terminals
 * (`DECL_VARIABLE: IDENT & /…/`). They accept what Clew's classification
 * (src/clew/constraints/naming-style.ts) reads as that style: the style's core, with the privacy
 * underscores and sigils Clew strips around it, plus the names Clew reads as having no style
 * (dunders such as `__init__`, a lone `_`), so a rule never forbids a name its own evidence counted
 * as fitting. test/braid/naming-regex.test.ts checks the two agree.
 */
import type { NamingStyle } from '../core/index.ts';

const CORE: Record<NamingStyle, string> = {
  camelCase: '[a-z][a-z0-9]*([A-Z][A-Za-z0-9]*)*',
  snake_case: '[a-z][a-z0-9]*(_[a-z0-9]+)*',
  PascalCase: '[A-Z][A-Za-z0-9]*',
  SCREAMING_SNAKE_CASE: '[A-Z][A-Z0-9]*(_[A-Z0-9]+)*',
  'kebab-case': '[a-z][a-z0-9]*(-[a-z0-9]+)*',
  lowercase: '[a-z][a-z0-9]*',
};

/** A regex source (no anchors: lexemes match whole) for names of `style`. */
export function namingRegex(style: NamingStyle): string {
  return `[$#@]*_*(${CORE[style]})_*|__.+__|[$#@]*_*`;
}

export const NAMING_STYLES = Object.keys(CORE) as NamingStyle[];
