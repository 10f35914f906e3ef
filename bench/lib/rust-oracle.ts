/**
 * rustc's own parser as the soundness judge for the Rust grammar: tree-sitter-rust is narrower
 * than Rust (it refuses `unsafe extern`, `safe` items, `#[unsafe(…)]`, `use<…>` bounds, `~` in a
 * token tree, …), rustc is the reference. Each text is written to a file in one temporary folder
 * and read by `rustc -Zparse-crate-root-only` (with `RUSTC_BOOTSTRAP=1` on a stable toolchain):
 * rustc lexes and parses the crate root and stops; no macro is expanded, no out-of-line module is
 * loaded, no name is resolved and nothing is compiled. A few checks rustc's parser makes while
 * parsing count (`unsafe impl S {}`: E0197; `macro_rules!` inside an `impl`), the checks that
 * come after parsing do not (`pub impl S {}`, `unsafe mod m {}`, `macro_rules! m {}`, a bare trait
 * object, `1u256`): the grammar refuses several of those too, which only makes it narrower.
 *
 * Edition 2021, on purpose: `grammars/rust.lark` follows Rust 2021 (`gen` is an identifier,
 * `if let` takes one `let` and no let chains, `#"…"#` and `##` are ordinary tokens in token
 * trees), and its coverage corpus is edition 2018/2021 code. Edition 2024 would refuse those
 * (`gen` is reserved, `##` is a "reserved multi-hash token") and accept let chains the grammar
 * does not generate. The 2024 items the grammar does generate (`unsafe extern`, `safe`,
 * `#[unsafe(…)]`, `use<…>`) parse in edition 2021 on today's rustc.
 *
 * The harness (`checkGrammarSoundness`) awaits each verdict before it samples the next text, so
 * its calls are sequential (12–20 ms a rustc run on the shared 2-core machine; 1,000 samples of
 * the Rust grammar take 30–60 s, most of it rustc); overlapping calls run up to two rustc processes
 * at once (40 overlapping calls: 0.55–0.97 s, against 0.82–1.02 s one after the other, as the
 * load varied). The rustup proxy is skipped when `rustc --print sysroot` names the toolchain's
 * own binary (12 instead of 20 ms a run). The folder is removed by `close()`, or at exit.
 */
import { spawn, spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, rmSync, unlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import type { ParseVerdict } from '../../src/eval/index.ts';

/** The edition samples are parsed in (see the file comment). */
export const RUST_ORACLE_EDITION = '2021';

export interface RustOracle {
  /** `rustc --version`, e.g. `rustc 1.95.0 (59807616e 2026-04-14)`, and the edition used. */
  version: string;
  parse(text: string): Promise<ParseVerdict>;
  close(): void;
}

const ENV = { ...process.env, RUSTC_BOOTSTRAP: '1' };
const MAX_RUNNING = 2;

function args(file: string): string[] {
  return ['--edition', RUST_ORACLE_EDITION, '-Zparse-crate-root-only', '--error-format=json', '--crate-type=lib', '--crate-name=sample', file];
}

/** The rustc binary to run (the toolchain's own when rustup's proxy is on the PATH), or undefined. */
function findRustc(dir: string): { exe: string; version: string } | undefined {
  const v = spawnSync('rustc', ['--version'], { encoding: 'utf8', env: ENV });
  if (v.status !== 0) return undefined;
  let exe = 'rustc';
  const sysroot = spawnSync('rustc', ['--print', 'sysroot'], { encoding: 'utf8', env: ENV });
  const direct = path.join(sysroot.stdout?.trim() ?? '', 'bin', 'rustc');
  if (sysroot.status === 0 && existsSync(direct)) exe = direct;
  // Does it take the flag and stop after parsing? An unresolved name must pass, a syntax error fail.
  const ok = path.join(dir, 'probe_ok.rs');
  const bad = path.join(dir, 'probe_bad.rs');
  writeFileSync(ok, 'fn f() { let _ = undefined_name; }\n');
  writeFileSync(bad, 'fn f( {\n');
  const a = spawnSync(exe, args(ok), { encoding: 'utf8', env: ENV, cwd: dir });
  const b = spawnSync(exe, args(bad), { encoding: 'utf8', env: ENV, cwd: dir });
  if (a.status !== 0 || b.status === 0) return undefined;
  return { exe, version: v.stdout.trim() };
}

interface Span { line_start: number; column_start: number; is_primary: boolean }
interface Diagnostic { message: string; level: string; spans: Span[] }

/**
 * rustc's first error as a verdict. rustc counts columns in characters (code points) of the line,
 * after dropping a leading byte-order mark; the verdict's column counts UTF-16 units of the text as
 * given, as `soundnessExcerpt` reads it.
 */
function verdictOf(text: string, stderr: string, status: number | null): ParseVerdict {
  let first: Diagnostic | undefined;
  for (const line of stderr.split('\n')) {
    if (!line.startsWith('{')) continue;
    let d: Diagnostic;
    try {
      d = JSON.parse(line) as Diagnostic;
    } catch {
      continue;
    }
    if (d.level === 'error' || d.level === 'error: internal compiler error') {
      first = d;
      break;
    }
  }
  if (!first) {
    if (status === 0) return { hasError: false };
    return { hasError: true, errorAt: { line: 1, column: 1 }, what: `rustc exited with ${String(status)}: ${stderr.trim().slice(0, 300)}` };
  }
  const span = first.spans.find((s) => s.is_primary) ?? first.spans[0];
  if (!span) return { hasError: true, errorAt: { line: 1, column: 1 }, what: first.message };
  const lineText = text.split('\n')[span.line_start - 1] ?? '';
  let chars = span.column_start - 1;
  if (span.line_start === 1 && lineText.startsWith('\uFEFF')) chars++;
  let column = 1;
  for (const ch of lineText) {
    if (chars-- <= 0) break;
    column += ch.length;
  }
  return { hasError: true, errorAt: { line: span.line_start, column }, what: first.message };
}

export function startRustOracle(): RustOracle | undefined {
  const dir = mkdtempSync(path.join(tmpdir(), 'rust-oracle-'));
  const found = findRustc(dir);
  if (!found) {
    rmSync(dir, { recursive: true, force: true });
    return undefined;
  }
  let next = 0;
  let running = 0;
  let closed = false;
  const cleanup = (): void => rmSync(dir, { recursive: true, force: true });
  process.once('exit', cleanup);
  const queue: Array<() => void> = [];
  const run = (text: string, resolve: (v: ParseVerdict) => void, reject: (e: Error) => void): void => {
    if (closed) {
      reject(new Error('the Rust oracle was closed'));
      queue.shift()?.();
      return;
    }
    running++;
    const file = path.join(dir, `s${next++}.rs`);
    writeFileSync(file, text);
    const child = spawn(found.exe, args(file), { env: ENV, cwd: dir, stdio: ['ignore', 'ignore', 'pipe'] });
    let stderr = '';
    child.stderr.setEncoding('utf8');
    child.stderr.on('data', (s: string) => { stderr += s; });
    let finished = false;
    const done = (v: ParseVerdict): void => {
      if (finished) return;
      finished = true;
      running--;
      try {
        unlinkSync(file);
      } catch {
        // closed meanwhile: the folder is gone
      }
      resolve(v);
      queue.shift()?.();
    };
    child.on('error', (e) => done({ hasError: true, errorAt: { line: 1, column: 1 }, what: `rustc did not run: ${e.message}` }));
    child.on('close', (status) => done(verdictOf(text, stderr, status)));
  };
  return {
    version: `${found.version}, edition ${RUST_ORACLE_EDITION}`,
    parse: (text) => new Promise((resolve, reject) => {
      if (running < MAX_RUNNING) run(text, resolve, reject);
      else queue.push(() => run(text, resolve, reject));
    }),
    close: () => {
      closed = true;
      process.removeListener('exit', cleanup);
      cleanup();
    },
  };
}
