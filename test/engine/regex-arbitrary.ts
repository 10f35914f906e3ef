import fc from 'fast-check';

/**
 * Random regexes in the syntax JavaScript and the engine share, built from `atoms` by
 * concatenation, alternation and quantifiers (small, so property tests stay fast).
 */
export function regexArbitrary(atoms: readonly string[], quantifiers: readonly string[] = ['*', '+', '?', '{2}', '{1,3}', '{0,2}', '{2,}']): fc.Arbitrary<string> {
  const atom = fc.constantFrom(...atoms);
  return fc.letrec((tie) => ({
    re: fc.oneof(
      { depthSize: 'small', withCrossShrink: true },
      atom,
      fc.tuple(tie('re'), tie('re')).map(([x, y]) => `${x}${y}`),
      fc.tuple(tie('re'), tie('re')).map(([x, y]) => `(?:${x}|${y})`),
      fc.tuple(tie('re'), fc.constantFrom(...quantifiers)).map(([x, q]) => `(?:${x})${q}`),
    ),
  })).re as fc.Arbitrary<string>;
}
