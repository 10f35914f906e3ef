/**
 * Maze: a ConstraintIR and a prompt in, code out, every hard constraint of the IR enforced per
 * token and the result checked again (docs/maze.md).
 *
 * Per step: the engine's mask for the IR grammar is the allowed set (token rules are empty in IR
 * version 1: every hard rule is in the grammar); end-of-sequence only where the grammar accepts
 * (and, for fim targets, where the suffix can follow); tokens the grammar forces are appended
 * without asking the model. Compiled grammars are shared by every request through an LRU keyed by
 * the xxhash of the grammar text and the vocabulary; each request gets its own matcher.
 */
import { AnankeError, summarize, type ConstraintIR } from '../core/index.ts';
import { canonicalKey, LruCache, type CacheStats } from '../braid/index.ts';
import { compile, parseLark, type CompiledGrammar, type Matcher, type Tokenizer } from '../engine/index.ts';
import type { StepDecision, StepModel, StopReason } from './model.ts';

export interface GenerateRequest {
  ir: ConstraintIR;
  prompt: string;
  maxTokens: number;
  seed?: number;
  temperature?: number;
  topP?: number;
  signal?: AbortSignal;
  /** Text as it is produced (decoded as far as whole UTF-8 characters allow). */
  onText?: (chunk: string) => void;
}

export interface GenerationStats {
  tokens: number;
  /** Tokens appended because the grammar allowed nothing else. */
  forced: number;
  sampled: number;
  /** Per computed mask, microseconds: p50, p99, max. */
  maskUs: { p50: number; p99: number; max: number; n: number };
  /** Per sampled token, milliseconds: the model's step, and Ananke's (mask + bias hand-over). */
  modelMsPerToken: number;
  anankeMsPerToken: number;
  grammarCompileMs: number;
  grammarCache: CacheStats;
  totalMs: number;
}

export interface GenerateResult {
  text: string;
  stop: StopReason;
  /** The engine reads the whole result (prefix + text + suffix for fim) as a sentence of the IR grammar. */
  grammarAccepted: boolean;
  /** The token budget ran out before the grammar could end: the text is cut off. */
  truncated: boolean;
  stats: GenerationStats;
}

export class Maze {
  private readonly grammars: LruCache<CompiledGrammar>;

  constructor(opts: { cacheCapacity?: number } = {}) {
    this.grammars = new LruCache(opts.cacheCapacity ?? 32);
  }

  /** The IR grammar compiled for a vocabulary, shared by every request (LRU). */
  async compiled(ir: ConstraintIR, tokenizer: Tokenizer): Promise<{ cg: CompiledGrammar; ms: number }> {
    const key = await canonicalKey({ grammar: ir.grammar, tokenizer: tokenizer.name, vocab: tokenizer.vocabSize });
    const hit = this.grammars.get(key);
    if (hit) return { cg: hit, ms: 0 };
    const t0 = performance.now();
    const cg = compile(parseLark(ir.grammar), tokenizer);
    this.grammars.set(key, cg);
    return { cg, ms: performance.now() - t0 };
  }

  cacheStats(): CacheStats {
    return this.grammars.stats();
  }

  async generate(model: StepModel, req: GenerateRequest): Promise<GenerateResult> {
    const t0 = performance.now();
    const tok = model.tokenizer;
    const { cg, ms: grammarCompileMs } = await this.compiled(req.ir, tok);
    const m = cg.matcher();
    // fim: the engine reads the fixed prefix first (unless the grammar is the range's alone: a typed hole).
    const rangeOnly = req.ir.rangeOnly === true;
    const prefixIds = req.ir.prefix && !rangeOnly ? tok.encode(req.ir.prefix) : [];
    for (const [i, id] of prefixIds.entries()) {
      if (!m.consume(id)) throw new AnankeError('PARSE', `the text before the range does not read as ${req.ir.language} (at token ${i} of ${prefixIds.length}): the target cannot be generated there`);
    }
    const suffixIds = req.ir.suffix && !rangeOnly ? tok.encode(req.ir.suffix) : undefined;
    const bits = new Uint32Array(cg.maskWords);
    const maskUs: number[] = [];
    let consumed = 0;
    let forced = 0;
    const decoder = new TextDecoder('utf-8');
    const seen: number[] = [];
    const advance = (generated: readonly number[]): void => {
      for (; consumed < generated.length; consumed++) {
        const id = generated[consumed]!;
        if (tok.eosTokens.includes(id)) continue;
        if (!m.consume(id)) throw new AnankeError('INTERNAL', `the model runtime produced token ${id} (${JSON.stringify(tok.decode([id]))}), which the mask did not allow`);
        seen.push(id);
        if (req.onText) {
          const chunk = decoder.decode(tok.tokenBytes(id), { stream: true });
          if (chunk) req.onText(chunk);
        }
      }
    };
    const step = (generated: readonly number[]): StepDecision => {
      advance(generated);
      const f = m.forcedTokens();
      if (f.length > 0 && !m.isAccepting()) {
        const room = req.maxTokens - generated.length;
        forced += Math.min(f.length, room);
        return { mask: null, eosAllowed: false, forced: f.slice(0, Math.max(0, room)) };
      }
      const s = performance.now();
      m.computeMask(bits);
      maskUs.push((performance.now() - s) * 1000);
      return { mask: bits, eosAllowed: m.isAccepting() && (suffixIds === undefined || suffixFits(m, suffixIds)) };
    };
    const gen = await model.generate(req.prompt, {
      maxTokens: req.maxTokens, seed: req.seed, temperature: req.temperature, topP: req.topP, signal: req.signal, step,
    });
    advance(gen.tokens);
    if (req.onText) {
      const rest = decoder.decode();
      if (rest) req.onText(rest);
    }
    const text = tok.decode(seen);
    const whole = rangeOnly ? text : `${req.ir.prefix ?? ''}${text}${req.ir.suffix ?? ''}`;
    const grammarAccepted = cg.check(whole).accepted;
    const mask = summarize(maskUs);
    const sampled = gen.modelMsPerToken.length;
    const sum = (xs: number[]): number => xs.reduce((a, b) => a + b, 0);
    const maskMs = sum(maskUs) / 1000;
    return {
      text,
      stop: gen.stop,
      grammarAccepted,
      truncated: !grammarAccepted && gen.stop === 'max_tokens',
      stats: {
        tokens: seen.length,
        forced,
        sampled,
        maskUs: { p50: mask.p50, p99: mask.p99, max: mask.max, n: mask.n },
        modelMsPerToken: sampled ? sum(gen.modelMsPerToken) / sampled : 0,
        anankeMsPerToken: sampled ? (maskMs + sum(gen.biasMsPerToken)) / sampled : 0,
        grammarCompileMs,
        grammarCache: this.grammars.stats(),
        totalMs: performance.now() - t0,
      },
    };
  }
}

/** Whether the fixed suffix can follow what the matcher has read, to a complete sentence. */
function suffixFits(m: Matcher, suffix: readonly number[]): boolean {
  const c = m.clone();
  for (const id of suffix) if (!c.consume(id)) return false;
  return c.isAccepting();
}
