/** docs/ariadne.md stays true: its examples compile, and it names every field and enum value. */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import { COMMON_FIELDS, parseAriadne, RULE_FIELDS } from '../../src/ariadne/index.ts';
import * as enums from '../../src/ariadne/enums.ts';
import { ROOT } from '../helpers/cli.ts';
import { compile, shown } from './helpers.ts';

const DOC = fs.readFileSync(path.join(ROOT, 'docs/ariadne.md'), 'utf8');
const EXAMPLES = [...DOC.matchAll(/```ariadne\n([\s\S]*?)```/g)].map((m) => m[1]!);

test('every ```ariadne example of docs/ariadne.md compiles without a diagnostic (those with imports: parse)', () => {
  assert.ok(EXAMPLES.length >= 10, `${EXAMPLES.length} examples`);
  for (const ex of EXAMPLES) {
    if (/^import /m.test(ex)) {
      assert.deepEqual(parseAriadne(ex).diagnostics, [], ex);
      continue;
    }
    const r = compile(ex);
    assert.equal(r.diagnostics.length, 0, `${shown(r)}\n--- in:\n${ex}`);
    assert.ok(r.constraints.length > 0, ex);
  }
});

test('docs/ariadne.md names every rule field, common field and enum value', () => {
  for (const f of [...RULE_FIELDS.keys(), ...COMMON_FIELDS]) assert.ok(DOC.includes(`\`${f}\``), `field ${f}`);
  for (const t of Object.values(enums)) {
    if (typeof t !== 'object' || t === null || !('variants' in t)) continue;
    for (const [v] of (t as enums.EnumTable<string>).variants) assert.ok(DOC.includes(`.${v}`), `${(t as enums.EnumTable<string>).what} .${v}`);
  }
});
