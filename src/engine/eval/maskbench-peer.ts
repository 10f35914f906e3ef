/**
 * XGrammar (web-xgrammar) on one MaskBench schema, with the same protocol as our engine: TTFM is
 * compile + first mask, then per instance (matcher reset to the initial state) a timed mask per
 * token, the token's bit checked, the token accepted; at the end the instance is accepted when an
 * end-of-sequence token is. Used only with `--peer`, for speed ratios in the same process.
 */
import { EngineError } from '../errors.ts';
import type { PeerGrammar, PeerMatcher, XGrammarPeer } from '../peer/xgrammar.ts';
import type { Tokenizer } from '../tokenizer/types.ts';
import type { MaskbenchFile } from './maskbench-file.ts';
import type { EngineSchemaResult, InstanceFailure, SchemaStatus } from './maskbench.ts';
import type { Samples } from './maskbench-stats.ts';

export interface PeerRun {
  result: EngineSchemaResult;
}

const MAX_FAILURES = 5;

export async function runPeerSchema(
  peer: XGrammarPeer,
  mb: MaskbenchFile,
  encoded: Int32Array[],
  tok: Tokenizer,
  budgetMs: number,
  tbm: Samples,
): Promise<PeerRun> {
  const t0 = performance.now();
  const deadline = t0 + budgetMs;
  let g: PeerGrammar | undefined;
  let m: PeerMatcher | undefined;
  const bits = new Uint32Array((tok.vocabSize + 31) >>> 5);
  try {
    try {
      g = await peer.compileJsonSchema(JSON.stringify(mb.schema));
      m = await g.matcher();
      m.fillNextTokenBitmask(bits);
    } catch (e) {
      const status: SchemaStatus = e instanceof EngineError ? 'compileError' : 'crash';
      return { result: { status, tokens: 0, maxTbmUs: 0, error: e instanceof Error ? e.message : String(e) } };
    }
    const ttfmUs = (performance.now() - t0) * 1000;
    const eos = tok.eosTokens[0]!;
    const failures: InstanceFailure[] = [];
    let invalidation = false;
    let validation = false;
    let stop: { status: SchemaStatus; error: string } | undefined;
    for (let ti = 0; ti < mb.tests.length && !stop; ti++) {
      const test = mb.tests[ti]!;
      const ids = encoded[ti]!;
      let rejectedAt = -1;
      try {
        m.reset();
        for (let k = 0; k < ids.length; k++) {
          const id = ids[k]!;
          const a = performance.now();
          m.fillNextTokenBitmask(bits);
          const b = performance.now();
          tbm.push((b - a) * 1000);
          if (((bits[id >>> 5]! >>> (id & 31)) & 1) === 0 || !m.acceptToken(id)) {
            rejectedAt = k;
            break;
          }
          if (b > deadline) {
            stop = { status: 'timeout', error: `over the ${budgetMs} ms budget in test ${ti}` };
            break;
          }
        }
        if (stop) break;
        const accepted = rejectedAt < 0 && m.acceptToken(eos);
        if (accepted !== test.valid) {
          if (test.valid) validation = true;
          else invalidation = true;
          if (failures.length < MAX_FAILURES) {
            failures.push({ test: ti, valid: test.valid, outcome: rejectedAt < 0 ? (accepted ? 'accepted' : 'not accepting at the end') : `rejected token ${rejectedAt} of ${ids.length}` });
          }
        }
      } catch (e) {
        stop = { status: 'crash', error: `test ${ti}: ${e instanceof Error ? e.message : String(e)}` };
      }
    }
    const status: SchemaStatus = invalidation ? 'invalidationError' : stop ? stop.status : validation ? 'validationError' : 'passing';
    const result: EngineSchemaResult = { status, ttfmUs: Math.round(ttfmUs * 100) / 100, tokens: tbm.length, maxTbmUs: Math.round(tbm.max() * 100) / 100 };
    if (stop) result.error = stop.error;
    if (failures.length) result.failures = failures;
    return { result };
  } finally {
    m?.dispose();
    g?.dispose();
  }
}
