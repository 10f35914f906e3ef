/**
 * A Python file's indentation steps: how far each block opens past the line that opens it. Counted
 * per file as style signals (`indent.spaces4`, `indent.tab`, …) and summed over a codebase, they give
 * the unit a server's grammar expands indentation in (ConstraintIR.indent).
 */

/**
 * Per step, how many blocks open by it: the growth of indentation from a line ending in `:` to the
 * next non-blank line, when it is a tab or a run of spaces.
 */
export function indentSteps(source: string): Map<string, number> {
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
  return votes;
}

/** The style signal a step is counted under. */
export function indentSignal(step: string): string {
  return step === '\t' ? 'indent.tab' : `indent.spaces${step.length}`;
}

/** The step most blocks open by (ties: the first counted); undefined when none. */
export function mostUsedStep(steps: ReadonlyMap<string, number>): string | undefined {
  let best: string | undefined;
  let most = 0;
  for (const [step, n] of steps) {
    if (n > most) {
      best = step;
      most = n;
    }
  }
  return best;
}

/** The same from summed signals (`indent.spaces4`, `indent.tab`; other keys are not steps). */
export function indentOfSignals(signals: Readonly<Record<string, number>>): string | undefined {
  const steps = new Map<string, number>();
  for (const [key, n] of Object.entries(signals)) {
    const m = /^indent\.(?:(tab)|spaces(\d+))$/.exec(key);
    if (m !== null) steps.set(m[1] !== undefined ? '\t' : ' '.repeat(Number(m[2])), n);
  }
  return mostUsedStep(steps);
}
