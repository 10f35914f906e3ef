/**
 * A text walked token by token through a compiled grammar the way a decoder would: the full mask
 * before every token (timed), the token's bit checked, the token consumed; at the end, whether an
 * end-of-sequence token is allowed. Used by `ananke grammar check --tokenizer` and the grammar
 * benchmark, so both time masks the same way.
 */
import { round2, summarize } from '../core/index.ts';
import { PLAIN_TEXT, type CompiledGrammar } from '../engine/index.ts';

export interface TokenWalk {
  tokenizer: string;
  count: number;
  consumed: number;
  /** Index of the first token the grammar refused, if any. */
  rejectedAt?: number;
  /** The end-of-sequence token was allowed after the last token. */
  eosAllowed: boolean;
  accepted: boolean;
  /** Every mask's time, microseconds (one per token, plus the final one when all were consumed). */
  perTokenUs: number[];
  p50Us: number;
  p90Us: number;
  p99Us: number;
  maxUs: number;
}

export function walkTokens(cg: CompiledGrammar, text: string): TokenWalk {
  const tok = cg.tokenizer;
  const ids = tok.encode(text, PLAIN_TEXT);
  const m = cg.matcher();
  const bits = new Uint32Array(cg.maskWords);
  const times: number[] = [];
  let rejectedAt: number | undefined;
  let consumed = 0;
  for (let i = 0; i < ids.length; i++) {
    const t0 = process.hrtime.bigint();
    m.computeMask(bits);
    times.push(Number(process.hrtime.bigint() - t0) / 1000);
    const id = ids[i]!;
    const allowed = ((bits[id >>> 5]! >>> (id & 31)) & 1) === 1;
    if (!allowed || !m.consume(id)) {
      rejectedAt = i;
      break;
    }
    consumed++;
  }
  let eosAllowed = false;
  if (rejectedAt === undefined) {
    const t0 = process.hrtime.bigint();
    m.computeMask(bits);
    times.push(Number(process.hrtime.bigint() - t0) / 1000);
    for (const e of tok.eosTokens) if ((bits[e >>> 5]! >>> (e & 31)) & 1) eosAllowed = true;
  }
  const t = summarize(times);
  const out: TokenWalk = {
    tokenizer: tok.name,
    count: ids.length,
    consumed,
    eosAllowed,
    accepted: rejectedAt === undefined && eosAllowed,
    perTokenUs: times.map(round2),
    p50Us: round2(t.p50),
    p90Us: round2(t.p90),
    p99Us: round2(t.p99),
    maxUs: round2(t.max),
  };
  if (rejectedAt !== undefined) out.rejectedAt = rejectedAt;
  return out;
}
