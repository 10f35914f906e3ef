/**
 * Every accept/reject case of the shipped grammars (grammars/{json,arithmetic,clike}.lark,
 * test/fixtures/grammars/<name>/{accept,reject}/*.txt) through `matches` AND token by token with the
 * Llama-3 tokenizer (canonical tokenization, then EOS), with the mask checked at every position.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { parseLark } from '../../src/engine/grammar/lark.ts';
import { compile } from '../../src/engine/matcher/compiled.ts';
import { ROOT } from '../helpers/cli.ts';
import { hasBit, llama3 } from './matcher-helpers.ts';

const tok = llama3();
const EOS = tok.eosTokens[0]!;

for (const name of ['json', 'arithmetic', 'clike']) {
  const grammarFile = path.join(ROOT, 'grammars', `${name}.lark`);
  const fixtures = path.join(ROOT, 'test/fixtures/grammars', name);
  test(`grammars/${name}.lark: accept and reject cases, by text and token by token`, (t) => {
    if (!existsSync(grammarFile) || !existsSync(fixtures)) {
      t.skip(`${name}: grammar or fixtures not present yet`);
      return;
    }
    const cg = compile(parseLark(readFileSync(grammarFile, 'utf8')), tok);
    const bits = new Uint32Array(cg.maskWords);
    let cases = 0;
    for (const kind of ['accept', 'reject'] as const) {
      const dir = path.join(fixtures, kind);
      if (!existsSync(dir)) continue;
      for (const file of readdirSync(dir).filter((f) => f.endsWith('.txt')).sort()) {
        const text = readFileSync(path.join(dir, file), 'utf8');
        const want = kind === 'accept';
        const where = `${name}/${kind}/${file}`;
        const check = cg.check(text);
        assert.equal(check.accepted, want, `${where}: matches() ${check.message ?? ''}`);
        // Token by token: each token must be in the mask before it is consumed; EOS at the end.
        const m = cg.matcher();
        let ok = true;
        for (const id of tok.encode(text)) {
          m.computeMask(bits);
          const inMask = hasBit(bits, id);
          const consumed = m.consume(id);
          assert.equal(inMask, consumed, `${where}: mask and consume disagree on token ${id}`);
          if (!consumed) {
            ok = false;
            break;
          }
        }
        if (ok) {
          m.computeMask(bits);
          ok = hasBit(bits, EOS) && m.consume(EOS);
        }
        assert.equal(ok, want, `${where}: token by token`);
        cases++;
      }
    }
    assert.ok(cases > 0, `${name}: no fixture cases found`);
  });
}
