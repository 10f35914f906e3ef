// Ananke grammar warm-up text: original code, not part of the build.

import { describe, it, beforeEach, mock } from "node:test";
import assert from "node:assert/strict";
import { LruCache, chunk, groupBy, isDefined } from "./collections.js";
import { OrderMachine, OrderState, Priority, TransitionError } from "./state-machine.js";
import { parseArgs, UsageError } from "./cli-args.js";

describe("LruCache", () => {
  let clock = 0;
  let cache: LruCache<string, number>;

  beforeEach(() => {
    clock = 1_000;
    cache = new LruCache<string, number>(2, 50, () => clock);
  });

  it("evicts the least recently used entry", () => {
    cache.set("a", 1).set("b", 2);
    assert.equal(cache.get("a"), 1);
    cache.set("c", 3);
    assert.deepEqual([...cache].map(([key]) => key), ["a", "c"]);
  });

  it("expires entries after the ttl", () => {
    cache.set("x", 42);
    clock += 51;
    assert.equal(cache.get("x"), undefined);
    assert.equal(cache.misses, 1);
  });
});

describe("helpers", () => {
  it("chunks and groups", () => {
    assert.deepEqual(chunk([1, 2, 3, 4, 5], 2), [[1, 2], [3, 4], [5]]);
    assert.throws(() => chunk([], 0), RangeError);
    const grouped = groupBy(["apple", "avocado", "banana"], (word) => word[0]!);
    assert.deepEqual(Object.keys(grouped).sort(), ["a", "b"]);
    assert.deepEqual([0, null, "", undefined].filter(isDefined), [0, ""]);
  });
});

describe("OrderMachine", () => {
  const fresh = () =>
    new OrderMachine({ id: "o-17", totalCents: 2500, paidCents: 0, priority: Priority.High, notes: [] });

  it("walks the happy path and notifies subscribers", () => {
    const machine = fresh();
    const listener = mock.fn();
    machine.subscribe(listener);
    machine.send({ type: "submit", at: new Date(Date.UTC(2024, 0, 31)) });
    machine.send({ type: "pay", amountCents: 2500, reference: "PAY-1" });
    machine.send({ type: "ship", carrier: "parcelco" });
    assert.equal(machine.state, OrderState.Shipped);
    assert.equal(machine.context.trackingId, "PAR-o-17");
    assert.equal(listener.mock.callCount(), 3);
  });

  it("rejects events that are not allowed", () => {
    const machine = fresh();
    assert.throws(() => machine.send({ type: "deliver" }), (error: unknown) => {
      return error instanceof TransitionError && error.from === OrderState.Draft;
    });
  });
});

describe("parseArgs", () => {
  const spec = {
    force: { type: "boolean", alias: "f", description: "Overwrite" },
    depth: { type: "number", alias: "d", description: "Depth", default: 1 },
    name: { type: "string", description: "Name", required: true },
  } as const;

  it("parses long, short and positional arguments", async () => {
    const result = parseArgs(spec, ["-fd", "3", "--name=demo", "in.txt", "--", "--raw"]);
    assert.equal(result.options.force, true);
    assert.equal(result.options.depth, 3);
    assert.deepEqual(result.positionals, ["in.txt"]);
    assert.deepEqual(result.rest, ["--raw"]);
    await assert.rejects(async () => parseArgs(spec, ["--depth", "x"]), UsageError);
  });
});
