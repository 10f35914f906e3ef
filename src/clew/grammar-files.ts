/**
 * The tree-sitter grammars Clew loads, one `.wasm` file per language. They ship inside the Ananke
 * package, in its `wasm/` folder: `npm run build` copies them there (scripts/build.ts) from the
 * official grammar packages, which are development dependencies only. Those packages also carry
 * C sources and native prebuilds for six platforms (≈340 MB for ≈26 MB of `.wasm`), which a user
 * of Ananke never needs. Swift has no official package with a wasm build, so its file comes from
 * @repomix/tree-sitter-wasms.
 */
import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { AnankeError, type Language } from '../core/index.ts';

export interface GrammarSource {
  /** The npm package the file is copied from at build time. */
  pkg: string;
  /** The file's path inside that package. */
  file: string;
  /** The grammar the file was built from, when the package is only a carrier of prebuilt files. */
  builtFrom?: string;
}

export const GRAMMAR_SOURCES: Record<Language, GrammarSource> = {
  typescript: { pkg: 'tree-sitter-typescript', file: 'tree-sitter-typescript.wasm' },
  tsx: { pkg: 'tree-sitter-typescript', file: 'tree-sitter-tsx.wasm' },
  javascript: { pkg: 'tree-sitter-javascript', file: 'tree-sitter-javascript.wasm' },
  python: { pkg: 'tree-sitter-python', file: 'tree-sitter-python.wasm' },
  rust: { pkg: 'tree-sitter-rust', file: 'tree-sitter-rust.wasm' },
  go: { pkg: 'tree-sitter-go', file: 'tree-sitter-go.wasm' },
  java: { pkg: 'tree-sitter-java', file: 'tree-sitter-java.wasm' },
  c: { pkg: 'tree-sitter-c', file: 'tree-sitter-c.wasm' },
  cpp: { pkg: 'tree-sitter-cpp', file: 'tree-sitter-cpp.wasm' },
  csharp: { pkg: 'tree-sitter-c-sharp', file: 'tree-sitter-c_sharp.wasm' },
  ruby: { pkg: 'tree-sitter-ruby', file: 'tree-sitter-ruby.wasm' },
  php: { pkg: 'tree-sitter-php', file: 'tree-sitter-php.wasm' },
  kotlin: { pkg: '@tree-sitter-grammars/tree-sitter-kotlin', file: 'tree-sitter-kotlin.wasm' },
  swift: { pkg: '@repomix/tree-sitter-wasms', file: 'out/tree-sitter-swift.wasm', builtFrom: 'tree-sitter-swift 0.7 (MIT, by Alex Pinkus)' },
  zig: { pkg: '@tree-sitter-grammars/tree-sitter-zig', file: 'tree-sitter-zig.wasm' },
};

/**
 * The package's `wasm/` folder. This file sits two levels below the package root both as source
 * (src/clew/) and compiled (dist/clew/), so one relative path serves both.
 */
export const WASM_DIR = fileURLToPath(new URL('../../wasm/', import.meta.url));

/** The shipped file name of a language's grammar. */
export function grammarFileName(lang: Language): string {
  return `tree-sitter-${lang}.wasm`;
}

/** Where the grammar of `lang` is; a clear error when the build has not put it there. */
export function grammarPath(lang: Language): string {
  const file = WASM_DIR + grammarFileName(lang);
  if (!existsSync(file)) {
    throw new AnankeError('UNSUPPORTED', `the tree-sitter grammar for ${lang} is missing (${file}): in a checkout of Ananke, run \`npm run build\`; in an installed package, reinstall it`);
  }
  return file;
}
