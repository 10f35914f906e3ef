/**
 * The naming regexes Braid writes into grammars agree with Clew's classification of names
 * (src/clew/constraints/naming-style.ts): a name Clew counts as fitting a style (or as having no
 * style) is never forbidden by that style's regex, and a name the regex allows fits the style.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import fc from 'fast-check';
import { namingRegex, NAMING_STYLES } from '../../src/braid/index.ts';
import { styleBits, STYLE_BIT, styleCore } from '../../src/clew/constraints/naming-style.ts';

const name = fc.stringMatching(/^[$_]?[A-Za-z_][A-Za-z0-9_-]{0,12}$/);

test('regex and Clew agree on generated names, for every style', () => {
  for (const style of NAMING_STYLES) {
    const re = new RegExp(`^(?:${namingRegex(style)})$`);
    fc.assert(fc.property(name, (n) => {
      const fits = styleCore(n) === '' || (styleBits(n) & STYLE_BIT[style]) !== 0;
      return re.test(n) === fits;
    }), { numRuns: 2000 });
  }
});

test('examples', () => {
  const camel = new RegExp(`^(?:${namingRegex('camelCase')})$`);
  for (const n of ['total', 'totalCount', '_private', '$el', '__init__', '_']) assert.ok(camel.test(n), n);
  for (const n of ['total_count', 'TotalCount', 'TOTAL']) assert.equal(camel.test(n), false, n);
});
