/**
 * Speed only, for iterating on the program grammars' masks (bench/grammars.ts is the bench of
 * record): the same selection of texts as it makes (accepted files of at most 16 KB of each corpus,
 * 40 spread over it; here the size is read from the file system), frozen in a snapshot file
 * (default /tmp/ananke-grammar-speed-texts.json, made on the first run) so that A/B runs read the
 * same texts while the corpus changes, then token-by-token masks with Llama-3 and Qwen3 on a
 * freshly compiled grammar; prints p50/p90/p99/max, the masks over 500 µs, the wall and CPU time of
 * all masks, and the best of three compiles.
 * node --import tsx bench/grammar-speed.ts [--lang ts,python] [--tok llama3] [--snapshot FILE]
 *   [--tokens N] [--files N] [--no-top-memo] [--ab]   (--lang json: the JSON grammar on MaskBench
 *   documents, as bench/grammars.ts; --ab: each grammar and vocabulary four times in one process,
 *   the top-level memo (mask.ts applyTop) off, on, off, on; --warm-up: each fresh grammar first
 *   walks its language's warm-up texts, src/engine/warm-up/program-warm-up.ts; --per-request:
 *   another compile of the grammar walks the warm-up texts first, then a fresh compile takes the
 *   texts, as a server's per-request grammars after a warm-up at startup: the walks the first left
 *   in the store shared between grammars, matcher/shared-plans.ts, are all they share). Each
 *   measurement starts with an empty shared store.
 * --classes: also sorts the masks over 500 µs of CPU time (process.cpuUsage around each mask, which
 *   leaves out the time the process waits for a core) by what they did (stats() before and after):
 *   built a top-level plan (a new lexer state), built sub-plans only, or walked nothing (parser
 *   pushes); docs/engine-optimizations.md §21.
 */
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { compile, type CompiledGrammar, loadTokenizer, parseLark, prepareTokenizer, programGrammarText, type ProgramLanguage, type Tokenizer, warmUpProgram } from '../src/engine/index.ts';
import { walkTokens } from '../src/eval/index.ts';
import { setTopMemo } from '../src/engine/matcher/mask.ts';
import { resetSharedPlans } from '../src/engine/matcher/shared-plans.ts';
import { maskbenchDocs } from './engine.ts';
import { argValue as arg } from './lib/args.ts';
import { DEFAULT_SPEED_SNAPSHOT, speedTexts } from './lib/speed-texts.ts';
import { summarize } from './lib/stats.ts';

const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const langs = (arg('--lang') ?? 'typescript,python,go,rust').split(',').map((l) => (l === 'ts' ? 'typescript' : l)) as ProgramLanguage[];
const toks = (arg('--tok') ?? 'llama3,qwen3').split(',');
const snapshot = arg('--snapshot') ?? DEFAULT_SPEED_SNAPSHOT;
const maxTokens = Number(arg('--tokens') ?? 20_000);
const maxFiles = Number(arg('--files') ?? 40);

const all = speedTexts(ROOT, snapshot);
const vocab = toks.map((n) => {
  const t = loadTokenizer(n);
  prepareTokenizer(t);
  return t;
});
/** Masks over 500 µs of CPU, by what they built: a top-level plan, sub-plans only, or nothing. */
function classes(cg: CompiledGrammar, docs: string[]): string {
  const cls = { top: [] as number[][], sub: [] as number[][], none: [] as number[][] };
  const bits = new Uint32Array(cg.maskWords);
  let n = 0;
  for (const d of docs) {
    if (n >= maxTokens) break;
    const ids = cg.tokenizer.encode(d);
    const m = cg.matcher();
    for (let i = 0; i <= ids.length; i++, n++) {
      const a = cg.stats();
      const c0 = process.cpuUsage();
      m.computeMask(bits);
      const c = process.cpuUsage(c0);
      const cpu = c.user + c.system;
      const b = cg.stats();
      const row = [cpu, b.walkedNodes - a.walkedNodes, b.groupMemoMisses - a.groupMemoMisses];
      if (cpu > 500) (b.maskCacheMisses > a.maskCacheMisses ? cls.top : row[1]! > 0 ? cls.sub : cls.none).push(row);
      if (i === ids.length || !m.consume(ids[i]!)) break;
    }
  }
  const med = (rows: number[][], k: number): number => rows.map((r) => r[k]!).sort((x, y) => x - y)[rows.length >> 1] ?? 0;
  return Object.entries(cls).map(([k, rows]) => `${k} ${rows.length} (median cpu ${med(rows, 0)} µs, nodes ${med(rows, 1)}, memo misses ${med(rows, 2)})`).join('; ');
}

const ab = process.argv.includes('--ab');
const warmUpFirst = process.argv.includes('--warm-up');
const perRequest = process.argv.includes('--per-request');
/** A fresh compile of `text`; with --per-request, after another compile walked the warm-up texts (its walks left in the shared store). */
function freshGrammar(text: string, tok: Tokenizer, lang: ProgramLanguage, json: boolean): CompiledGrammar {
  if (perRequest && !json) {
    const w = warmUpProgram(compile(parseLark(text), tok), lang);
    console.log(`${lang.padEnd(10)} ${tok.name.padEnd(7)} another compile's warm-up: ${w.masks} masks of ${w.texts} texts in ${w.ms.toFixed(0)} ms, ${w.refused} refused`);
  }
  return compile(parseLark(text), tok);
}
const showClasses = process.argv.includes('--classes');
const modes = ab ? [false, true, false, true] : [!process.argv.includes('--no-top-memo')];
for (const lang of langs) {
  const json = (lang as string) === 'json';
  const docs = json ? maskbenchDocs(60) : (all[lang] ?? []).slice(0, maxFiles);
  const grammarText = json ? readFileSync(path.join(ROOT, 'grammars/json.lark'), 'utf8') : programGrammarText(lang);
  for (const tok of vocab) for (const top of modes) {
    setTopMemo(top);
    resetSharedPlans(tok);
    let best = Infinity;
    for (let i = 0; i < 3; i++) {
      const t0 = performance.now();
      compile(parseLark(grammarText), tok);
      best = Math.min(best, performance.now() - t0);
    }
    const cg = freshGrammar(grammarText, tok, lang, json);
    const warm = warmUpFirst && !json ? warmUpProgram(cg, lang) : undefined;
    if (warm) console.log(`${lang.padEnd(10)} ${tok.name.padEnd(7)} warm-up: ${warm.masks} masks of ${warm.texts} texts in ${warm.ms.toFixed(0)} ms, ${warm.refused} refused`);
    const times: number[] = [];
    const t0 = performance.now();
    const c0 = process.cpuUsage();
    for (const d of docs) {
      if (times.length >= maxTokens) break;
      const w = walkTokens(cg, d);
      if (!w.accepted) console.error(`${lang}: a text was rejected token by token`);
      times.push(...w.perTokenUs);
    }
    const c1 = process.cpuUsage(c0);
    const s = summarize(times);
    const over = times.filter((x) => x > 500).length;
    console.log(`${lang.padEnd(10)} ${tok.name.padEnd(7)} top-memo ${top ? 'on ' : 'off'} n=${times.length} p50 ${s.p50.toFixed(2)} p90 ${s.p90.toFixed(1)} p99 ${s.p99.toFixed(0)} max ${s.max.toFixed(0)} >500:${over} total ${(performance.now() - t0).toFixed(0)} ms (cpu ${((c1.user + c1.system) / 1000).toFixed(0)} ms) compile ${best.toFixed(1)} ms`);
    if (showClasses) {
      resetSharedPlans(tok);
      const fresh = freshGrammar(grammarText, tok, lang, json);
      if (warmUpFirst && !json) warmUpProgram(fresh, lang);
      console.log(`  masks over 500 µs of CPU on a fresh grammar${warmUpFirst ? ', warmed up' : ''}: ${classes(fresh, docs)}`);
    }
  }
}
