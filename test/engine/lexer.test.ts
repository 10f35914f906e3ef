import { test } from 'node:test';
import assert from 'node:assert/strict';
import fc from 'fast-check';
import { Lexer, compileRegexMatcher } from '../../src/engine/lexer/index.ts';
import { parseRegex } from '../../src/engine/regex/parse.ts';
import { EngineError } from '../../src/engine/errors.ts';
import { DEFAULT_LIMITS, withLimits } from '../../src/engine/limits.ts';
import { literal } from '../../src/engine/regex/ast.ts';
import type { Regex } from '../../src/engine/regex/ast.ts';
import { regexArbitrary } from './regex-arbitrary.ts';

const enc = new TextEncoder();
const bytes = (s: string) => enc.encode(s);

/** Walk `text` from `state`; returns the state reached. */
function walk(lx: Lexer, state: number, text: string | Uint8Array): number {
  const b = typeof text === 'string' ? bytes(text) : text;
  let s = state;
  for (const x of b) s = lx.next(s, x);
  return s;
}

// ---- random regexes in the syntax both flavors share, compared with JS ----------------------

/** Characters the random regexes and strings draw from: ASCII, 2-byte, 4-byte, newline, digit. */
const ALPHABET = ['a', 'b', 'c', 'é', '😀', '0', '\n', ' '];

const regexArb = regexArbitrary(['a', 'b', 'c', 'é', '😀', '0', '.', '[a-c]', '[^a]', '[é😀]', '\\d', '\\n', ' ', '[^\\n0]', '\\x61', '\\u{1F600}']);

const stringArb = fc.array(fc.constantFrom(...ALPHABET), { maxLength: 7 }).map((a) => a.join(''));

/** All strings over ALPHABET up to length 2, plus the random ones. */
const SMALL_STRINGS: string[] = [''];
for (const x of ALPHABET) {
  SMALL_STRINGS.push(x);
  for (const y of ALPHABET) SMALL_STRINGS.push(x + y);
}

test('whole-string matching agrees with JS RegExp (u flag) on random regexes, both flavors', () => {
  fc.assert(
    fc.property(regexArb, fc.array(stringArb, { maxLength: 30 }), (src, strings) => {
      const js = new RegExp(`^(?:${src})$`, 'u');
      const rust = compileRegexMatcher(src, 'rust');
      const ecma = compileRegexMatcher(src, 'ecma');
      for (const s of [...SMALL_STRINGS, ...strings]) {
        const want = js.test(s);
        assert.equal(rust.matches(s), want, `rust /${src}/ on ${JSON.stringify(s)}`);
        assert.equal(ecma.matches(s), want, `ecma /${src}/ on ${JSON.stringify(s)}`);
      }
    }),
    { numRuns: 150 },
  );
});

test('search mode (JSON Schema pattern) agrees with JS RegExp.test on anchored and unanchored alternatives', () => {
  const branch = fc.tuple(fc.boolean(), regexArb, fc.boolean()).map(([s, r, e]) => `${s ? '^' : ''}(?:${r})${e ? '$' : ''}`);
  fc.assert(
    fc.property(fc.array(branch, { minLength: 1, maxLength: 2 }), fc.array(stringArb, { maxLength: 15 }), (branches, strings) => {
      const src = branches.join('|');
      const js = new RegExp(src, 'u');
      const lx = new Lexer([parseRegex(src, { flavor: 'ecma', search: true })], DEFAULT_LIMITS);
      for (const s of [...SMALL_STRINGS.slice(0, 30), ...strings]) {
        assert.equal(lx.matchesLexeme(0, bytes(s)), js.test(s), `search /${src}/ on ${JSON.stringify(s)}`);
      }
    }),
    { numRuns: 80 },
  );
  const email = new Lexer([parseRegex('^[^@]+@[^@]+\\.[a-z]+$', { flavor: 'ecma', search: true })], DEFAULT_LIMITS);
  assert.ok(email.matchesLexeme(0, bytes('a@b.io')));
  assert.ok(!email.matchesLexeme(0, bytes('a@b.io ')));
  const contains = new Lexer([parseRegex('ab', { flavor: 'ecma', search: true })], DEFAULT_LIMITS);
  assert.ok(contains.matchesLexeme(0, bytes('xxabyy')));
  assert.ok(!contains.matchesLexeme(0, bytes('xxayy')));
  assert.throws(() => parseRegex('(^a|b)c', { flavor: 'ecma', search: true }), (e: unknown) => e instanceof EngineError && e.code === 'REGEX');
});

test('ecma flavor agrees with JS on \\w \\s \\D \\W \\S and dot over line terminators', () => {
  const srcs = ['\\w+', '\\s*\\S', '\\D\\W', '.+', '[\\w\\s]+', '[^\\s]+', '\\W*', 'a.\\s'];
  const alphabet = ['a', 'Z', '_', '5', 'é', ' ', '\t', '\r', '\n', '\u2028', '\u00a0', '-', '😀'];
  fc.assert(
    fc.property(fc.constantFrom(...srcs), fc.array(fc.constantFrom(...alphabet), { maxLength: 5 }), (src, chars) => {
      const s = chars.join('');
      assert.equal(compileRegexMatcher(src, 'ecma').matches(s), new RegExp(`^(?:${src})$`, 'u').test(s), `/${src}/ on ${JSON.stringify(s)}`);
    }),
    { numRuns: 400 },
  );
});

test('case-insensitive matching agrees with JS /iu', () => {
  const srcs = ['hello', '[a-f]+', 'straße', 'k', '[^x]', 'σς', '[α-ω]+', 'ǅ'];
  const alphabet = ['h', 'H', 'e', 'E', 'l', 'L', 'o', 'O', 'k', 'K', '\u212a', 'x', 'X', 's', 'S', 'ß', 'ẞ', 'σ', 'Σ', 'ς', 'α', 'Ω', 'ǅ', 'ǆ', 'Ǆ', 'a', 'F'];
  fc.assert(
    fc.property(fc.constantFrom(...srcs), fc.array(fc.constantFrom(...alphabet), { maxLength: 6 }), (src, chars) => {
      const s = chars.join('');
      assert.equal(compileRegexMatcher(`(?i)${src}`).matches(s), new RegExp(`^(?:${src})$`, 'iu').test(s), `(?i)/${src}/ on ${JSON.stringify(s)}`);
    }),
    { numRuns: 400 },
  );
});

// ---- and / not --------------------------------------------------------------------------------

function lexer1(r: Regex): Lexer {
  return new Lexer([r], DEFAULT_LIMITS);
}

test('and/not laws: a & ~b is a minus b; De Morgan; double negation (random regexes, strings and bytes)', () => {
  const byteArb = fc.uint8Array({ maxLength: 6 }).map((u) => u.map((x) => (x % 3 === 0 ? 0x61 + (x % 3) : x)));
  fc.assert(
    fc.property(regexArb, regexArb, fc.array(stringArb, { maxLength: 20 }), fc.array(byteArb, { maxLength: 10 }), (sa, sb, strings, rawBytes) => {
      const a = parseRegex(sa);
      const b = parseRegex(sb);
      const la = lexer1(a);
      const lb = lexer1(b);
      const minus = lexer1({ kind: 'and', items: [a, { kind: 'not', item: b }] });
      const notOr = lexer1({ kind: 'not', item: { kind: 'alt', items: [a, b] } });
      const andNots = lexer1({ kind: 'and', items: [{ kind: 'not', item: a }, { kind: 'not', item: b }] });
      const notAnd = lexer1({ kind: 'not', item: { kind: 'and', items: [a, b] } });
      const orNots = lexer1({ kind: 'alt', items: [{ kind: 'not', item: a }, { kind: 'not', item: b }] });
      const notNot = lexer1({ kind: 'not', item: { kind: 'not', item: a } });
      const inputs: Uint8Array[] = [...SMALL_STRINGS.slice(0, 40), ...strings].map(bytes).concat(rawBytes);
      for (const x of inputs) {
        const ma = la.matchesLexeme(0, x);
        const mb = lb.matchesLexeme(0, x);
        assert.equal(minus.matchesLexeme(0, x), ma && !mb, `/${sa}/ & ~/${sb}/`);
        assert.equal(notOr.matchesLexeme(0, x), !(ma || mb));
        assert.equal(andNots.matchesLexeme(0, x), !ma && !mb);
        assert.equal(notAnd.matchesLexeme(0, x), !(ma && mb));
        assert.equal(orNots.matchesLexeme(0, x), !ma || !mb);
        assert.equal(notNot.matchesLexeme(0, x), ma);
      }
    }),
    { numRuns: 60 },
  );
});

test('identifiers other than keywords: [a-z]+ & ~(if|else)', () => {
  const ident = parseRegex('[a-z]+');
  const kw = parseRegex('if|else');
  const lx = lexer1({ kind: 'and', items: [ident, { kind: 'not', item: kw }] });
  for (const s of ['i', 'iff', 'els', 'elsewhere', 'x']) assert.ok(lx.matchesLexeme(0, bytes(s)), s);
  for (const s of ['if', 'else', '', 'A']) assert.ok(!lx.matchesLexeme(0, bytes(s)), s);
});

test('~R alone matches invalid UTF-8; intersecting with (?s:.*) keeps it valid', () => {
  const notFoo = lexer1({ kind: 'not', item: literal('foo') });
  assert.ok(notFoo.matchesLexeme(0, Uint8Array.of(0xff)));
  assert.ok(notFoo.matchesLexeme(0, bytes('foox')));
  assert.ok(!notFoo.matchesLexeme(0, bytes('foo')));
  const valid = lexer1({ kind: 'and', items: [parseRegex('(?s:.*)'), { kind: 'not', item: literal('foo') }] });
  assert.ok(!valid.matchesLexeme(0, Uint8Array.of(0xff)));
  assert.ok(valid.matchesLexeme(0, bytes('fooé')));
});

test('empty intersections are pruned: a lexeme that can never complete is not alive', () => {
  // "if" & ~(if|else) is empty: after "i" nothing can complete it.
  const lx = new Lexer([{ kind: 'and', items: [literal('if'), { kind: 'not', item: parseRegex('if|else') }] }, parseRegex('[a-z]+')], DEFAULT_LIMITS);
  const s = walk(lx, lx.startState([0, 1]), 'i');
  assert.deepEqual([...lx.alive(s)], [1]);
  assert.deepEqual([...lx.alive(lx.startState([0]))], []);
  assert.equal(lx.startState([0]), Lexer.DEAD);
});

test('chars-only regexes never accept invalid UTF-8', () => {
  const any = compileRegexMatcher('(?s).*');
  const dec = new TextDecoder('utf-8', { fatal: true });
  const valid = (u: Uint8Array) => {
    try {
      dec.decode(u);
      return true;
    } catch {
      return false;
    }
  };
  const tricky = [0x80, 0xbf, 0xc0, 0xc1, 0xc2, 0xdf, 0xe0, 0xed, 0xa0, 0xf0, 0xf4, 0x90, 0x8f, 0xf5, 0xff, 0x41];
  fc.assert(
    fc.property(fc.array(fc.oneof(fc.constantFrom(...tricky), fc.integer({ min: 0, max: 255 })), { maxLength: 8 }), (arr) => {
      const u = Uint8Array.from(arr);
      assert.equal(any.matchesBytes(u), valid(u), `[${arr.map((x) => x.toString(16)).join(' ')}]`);
    }),
    { numRuns: 2000 },
  );
  // Encoded surrogates (ED A0 80) and overlongs (C0 AF) are refused.
  assert.ok(!any.matchesBytes(Uint8Array.of(0xed, 0xa0, 0x80)));
  assert.ok(!any.matchesBytes(Uint8Array.of(0xc0, 0xaf)));
});

// ---- multi-lexeme DFA ------------------------------------------------------------------------

test('keyword and identifier both accept; accepting ids are sorted; startState subsets', () => {
  const lexemes = [parseRegex('[a-z_][a-z0-9_]*'), literal('if'), parseRegex('[0-9]+'), literal('i')];
  const lx = new Lexer(lexemes, DEFAULT_LIMITS);
  const all = lx.startState([0, 1, 2, 3]);
  assert.deepEqual([...lx.alive(all)], [0, 1, 2, 3]);
  assert.ok(!lx.isAcceptingState(all));
  assert.deepEqual([...lx.accepting(all)], []);
  const afterI = walk(lx, all, 'i');
  assert.deepEqual([...lx.accepting(afterI)], [0, 3]);
  assert.deepEqual([...lx.alive(afterI)], [0, 1, 3]);
  const afterIf = walk(lx, all, 'if');
  assert.deepEqual([...lx.accepting(afterIf)], [0, 1]);
  assert.ok(lx.isAcceptingState(afterIf));
  assert.strictEqual(lx.accepting(afterIf), lx.accepting(afterIf), 'cached, no allocation');
  const afterIff = walk(lx, afterIf, 'f');
  assert.deepEqual([...lx.accepting(afterIff)], [0]);
  assert.equal(walk(lx, all, '9i'), Lexer.DEAD);
  assert.deepEqual([...lx.accepting(walk(lx, all, '42'))], [2]);
  // Only keywords allowed here.
  const kwOnly = lx.startState([1]);
  assert.equal(walk(lx, kwOnly, 'ix'), Lexer.DEAD);
  assert.deepEqual([...lx.accepting(walk(lx, kwOnly, 'if'))], [1]);
  assert.equal(lx.startState([1]), kwOnly, 'start states are cached per set');
  assert.equal(lx.startState(Int32Array.of(1)), kwOnly, 'typed arrays hit the same cache entry');
  assert.equal(lx.startState([]), Lexer.DEAD);
  assert.throws(() => lx.startState([2, 1]), (e: unknown) => e instanceof EngineError && e.code === 'STATE');
});

test('transitions table: one entry per (state, byte class), -1 until computed, then cached', () => {
  const lx = new Lexer([parseRegex('[a-z]+'), parseRegex('[0-9]+')], DEFAULT_LIMITS);
  const s = lx.startState([0, 1]);
  const at = (state: number, b: number) => state * lx.classCount + lx.byteClass[b]!;
  // Letters, digits and the rest: no lexeme tells two letters apart.
  assert.equal(lx.classCount, 3);
  assert.equal(lx.byteClass[0x61], lx.byteClass[0x71]);
  assert.notEqual(lx.byteClass[0x61], lx.byteClass[0x31]);
  assert.equal(lx.transitions.length % lx.classCount, 0);
  assert.equal(lx.transitions[at(s, 0x61)], -1);
  const t = lx.computeNext(s, 0x61);
  assert.equal(lx.transitions[at(s, 0x61)], t);
  // 'q' is in the same byte class as 'a': the same entry.
  assert.equal(lx.transitions[at(s, 0x71)], t);
  assert.equal(lx.next(s, 0x71), t);
  assert.notEqual(lx.next(s, 0x31), t);
  assert.equal(lx.next(s, 0x20), Lexer.DEAD);
  assert.equal(lx.next(Lexer.DEAD, 0x61), Lexer.DEAD);
  assert.equal(lx.transitions[at(Lexer.DEAD, 0x61)], Lexer.DEAD);
});

test('forcedByte and canExtend', () => {
  const lx = new Lexer([literal('while'), parseRegex('[0-9]+'), literal('wh')], DEFAULT_LIMITS);
  const s = lx.startState([0]);
  assert.equal(lx.forcedByte(s), 0x77);
  const afterW = walk(lx, s, 'w');
  assert.equal(lx.forcedByte(afterW), 0x68);
  const end = walk(lx, s, 'while');
  assert.equal(lx.forcedByte(end), -1);
  assert.equal(lx.canExtend(end), false);
  assert.ok(lx.isAcceptingState(end));
  const both = lx.startState([0, 1]);
  assert.equal(lx.forcedByte(both), -1);
  assert.ok(lx.canExtend(both));
  const digits = walk(lx, lx.startState([1]), '12');
  assert.ok(lx.canExtend(digits));
  assert.equal(lx.forcedByte(digits), -1);
  // Multi-byte forced characters are forced one byte at a time.
  const euro = new Lexer([literal('€')], DEFAULT_LIMITS);
  assert.equal(euro.forcedByte(euro.startState([0])), 0xe2);
  assert.equal(lx.forcedByte(Lexer.DEAD), -1);
  assert.equal(lx.canExtend(Lexer.DEAD), false);
  // lexemeCanExtend: "wh" accepts after "wh" but cannot extend; "while" can.
  const wh = walk(lx, lx.startState([0, 2]), 'wh');
  assert.deepEqual([...lx.accepting(wh)], [2]);
  assert.equal(lx.lexemeCanExtend(wh, 2), false);
  assert.equal(lx.lexemeCanExtend(wh, 0), true);
});

test('canExtend, forcedByte and accepting agree with brute force over all 256 bytes (random regexes, and/not)', () => {
  fc.assert(
    fc.property(regexArb, regexArb, fc.array(stringArb, { maxLength: 6 }), (sa, sb, strings) => {
      const a = parseRegex(sa);
      const b = parseRegex(sb);
      const lx = new Lexer([a, { kind: 'and', items: [a, { kind: 'not', item: b }] }, b], DEFAULT_LIMITS);
      const start = lx.startState([0, 1, 2]);
      for (const str of ['', ...strings]) {
        const u = bytes(str);
        let s = start;
        for (let i = 0; i <= u.length && s !== Lexer.DEAD; i++) {
          const before = lx.stateCount;
          const ext = lx.canExtend(s);
          const forced = lx.forcedByte(s);
          assert.equal(lx.stateCount, before, 'canExtend and forcedByte build no states');
          const live: number[] = [];
          for (let x = 0; x < 256; x++) if (lx.next(s, x) !== Lexer.DEAD) live.push(x);
          assert.equal(ext, live.length > 0, `canExtend after ${JSON.stringify(str.slice(0, i))}`);
          assert.equal(forced, live.length === 1 ? live[0] : -1);
          const prefix = u.subarray(0, i);
          const acc = [0, 1, 2].filter((id) => lx.matchesLexeme(id, prefix));
          assert.deepEqual([...lx.accepting(s)], acc);
          for (const id of lx.alive(s)) {
            const anyByte = live.some((x) => lx.alive(lx.next(s, x)).includes(id));
            assert.equal(lx.lexemeCanExtend(s, id), anyByte);
          }
          if (i < u.length) s = lx.next(s, u[i]!);
        }
      }
    }),
    { numRuns: 40 },
  );
});

test('counted repetition with large bounds is built lazily, without unrolling', () => {
  const lx = new Lexer([parseRegex('a{1000}'), parseRegex('[0-9]{1,5000}')], DEFAULT_LIMITS);
  assert.equal(lx.stateCount, 1, 'only the dead state exists before any transition');
  assert.ok(lx.matchesLexeme(0, bytes('a'.repeat(1000))));
  assert.ok(!lx.matchesLexeme(0, bytes('a'.repeat(999))));
  assert.ok(!lx.matchesLexeme(0, bytes('a'.repeat(1001))));
  const before = lx.stateCount;
  assert.ok(lx.matchesLexeme(1, bytes('7')));
  assert.ok(lx.stateCount - before <= 2, 'one digit builds one state');
  assert.ok(lx.matchesLexeme(1, bytes('1'.repeat(5000))));
  assert.ok(!lx.matchesLexeme(1, bytes('1'.repeat(5001))));
  // A repetition far larger than could ever be unrolled still compiles instantly.
  const huge = new Lexer([parseRegex('x{1,100000}', { limits: withLimits({ maxRegexSize: 1_000_000 }) })], withLimits({ maxRegexSize: 1_000_000 }));
  assert.ok(huge.matchesLexeme(0, bytes('xxx')));
  assert.ok(huge.stateCount < 10);
});

test('limits: maxLexerStates and maxRegexSize raise LIMIT naming the limit', () => {
  const lx = new Lexer([parseRegex('[0-9]{1,100}')], withLimits({ maxLexerStates: 20 }));
  assert.throws(() => lx.matchesLexeme(0, bytes('1'.repeat(50))), (e: unknown) => e instanceof EngineError && e.code === 'LIMIT' && /maxLexerStates/.test(e.message));
  const big: Regex = { kind: 'repeat', item: literal('abc'), min: 0, max: 1000 };
  assert.throws(() => new Lexer([big], withLimits({ maxRegexSize: 500 })), (e: unknown) => e instanceof EngineError && e.code === 'LIMIT' && /maxRegexSize/.test(e.message));
});

test('a JSON string lexeme: escapes, Unicode, control characters refused', () => {
  const m = compileRegexMatcher('"(?:[^"\\\\\\x00-\\x1F]|\\\\(?:["\\\\/bfnrt]|u[0-9a-fA-F]{4}))*"');
  for (const s of ['""', '"abc"', '"a\\"b"', '"\\u00e9"', '"héllo 😀"', '"\\n"']) assert.ok(m.matches(s), s);
  for (const s of ['"', '"a\nb"', '"\\x"', '"\\u00e"', '"a"b"', 'abc']) assert.ok(!m.matches(s), s);
});

test('bytes nodes match raw bytes', () => {
  const lx = lexer1({ kind: 'concat', items: [{ kind: 'bytes', ranges: [[0xff, 0xff]] }, literal('a')] });
  assert.ok(lx.matchesLexeme(0, Uint8Array.of(0xff, 0x61)));
  assert.ok(!lx.matchesLexeme(0, Uint8Array.of(0xfe, 0x61)));
});

test('edge lexemes: none at all, the empty string, and a never-matching lexeme', () => {
  const none = new Lexer([], DEFAULT_LIMITS);
  assert.equal(none.startState([]), Lexer.DEAD);
  assert.equal(none.next(Lexer.DEAD, 0x41), Lexer.DEAD);
  const lx = new Lexer([{ kind: 'empty' }, { kind: 'never' }, literal('a')], DEFAULT_LIMITS);
  const s = lx.startState([0, 1, 2]);
  assert.deepEqual([...lx.alive(s)], [0, 2]);
  assert.deepEqual([...lx.accepting(s)], [0]);
  assert.equal(lx.forcedByte(s), 0x61);
  assert.equal(lx.lexemeCanExtend(s, 0), false);
  const e = lx.startState([0]);
  assert.ok(lx.isAcceptingState(e));
  assert.equal(lx.canExtend(e), false);
  assert.equal(lx.startState([1]), Lexer.DEAD);
  assert.ok(lx.matchesLexeme(0, new Uint8Array(0)));
  assert.ok(!lx.matchesLexeme(1, new Uint8Array(0)));
});
