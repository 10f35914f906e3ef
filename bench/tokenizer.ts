/**
 * Tokenizer vocabularies and the token trie: load + build time for the two real vocabularies
 * (Llama-3 128k, Qwen3 151k), heap of the structures, encode throughput, a full and a pruned trie
 * walk, and XGrammar peer setup. Run alone: node --expose-gc --import tsx bench/tokenizer.ts [--quick]
 */
import { pathToFileURL } from 'node:url';
import { readTokenizer, loadTokenizer } from '../src/engine/tokenizer/load.ts';
import { buildTokenTrie, tokenTrie, type TokenTrie } from '../src/engine/trie/token-trie.ts';
import { createXGrammarPeer } from '../src/eval/peer/xgrammar.ts';
import type { Tokenizer } from '../src/engine/tokenizer/types.ts';
import { calibrate } from './lib/calibrate.ts';
import { nowUs, sample, summarize } from './lib/stats.ts';
import type { BenchOptions, BenchSuite, Measurement, SuiteResult, TargetCheck } from './lib/types.ts';

const STRUCTURES_TARGET_MB = 64;
const BUILD_TARGET_MS = 500;

/** Mixed text for encode throughput: JSON, code, prose, unicode, numbers. */
function corpus(kb: number): string {
  const parts = [
    '{"id": 1234, "name": "Zoë Ångström", "tags": ["a", "b c"], "score": 0.875, "ok": true, "when": "2024-06-01T12:00:00Z"}\n',
    'export function area(r: number): number {\n  return Math.PI * r ** 2; // circle\n}\n',
    'The quick brown fox jumps over the lazy dog, again and again — 42 times.\n',
    '日本語のテキスト、中文文本，한국어 텍스트 🎉🚀\n',
    'def mean(xs):\n    return sum(xs) / len(xs) if xs else 0.0\n',
  ];
  let s = '';
  for (let i = 0; s.length < kb * 1024; i++) s += parts[i % parts.length]!.replace('1234', String(i));
  return s;
}

function gc(): void {
  (globalThis as { gc?: () => void }).gc?.();
}

/** Full collection, including the backing stores of dropped typed arrays (freed asynchronously). */
async function settle(): Promise<void> {
  for (let k = 0; k < 3; k++) {
    gc();
    await new Promise((r) => setImmediate(r));
  }
}

function memMB(): number {
  const m = process.memoryUsage();
  return (m.heapUsed + m.external) / 1e6;
}

/** Full walk with everything allowed, inlined as the matcher would (no closures). */
function walkAll(trie: TokenTrie, stack: Int32Array): number {
  const { depth, tokenId, nodeCount } = trie;
  let count = 0;
  stack[0] = 0;
  for (let i = 1; i < nodeCount; i++) {
    stack[depth[i]!] = stack[depth[i]! - 1]! + 1;
    if (tokenId[i]! >= 0) count++;
  }
  return count;
}

/** Pruned walk: only tokens made of ASCII digits (a typical sparse lexer state). */
function walkDigits(trie: TokenTrie): number {
  const { byte, tokenId, subtreeSize, nodeCount } = trie;
  let count = 0;
  let i = 1;
  while (i < nodeCount) {
    const b = byte[i]!;
    if (b < 0x30 || b > 0x39) {
      i += subtreeSize[i]!;
      continue;
    }
    if (tokenId[i]! >= 0) count++;
    i++;
  }
  return count;
}

function typedFloor(tok: Tokenizer, trie: TokenTrie): number {
  return (tok.bytes.byteLength + tok.offsets.byteLength + tok.isSpecial.byteLength + trie.byte.byteLength +
    trie.depth.byteLength + trie.tokenId.byteLength + trie.subtreeSize.byteLength + trie.nextSameBytes.byteLength) / 1e6;
}

async function run(opts: BenchOptions): Promise<SuiteResult> {
  const measurements: Measurement[] = [];
  const targets: TargetCheck[] = [];
  const ratios: Record<string, number> = {};
  const reps = opts.quick ? 2 : 5;
  const cal = opts.calibrationUs;

  for (const name of ['llama3', 'qwen3'] as const) {
    // Load + structures, uncached, timed whole.
    const loadUs: number[] = [];
    const trieUs: number[] = [];
    let tok: Tokenizer | undefined;
    let trie: TokenTrie | undefined;
    for (let r = 0; r < reps; r++) {
      tok = undefined;
      trie = undefined;
      gc();
      const t0 = nowUs();
      tok = readTokenizer(name);
      const t1 = nowUs();
      trie = buildTokenTrie(tok.bytes, tok.offsets, tok.isSpecial);
      const t2 = nowUs();
      loadUs.push(t1 - t0);
      trieUs.push(t2 - t1);
    }
    const load = summarize(loadUs);
    const build = summarize(trieUs);
    const both = summarize(loadUs.map((u, i) => u + trieUs[i]!));
    measurements.push({ name: `${name}: load tokenizer.json → token bytes`, unit: 'us', summary: load });
    measurements.push({ name: `${name}: token trie build (${trie!.nodeCount} nodes)`, unit: 'us', summary: build });
    ratios[`tokenizer.load.${name}`] = load.p50 / cal;
    ratios[`tokenizer.trie.${name}`] = build.p50 / cal;

    // Heap of the structures: memory with them held, minus memory after dropping them.
    tok = undefined;
    trie = undefined;
    await settle();
    const before = memMB();
    const held = readTokenizer(name);
    const heldTrie = buildTokenTrie(held.bytes, held.offsets, held.isSpecial);
    await settle();
    const after = memMB();
    // Collections of earlier garbage can land inside the window; the typed arrays are a floor.
    const mb = Math.max(after - before, typedFloor(held, heldTrie));
    const typed = typedFloor(held, heldTrie);
    measurements.push({
      name: `${name}: vocabulary structures (tokenizer + trie), heap+external`,
      unit: 'MB',
      value: mb,
      note: `measured delta ${(after - before).toFixed(1)} MB, typed arrays alone ${typed.toFixed(1)} MB${(globalThis as { gc?: unknown }).gc ? '' : '; run with --expose-gc for a clean figure'}`,
    });

    if (name === 'qwen3') {
      targets.push({ component: 'engine', metric: 'vocabulary structures, 151k vocab', target: `≤ ${STRUCTURES_TARGET_MB} MB`, measured: +mb.toFixed(1), unit: 'MB', met: mb <= STRUCTURES_TARGET_MB });
      const ms = both.p50 / 1000;
      targets.push({ component: 'engine', metric: 'vocabulary build (load + trie), 151k vocab', target: `≤ ${BUILD_TARGET_MS} ms`, measured: +ms.toFixed(0), unit: 'ms', met: ms <= BUILD_TARGET_MS });
    }

    // Encode throughput (the encoder is built on first use; that cost is reported separately).
    const shared = loadTokenizer(name);
    await settle();
    const encBefore = memMB();
    const t0 = nowUs();
    shared.encode('warm up');
    measurements.push({ name: `${name}: encoder build (first encode)`, unit: 'us', value: nowUs() - t0 });
    await settle();
    measurements.push({ name: `${name}: encoder tables (vocab + merge maps), heap`, unit: 'MB', value: memMB() - encBefore, note: 'built on first encode; not part of the mask structures' });
    const text = corpus(opts.quick ? 16 : 64);
    const kb = text.length / 1024;
    const enc = sample(() => shared.encode(text), { warmup: 1, minSamples: opts.quick ? 2 : 5, minTimeMs: opts.quick ? 100 : 500 });
    const perKb = summarize([enc.p25 / kb, enc.p50 / kb, enc.p75 / kb]);
    measurements.push({ name: `${name}: encode, per 1 KB of mixed text`, unit: 'us', summary: perKb, note: `${(1e6 / perKb.p50 / 1024).toFixed(2)} MB/s` });
    ratios[`tokenizer.encode.${name}`] = perKb.p50 / cal;

    // Trie walks: everything allowed (the worst case, inside a JSON string) and a pruned one.
    const t = tokenTrie(shared);
    const stack = new Int32Array(t.maxDepth + 1);
    const full = sample(() => walkAll(t, stack), { warmup: 3, minSamples: 10, minTimeMs: opts.quick ? 100 : 300 });
    const sparse = sample(() => walkDigits(t), { warmup: 10, minSamples: 50, minTimeMs: opts.quick ? 100 : 300 });
    measurements.push({ name: `${name}: trie walk, every node visited`, unit: 'us', summary: full });
    measurements.push({ name: `${name}: trie walk, digits only (pruned)`, unit: 'us', summary: sparse });
    ratios[`tokenizer.walk-full.${name}`] = full.p50 / cal;
  }

  // XGrammar peer setup for the 128k vocabulary (WebAssembly load on first use included once).
  {
    const tok = loadTokenizer('llama3');
    const t0 = nowUs();
    const peer = await createXGrammarPeer(tok);
    measurements.push({ name: 'llama3: xgrammar peer setup (first, includes wasm load)', unit: 'us', value: nowUs() - t0 });
    peer.dispose();
    const t1 = nowUs();
    const again = await createXGrammarPeer(tok);
    measurements.push({ name: 'llama3: xgrammar peer setup (tokenizer info + compiler)', unit: 'us', value: nowUs() - t1 });
    again.dispose();
  }

  return { suite: 'tokenizer', measurements, targets, ratios };
}

export const suite: BenchSuite = { name: 'tokenizer', run };

if (import.meta.url === pathToFileURL(process.argv[1] ?? '').href) {
  const quick = process.argv.includes('--quick');
  const calibrationUs = calibrate();
  const res = await run({ quick, calibrationUs });
  for (const m of res.measurements) {
    const v = m.summary ? `p50 ${m.summary.p50.toFixed(0)} p90 ${m.summary.p90.toFixed(0)} max ${m.summary.max.toFixed(0)}` : m.value?.toFixed(1);
    console.log(`${m.name}: ${v} ${m.unit}${m.note ? ` (${m.note})` : ''}`);
  }
  for (const t of res.targets) console.log(`target ${t.component} | ${t.metric} | ${t.target}: ${t.measured} ${t.unit} ${t.met ? 'met' : 'NOT met'}`);
  console.log(JSON.stringify(res.ratios));
}
