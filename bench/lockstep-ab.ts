/**
 * Two builds of the engine compared in lockstep on the program grammars' masks: each build compiles
 * the grammar (per request, warmed or fresh, as in bench/grammars.ts), then both walk the same texts
 * token by token with their masks timed back to back, the order flipped at every token. On this
 * shared machine the speed of the CPU drifts by up to 2× within minutes (a fixed integer loop's time
 * varied 374–705 ms within one run of twelve), so runs of one build after the other, or alternated run by run,
 * measure the machine as much as the change: a change that such alternations showed as 5–7% faster
 * gave 0.97–1.05 in lockstep. Both builds meet the same phases here, and the ratio of their sums is
 * what changed.
 *
 * node --import tsx bench/lockstep-ab.ts --a <engine dir> [--b <engine dir>] [--lang typescript,python]
 *   [--tok llama3] [--mode per-request|warmed|fresh] [--reps 2] [--tokens 20000] [--snapshot FILE] [--out FILE]
 * An engine dir holds a build's engine: another checkout's `dist` after `npm run build` (a git
 * worktree of the commit before, say), or `src` (default for --b: this checkout, through tsx).
 * Prints, per language and repetition, each build's p50, p99, masks over 500 µs and the sum of all
 * masks, the ratio of the sums (b / a) and the median ratio over the masks that took a over 100 µs;
 * with --out, the same as JSON. The builds must agree on every token (else it stops with an error).
 */
import { existsSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { argValue as arg } from './lib/args.ts';
import { summarize } from './lib/stats.ts';
import { DEFAULT_SPEED_SNAPSHOT, speedTexts } from './lib/speed-texts.ts';

const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const MODES = ['per-request', 'warmed', 'fresh'] as const;
type Mode = (typeof MODES)[number];

function fail(msg: string): never {
  process.stderr.write(`lockstep-ab: ${msg}\n`);
  process.exit(2);
}

/** The engine entry points a build exposes (the same names in every build since shared walks, §48). */
interface Engine {
  loadTokenizer(name: string): unknown;
  prepareTokenizer(tok: unknown): void;
  compile(grammar: unknown, tok: unknown): { maskWords: number; matcher(): { computeMask(bits: Uint32Array): void; consume(id: number): boolean } };
  loadProgramGrammar(lang: string): unknown;
  warmUpProgram(cg: unknown, lang: string): unknown;
  resetSharedPlans(tok: unknown): void;
}

async function loadEngine(dir: string): Promise<Engine> {
  const abs = path.resolve(dir);
  const ext = existsSync(path.join(abs, 'engine/index.ts')) ? 'ts' : 'js';
  const index = path.join(abs, `engine/index.${ext}`);
  if (!existsSync(index)) fail(`${dir}: no engine/index.js or engine/index.ts (give a build's dist or src folder)`);
  const main = (await import(pathToFileURL(index).href)) as Record<string, unknown>;
  const shared = (await import(pathToFileURL(path.join(abs, `engine/matcher/shared-plans.${ext}`)).href)) as Record<string, unknown>;
  return { ...main, ...shared } as unknown as Engine;
}

const aDir = arg('--a') ?? fail('--a <engine dir> is required (the build to compare against)');
const bDir = arg('--b') ?? path.join(ROOT, 'src');
const langs = (arg('--lang') ?? 'typescript,python').split(',').map((l) => (l === 'ts' ? 'typescript' : l));
const tokName = arg('--tok') ?? 'llama3';
const mode = (arg('--mode') ?? 'per-request') as Mode;
if (!MODES.includes(mode)) fail(`--mode must be one of ${MODES.join(', ')}`);
const reps = Number(arg('--reps') ?? 2);
const maxTokens = Number(arg('--tokens') ?? 20_000);
if (!(reps >= 1) || !(maxTokens >= 1)) fail('--reps and --tokens must be positive');
const texts = speedTexts(ROOT, arg('--snapshot') ?? DEFAULT_SPEED_SNAPSHOT);

const builds = { a: await loadEngine(aDir), b: await loadEngine(bDir) };
const toks = { a: builds.a.loadTokenizer(tokName), b: builds.b.loadTokenizer(tokName) };
builds.a.prepareTokenizer(toks.a);
builds.b.prepareTokenizer(toks.b);
const encode = (toks.a as { encode(text: string): number[] | Int32Array }).encode.bind(toks.a);

type Side = 'a' | 'b';
/** A grammar of `lang` compiled by build `k` in the mode asked for, each starting from an empty shared store. */
function grammarFor(k: Side, lang: string): ReturnType<Engine['compile']> {
  const e = builds[k];
  e.resetSharedPlans(toks[k]);
  if (mode === 'per-request') e.warmUpProgram(e.compile(e.loadProgramGrammar(lang), toks[k]), lang);
  const cg = e.compile(e.loadProgramGrammar(lang), toks[k]);
  if (mode === 'warmed') e.warmUpProgram(cg, lang);
  return cg;
}

const report: unknown[] = [];
for (const lang of langs) {
  const docs = texts[lang];
  if (docs === undefined || docs.length === 0) {
    process.stderr.write(`lockstep-ab: no texts for ${lang} (its corpus is not installed: bench/README.md)\n`);
    continue;
  }
  for (let rep = 0; rep < reps; rep++) {
    const cg = { a: grammarFor('a', lang), b: grammarFor('b', lang) };
    const us: Record<Side, number[]> = { a: [], b: [] };
    const bits = new Uint32Array(cg.a.maskWords);
    let n = 0;
    let flip = false;
    for (const d of docs) {
      if (n >= maxTokens) break;
      const ids = encode(d);
      const m = { a: cg.a.matcher(), b: cg.b.matcher() };
      for (let i = 0; i <= ids.length && n < maxTokens; i++, n++) {
        flip = !flip;
        for (const k of flip ? (['a', 'b'] as const) : (['b', 'a'] as const)) {
          const t0 = performance.now();
          m[k].computeMask(bits);
          us[k].push((performance.now() - t0) * 1000);
        }
        if (i === ids.length) break;
        const okA = m.a.consume(ids[i]!);
        if (okA !== m.b.consume(ids[i]!)) fail(`${lang}: the builds disagree on token ${i} of a text (a ${okA ? 'accepts' : 'refuses'} it)`);
        if (!okA) break;
      }
    }
    const sum = (xs: number[]): number => xs.reduce((s, x) => s + x, 0);
    const side = (k: Side) => {
      const s = summarize(us[k]);
      return { p50: s.p50, p99: s.p99, over500: us[k].filter((x) => x > 500).length, sumMs: sum(us[k]) / 1000 };
    };
    const slowRatios = us.a.flatMap((x, i) => (x > 100 ? [us.b[i]! / x] : [])).sort((p, q) => p - q);
    const row = { lang, mode, tokenizer: tokName, rep, masks: us.a.length, a: side('a'), b: side('b'), sumRatio: sum(us.b) / sum(us.a), medianSlowRatio: slowRatios[slowRatios.length >> 1] ?? NaN, slowMasks: slowRatios.length };
    report.push(row);
    const fmt = (s: ReturnType<typeof side>): string => `p50 ${s.p50.toFixed(2)} p99 ${s.p99.toFixed(0)} >500 ${s.over500} sum ${s.sumMs.toFixed(0)} ms`;
    console.log(`${lang.padEnd(10)} ${mode} rep ${rep}: a ${fmt(row.a)} | b ${fmt(row.b)} | b/a sum ${row.sumRatio.toFixed(3)}, median over ${row.slowMasks} masks > 100 µs ${row.medianSlowRatio.toFixed(3)}`);
  }
}
const out = arg('--out');
if (out !== undefined) writeFileSync(out, JSON.stringify({ a: aDir, b: bDir, results: report }, null, 2));
