/**
 * Where a Python function sits in its file's indentation (ConstraintIR.indent): the whitespace its
 * line starts with, and the file's indentation step. A server's grammar counts indentation in fixed
 * units from a fixed base (the portable expansion), so it must be told both to accept the body a
 * model writes at the function's real depth.
 */
export function sourceIndent(source: string, at: number): { base: string; unit: string } {
  const lineStart = source.lastIndexOf('\n', at - 1) + 1;
  return indentUnder(source, source.slice(lineStart, at));
}

/**
 * The same for a function whose line starts with `text` (a new target's signature): its leading
 * whitespace is the base; a tab there makes the unit a tab, else the file's step.
 */
export function indentUnder(source: string, text: string): { base: string; unit: string } {
  const base = /^[ \t]*/.exec(text)![0];
  return { base, unit: base.includes('\t') ? '\t' : indentUnit(source) };
}

/**
 * The file's indentation step: the most frequent growth of indentation from a line that opens a
 * block (ends with `:`) to the next non-blank line; a tab if that growth is one; four spaces when no
 * block says (PEP 8's step).
 */
export function indentUnit(source: string): string {
  const lines = source.split('\n');
  const votes = new Map<string, number>();
  for (let i = 0; i < lines.length; i++) {
    const line = lines[i]!.replace(/\r$/, '');
    if (!/:\s*$/.test(line)) continue;
    let j = i + 1;
    while (j < lines.length && lines[j]!.trim() === '') j++;
    if (j === lines.length) break;
    const own = /^[ \t]*/.exec(line)![0];
    const next = /^[ \t]*/.exec(lines[j]!)![0];
    if (next.length <= own.length || !next.startsWith(own)) continue;
    const step = next.slice(own.length);
    if (!/^(\t| +)$/.test(step)) continue;
    votes.set(step, (votes.get(step) ?? 0) + 1);
  }
  let best = '    ';
  let most = 0;
  for (const [step, n] of votes) {
    if (n > most) {
      best = step;
      most = n;
    }
  }
  return best;
}
