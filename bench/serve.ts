/**
 * `ananke serve` under load, on loopback, bounded in count and in time: the test model (random
 * weights, real Qwen3 tokenizer) behind a real server, plain HTTP clients in this process.
 *
 * - Load: 1, 4 and 16 concurrent clients, each sending grammar-constrained chat completions in
 *   turn (a Lark grammar, a GBNF grammar, a JSON Schema through response_format): throughput,
 *   latency p50/p90/p99, errors, and every output re-checked by the engine against its grammar
 *   (whole when the server says it ended, a completable prefix when max_tokens cut it).
 * - Soak: clients for a fixed time, a third of whose requests are streams they abandon after the
 *   first event; the server must keep serving (no errors, nothing left running afterwards) and
 *   hold its memory (RSS and heap sampled through the phase; the process holds server and clients).
 *
 * What the test model allows one to conclude: the server's own costs (HTTP, JSON, queueing,
 * constraint compilation, masks, the bias hand-over) and its behaviour under concurrency and
 * cancellation. Its model step is tiny (~1.5 ms), so a real model's throughput is the model's;
 * these figures are the ceiling the serving layer puts on it, not a prediction of it.
 *
 * Run alone: node --import tsx bench/serve.ts [--quick] [--out FILE]   (JSON to bench/results/serve.json by default)
 */
import http from 'node:http';
import { mkdirSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { byteTokenizer, compile, compileJsonSchema, parseGbnf, parseLark, type CompiledGrammar } from '../src/engine/index.ts';
import { loadLocalModel } from '../src/maze/index.ts';
import { startServer, type AnankeServer } from '../src/serve/index.ts';
import { argValue } from './lib/args.ts';
import { calibrate } from './lib/calibrate.ts';
import { summarize } from './lib/stats.ts';
import type { BenchOptions, BenchSuite, Measurement, SuiteResult, TargetCheck } from './lib/types.ts';

/** Requests generating at once in the server (the model's context sequences). */
const PARALLEL = 4;
const MAX_TOKENS = 48;

const LARK = '%llguidance {}\nstart: "call(" NAME ", " INT ")"\nNAME: /[a-z_]{1,12}/\nINT: /[0-9]{1,6}/';
const GBNF = 'root ::= "[" item ("," item)* "]"\nitem ::= [0-9] [0-9]?';
const SCHEMA = { type: 'object', properties: { id: { type: 'integer' }, ok: { type: 'boolean' } }, required: ['id', 'ok'], additionalProperties: false };

/** The workload: chat completions under one of three grammars, and how to judge each output. */
const WORKLOAD: Array<{ field: Record<string, unknown>; judge: CompiledGrammar }> = [
  { field: { grammar: LARK }, judge: compile(parseLark(LARK), byteTokenizer()) },
  { field: { guided_grammar: GBNF }, judge: compile(parseGbnf(GBNF), byteTokenizer()) },
  { field: { response_format: { type: 'json_schema', json_schema: { name: 'row', schema: SCHEMA } } }, judge: compile(compileJsonSchema(SCHEMA), byteTokenizer()) },
];

function judged(g: CompiledGrammar, text: string, finish: string): boolean {
  if (finish === 'stop') return g.check(text).accepted;
  const m = g.matcher();
  for (const b of new TextEncoder().encode(text)) if (!m.consume(b)) return false;
  return true;
}

interface Tally {
  latencies: number[];
  tokens: number;
  errors: string[];
  rejected: number;
  cut: number;
}

const newTally = (): Tally => ({ latencies: [], tokens: 0, errors: [], rejected: 0, cut: 0 });

/** One non-streamed request; its latency, tokens and the engine's verdict go into `t`. */
function request(server: AnankeServer, agent: http.Agent, n: number, t: Tally): Promise<void> {
  const w = WORKLOAD[n % WORKLOAD.length]!;
  const body = JSON.stringify({ messages: [{ role: 'user', content: `request ${n}` }], ...w.field, max_tokens: MAX_TOKENS, seed: n, temperature: 0.9 });
  const u = new URL(`${server.url}/v1/chat/completions`);
  const t0 = performance.now();
  return new Promise((resolve) => {
    const req = http.request({ host: u.hostname, port: u.port, path: u.pathname, method: 'POST', agent, headers: { 'content-type': 'application/json' } }, (res) => {
      let text = '';
      res.setEncoding('utf8');
      res.on('data', (d: string) => { text += d; });
      res.on('end', () => {
        const ms = performance.now() - t0;
        if (res.statusCode !== 200) { t.errors.push(`${res.statusCode}: ${text.slice(0, 200)}`); resolve(); return; }
        const r = JSON.parse(text) as { choices: Array<{ message: { content: string }; finish_reason: string }>; usage: { completion_tokens: number } };
        const c = r.choices[0]!;
        t.latencies.push(ms);
        t.tokens += r.usage.completion_tokens;
        if (c.finish_reason !== 'stop') t.cut++;
        if (!judged(w.judge, c.message.content, c.finish_reason)) t.rejected++;
        resolve();
      });
    });
    req.on('error', (e) => { t.errors.push(e.message); resolve(); });
    req.end(body);
  });
}

/** A stream the client abandons once the first event arrives. */
function abandon(server: AnankeServer, n: number, t: Tally): Promise<void> {
  const body = JSON.stringify({ messages: [{ role: 'user', content: `leaving ${n}` }], grammar: LARK, max_tokens: MAX_TOKENS, seed: n, stream: true });
  const u = new URL(`${server.url}/v1/chat/completions`);
  return new Promise((resolve) => {
    const req = http.request({ host: u.hostname, port: u.port, path: u.pathname, method: 'POST', headers: { 'content-type': 'application/json' } }, (res) => {
      if (res.statusCode !== 200) t.errors.push(`abandoned stream: ${res.statusCode}`);
      res.once('data', () => { req.destroy(); resolve(); });
      res.on('end', resolve);
      res.on('error', () => resolve());
    });
    req.on('error', () => resolve());
    req.end(body);
  });
}

/** `clients` loops sending requests until `count` are done or `maxMs` has passed. */
async function loadPhase(server: AnankeServer, clients: number, count: number, maxMs: number, seed0: number): Promise<{ tally: Tally; wallMs: number }> {
  const agent = new http.Agent({ keepAlive: true, maxSockets: clients });
  const t = newTally();
  let next = 0;
  const t0 = performance.now();
  await Promise.all(Array.from({ length: clients }, async () => {
    while (next < count && performance.now() - t0 < maxMs) await request(server, agent, seed0 + next++, t);
  }));
  agent.destroy();
  return { tally: t, wallMs: performance.now() - t0 };
}

const mb = (b: number): number => b / (1024 * 1024);

async function run(opts: BenchOptions): Promise<SuiteResult> {
  const measurements: Measurement[] = [];
  const targets: TargetCheck[] = [];
  const ratios: Record<string, number> = {};
  const model = await loadLocalModel('test', { sequences: PARALLEL });
  const server = await startServer({ model, port: 0, limits: { parallel: PARALLEL, queue: 64, timeoutMs: 120_000 } });
  try {
    // Warm-up: the three grammars compiled and cached, the tokenizer's trie built.
    await loadPhase(server, 3, 6, 60_000, 1_000_000);
    const phases = opts.quick ? [[1, 12], [4, 24], [16, 48]] : [[1, 40], [4, 120], [16, 240]];
    const p50: Record<number, number> = {};
    let errors = 0;
    let rejected = 0;
    let outputs = 0;
    for (const [clients, count] of phases as Array<[number, number]>) {
      const { tally: t, wallMs } = await loadPhase(server, clients, count, opts.quick ? 30_000 : 90_000, clients * 10_000);
      const s = summarize(t.latencies);
      p50[clients] = s.p50;
      errors += t.errors.length;
      rejected += t.rejected;
      outputs += t.latencies.length;
      const note = `${t.latencies.length} requests in ${(wallMs / 1000).toFixed(1)} s, ${t.errors.length} errors${t.errors.length ? ` (first: ${t.errors[0]})` : ''}, ${t.rejected} outputs the engine rejects, ${t.cut} cut by max_tokens ${MAX_TOKENS}`;
      measurements.push({ name: `latency, ${clients} client${clients > 1 ? 's' : ''}, grammar-constrained chat (server: ${PARALLEL} at once)`, unit: 'ms', summary: s, note });
      measurements.push({ name: `throughput, ${clients} client${clients > 1 ? 's' : ''}`, unit: 'req/s', value: (t.latencies.length * 1000) / wallMs });
      measurements.push({ name: `generated tokens per second, ${clients} client${clients > 1 ? 's' : ''}`, unit: 'tokens/s', value: (t.tokens * 1000) / wallMs });
    }
    ratios['serve.latency_p50.c4_vs_c1'] = p50[4]! / p50[1]!;
    ratios['serve.latency_p50.c16_vs_c1'] = p50[16]! / p50[1]!;

    // Soak: 8 clients, every third request a stream abandoned after its first event.
    const soakMs = opts.quick ? 10_000 : 60_000;
    const agent = new http.Agent({ keepAlive: true, maxSockets: 8 });
    const soak = newTally();
    let abandoned = 0;
    const rss: number[] = [];
    const heap: number[] = [];
    const buffers: number[] = [];
    const sampleMem = (): void => { const m = process.memoryUsage(); rss.push(mb(m.rss)); heap.push(mb(m.heapUsed)); buffers.push(mb(m.arrayBuffers)); };
    sampleMem();
    const timer = setInterval(sampleMem, 500);
    const t0 = performance.now();
    let n = 2_000_000;
    await Promise.all(Array.from({ length: 8 }, async () => {
      while (performance.now() - t0 < soakMs) {
        const k = n++;
        if (k % 3 === 0) { abandoned++; await abandon(server, k, soak); } else await request(server, agent, k, soak);
      }
    }));
    clearInterval(timer);
    agent.destroy();
    // Every abandoned generation must have stopped: nothing runs or waits once the clients are done.
    let idleMs = 0;
    for (const w0 = performance.now(); ; ) {
      const st = server.stats();
      if (st.running === 0 && st.waiting === 0) { idleMs = performance.now() - w0; break; }
      if (performance.now() - w0 > 10_000) { soak.errors.push(`still busy 10 s after the soak: ${JSON.stringify(st)}`); break; }
      await new Promise((r) => setTimeout(r, 20));
    }
    const after = newTally();
    await request(server, new http.Agent(), 3_000_000, after);
    sampleMem();
    errors += soak.errors.length + after.errors.length;
    rejected += soak.rejected + after.rejected;
    outputs += soak.latencies.length + after.latencies.length;
    const third = Math.max(1, Math.floor(rss.length / 3));
    const firstRss = summarize(rss.slice(0, third)).p50;
    const lastRss = summarize(rss.slice(-third)).p50;
    measurements.push({ name: `soak ${soakMs / 1000} s, 8 clients, every third a stream abandoned after its first event`, unit: 'ms', summary: summarize(soak.latencies),
      note: `${soak.latencies.length} completed, ${abandoned} abandoned, ${soak.errors.length} errors${soak.errors.length ? ` (first: ${soak.errors[0]})` : ''}, ${soak.rejected} rejected outputs; idle ${idleMs.toFixed(0)} ms after the last client; a request after it: ${after.errors.length ? 'failed' : 'served'}` });
    measurements.push({ name: 'soak RSS, first third (median)', unit: 'MB', value: firstRss });
    measurements.push({ name: 'soak RSS, last third (median)', unit: 'MB', value: lastRss });
    measurements.push({ name: 'soak RSS, max', unit: 'MB', value: Math.max(...rss) });
    measurements.push({ name: 'soak heap used, last sample', unit: 'MB', value: heap.at(-1)!, note: `first sample ${heap[0]!.toFixed(1)} MB` });
    // Typed arrays: mostly the compiled grammars' mask caches, each bounded by the engine's cache budgets (src/engine/limits.ts).
    measurements.push({ name: 'soak array buffers, last sample', unit: 'MB', value: buffers.at(-1)!, note: `first sample ${buffers[0]!.toFixed(1)} MB` });
    const thirds = [0, 1, 2].map((k) => summarize(rss.slice(k * third, k === 2 ? rss.length : (k + 1) * third)).p50.toFixed(0));
    measurements.push({ name: 'soak RSS by thirds (medians)', unit: 'MB', value: lastRss, note: `${thirds.join(' → ')}; ${server.stats().collections} collections asked for the runtime's sampler memory (src/serve/native-memory.ts)` });

    targets.push({ component: 'serve', metric: 'errors under load and soak (1/4/16 clients, abandoned streams)', target: '0', measured: errors, unit: 'errors', met: errors === 0 });
    targets.push({ component: 'serve', metric: 'outputs the engine rejects on re-check', target: `0 of ${outputs}`, measured: rejected, unit: 'outputs', met: rejected === 0 });
    targets.push({ component: 'serve', metric: 'RSS growth over the soak (last third vs first, medians)', target: '< 64 MB', measured: +(lastRss - firstRss).toFixed(1), unit: 'MB', met: lastRss - firstRss < 64 });
    targets.push({ component: 'serve', metric: 'latency p50, 16 clients vs 1', target: 'reported', measured: +(p50[16]! / p50[1]!).toFixed(2), unit: '×', note: `${PARALLEL} decode at once, the rest queue` });
  } finally {
    await server.close();
    await model.dispose();
  }
  return { suite: 'serve', measurements, targets, ratios };
}

export const suite: BenchSuite = { name: 'serve', run };

if (import.meta.url === pathToFileURL(process.argv[1] ?? '').href) {
  const quick = process.argv.includes('--quick');
  const out = argValue('--out') ?? path.join(path.dirname(fileURLToPath(import.meta.url)), 'results', 'serve.json');
  const calibrationUs = calibrate();
  const res = await run({ quick, calibrationUs });
  for (const m of res.measurements) {
    const v = m.summary ? `p50 ${m.summary.p50.toFixed(0)} p90 ${m.summary.p90.toFixed(0)} p99 ${m.summary.p99.toFixed(0)} max ${m.summary.max.toFixed(0)} (n ${m.summary.n})` : m.value?.toFixed(1);
    console.log(`${m.name}: ${v} ${m.unit}${m.note ? ` (${m.note})` : ''}`);
  }
  for (const t of res.targets) console.log(`target ${t.component} | ${t.metric} | ${t.target}: ${t.measured} ${t.unit} ${t.met === undefined ? '(reported)' : t.met ? 'met' : 'NOT met'}${t.note ? ` (${t.note})` : ''}`);
  mkdirSync(path.dirname(out), { recursive: true });
  writeFileSync(out, JSON.stringify({ date: new Date().toISOString(), node: process.version, quick, calibrationUs, ...res }, null, 2) + '\n');
  console.log(`results written to ${path.relative(process.cwd(), out)}`);
}
