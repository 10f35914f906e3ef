/**
 * Stop strings (OpenAI's `stop`, `ananke generate --stop`): the generation ends at the first
 * occurrence of any of them in the generated text, and the text is cut before it (the stop string
 * is not returned), as OpenAI and vLLM do.
 *
 * The scanner reads the text as it is decoded and says what may be shown now: text that could still
 * turn out to be the start of a stop string is held back until the next piece decides it, so a
 * stream never sends text that the final answer does not contain.
 *
 * A stop string is honoured wherever it appears, the grammar's state notwithstanding: the text
 * before it is then checked afresh like any other, and a constrained output cut before the grammar
 * could end is reported as such (`stop: "stop_string"`, `grammarAccepted: false`), never passed off
 * as complete (docs/maze.md, "Sampling and stop strings").
 */
import { AnankeError } from '../core/index.ts';

export interface StopHit {
  /** Where the stop string starts in the generated text (UTF-16 offset). */
  index: number;
  stop: string;
}

/** Checks a list of stop strings: each non-empty. Duplicates are harmless. */
export function checkStops(stops: readonly string[]): void {
  for (const s of stops) {
    if (typeof s !== 'string' || s === '') throw new AnankeError('USAGE', 'a stop string must be a non-empty string');
  }
}

export class StopScanner {
  /** All text decoded so far. */
  text = '';
  hit: StopHit | null = null;
  private emitted = 0;
  private scanned = 0;
  private readonly maxLen: number;

  constructor(private readonly stops: readonly string[]) {
    checkStops(stops);
    this.maxLen = Math.max(0, ...stops.map((s) => s.length));
  }

  /** The generated text as returned: cut before the stop string when one appeared. */
  get result(): string {
    return this.hit ? this.text.slice(0, this.hit.index) : this.text;
  }

  /** Appends decoded text; returns the text that may be shown now ('' when none). */
  push(chunk: string): string {
    if (this.hit || chunk === '') return '';
    this.text += chunk;
    // An occurrence ending in the new text starts at most maxLen − 1 characters before it.
    const from = Math.max(0, this.scanned - this.maxLen + 1);
    let best = -1;
    let which = '';
    for (const s of this.stops) {
      const i = this.text.indexOf(s, from);
      if (i >= 0 && (best < 0 || i < best)) { best = i; which = s; }
    }
    this.scanned = this.text.length;
    if (best >= 0) {
      this.hit = { index: best, stop: which };
      return this.take(best);
    }
    return this.take(this.text.length - this.heldBack());
  }

  /** The end of the generation: whatever was held back, unless a stop string cut it. */
  end(): string {
    return this.hit ? '' : this.take(this.text.length);
  }

  /** The longest end of the text that is a proper beginning of a stop string (it may yet complete one). */
  private heldBack(): number {
    const t = this.text;
    for (let k = Math.min(this.maxLen - 1, t.length - this.emitted); k > 0; k--) {
      const tail = t.slice(t.length - k);
      if (this.stops.some((s) => s.length > k && s.startsWith(tail))) return k;
    }
    return 0;
  }

  private take(upTo: number): string {
    if (upTo <= this.emitted) return '';
    const out = this.text.slice(this.emitted, upTo);
    this.emitted = upTo;
    return out;
  }
}
