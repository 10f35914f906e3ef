import { test } from 'node:test';
import assert from 'node:assert/strict';
import { GrammarBuilder, lexSym, ruleSym } from '../../src/engine/grammar/builder.ts';
import { grammarFromRegex } from '../../src/engine/grammar/regex-grammar.ts';
import { EngineError } from '../../src/engine/errors.ts';
import { literal } from '../../src/engine/regex/ast.ts';
import { derivationCounts, regexMatches } from './grammar-test-utils.ts';

function engineError(code: string, pattern: RegExp) {
  return (e: unknown) => e instanceof EngineError && e.code === code && pattern.test(e.message);
}

test('lexeme() deduplicates by regex structure, laziness and max_tokens; the first name wins', () => {
  const b = new GrammarBuilder();
  const a = b.lexeme({ name: 'IF', regex: literal('if') });
  const a2 = b.lexeme({ name: '"if"', regex: { kind: 'concat', items: [literal('i'), { kind: 'concat', items: [literal('f')] }] } });
  const lazy = b.lexeme({ name: 'IF_LAZY', regex: literal('if'), lazy: true });
  const capped = b.lexeme({ name: 'IF_CAP', regex: literal('if'), maxTokens: 3 });
  assert.equal(a, a2);
  assert.notEqual(a, lazy);
  assert.notEqual(a, capped);
  assert.notEqual(lazy, capped);
  assert.equal(b.getLexeme(a).name, 'IF');
  assert.equal(b.literal('if').kind, 'lexeme');
  assert.deepEqual(b.literal('if'), lexSym(a));
  const other = b.literal('else');
  assert.equal(other.kind === 'lexeme' && b.getLexeme(other.id).literal, 'else');
});

test('optional, star and plus desugar to shared rules; star and plus are left-recursive', () => {
  const b = new GrammarBuilder();
  const x = b.literal('x');
  const opt = b.optional(x);
  assert.deepEqual(b.optional(x), opt, 'asking twice reuses the rule');
  const star = b.star(x);
  const plus = b.plus(x);
  const start = b.ruleWith('start', [[opt, star, plus]]);
  const g = b.build(start);
  const byName = (n: string) => g.rules.find((r) => r.name === n)!;
  const starRule = byName('"x"*');
  const starId = g.rules.indexOf(starRule);
  assert.deepEqual(starRule.alternatives, [[ruleSym(starId), lexSym(0)], []]);
  const plusRule = byName('"x"+');
  const plusId = g.rules.indexOf(plusRule);
  assert.deepEqual(plusRule.alternatives, [[ruleSym(plusId), lexSym(0)], [lexSym(0)]]);
  assert.deepEqual(byName('"x"?').alternatives, [[lexSym(0)], []]);
});

test('repeat(sym, min, max) derives exactly the counts min..max, each in one way', () => {
  for (let max = 0; max <= 17; max++) {
    for (let min = 0; min <= max; min++) {
      const b = new GrammarBuilder();
      const x = b.literal('x');
      const start = b.ruleWith('start', [[b.repeat(x, min, max)]]);
      const g = b.build(start);
      const counts = derivationCounts(g, g.start, 20);
      counts.forEach((ways, n) => assert.equal(ways, n >= min && n <= max ? 1 : 0, `x{${min},${max}}: ${ways} derivations of ${n} x's`));
    }
  }
});

test('repeat with an open upper bound derives min or more', () => {
  for (const min of [0, 1, 2, 5, 9]) {
    const b = new GrammarBuilder();
    const x = b.literal('x');
    const g = b.build(b.ruleWith('start', [[b.repeat(x, min, Infinity)]]));
    const counts = derivationCounts(g, g.start, 14);
    counts.forEach((ways, n) => assert.equal(ways, n >= min ? 1 : 0, `x{${min},}: count ${n}`));
  }
});

test('counted repetition takes O(log N) rules, never N', () => {
  const sizes: number[] = [];
  for (const n of [10, 100, 1000, 100_000, 1_000_000]) {
    const b = new GrammarBuilder();
    const x = b.literal('x');
    b.ruleWith('start', [[b.repeat(x, 0, n)]]);
    b.ruleWith('exact', [[b.repeat(x, n, n)]]);
    b.ruleWith('between', [[b.repeat(x, n >> 1, n)]]);
    sizes.push(b.ruleCount);
    assert.ok(b.ruleCount <= 12 * Math.log2(n) + 8, `x{0,${n}} etc. used ${b.ruleCount} rules`);
  }
  assert.ok(sizes[4]! < 3 * sizes[1]!, `growth is logarithmic: ${sizes.join(', ')}`);
});

test('repeat rejects bad bounds', () => {
  const b = new GrammarBuilder();
  const x = b.literal('x');
  assert.throws(() => b.repeat(x, 3, 2), engineError('GRAMMAR', /invalid repetition bounds/));
  assert.throws(() => b.repeat(x, -1, 2), engineError('GRAMMAR', /invalid repetition bounds/));
  assert.throws(() => b.repeat(x, 1.5, 2), engineError('GRAMMAR', /invalid repetition bounds/));
});

test('build drops unreachable rules and unused lexemes and renumbers', () => {
  const b = new GrammarBuilder();
  const unusedLex = b.literal('unused');
  const ws = b.lexeme({ name: 'WS', regex: { kind: 'repeat', item: literal(' '), min: 1, max: Infinity } });
  const dead = b.ruleWith('dead', [[unusedLex]]);
  const a = b.ruleWith('a', [[b.literal('a')]]);
  const start = b.ruleWith('start', [[ruleSym(a), b.literal('b')]]);
  b.addIgnore(ws);
  void dead;
  const g = b.build(start);
  assert.deepEqual(g.rules.map((r) => r.name), ['a', 'start']);
  assert.equal(g.start, 1);
  assert.deepEqual(g.lexemes.map((l) => l.name), ['WS', '"a"', '"b"']);
  assert.deepEqual(g.ignore, [0]);
  assert.deepEqual(g.rules[1]!.alternatives, [[ruleSym(0), lexSym(2)]]);
});

test('build reports a rule that is used but never defined, with its position', () => {
  const b = new GrammarBuilder();
  const missing = b.newRule('value', { line: 3, column: 7 });
  const start = b.ruleWith('start', [[ruleSym(missing)]]);
  assert.throws(
    () => b.build(start),
    (e: unknown) => e instanceof EngineError && e.code === 'GRAMMAR' && /'value' is used but never defined/.test(e.message) && e.position?.line === 3 && e.position.column === 7,
  );
});

test('unproductive rules: an error by default, pruned on request', () => {
  const make = () => {
    const b = new GrammarBuilder();
    const loop = b.newRule('loop', { line: 2, column: 1 });
    b.addAlternative(loop, [ruleSym(loop), b.literal('x')]);
    const start = b.ruleWith('start', [[ruleSym(loop)], [b.literal('y')]]);
    return { b, start };
  };
  const { b, start } = make();
  assert.throws(() => b.build(start), (e: unknown) => e instanceof EngineError && /'loop' can never finish/.test(e.message) && e.position?.line === 2);
  const p = make();
  const g = p.b.build(p.start, { unproductive: 'prune' });
  assert.equal(g.rules.length, 1);
  assert.deepEqual(g.rules[0]!.alternatives, [[lexSym(0)]]);
  assert.equal(g.lexemes[0]!.literal, 'y');

  const q = new GrammarBuilder();
  const only = q.newRule('start');
  q.addAlternative(only, [ruleSym(only)]);
  assert.throws(() => q.build(only, { unproductive: 'prune' }), engineError('GRAMMAR', /start rule 'start' matches nothing/));
});

test('left recursion and nullable rules are accepted', () => {
  const b = new GrammarBuilder();
  const list = b.newRule('list');
  b.addAlternative(list, [ruleSym(list), b.literal(',')]);
  b.addAlternative(list, []);
  const g = b.build(b.ruleWith('start', [[ruleSym(list)]]));
  assert.equal(g.rules.length, 2);
});

test('grammar size is bounded by limits.maxGrammarSize as it grows', () => {
  const b = new GrammarBuilder({ maxGrammarSize: 50 });
  const x = b.literal('x');
  assert.throws(() => {
    for (let i = 0; i < 100; i++) b.ruleWith(`r${i}`, [[x, x, x]]);
  }, engineError('LIMIT', /maxGrammarSize \(50/));
});

test('embed copies another grammar, deduplicating lexemes and merging %ignore', () => {
  const inner = new GrammarBuilder();
  const ws = inner.lexeme({ name: 'WS', regex: { kind: 'repeat', item: literal(' '), min: 1, max: Infinity } });
  inner.addIgnore(ws);
  const item = inner.ruleWith('item', [[inner.literal('a')], [inner.literal('b')]]);
  const innerG = inner.build(inner.ruleWith('list', [[inner.literal('['), ruleSym(item), inner.literal(']')]]));

  const host = new GrammarBuilder();
  const a = host.literal('a');
  const embedded = host.embed(innerG);
  const g = host.build(host.ruleWith('start', [[a, ruleSym(embedded)]]));
  assert.equal(g.lexemes.filter((l) => l.literal === 'a').length, 1, '"a" is shared');
  assert.equal(g.ignore.length, 1);
  assert.equal(g.lexemes[g.ignore[0]!]!.name, 'WS');
  assert.equal(g.rules.length, 3);
  const list = g.rules.find((r) => r.name === 'list')!;
  assert.equal(list.alternatives[0]!.length, 3);

  const host2 = new GrammarBuilder();
  const e2 = host2.embed(innerG, { ignore: 'drop' });
  assert.deepEqual(host2.build(e2).ignore, []);
});

test('special-token symbols pass through build unchanged', () => {
  const b = new GrammarBuilder();
  const t = b.token({ ranges: [[5, 9]], negated: false });
  const g = b.build(b.ruleWith('start', [[t, b.literal('x')]]));
  assert.deepEqual(g.rules[0]!.alternatives[0]![0], { kind: 'token', ids: { ranges: [[5, 9]], negated: false } });
});

test('grammarFromRegex: one lexeme and a start rule', () => {
  const g = grammarFromRegex('[a-z]+@[a-z]+\\.(com|org)');
  assert.equal(g.lexemes.length, 1);
  assert.equal(g.rules.length, 1);
  assert.deepEqual(g.rules[0]!.alternatives, [[lexSym(0)]]);
  assert.deepEqual(g.ignore, []);
  assert.ok(regexMatches(g.lexemes[0]!.regex, 'ada@example.org'));
  assert.ok(!regexMatches(g.lexemes[0]!.regex, 'ada@example.net'));
  const ecma = grammarFromRegex('^\\d{3}-\\d{4}$', { flavor: 'ecma' });
  assert.ok(regexMatches(ecma.lexemes[0]!.regex, '555-1234'));
  assert.throws(() => grammarFromRegex('(?=x)y'), (e: unknown) => e instanceof EngineError && e.code === 'REGEX');
});
