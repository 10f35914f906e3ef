/**
 * The size of V8's helper pool this process was started with (Node's `--v8-pool-size`, in its
 * flags or NODE_OPTIONS), or undefined when it has Node's default: benchmarks report it beside
 * their figures (src/cli/v8-pool.ts says why it matters).
 */
export function startedPoolSize(execArgv: readonly string[] = process.execArgv, nodeOptions: string = process.env['NODE_OPTIONS'] ?? ''): number | undefined {
  let size: number | undefined;
  const flags = [...nodeOptions.split(/\s+/), ...execArgv];
  for (let i = 0; i < flags.length; i++) {
    const m = /^--v8-pool-size(?:=(\d+))?$/.exec(flags[i]!);
    if (m) size = Number(m[1] ?? flags[++i]);
  }
  return size !== undefined && Number.isInteger(size) ? size : undefined;
}
