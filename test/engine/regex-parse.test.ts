import { test } from 'node:test';
import assert from 'node:assert/strict';
import { parseRegex, RegexSyntaxError, caseInsensitive } from '../../src/engine/regex/parse.ts';
import { EngineError } from '../../src/engine/errors.ts';
import { withLimits } from '../../src/engine/limits.ts';
import { compileRegexMatcher } from '../../src/engine/lexer/index.ts';
import type { Regex } from '../../src/engine/regex/ast.ts';
import { literal } from '../../src/engine/regex/ast.ts';
import { Lexer } from '../../src/engine/lexer/index.ts';
import { DEFAULT_LIMITS } from '../../src/engine/limits.ts';

function rejects(src: string, construct: string, offset: number, flavor: 'rust' | 'ecma' = 'rust'): void {
  assert.throws(
    () => parseRegex(src, { flavor }),
    (e: unknown) => {
      assert.ok(e instanceof RegexSyntaxError, `expected RegexSyntaxError for /${src}/, got ${String(e)}`);
      assert.ok(e instanceof EngineError);
      assert.equal(e.code, 'REGEX');
      assert.equal(e.construct, construct, `construct for /${src}/: ${e.message}`);
      assert.equal(e.offset, offset, `offset for /${src}/: ${e.message}`);
      assert.ok(e.message.includes(`offset ${offset}`));
      return true;
    },
  );
}

function check(src: string, yes: string[], no: string[], flavor: 'rust' | 'ecma' = 'rust'): void {
  const m = compileRegexMatcher(src, flavor);
  for (const s of yes) assert.ok(m.matches(s), `/${src}/ (${flavor}) should match ${JSON.stringify(s)}`);
  for (const s of no) assert.ok(!m.matches(s), `/${src}/ (${flavor}) should not match ${JSON.stringify(s)}`);
}

test('unsupported constructs are REGEX errors naming the construct and its byte offset', () => {
  rejects('a*?', '*?', 1);
  rejects('ab+?', '+?', 2);
  rejects('a??', '??', 1);
  rejects('a{2,3}?', '{2,3}?', 1);
  rejects('a*+', '*+', 1);
  rejects('a(?=b)', '(?=', 1);
  rejects('a(?!b)', '(?!', 1);
  rejects('(?<=a)b', '(?<=', 0);
  rejects('(?<!a)b', '(?<!', 0);
  rejects('(a)\\1', '\\1', 3);
  rejects('(?P<x>a)(?P=x)', '(?P=', 8);
  rejects('(?<x>a)\\k<x>', '\\k', 7, 'ecma');
  rejects('\\bword', '\\b', 0);
  rejects('x\\B', '\\B', 1);
  rejects('a^b', '^', 1);
  rejects('a$b', '$', 1);
  rejects('(a^)', '^', 2);
  rejects('(?:^a)*', '^', 3);
  rejects('a\\Ab', '\\A', 1);
  // Offsets are UTF-8 bytes: 'é' is two bytes.
  rejects('é(?=x)', '(?=', 2);
  rejects('(?U)a*', 'U', 2);
  rejects('(?-u:.)', '(?-u', 0);
  rejects('\\p{NotAProperty}', '\\p{NotAProperty}', 0);
  rejects('[z-a]', 'z-a', 2);
  rejects('(ab', '(', 0);
  rejects('ab)', ')', 2);
  rejects('[ab', '[', 0);
  rejects('*a', '*', 0);
  rejects('a{3,2}', '{3,2}', 1);
  rejects('\\q', '\\q', 0);
  rejects('ab\\', '\\', 2);
  rejects('\\x{110000}', '\\x{110000}', 0);
});

test('anchors at the start and end are accepted and ignored', () => {
  check('^abc$', ['abc'], ['', 'abcabc', 'xabc']);
  check('^(foo|bar)$', ['foo', 'bar'], ['foobar']);
  check('^foo|^bar$', ['foo', 'bar'], ['foobar']);
  check('\\A(?:x)\\z', ['x'], ['xx']);
  check('^$', [''], ['a']);
  check('(?m)^a$', ['a'], ['a\n']);
});

test('escapes: control characters, hex, braces, escaped metacharacters', () => {
  check('\\n\\t\\r\\f\\v\\0', ['\n\t\r\f\v\0'], []);
  check('\\x41\\x{1F600}\\u{e9}\\u00e9', ['A😀éé'], []);
  check('\\U0001F600', ['😀'], []);
  check('\\.\\+\\*\\?\\(\\)\\|\\[\\]\\{\\}\\^\\$\\\\\\-\\&\\~\\#', ['.+*?()|[]{}^$\\-&~#'], []);
  check('\\ud83d\\ude00\\cJ', ['😀\n'], [], 'ecma');
  // ECMA's legacy identity escapes (and Python's): `\<` is '<'; in the Rust flavor it is a word boundary.
  check('^.+\\<.+@.+\\>$', ['Ann <ann@x.org>'], ['Ann ann@x.org'], 'ecma');
  rejects('a\\<', '\\<', 1);
});

test('dot: any character but newline (rust), line terminators excluded (ecma), everything with (?s)', () => {
  check('.', ['a', 'é', '😀', '\r', '\u2028'], ['\n', '', 'ab']);
  check('.', ['a', '😀'], ['\n', '\r', '\u2028', '\u2029'], 'ecma');
  check('(?s).', ['\n', '\r'], []);
  check('(?s:.).', ['\na'], ['\n\n']);
  check('(?R).', ['a'], ['\r', '\n']);
});

test('character classes: ranges, negation, escapes, nesting, set operations, POSIX', () => {
  check('[a-cx]+', ['abcx', 'x'], ['d', '']);
  check('[^a-c]', ['d', '😀', '\n'], ['a', 'b']);
  check('[]a]+', [']a]'], ['b']);
  check('[a-]+', ['a-'], ['b']);
  check('[\\d\\s]+', ['1 2\t'], ['a']);
  check('[\\p{Greek}a]+', ['αa'], ['b']);
  check('[a[0-9]]+', ['a1'], ['b']);
  check('[a-z&&[^aeiou]]+', ['bcd'], ['abc']);
  check('[a-z--[aeiou]]+', ['bcd'], ['e']);
  check('[a-c~~b-d]+', ['ad'], ['b', 'c']);
  check('[[:alpha:][:digit:]]+', ['ab12'], ['_']);
  check('[[:^digit:]]', ['a'], ['1']);
  check('[[a]+', ['[a'], ['b'], 'ecma');
  check('[[:a]]', ['[]', ':]', 'a]'], ['b]'], 'ecma');
  check('[^]', ['\n', 'a'], ['ab'], 'ecma');
  check('[]', [], ['', 'a'], 'ecma');
  check('[\\b]', ['\b'], [], 'ecma');
  check('[\\w-.]+', ['a-.'], ['+'], 'ecma');
});

test('Perl classes are Unicode-aware in rust flavor and ASCII in ecma flavor', () => {
  check('\\d+', ['123', '٣', '১'], ['a']);
  check('\\d+', ['123'], ['٣'], 'ecma');
  check('\\w+', ['héllo_1', 'Ωμέγα'], ['-']);
  check('\\w+', ['hello_1'], ['é'], 'ecma');
  check('\\s+', [' \t\n\u00a0\u2003'], ['a']);
  check('\\s+', [' \t\n\u00a0\ufeff'], ['a'], 'ecma');
  check('\\D\\W\\S', ['a-b'], ['1-b', 'a- ', 'abb']);
});

test('Unicode classes: categories, scripts, key=value forms, negation', () => {
  check('\\p{L}+', ['abcΩ'], ['1']);
  check('\\p{Lu}', ['A', 'Ω'], ['a']);
  check('\\pN+', ['1٣'], ['a']);
  check('\\p{Greek}+', ['αβγ'], ['abc']);
  check('\\p{Script=Greek}', ['α'], ['a']);
  check('\\p{sc=Latin}', ['a'], ['α']);
  check('\\p{gc=Nd}', ['7'], ['x']);
  check('\\P{L}', ['1', ' '], ['a']);
  check('\\p{^L}', ['1'], ['a']);
  check('\\p{Letter}', ['a'], ['1']);
  check('\\p{greek}', ['α'], ['a']);
  check('\\p{White_Space}', [' '], ['a']);
  check('\\p{Lu}', ['Ω'], ['ω'], 'ecma');
});

test('groups and flags: capture, named, non-capturing, scoped and negated flags, verbose mode', () => {
  check('(a)(?:b)(?P<n>c)(?<m>d)', ['abcd'], ['abc']);
  check('(?i)hello', ['HeLLo', 'hello'], ['hell']);
  check('(?i:a)b', ['Ab', 'ab'], ['AB']);
  check('(?i)a(?-i)b', ['Ab'], ['AB']);
  check('(?i)k', ['k', 'K', '\u212a'], []);
  check('(?i)[a-c]+', ['aBC'], ['d']);
  check('(?i)[^a]', ['b'], ['a', 'A']);
  check('(?i)σ', ['Σ', 'ς', 'σ'], []);
  check('(?x) a b # comment\n c', ['abc'], ['a b c']);
  check('(?x)[a b]+', ['ab'], [' ']);
  check('(?x)a\\ b', ['a b'], ['ab']);
  check('(?i)(a|b)c', ['AC', 'bc'], []);
});

test('alternation and repetition', () => {
  check('a|b|', ['a', 'b', ''], ['ab']);
  check('(ab)*', ['', 'ab', 'abab'], ['a', 'aba']);
  check('a+b?', ['a', 'aab'], ['b', '']);
  check('a{3}', ['aaa'], ['aa', 'aaaa']);
  check('a{2,}', ['aa', 'aaaaaa'], ['a']);
  check('a{1,3}', ['a', 'aaa'], ['', 'aaaa']);
  check('a{,2}', ['', 'aa'], ['aaa']);
  check('a{ 2 , 3 }', ['aa'], ['a']);
  check('a{', [], [], 'ecma');
  check('a{,', ['a{,'], [], 'ecma');
});

test('repetition stays a repeat node (never unrolled)', () => {
  const r = parseRegex('[0-9]{1,5000}');
  assert.equal(r.kind, 'repeat');
  const rep = r as Extract<Regex, { kind: 'repeat' }>;
  assert.equal(rep.min, 1);
  assert.equal(rep.max, 5000);
  assert.equal(rep.item.kind, 'chars');
  const open = parseRegex('x+') as Extract<Regex, { kind: 'repeat' }>;
  assert.equal(open.max, Infinity);
});

test('size is bounded by maxRegexSize counting repetition, as a LIMIT error', () => {
  assert.throws(() => parseRegex('(?:a{3000}){3000}'), (e: unknown) => e instanceof EngineError && e.code === 'LIMIT' && /maxRegexSize/.test(e.message));
  assert.throws(() => parseRegex('a{50}', { limits: withLimits({ maxRegexSize: 10 }) }), (e: unknown) => e instanceof EngineError && e.code === 'LIMIT');
  parseRegex('[0-9]{1,5000}');
});

test('deep nesting is refused cleanly, not with a stack overflow', () => {
  assert.throws(() => parseRegex('('.repeat(5000) + 'a' + ')'.repeat(5000)), (e: unknown) => e instanceof EngineError && e.code === 'REGEX');
});

test('caseInsensitive folds a directly built AST (Lark "select"i)', () => {
  const lx = new Lexer([caseInsensitive(literal('select'))], DEFAULT_LIMITS);
  const enc = new TextEncoder();
  for (const s of ['select', 'SELECT', 'SeLeCt', 'ſelect']) assert.ok(lx.matchesLexeme(0, enc.encode(s)), s);
  assert.ok(!lx.matchesLexeme(0, enc.encode('selec')));
});
