import assert from 'node:assert/strict';

/** Polls `get()` (a child's output so far) every 50 ms until `re` matches it; fails after `ms`. */
export async function waitFor(get: () => string, re: RegExp, ms = 60_000): Promise<RegExpExecArray> {
  const t0 = Date.now();
  for (;;) {
    const m = re.exec(get());
    if (m) return m;
    if (Date.now() - t0 > ms) assert.fail(`no ${re} in: ${get()}`);
    await new Promise((r) => setTimeout(r, 50));
  }
}
