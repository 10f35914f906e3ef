import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { parseGbnf } from '../../src/engine/grammar/gbnf.ts';
import fc from 'fast-check';
import { EngineError } from '../../src/engine/errors.ts';
import type { Grammar, Sym } from '../../src/engine/grammar/ir.ts';
import { derivationCounts, regexMatches } from './grammar-test-utils.ts';

const read = (p: string) => readFileSync(new URL(`../../${p}`, import.meta.url), 'utf8');

function names(g: Grammar, syms: Sym[]): string[] {
  return syms.map((s) => (s.kind === 'lexeme' ? g.lexemes[s.id]!.name : s.kind === 'rule' ? g.rules[s.id]!.name : 'TOKEN'));
}
function lex(g: Grammar, name: string) {
  const l = g.lexemes.find((x) => x.name === name);
  assert.ok(l, `lexeme ${name} (have ${g.lexemes.map((x) => x.name).join(' ')})`);
  return l;
}
function fails(text: string, pattern: RegExp, line: number, column: number, code = 'GRAMMAR') {
  assert.throws(
    () => parseGbnf(text),
    (e: unknown) => {
      assert.ok(e instanceof EngineError, String(e));
      assert.equal(e.code, code, e.message);
      assert.match(e.message, pattern);
      assert.deepEqual(e.position, { line, column }, e.message);
      return true;
    },
  );
}

test('grammars/json.gbnf: root is the start, literals and classes are lexemes, nothing is ignored', () => {
  const g = parseGbnf(read('grammars/json.gbnf'));
  assert.equal(g.rules[g.start]!.name, 'root');
  assert.deepEqual(g.ignore, []);
  assert.deepEqual(names(g, g.rules.find((r) => r.name === 'root')!.alternatives[0]!), ['ws', 'value', 'ws']);
  const value = g.rules.find((r) => r.name === 'value')!;
  assert.deepEqual(names(g, value.alternatives.flat()), ['object', 'array', 'string', 'number', '"true"', '"false"', '"null"']);
  const ch = lex(g, '[^"\\\\\\x00-\\x1F]').regex;
  assert.ok(regexMatches(ch, 'a') && regexMatches(ch, 'é') && !regexMatches(ch, '"') && !regexMatches(ch, '\\') && !regexMatches(ch, '\n'));
  assert.ok(regexMatches(lex(g, '[ \\t\\n\\r]').regex, '\t'));
  assert.equal(lex(g, '"true"').literal, 'true');
});

test('character classes: ranges, negation, escapes; . is any character', () => {
  const g = parseGbnf(String.raw`root ::= [a-cx] [^a-z] [\x41-\x43] [\u00e9\]\-] . "\x41\u00e9\t\"\\\[\]"`);
  const alt = g.rules[0]!.alternatives[0]!;
  const re = (i: number) => g.lexemes[(alt[i] as { id: number }).id]!.regex;
  assert.deepEqual(re(0), { kind: 'chars', ranges: [[97, 99], [120, 120]] });
  assert.ok(regexMatches(re(1), 'A') && !regexMatches(re(1), 'q') && regexMatches(re(1), '\u{1F600}'));
  assert.ok(regexMatches(re(2), 'B') && !regexMatches(re(2), 'D'));
  assert.ok(regexMatches(re(3), 'é') && regexMatches(re(3), ']') && regexMatches(re(3), '-'));
  assert.ok(regexMatches(re(4), '\n') && regexMatches(re(4), '日'));
  assert.equal(g.lexemes[(alt[5] as { id: number }).id]!.literal, 'Aé\t"\\[]');
});

test('operators: | ( ) * + ? {m} {m,} {m,n} {,n}, comments, multi-line rules', () => {
  const g = parseGbnf(`
# counts of x
root ::= a | b | c | d | e | f | g   # trailing comment
a ::= "x"*
b ::= "x"+
c ::= "x"?
d ::= "x"{3}
e ::= "x"{2,}
f ::= "x"{1,3}
g ::= ("x" "x"){,2}
`);
  const counts = (name: string) => derivationCounts(g, g.rules.findIndex((r) => r.name === name), 6).map((w, n) => (w ? n : -1)).filter((n) => n >= 0);
  assert.deepEqual(counts('a'), [0, 1, 2, 3, 4, 5, 6]);
  assert.deepEqual(counts('b'), [1, 2, 3, 4, 5, 6]);
  assert.deepEqual(counts('c'), [0, 1]);
  assert.deepEqual(counts('d'), [3]);
  assert.deepEqual(counts('e'), [2, 3, 4, 5, 6]);
  assert.deepEqual(counts('f'), [1, 2, 3]);
  assert.deepEqual(counts('g'), [0, 2, 4]);
  assert.equal(g.lexemes.length, 1, 'one "x" lexeme shared by all');
});

test('rules may be used before they are defined; names may contain - and digits', () => {
  const g = parseGbnf('root ::= item-list\nitem-list ::= item2 ("," item2)*\nitem2 ::= [0-9]+\n');
  assert.deepEqual(g.rules.map((r) => r.name).slice(0, 3), ['root', 'item-list', 'item2']);
});

test('x{0,1000} stays O(log N) rules', () => {
  const g = parseGbnf('root ::= [a-z]{0,1000}\n');
  assert.ok(g.rules.length < 60, `${g.rules.length} rules`);
});

test('errors name the problem, with line and column', () => {
  fails('root ::= item\n', /undefined rule 'item'/, 1, 10);
  fails('start ::= "a"\n', /no 'root' rule/, 1, 1);
  fails('root ::= "a\n', /unterminated string literal/, 1, 10);
  fails('root ::= [a-z\n', /unterminated character class/, 1, 10);
  fails('root ::= "\\q"\n', /unknown escape \\q/, 1, 11);
  fails('root ::= "\\x4"\n', /\\x must be followed by 2 hex digits/, 1, 11);
  fails('root ::= [z-a]\n', /range is reversed/, 1, 10);
  fails('root ::= "a"\nroot ::= "b"\n', /rule 'root' is defined twice/, 2, 1);
  fails('root ::= ("a" | "b"\n', /expected '\)' to close the group opened at line 1, column 10/, 2, 1);
  fails('root ::= "a"{3,1}\n', /bounds are reversed/, 1, 13);
  fails('root "a"\n', /expected '::=' after 'root'/, 1, 6);
  fails('root ::= "a" ; "b"\n', /unexpected character ";"/, 1, 14);
  fails('root ::= loop\nloop ::= loop "x"\n', /rule 'loop' can never finish/, 2, 1);
  fails(`root ::= ${'('.repeat(250)}"a"${')'.repeat(250)}\n`, /maxNesting/, 1, 210, 'LIMIT');
});

test('property: mutated GBNF either compiles or fails with a positioned EngineError', () => {
  const seed = read('grammars/json.gbnf');
  const pieces = ['"', '(', ')', '[', ']', '[^', '{', '}', '{2,3}', '|', '*', '+', '?', '.', '\n', '::=', '#', '\\', '\\x4', 'root', 'x-y', 'é'];
  fc.assert(
    fc.property(fc.array(fc.tuple(fc.nat(), fc.nat(3), fc.constantFrom(...pieces)), { maxLength: 6 }), (muts) => {
      let t = seed;
      for (const [pos, del, ins] of muts) {
        const p = pos % (t.length + 1);
        t = t.slice(0, p) + ins + t.slice(p + del);
      }
      try {
        parseGbnf(t);
      } catch (e) {
        return e instanceof EngineError && e.position !== undefined;
      }
      return true;
    }),
    { numRuns: 300, seed: 5 },
  );
});
