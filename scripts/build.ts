/**
 * `npm run build`: compiles src/ to JavaScript and declarations in dist/ (tsconfig.build.json), then
 * puts the tree-sitter grammars Clew loads into wasm/, each beside the license of the package it
 * comes from (wasm/LICENSES.md). Both folders ship in the npm package; neither is committed.
 */
import { execFileSync } from 'node:child_process';
import { copyFileSync, mkdirSync, readFileSync, rmSync, writeFileSync, existsSync } from 'node:fs';
import { createRequire } from 'node:module';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { GRAMMAR_SOURCES, grammarFileName, WASM_DIR } from '../src/clew/grammar-files.ts';
import type { Language } from '../src/core/index.ts';

const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const require = createRequire(import.meta.url);

function compileTypeScript(): void {
  rmSync(path.join(ROOT, 'dist'), { recursive: true, force: true });
  const tsc = require.resolve('typescript/bin/tsc');
  execFileSync(process.execPath, [tsc, '-p', path.join(ROOT, 'tsconfig.build.json')], { stdio: 'inherit' });
}

interface PackageInfo { name: string; version: string; license?: string }

function copyGrammars(): void {
  rmSync(WASM_DIR, { recursive: true, force: true });
  mkdirSync(WASM_DIR, { recursive: true });
  const notices = new Map<string, string>();
  for (const [lang, src] of Object.entries(GRAMMAR_SOURCES) as [Language, (typeof GRAMMAR_SOURCES)[Language]][]) {
    const pkgDir = path.dirname(require.resolve(`${src.pkg}/package.json`));
    copyFileSync(path.join(pkgDir, src.file), path.join(WASM_DIR, grammarFileName(lang)));
    if (src.builtFrom) notices.set(`${src.pkg}:${lang}`, `## ${grammarFileName(lang)}\n\nBuilt by ${src.pkg} from ${src.builtFrom}.\n`);
    if (notices.has(src.pkg)) continue;
    const info = JSON.parse(readFileSync(path.join(pkgDir, 'package.json'), 'utf8')) as PackageInfo;
    const licenseFile = ['LICENSE', 'LICENSE.md', 'LICENSE.txt'].map((f) => path.join(pkgDir, f)).find(existsSync);
    if (!licenseFile) throw new Error(`${src.pkg} ships no LICENSE file: cannot redistribute its grammar`);
    notices.set(src.pkg, `## ${info.name} ${info.version} (${info.license ?? 'see below'})\n\n${readFileSync(licenseFile, 'utf8').trim()}\n`);
  }
  const header = '# Licenses of the tree-sitter grammars in this folder\n\n' +
    'Each `.wasm` file here is copied unchanged from the npm package named below by `npm run build`.\n\n';
  writeFileSync(path.join(WASM_DIR, 'LICENSES.md'), header + [...notices.values()].join('\n'));
}

copyGrammars();
compileTypeScript();
