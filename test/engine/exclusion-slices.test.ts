/**
 * Slices of the plain tokens that avoid a few characters (trie/string-slices.ts `excluding`,
 * matcher/slice-use.ts `exclusionsAt`, matcher/mask.ts `excludedUse`): inside `[^/]+/[^/]+` or near
 * the word limit of `(\S+\s+){0,3}\S+`, plain strings leave the lexeme within a few characters, so no
 * plain slice is proven and a first mask walked most of the trie; the tokens that avoid `/` (or
 * spaces and every non-ASCII character) are taken whole instead. Checked: each family against a
 * brute-force computation over Llama-3's vocabulary, and masks against the same grammar with
 * exclusions off at every token of documents that cross into the excluded characters.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import type { CompiledGrammar } from '../../src/engine/matcher/compiled.ts';
import { setExclusionSlices } from '../../src/engine/matcher/mask.ts';
import { compileJsonSchema } from '../../src/engine/schema/index.ts';
import { Exclusion, NOT_PLAIN, PLAIN_CHAR, setExclusionCuts, StringSlices, stringSlices, UNBOUNDED } from '../../src/engine/trie/string-slices.ts';
import { ExclusionCuts } from '../../src/engine/trie/exclusion-cuts.ts';
import { subtreeMaxima } from '../../src/engine/trie/slice-set.ts';
import { tokenTrie } from '../../src/engine/trie/token-trie.ts';
import { hasBit, llama3, settingKeepsMasks } from './matcher-helpers.ts';

const tok = llama3();
const slices = stringSlices(tok);
const trie = tokenTrie(tok);

function plainChar(cp: number): boolean {
  return PLAIN_CHAR.kind === 'chars' && PLAIN_CHAR.ranges.some(([lo, hi]) => cp >= lo && cp <= hi);
}

/**
 * By brute force: each token's plain length when it holds no byte of `x` (the plain lengths
 * themselves are checked in string-slices.test.ts), and per node whose byte is a control byte, the
 * characters before it when they are whole plain characters avoiding `x` (else NOT_PLAIN).
 */
function bruteForce(x: Exclusion): { plain: Uint8Array; ctrlRoot: Uint8Array } {
  const plain = new Uint8Array(tok.vocabSize).fill(NOT_PLAIN);
  for (let t = 0; t < tok.vocabSize; t++) if (!tok.tokenBytes(t).some((b) => x.bytes[b] === 1)) plain[t] = slices.plainLength[t]!;
  const ctrlRoot = new Uint8Array(trie.nodeCount).fill(NOT_PLAIN);
  const path: number[] = [];
  const dec = new TextDecoder('utf-8', { fatal: true, ignoreBOM: true });
  for (let i = 1; i < trie.nodeCount; i++) {
    path.length = trie.depth[i]! - 1;
    if (trie.byte[i]! < 0x20 && !path.some((b) => x.bytes[b] === 1)) {
      let text: string | null;
      try {
        text = dec.decode(Uint8Array.from(path));
      } catch {
        text = null;
      }
      if (text !== null && [...text].every((ch) => plainChar(ch.codePointAt(0)!))) ctrlRoot[i] = Math.min([...text].length, UNBOUNDED);
    }
    path.push(trie.byte[i]!);
  }
  return { plain, ctrlRoot };
}

// Each exclusion twice: cut from the trie (ExclusionCuts, the default) and walked; `e` and the
// digits have too many cuts (15k), so the default walks them too.
const walked = (() => {
  setExclusionCuts(false);
  try {
    return new StringSlices(tok);
  } finally {
    setExclusionCuts(true);
  }
})();
for (const [name, ascii, nonAscii] of [
  ['`/`', [0x2f], false],
  ['`/`, `+`, `#`', [0x2f, 0x2b, 0x23], false],
  ['space and every non-ASCII character', [0x20], true],
  ['`e` and the digits', [0x65, 0x30, 0x31, 0x32, 0x33, 0x34, 0x35, 0x36, 0x37, 0x38, 0x39], false],
] as const) {
  for (const [how, from] of [['cut', slices], ['walked', walked]] as const) {
    test(`exclusion slices (${how}): ${name}, every node and token against brute force`, () => {
      const x = new Exclusion([...ascii], nonAscii);
      if (how === 'walked') setExclusionCuts(false);
      let set;
      try {
        set = from.excluding(x);
      } finally {
        setExclusionCuts(true);
      }
      assert.equal(from.excluding(new Exclusion([...ascii].reverse(), nonAscii)), set, 'one family per exclusion');
      const ref = bruteForce(x);
      const max = subtreeMaxima(trie, ref.plain, null);
      const maxCtrl = subtreeMaxima(trie, ref.plain, ref.ctrlRoot);
      for (let i = 1; i < trie.nodeCount; i++) {
        if (set.subtreeMax[i] !== max[i]) assert.fail(`subtreeMax at node ${i}: ${set.subtreeMax[i]} vs ${max[i]}`);
        if (set.subtreeMaxCtrl[i] !== maxCtrl[i]) assert.fail(`subtreeMaxCtrl at node ${i}: ${set.subtreeMaxCtrl[i]} vs ${maxCtrl[i]}`);
      }
      for (const k of [8, 31, UNBOUNDED]) {
        const bits = set.tokens(k);
        for (let t = 0; t < tok.vocabSize; t++) if (hasBit(bits, t) !== ref.plain[t]! <= k) assert.fail(`token ${t} ${JSON.stringify(tok.decode([t]))} in slice ${k}: ${hasBit(bits, t)}`);
      }
      // The family is a subset of the plain one, and strictly smaller.
      const all = slices.tokens(UNBOUNDED);
      const some = set.tokens(UNBOUNDED);
      assert.ok(some.every((w, k) => (w & ~all[k]!) === 0));
      assert.ok(some.some((w, k) => w !== all[k]));
    });
  }
}

test('exclusion cuts: `/` is cut from a few hundred nodes, a letter from far more', () => {
  const cuts = new ExclusionCuts(trie, slices.next, slices.start);
  const slash = cuts.first[0x2f - 0x20]!;
  assert.ok(slash.length > 100 && cuts.work[0x2f - 0x20]! < trie.nodeCount / 10, `${slash.length} cuts, ${cuts.work[0x2f - 0x20]} nodes`);
  for (let j = 0; j < slash.length; j++) {
    // Each is a `/` on a plain path with no `/` above it.
    const i = slash[j]!;
    assert.equal(trie.byte[i], 0x2f);
    for (let p = cuts.parent[i]!; p !== 0; p = cuts.parent[p]!) assert.notEqual(trie.byte[p], 0x2f);
  }
  const e = cuts.first[0x65 - 0x20]!;
  assert.ok(e.length > 10_000 && cuts.work[0x65 - 0x20]! > trie.nodeCount / 4, `${e.length} cuts, ${cuts.work[0x65 - 0x20]} nodes`);
});

test('exclusion slices: an exclusion of one letter and one of every non-ASCII character are two families', () => {
  const letter = new Exclusion([0x75], false);
  const nonAscii = new Exclusion([], true);
  assert.notEqual(letter.key, nonAscii.key);
  const u = slices.excluding(letter).tokens(UNBOUNDED);
  const wide = slices.excluding(nonAscii).tokens(UNBOUNDED);
  const idOf = (text: string): number => {
    const ids = tok.encode(text);
    assert.equal(ids.length, 1, text);
    return ids[0]!;
  };
  assert.equal(hasBit(u, idOf('use')), false);
  assert.equal(hasBit(wide, idOf('use')), true);
  assert.equal(hasBit(u, idOf('é')), true);
  assert.equal(hasBit(wide, idOf('é')), false);
});

/** Masks with exclusion slices equal masks without them at every token of every text. */
function exclusionsEqualWalks(schema: unknown, texts: readonly string[]): { on: CompiledGrammar; off: CompiledGrammar } {
  const sides = settingKeepsMasks(compileJsonSchema(schema), tok, texts, setExclusionSlices);
  assert.equal(sides.off.stats().excludedPlans, 0);
  return sides;
}

test('exclusion slices: a path pattern `[^/]+/[^/]+` takes the tokens without `/` whole, masks unchanged', () => {
  const schema = { type: 'object', properties: { cell: { type: 'string', pattern: '^[^/+#]+/[^/+#]+$', minLength: 3 } }, required: ['cell'], additionalProperties: false };
  const { on, off } = exclusionsEqualWalks(schema, ['{"cell": "temperature/control"}', '{"cell": "a b/c d"}', '{"cell": "wb-msw-v3_21/Temperature é"}']);
  assert.ok(on.stats().excludedPlans >= 2, 'both parts of the pattern take an exclusion slice');
  assert.ok(on.stats().walkedNodes * 4 < off.stats().walkedNodes, `walks: ${on.stats().walkedNodes} vs ${off.stats().walkedNodes} nodes`);
});

test('exclusion slices: near the word limit of `(\\S+\\s+){0,3}\\S+`, spaces and non-ASCII characters excluded', () => {
  const schema = { type: 'string', pattern: '^(\\S+\\s+){0,3}\\S+$' };
  const { on } = exclusionsEqualWalks(schema, ['"one two three four"', '"a  b\u00a0c d"', '"naïve café au lait"']);
  assert.ok(on.stats().excludedPlans > 0, 'some plan takes an exclusion slice');
});

test('exclusion slices: a positive class `[a-z0-9_.-]+` and a bounded one', () => {
  exclusionsEqualWalks({ type: 'string', pattern: '^[a-zA-Z0-9_\\-./]+$' }, ['"src/engine/mask.ts"', '"a-b_c.d"']);
  const { on } = exclusionsEqualWalks({ type: 'string', pattern: '^[^/ ]+$', maxLength: 20 }, ['"abcdefghijklmnopqrs"', '"x"']);
  assert.ok(on.stats().excludedPlans > 0);
});

test('exclusion slices: only only `:` is excluded where hex digits lead apart but stay inside', () => {
  // After the opening quote, a hex digit may start the 32 of the second branch, another letter may
  // not: they lead to different states, yet every string without `:` stays inside the first. The
  // exclusion of the characters that lead apart (the hex digits and `:`) keeps few tokens, and its
  // walk visited most of the trie; the one of `:` alone takes nearly all of them whole.
  const schema = { type: 'object', properties: { hash: { type: 'string', pattern: '^([^:]+:[a-fA-F0-9]+|[a-fA-F0-9]{32}|)$' } }, required: ['hash'] };
  const texts = ['{"hash": "md5:0123456789abcdef"}', '{"hash": "0123456789abcdef0123456789abcdef"}', '{"hash": ""}', '{"hash": "sha-256 ü:ff"}'];
  const { on, off } = exclusionsEqualWalks(schema, texts);
  assert.ok(on.stats().excludedPlans > 0);
  assert.ok(on.stats().walkedNodes * 4 < off.stats().walkedNodes, `walks: ${on.stats().walkedNodes} vs ${off.stats().walkedNodes} nodes`);
});
