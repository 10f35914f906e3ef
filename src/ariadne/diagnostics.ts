/**
 * Ariadne's diagnostics: every problem found in a `.ariadne` file, with its file, line and column,
 * collected (never thrown) so that one run reports them all, up to a limit.
 */

export type DiagnosticSeverity = 'error' | 'warning';

/** Where a piece of source text starts (all 1-based except `offset`) and how long it is on its line. */
export interface Span {
  /** UTF-16 offset into the file's text. */
  offset: number;
  line: number;
  /** 1-based, counted in UTF-16 code units (a tab is one column). */
  column: number;
  /** Characters to underline; at least 1, never past the end of the line. */
  length: number;
}

export interface Diagnostic {
  severity: DiagnosticSeverity;
  /** The file as the user named it (relative to the working directory where possible). */
  file: string;
  line: number;
  column: number;
  length: number;
  message: string;
}

/** A collector shared by everything that reads one set of files; stops storing at `max`. */
export class DiagnosticSink {
  readonly list: Diagnostic[] = [];
  /** Problems found after the limit was reached: counted, not stored. */
  suppressed = 0;
  private errorCount = 0;

  constructor(readonly max: number) {}

  add(severity: DiagnosticSeverity, file: string, at: Span, message: string): void {
    if (severity === 'error') this.errorCount++;
    if (this.list.length >= this.max) {
      this.suppressed++;
      return;
    }
    this.list.push({ severity, file, line: at.line, column: at.column, length: Math.max(1, at.length), message });
  }

  /** Errors found so far, stored or not. */
  get errors(): number {
    return this.errorCount;
  }
}

/** The source line a diagnostic points at, without its line break. */
export function sourceLine(text: string, line: number): string | undefined {
  let start = 0;
  for (let l = 1; l < line; l++) {
    const nl = text.indexOf('\n', start);
    if (nl < 0) return undefined;
    start = nl + 1;
  }
  let end = text.indexOf('\n', start);
  if (end < 0) end = text.length;
  return text.slice(start, end).replace(/\r$/, '');
}

/** Longest source line echoed under a diagnostic; longer lines are cut around the column. */
const MAX_ECHO = 160;

/**
 * `file:line:col: error: message`, then the source line and a caret (with `~` under the rest of
 * the token) below the column. Without the file's text, only the first line.
 */
export function formatDiagnostic(d: Diagnostic, text?: string): string {
  const head = `${d.file}:${d.line}:${d.column}: ${d.severity}: ${d.message}`;
  const src = text === undefined ? undefined : sourceLine(text, d.line);
  if (src === undefined) return head;
  let line = src;
  let col = d.column - 1;
  if (line.length > MAX_ECHO) {
    const from = Math.max(0, Math.min(col - MAX_ECHO / 2, line.length - MAX_ECHO));
    line = (from > 0 ? '…' : '') + line.slice(from, from + MAX_ECHO);
    col = col - from + (from > 0 ? 1 : 0);
  }
  col = Math.max(0, Math.min(col, line.length));
  // Keep tabs where the line has them so the caret lines up in any tab width.
  const pad = line.slice(0, col).replace(/[^\t]/g, ' ');
  const width = Math.max(1, Math.min(d.length, line.length - col));
  const gutter = String(d.line);
  return `${head}\n ${gutter} | ${line}\n ${' '.repeat(gutter.length)} | ${pad}^${'~'.repeat(width - 1)}`;
}

/** Edit distance, for "did you mean" suggestions (short words only). */
function distance(a: string, b: string): number {
  const prev = Array.from({ length: b.length + 1 }, (_, i) => i);
  for (let i = 1; i <= a.length; i++) {
    let diag = prev[0]!;
    prev[0] = i;
    for (let j = 1; j <= b.length; j++) {
      const tmp = prev[j]!;
      prev[j] = Math.min(prev[j]! + 1, prev[j - 1]! + 1, diag + (a[i - 1] === b[j - 1] ? 0 : 1));
      diag = tmp;
    }
  }
  return prev[b.length]!;
}

/** The known word closest to `word`, when it is close enough to be a likely typo. */
export function closest(word: string, known: readonly string[]): string | undefined {
  let best: string | undefined;
  let bestD = Infinity;
  const w = word.toLowerCase();
  for (const k of known) {
    const d = distance(w, k.toLowerCase());
    if (d < bestD) {
      bestD = d;
      best = k;
    }
  }
  const allowed = word.length <= 4 ? 1 : 2;
  return bestD <= allowed ? best : undefined;
}
