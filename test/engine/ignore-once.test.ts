/**
 * `%llguidance {"ignore_once": true}`: one %ignore match covers the whole gap between two lexemes,
 * so two ignored lexemes in a row are refused (without the option they are allowed). Checked on
 * whole texts and token by token (mask/consume law) with the byte vocabulary and Llama-3.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { parseLark } from '../../src/engine/grammar/lark.ts';
import { byteTokenizer } from '../../src/engine/matcher/byte-tokenizer.ts';
import { compile } from '../../src/engine/matcher/compiled.ts';
import { assertMaskAgrees, byteSplit, hasBit, llama3 } from './matcher-helpers.ts';

const BODY = String.raw`
start: item ("," item)*
item: NAME | "(" start ")"
NAME: /[a-z]+/
%ignore " "
%ignore /\/\*[^*]*\*\//
`;

test('ignore_once: one ignored lexeme between two lexemes, not two', () => {
  const once = compile(parseLark(`%llguidance {"ignore_once": true}\n${BODY}`), byteTokenizer());
  const many = compile(parseLark(`%llguidance {}\n${BODY}`), byteTokenizer());
  for (const ok of ['a,b', 'a ,b', ' a, b ', '(a),/*x*/b', 'a/*c*/,(b)']) {
    assert.equal(once.matches(ok), true, ok);
    assert.equal(many.matches(ok), true, ok);
  }
  for (const twice of ['a  ,b', 'a, /*x*/b', '  a', 'a,b  ', '( /*c*/ a)']) {
    assert.equal(once.matches(twice), false, twice);
    assert.equal(many.matches(twice), true, twice);
  }
  const r = once.check('a  ,b');
  assert.equal(r.offset, 2);
});

test('ignore_once: masks agree with consume, byte vocabulary and Llama-3', () => {
  const lark = parseLark(`%llguidance {"ignore_once": true}\n${BODY}`);
  const bt = byteTokenizer();
  const cg = compile(lark, bt);
  const bits = new Uint32Array(cg.maskWords);
  const m = cg.matcher();
  const text = ' a,/*c*/(b ,c) ';
  for (const t of byteSplit(bt, text)) {
    m.computeMask(bits);
    for (let b = 0; b < 256; b++) {
      const ok = m.consume(b);
      if (ok) m.rollback(1);
      assert.equal(hasBit(bits, b), ok, `byte ${b} at ${m.position}`);
    }
    assert.ok(m.consume(t));
  }
  m.computeMask(bits);
  assert.equal(hasBit(bits, 32), false, 'a second space after the trailing one');
  assert.ok(m.isAccepting());

  const tok = llama3();
  const lc = compile(lark, tok);
  const lm = lc.matcher();
  const lbits = new Uint32Array(lc.maskWords);
  const sample = tok.encode('a,  b /* x */ (c), d');
  for (const t of tok.encode(text)) {
    assertMaskAgrees(lm, tok, lbits, sample, 200, `at ${lm.position}`);
    assert.ok(lm.consume(t));
  }
  assertMaskAgrees(lm, tok, lbits, sample, 200, 'end');
  const twoSpaces = tok.encode('a  ');
  const m2 = lc.matcher();
  let accepted = true;
  for (const t of twoSpaces) accepted &&= m2.consume(t);
  assert.equal(accepted && m2.isAccepting(), false, '"a  " is refused token by token');
});
