/** Which JSON Schema draft a document follows, from its root `$schema` (default 2020-12). */
export type Draft = 'draft4' | 'draft6' | 'draft7' | '2019-09' | '2020-12';

export function detectDraft(root: unknown): Draft {
  if (typeof root !== 'object' || root === null) return '2020-12';
  const s = (root as Record<string, unknown>)['$schema'];
  if (typeof s !== 'string') return '2020-12';
  if (/draft-04/.test(s)) return 'draft4';
  if (/draft-06/.test(s)) return 'draft6';
  if (/draft-07/.test(s)) return 'draft7';
  if (/2019-09/.test(s)) return '2019-09';
  return '2020-12';
}

/** Drafts where `$ref` makes its sibling keywords ignored. */
export function refOverridesSiblings(d: Draft): boolean {
  return d === 'draft4' || d === 'draft6' || d === 'draft7';
}
