/**
 * An IR's soft biases resolved against a tokenizer (docs/maze.md, "Soft biases"): which tokens each
 * pattern matches and the weight each token gets, computed once per IR and tokenizer (cached) so a
 * step pays only for the biased tokens the mask allows (token-bias.ts, TokenBiasBuilder.fill).
 *
 * A pattern (src/core/ir.ts, SoftBias) is a JavaScript regex source without flags, read as
 * `RegExp.prototype.test` reads it (anywhere in the token unless it anchors itself) against each
 * token's bytes as UTF-8 (leading spaces included), but run by the engine's own automaton: linear
 * in the token, its states bounded by the engine's limits, so a pattern from a request (serve
 * takes IRs) cannot backtrack for ever; lookarounds and backreferences are refused. Special and
 * end tokens are never biased. The weights of the
 * patterns a token matches add up, clamped to ±MAX_SOFT_BIAS: a soft bias moves the model among
 * the allowed tokens, it never outweighs the mask's lift (POSITIVE_BIAS) nor allows a token.
 */
import { AnankeError, type ConstraintIR, type SoftBias } from '../core/index.ts';
import { compileRegexMatcher, type RegexMatcher, type Tokenizer } from '../engine/index.ts';

/** The largest total weight one token gets, either way (logits). */
export const MAX_SOFT_BIAS = 10;

export interface SoftBiasTable {
  /** Per mask word: bit i of word i>>5 set when token i has a nonzero weight. */
  readonly bits: Uint32Array;
  /** Per token id: its total weight (0 for tokens no pattern matches). */
  readonly weight: Float32Array;
  /** How many tokens have a nonzero weight. */
  readonly tokens: number;
  /** Per bias of the IR, in order: how many tokens its pattern matched. */
  readonly matched: ReadonlyArray<{ constraintId: string; pattern: string; weight: number; tokens: number }>;
}

/** Tables per tokenizer, by the biases' canonical text. */
const tables = new WeakMap<Tokenizer, Map<string, SoftBiasTable>>();
/** Per tokenizer: the ids each pattern matches (patterns recur across IRs: a naming style, a keyword). */
const patternIds = new WeakMap<Tokenizer, Map<string, Uint32Array>>();
/** The key of an IR's biases (IRs are values, never changed in place). */
const irKeys = new WeakMap<ConstraintIR, string>();

/** How many tables were built and found in the cache (tests read it). */
export const softBiasCacheStats = { built: 0, hits: 0 };

function compilePattern(b: SoftBias): RegexMatcher {
  try {
    return compileRegexMatcher(b.pattern, 'ecma', undefined, true);
  } catch (e) {
    throw new AnankeError('PARSE', `soft bias of ${b.constraintId}: ${JSON.stringify(b.pattern)} is not a regular expression: ${(e as Error).message}`);
  }
}

/**
 * The table of an IR's soft biases for a tokenizer, or null when the IR has none (or none matches
 * a token). Cached per tokenizer and biases, so each request after the first costs a lookup.
 */
export function softBiasTable(ir: ConstraintIR | readonly SoftBias[], tok: Tokenizer): SoftBiasTable | null {
  const biases = Array.isArray(ir) ? (ir as readonly SoftBias[]) : (ir as ConstraintIR).softBiases ?? [];
  if (biases.length === 0) return null;
  let key = Array.isArray(ir) ? undefined : irKeys.get(ir as ConstraintIR);
  if (key === undefined) {
    key = JSON.stringify(biases.map((b) => [b.pattern, b.weight, b.constraintId]));
    if (!Array.isArray(ir)) irKeys.set(ir as ConstraintIR, key);
  }
  let byKey = tables.get(tok);
  if (!byKey) tables.set(tok, (byKey = new Map()));
  const hit = byKey.get(key);
  if (hit) {
    softBiasCacheStats.hits++;
    return hit.tokens === 0 ? null : hit;
  }
  const table = buildTable(biases, tok);
  softBiasCacheStats.built++;
  byKey.set(key, table);
  return table.tokens === 0 ? null : table;
}

function buildTable(biases: readonly SoftBias[], tok: Tokenizer): SoftBiasTable {
  const n = tok.vocabSize;
  const weight = new Float32Array(n);
  const matched: Array<{ constraintId: string; pattern: string; weight: number; tokens: number }> = [];
  const eos = new Set(tok.eosTokens);
  let byPattern = patternIds.get(tok);
  if (!byPattern) patternIds.set(tok, (byPattern = new Map()));
  for (const b of biases) {
    if (!Number.isFinite(b.weight)) throw new AnankeError('PARSE', `soft bias of ${b.constraintId}: the weight ${b.weight} is not a finite number`);
    let ids = byPattern.get(b.pattern);
    if (!ids) {
      const re = compilePattern(b);
      const found: number[] = [];
      try {
        for (let id = 0; id < n; id++) {
          if (tok.isSpecial[id] !== 1 && !eos.has(id) && re.matchesBytes(tok.tokenBytes(id))) found.push(id);
        }
      } catch (e) {
        // The lazily built automaton ran past the engine's limits on some token.
        throw new AnankeError('PARSE', `soft bias of ${b.constraintId}: ${JSON.stringify(b.pattern)} is beyond the engine's limits: ${(e as Error).message}`);
      }
      ids = Uint32Array.from(found);
      byPattern.set(b.pattern, ids);
    }
    for (const id of ids) weight[id] = weight[id]! + b.weight;
    matched.push({ constraintId: b.constraintId, pattern: b.pattern, weight: b.weight, tokens: ids.length });
  }
  const bits = new Uint32Array((n + 31) >>> 5);
  let tokens = 0;
  for (let id = 0; id < n; id++) {
    const w = weight[id]!;
    if (w === 0) continue;
    weight[id] = Math.max(-MAX_SOFT_BIAS, Math.min(MAX_SOFT_BIAS, w));
    bits[id >>> 5]! |= 1 << (id & 31);
    tokens++;
  }
  return { bits, weight, tokens, matched };
}

/**
 * An enforcement entry's reason as a report gives it: a soft constraint's bias is applied by Maze
 * (the local backend, `ananke serve` given the IR); a server given only a grammar or a schema gets
 * no per-token bias (its `logit_bias` needs its own tokenizer's ids, which Ananke does not have),
 * so there the bias is advice only, and the reason says so.
 */
export function biasReason(e: { reason: string; bias?: { weight: number } }, applied: boolean): string {
  if (applied || e.bias === undefined) return e.reason;
  return `advisory only: this server takes no per-token bias (logit_bias needs its tokenizer's ids), so not ${e.reason}`;
}
