/**
 * A server's text made into Maze's answer, the same way for every server backend:
 *
 * 1. Stop strings: a server that honours `stop` cuts the text itself (vLLM and `ananke serve` say
 *    which string in `stop_reason`); the text is scanned again all the same, so a server that
 *    ignored the field is cut here, and stop is `stop_string` either way.
 * 2. The engine's re-check (recheck.ts): the verdict Maze reports, never the server's word.
 * 3. Completing within the budget (docs/maze-servers.md, "Cut off by max_tokens"): a text the server
 *    cut off (finish_reason `length`) that the grammar does not accept is read by a matcher, and the
 *    grammar's shortest completion appended when it is at most `maxBytes` — what the local backend's
 *    budget steering does before the budget runs out (budget-steering.ts), done after the fact. The
 *    whole is checked again; stop is then `forced_end`, and the report says what was appended.
 *    `reserveTokens` asks the server for that many tokens fewer than `maxTokens`, so that the
 *    completion fits in the budget (a completion of B bytes is at most B tokens of any vocabulary).
 */
import type { StopReason } from '../model.ts';
import type { GenerateRequest } from '../orchestrator.ts';
import { StopScanner } from '../stop-strings.ts';
import type { GrammarRecheck, Recheck } from './recheck.ts';

export interface LocalCompletionOptions {
  /** The longest completion appended, in bytes (default 128; 0 turns completing off). */
  maxBytes?: number;
  /** Tokens asked of the server fewer than max_tokens, kept for the completion (default 0). */
  reserveTokens?: number;
}

export const DEFAULT_LOCAL_COMPLETION: Required<LocalCompletionOptions> = { maxBytes: 128, reserveTokens: 0 };

export function localCompletionOptions(o: LocalCompletionOptions | undefined): Required<LocalCompletionOptions> {
  const r = { ...DEFAULT_LOCAL_COMPLETION, ...o };
  for (const [k, v] of Object.entries(r)) {
    if (!(Number.isInteger(v) && v >= 0)) throw new RangeError(`local completion: ${k} must be an integer ≥ 0, not ${v}`);
  }
  return r;
}

/** max_tokens as sent to the server: the budget less the reserve, at least 1. */
export function maxTokensSent(maxTokens: number, c: Required<LocalCompletionOptions>): number {
  return c.maxBytes > 0 ? Math.max(1, maxTokens - c.reserveTokens) : maxTokens;
}

export interface SettledText {
  text: string;
  stop: StopReason;
  stopString?: string;
  /** What was appended to complete a cut-off text, its size in bytes, and the time to find it. */
  localCompletion?: { text: string; bytes: number; ms: number };
  check: Recheck;
}

export async function settleRemoteText(
  req: GenerateRequest,
  raw: { text: string; stop: StopReason; stopReason?: string },
  recheck: GrammarRecheck,
  completion: Required<LocalCompletionOptions>,
): Promise<SettledText> {
  let text = raw.text;
  let stop = raw.stop;
  let stopString: string | undefined;
  if (req.stop !== undefined && req.stop.length > 0) {
    const scan = new StopScanner(req.stop);
    scan.push(text);
    if (scan.hit) {
      text = scan.result;
      stop = 'stop_string';
      stopString = scan.hit.stop;
    } else if (raw.stopReason !== undefined && req.stop.includes(raw.stopReason)) {
      stop = 'stop_string';
      stopString = raw.stopReason;
    }
  }
  let check = await recheck.check(req.ir, text);
  let localCompletion: SettledText['localCompletion'];
  if (!check.result.accepted && stop === 'max_tokens' && completion.maxBytes > 0) {
    const c = await recheck.complete(req.ir, text, completion.maxBytes);
    if (c !== null) {
      text += c.text;
      stop = 'forced_end';
      localCompletion = c;
      const again = await recheck.check(req.ir, text);
      check = { result: again.result, compileMs: check.compileMs + again.compileMs, checkMs: check.checkMs + again.checkMs };
    }
  }
  return { text, stop, ...(stopString !== undefined ? { stopString } : {}), ...(localCompletion ? { localCompletion } : {}), check };
}
