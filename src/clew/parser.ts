import { Language as TsLanguage, Parser, type Tree } from 'web-tree-sitter';
import { AnankeError, type Language } from '../core/index.ts';
import { grammarPath } from './grammar-files.ts';

export { grammarPath } from './grammar-files.ts';

let initialized: Promise<void> | undefined;
const languages = new Map<Language, Promise<TsLanguage>>();
const parsers = new Map<Language, Parser>();

function init(): Promise<void> {
  initialized ??= Parser.init();
  return initialized;
}

export async function loadLanguage(lang: Language): Promise<TsLanguage> {
  await init();
  let p = languages.get(lang);
  if (!p) {
    p = TsLanguage.load(grammarPath(lang)).catch((e: unknown) => {
      languages.delete(lang);
      throw new AnankeError('UNSUPPORTED', `could not load the tree-sitter grammar for ${lang}: ${e instanceof Error ? e.message : String(e)}`);
    });
    languages.set(lang, p);
  }
  return p;
}

/** One parser per language per thread, reused across files. */
export async function getParser(lang: Language): Promise<Parser> {
  let parser = parsers.get(lang);
  if (!parser) {
    const language = await loadLanguage(lang);
    parser = new Parser();
    parser.setLanguage(language);
    parsers.set(lang, parser);
  }
  return parser;
}

/** Parses source text. The caller must `tree.delete()` when done (WASM memory is not GC'd). */
export async function parse(lang: Language, source: string): Promise<Tree> {
  const parser = await getParser(lang);
  const tree = parser.parse(source);
  if (!tree) throw new AnankeError('INTERNAL', `tree-sitter returned no tree for a ${lang} file`);
  return tree;
}
