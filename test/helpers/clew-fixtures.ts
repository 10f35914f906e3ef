/**
 * Shared harness for the per-language extractor tests (test/clew/extract-<lang>.test.ts): read a
 * fixture, parse it with the real grammar, run the language's extractor, and the robustness sweeps
 * every extractor must survive (cut, gapped, recombined and pathologically deep input).
 */
import assert from 'node:assert/strict';
import fc from 'fast-check';
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import type { Node } from 'web-tree-sitter';
import { parse } from '../../src/clew/parser.ts';
import type { ExtractedFacts, LanguageExtractor } from '../../src/clew/languages/types.ts';
import type { FunctionFact, Language, TypeFact } from '../../src/core/index.ts';

const FIXTURES = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../fixtures/clew');

/** The text of test/fixtures/clew/<lang>/<file>. */
export function fixtureSource(lang: Language, file: string): string {
  return readFileSync(path.join(FIXTURES, lang, file), 'utf8');
}

/** Parses `source` and hands the root to `use`; the tree is freed afterwards, whatever happens. */
export async function withTree<T>(lang: Language, source: string, use: (root: Node) => T): Promise<T> {
  const tree = await parse(lang, source);
  try {
    return use(tree.rootNode);
  } finally {
    tree.delete();
  }
}

/** Parses and extracts a piece of source text. */
export function extractText(lang: Language, extractor: LanguageExtractor, source: string): Promise<ExtractedFacts> {
  return withTree(lang, source, (root) => extractor(root, source));
}

/** `extract(file)` for one language: reads the fixture, parses and extracts it. */
export function fixtureExtractor(lang: Language, extractor: LanguageExtractor): (file: string) => Promise<ExtractedFacts> {
  return (file) => extractText(lang, extractor, fixtureSource(lang, file));
}

function qualified(x: FunctionFact): string {
  return x.container ? `${x.container}.${x.name}` : x.name;
}

/** The first function with this container-qualified name (and line, when given); fails the test if none. */
export function findFunction(facts: ExtractedFacts, name: string, line?: number): FunctionFact {
  const f = facts.functions.find((x) => qualified(x) === name && (line === undefined || x.line === line));
  assert.ok(f, `function ${name} not found in ${facts.functions.map((x) => x.name).join(', ')}`);
  return f;
}

/** Every function with this container-qualified name. */
export function functionsNamed(facts: ExtractedFacts, name: string): FunctionFact[] {
  return facts.functions.filter((x) => qualified(x) === name);
}

/** The one function with this container-qualified name; fails the test if there are none or several. */
export function onlyFunction(facts: ExtractedFacts, name: string): FunctionFact {
  const all = functionsNamed(facts, name);
  assert.equal(all.length, 1, `expected one ${name}, got ${all.length} among ${facts.functions.map((x) => x.name).join(', ')}`);
  return all[0]!;
}

/** The first type with this name; fails the test if none. */
export function findType(facts: ExtractedFacts, name: string): TypeFact {
  const t = facts.types.find((x) => x.name === name);
  assert.ok(t, `type ${name} not found`);
  return t;
}

/**
 * Cuts the fixture at 12 evenly spaced places (k/13 of its length): extraction never throws, and
 * every function that ends before the cut line, outside any type still open there, is kept.
 */
export async function assertKeepsFunctionsBeforeCuts(lang: Language, extractor: LanguageExtractor, file: string): Promise<void> {
  const source = fixtureSource(lang, file);
  const full = await extractText(lang, extractor, source);
  for (let k = 1; k <= 12; k++) {
    const cut = Math.floor((source.length * k) / 13);
    const text = source.slice(0, cut);
    const facts = await extractText(lang, extractor, text);
    const cutLine = text.split('\n').length;
    const openTypes = full.types.filter((t) => t.line < cutLine && (t.endLine ?? t.line) >= cutLine);
    for (const f of full.functions) {
      if ((f.endLine ?? f.line) >= cutLine - 1 || openTypes.length > 0) continue;
      assert.ok(facts.functions.some((g) => g.name === f.name && g.line === f.line), `cut at line ${cutLine} lost ${f.name}`);
    }
  }
}

/**
 * Truncates the fixture every 1/40 of its length, and also drops 7 characters at each cut: the
 * extractor never throws and every function it reports has a name and a 1-based position.
 */
export async function assertRobustOnDamage(lang: Language, extractor: LanguageExtractor, file: string): Promise<void> {
  const source = fixtureSource(lang, file);
  const step = Math.ceil(source.length / 40);
  for (let cut = 0; cut <= source.length; cut += step) {
    for (const text of [source.slice(0, cut), source.slice(0, cut) + source.slice(cut + 7)]) {
      const f = await extractText(lang, extractor, text);
      assert.ok(Array.isArray(f.functions) && Array.isArray(f.scopes) && Array.isArray(f.holes));
      for (const fact of f.functions) assert.ok(fact.name.length > 0 && fact.line >= 1 && fact.column >= 1);
    }
  }
}

/**
 * Property (40 runs, seed 7): up to 30 slices of the fixture, spliced after `prefix`, never make the
 * extractor throw, and every function it reports has a 1-based position.
 */
export async function assertRobustOnRecombination(lang: Language, extractor: LanguageExtractor, file: string, prefix = ''): Promise<void> {
  const source = fixtureSource(lang, file);
  const pieces = fc.array(fc.tuple(fc.nat(source.length), fc.nat(200)), { minLength: 1, maxLength: 30 });
  await fc.assert(fc.asyncProperty(pieces, async (cuts) => {
    const text = prefix + cuts.map(([at, len]) => source.slice(at, at + len)).join('');
    const facts = await extractText(lang, extractor, text);
    for (const f of facts.functions) assert.ok(f.line >= 1 && f.column >= 1);
  }), { numRuns: 40, seed: 7 });
}

/** `1 + 1 + … + 1` with `terms` terms: an expression whose syntax tree is that deep. */
export function deepSum(terms: number): string {
  return Array(terms).fill('1').join(' + ');
}

/** Extracts `text` and checks the names of the functions found, in order. */
export async function assertFunctionNames(lang: Language, extractor: LanguageExtractor, text: string, names: string[]): Promise<void> {
  const facts = await extractText(lang, extractor, text);
  assert.deepEqual(facts.functions.map((f) => f.name), names);
}
