/**
 * Completing within the budget (docs/maze.md, "Within the budget"): as `max_tokens` runs out, Maze
 * appends the grammar's shortest completion from where the model is (Matcher.shortestCompletion)
 * instead of letting the budget cut the text off mid-construct.
 *
 * Before a step, with L tokens left and a completion of C tokens: when L − C ≤ STEER_MARGIN the
 * completion is forced and the generation ends. The margin is room for one more sampled token: a
 * token can open constructs (`(`, `{`, a keyword that needs a body), and the completion after it
 * is then longer; a token that made it outgrow what is left would leave the text cut off.
 *
 * Cost: a completion is computed only when it may be near. After a check with slack S = L − C,
 * the next one comes ⌊(S − STEER_WINDOW) / (ASSUMED_GROWTH + 1)⌋ tokens later (at least 1): while
 * the completion grows by at most ASSUMED_GROWTH tokens per token, the slack cannot fall below
 * STEER_WINDOW before then. So a long generation checks a few times far from the end (the
 * intervals shrink geometrically) and every step only in the last STEER_WINDOW tokens of slack.
 */
import { EngineError, type Completion, type Matcher } from '../engine/index.ts';

/**
 * Slack (tokens left beyond the completion) at which the completion is forced. With the test model
 * on TypeScript, Python, Go, Rust and JSON targets one sampled token made the completion longer by
 * at most 2 tokens (3,395 steps, docs/maze.md); 4 leaves room for the larger openers a real model
 * writes (`def` needs a name, parentheses, a colon and a body).
 */
export const STEER_MARGIN = 4;
/** Slack under which a completion is computed before every step. */
export const STEER_WINDOW = 12;
/** Completion growth per sampled token assumed when spacing the checks far from the end. */
export const ASSUMED_GROWTH = 3;

export interface SteeringStats {
  /** Completions computed, and their time (ms): total and the longest. */
  checks: number;
  totalMs: number;
  maxMs: number;
}

export class BudgetSteering {
  readonly stats: SteeringStats = { checks: 0, totalMs: 0, maxMs: 0 };
  /** Generated-token count at which the next completion is computed. */
  private nextCheck = 0;

  constructor(
    private readonly matcher: Matcher,
    private readonly maxTokens: number,
    /** fim: the fixed text after the range, which must still fit after the completion. */
    private readonly suffix: string | undefined,
  ) {}

  /**
   * The tokens to append now (the completion; then the generation ends), or null to sample on.
   * `generated`: tokens produced so far (forced ones included).
   */
  decide(generated: number): number[] | null {
    if (generated < this.nextCheck) return null;
    const t0 = performance.now();
    let c: Completion | null;
    try {
      c = this.matcher.shortestCompletion(this.suffix !== undefined ? { suffix: this.suffix } : undefined);
    } catch (e) {
      // An engine limit met while looking (a row past maxItemsPerRow): no completion, as past the search's own bounds.
      if (!(e instanceof EngineError && e.code === 'LIMIT')) throw e;
      c = null;
    }
    const ms = performance.now() - t0;
    this.stats.checks++;
    this.stats.totalMs += ms;
    if (ms > this.stats.maxMs) this.stats.maxMs = ms;
    const left = this.maxTokens - generated;
    // No completion within the engine's bounds, or one longer than what is left: nothing to steer
    // to now (the model may still close what it opened); ask again after the next token.
    if (c === null || c.tokens.length > left || !this.takes(c.tokens)) {
      this.nextCheck = generated + 1;
      return null;
    }
    const slack = left - c.tokens.length;
    if (slack <= STEER_MARGIN) return c.tokens;
    this.nextCheck = generated + Math.max(1, Math.floor((slack - STEER_WINDOW) / (ASSUMED_GROWTH + 1)));
    return null;
  }

  /**
   * Whether the matcher takes every token and then accepts: checked on the matcher itself and
   * rolled back (O(1)), so a completion is never forced that the model's runtime would be refused.
   * With a suffix, acceptance is the engine's (it read the suffix after the completion's bytes).
   */
  private takes(tokens: readonly number[]): boolean {
    const m = this.matcher;
    let n = 0;
    while (n < tokens.length && m.consume(tokens[n]!)) n++;
    const ok = n === tokens.length && (this.suffix !== undefined || m.isAccepting());
    m.rollback(n);
    return ok;
  }
}
