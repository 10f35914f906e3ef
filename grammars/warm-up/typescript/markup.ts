// Ananke grammar warm-up text: original code, not part of the build.

import { createHash } from "node:crypto";
import type { TaskResult } from "./scheduler.js";

export { default as Scheduler, parseCron, type TaskKind } from "./scheduler.js";
export * as events from "./events.js";
export type { Listener } from "./events.js";

declare global {
  interface Array<T> {
    at(index: number): T | undefined;
  }
}

declare const BUILD_STAMP: string | undefined;

export const Severity = { info: 10, warn: 20, error: 30 } as const;
export type Severity = keyof typeof Severity;

const ENTITIES = { "&": "&amp;", "<": "&lt;", ">": "&gt;", '"': "&quot;", "'": "&#39;" } satisfies Record<
  string,
  string
>;

export function escape(text: string): string {
  return text.replace(/[&<>"']/g, (ch) => ENTITIES[ch as keyof typeof ENTITIES]);
}

export class Safe {
  constructor(readonly html: string) {}
  toString(): string {
    return this.html;
  }
}

export function html(strings: TemplateStringsArray, ...values: unknown[]): Safe {
  let out = strings[0]!;
  values.forEach((value, i) => {
    const piece = Array.isArray(value)
      ? value.map((v) => (v instanceof Safe ? v.html : escape(String(v)))).join("")
      : value instanceof Safe
        ? value.html
        : escape(String(value ?? ""));
    out += piece + strings[i + 1];
  });
  return new Safe(out);
}

export namespace Markup {
  export type Attrs = Record<string, string | number | boolean | undefined>;
  const VOID = new Set(["br", "hr", "img", "input", "meta"]);

  export function attrs(map: Attrs): string {
    return Object.entries(map)
      .filter(([, v]) => v !== undefined && v !== false)
      .map(([k, v]) => (v === true ? ` ${k}` : ` ${k}="${escape(`${v}`)}"`))
      .join("");
  }

  export function el(tag: string, props: Attrs = {}, ...children: (Safe | string)[]): Safe {
    if (!/^[a-z][a-z0-9-]*$/i.test(tag)) throw new TypeError(`bad tag ${tag}`);
    if (VOID.has(tag.toLowerCase())) return new Safe(`<${tag}${attrs(props)}>`);
    return html`<${new Safe(tag)}${new Safe(attrs(props))}>${children}</${new Safe(tag)}>`;
  }

  export namespace Table {
    export function render<Row extends object, Col extends keyof Row & string = keyof Row & string>(
      rows: readonly Row[],
      columns: readonly Col[],
      format: { [C in Col]?: (value: Row[C], row: Row) => string } = {},
    ): Safe {
      const head = columns.map((c) => el("th", { scope: "col" }, c));
      const body = rows.map((row, r) =>
        el(
          "tr",
          { class: r % 2 ? "odd" : "even" },
          ...columns.map((c) => el("td", {}, format[c]?.(row[c], row) ?? String(row[c] ?? "—"))),
        ),
      );
      return el("table", {}, el("thead", {}, el("tr", {}, ...head)), el("tbody", {}, ...body));
    }
  }
}

type Counter = { [K in Severity as `${K}Count`]: number };

export function summarize(results: readonly TaskResult[]) {
  const key = (ok: boolean): Severity => (ok ? "info" : "error");
  const counts = results.reduce<Counter>(
    (acc, r) => ({ ...acc, [`${key(r.ok)}Count`]: acc[`${key(r.ok)}Count`] + 1 }),
    { infoCount: 0, warnCount: 0, errorCount: 0 },
  );
  const slowest = [...results].sort((a, b) => b.ms - a.ms)[0];
  return {
    ...counts,
    slowest: slowest?.id ?? null,
    [Symbol.toStringTag]: "Summary",
    describe() {
      const tail = slowest ? `, slowest ${slowest.id} (${slowest.ms}ms)` : "";
      return `${this.infoCount} ok, ${this.errorCount} failed${tail}`;
    },
    get healthy(): boolean {
      return this.errorCount === 0;
    },
  };
}

export function fingerprint(results: readonly TaskResult[], salt = BUILD_STAMP ?? "dev"): string {
  const hash = createHash("sha256").update(salt);
  outer: for (const r of results) {
    for (const part of [r.id, r.ok ? "1" : "0", r.error]) {
      if (part === undefined) continue outer;
      hash.update(part.replace(/\s+/g, " "));
    }
  }
  return hash.digest("hex").slice(0, 12);
}

export function report(results: readonly TaskResult[], title = "Run report"): string {
  const summary = summarize(results);
  const rows = results.map(({ id, ok, ms, error }) => ({ id, status: ok ? "ok" : "failed", ms, error: error ?? "" }));
  const table = Markup.Table.render(rows, ["id", "status", "ms", "error"] as const, {
    ms: (v) => `${v.toFixed(0)} ms`,
    error: (v, row) => (row.status === "ok" ? "" : v.split(/\r?\n/)[0]!.slice(0, 80)),
  });
  const page = Markup.el(
    "section",
    { id: `report-${fingerprint(results)}`, "data-healthy": summary.healthy },
    Markup.el("h2", {}, `${title} — ${summary.describe()}`),
    table,
  );
  return page.toString();
}

const sample: TaskResult[] = [
  { id: "warm-cache", ok: true, ms: 41 },
  { id: "sync<files>", ok: false, ms: 180, error: "EACCES: permission denied\nat open()" },
];

if (process.argv[1]?.endsWith("markup.js")) {
  console.log(report(sample));
}
