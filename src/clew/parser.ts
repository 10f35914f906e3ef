import { createRequire } from 'node:module';
import path from 'node:path';
import { Language as TsLanguage, Parser, type Tree } from 'web-tree-sitter';
import { AnankeError, type Language } from '../core/index.ts';

const require = createRequire(import.meta.url);

/**
 * Where each language's grammar lives: the `.wasm` file inside its official npm grammar package.
 * Swift has no official package with a wasm build, so it comes from @repomix/tree-sitter-wasms.
 */
const GRAMMAR_FILES: Record<Language, [pkg: string, file: string]> = {
  typescript: ['tree-sitter-typescript', 'tree-sitter-typescript.wasm'],
  tsx: ['tree-sitter-typescript', 'tree-sitter-tsx.wasm'],
  javascript: ['tree-sitter-javascript', 'tree-sitter-javascript.wasm'],
  python: ['tree-sitter-python', 'tree-sitter-python.wasm'],
  rust: ['tree-sitter-rust', 'tree-sitter-rust.wasm'],
  go: ['tree-sitter-go', 'tree-sitter-go.wasm'],
  java: ['tree-sitter-java', 'tree-sitter-java.wasm'],
  c: ['tree-sitter-c', 'tree-sitter-c.wasm'],
  cpp: ['tree-sitter-cpp', 'tree-sitter-cpp.wasm'],
  csharp: ['tree-sitter-c-sharp', 'tree-sitter-c_sharp.wasm'],
  ruby: ['tree-sitter-ruby', 'tree-sitter-ruby.wasm'],
  php: ['tree-sitter-php', 'tree-sitter-php.wasm'],
  kotlin: ['@tree-sitter-grammars/tree-sitter-kotlin', 'tree-sitter-kotlin.wasm'],
  swift: ['@repomix/tree-sitter-wasms', 'out/tree-sitter-swift.wasm'],
  zig: ['@tree-sitter-grammars/tree-sitter-zig', 'tree-sitter-zig.wasm'],
};

export function grammarPath(lang: Language): string {
  const [pkg, file] = GRAMMAR_FILES[lang];
  return path.join(path.dirname(require.resolve(`${pkg}/package.json`)), file);
}

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
