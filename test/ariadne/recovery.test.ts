import { test } from 'node:test';
import assert from 'node:assert/strict';
import { formatDiagnostic } from '../../src/ariadne/index.ts';
import { brief, compile } from './helpers.ts';

const BROKEN = `module broken

constraint one {
  forbid: [eval, exec
  severity: .Error
}

constraint two {
  regex "missing colon"
  priority: 10
}

constraint three {
  naming: { kind: .Function, style: }
  severity: .Sometimes
}

constraint four { regex: "fine" }

garbage here ;;
constraint five {
  grammar: { text: "start: a", format: .Lark },
  priority: ]
}

constraint six {
  length: { max_lines: 3 }
`;

test('one run reports every problem of a broken file, each at its line and column, and compiles what is fine', () => {
  const r = compile(BROKEN);
  assert.deepEqual(brief(r.diagnostics), [
    '4:11 error: missing ] at the end of this list (found \'severity\' on the next line first)',
    '9:9 error: expected \':\' after the field name \'regex\', found a string',
    '14:37 error: expected a value (a string, number, true/false, [list], {object}, .Variant or name), found \'}\'',
    '15:13 error: severity: unknown severity .Sometimes; known: .Error .Warning .Info .Hint',
    '20:1 error: expected \'module\', \'import\', \'constraint\' or \'pub\', found \'garbage\'',
    '23:13 error: expected a value (a string, number, true/false, [list], {object}, .Variant or name), found \']\'',
    '26:16 error: missing } at the end of constraint six (this { is never closed)',
  ]);
  // `one` lost its closing bracket but its list still reads; `two` has no rule left; `four` is fine.
  assert.deepEqual(r.constraints.map((c) => c.id), ['broken.one', 'broken.four', 'broken.six']);
  assert.deepEqual(r.constraints[0]!.rule, { type: 'forbidden_calls', calls: ['eval', 'exec'] });
  assert.equal(r.errors, 7);
});

test('a diagnostic prints as file:line:col: severity: message, the source line, and a caret under the column', () => {
  const r = compile('constraint c {\n\tnaming: { kind: .Funktion, style: .CamelCase }\n}\n');
  const [d] = r.diagnostics;
  assert.equal(formatDiagnostic(d!, r.files[0]!.text), [
    'main.ariadne:2:18: error: kind: unknown identifier kind .Funktion (did you mean .Function?); known: .Function .Method .Variable .Constant .Type .File .Parameter .Field',
    ' 2 | \tnaming: { kind: .Funktion, style: .CamelCase }',
    '   | \t                ^~~~~~~~~',
  ].join('\n'));
  assert.equal(formatDiagnostic(d!), 'main.ariadne:2:18: error: kind: unknown identifier kind .Funktion (did you mean .Function?); known: .Function .Method .Variable .Constant .Type .File .Parameter .Field');
});

test('long lines are cut around the column so the caret still points at it', () => {
  const r = compile(`constraint c { forbid: [${'"x", '.repeat(60)}1.5e, "y"] }`);
  assert.ok(r.errors > 0);
  const out = formatDiagnostic(r.diagnostics[0]!, r.files[0]!.text).split('\n');
  assert.ok(out[1]!.length < 200);
  const caretCol = out[2]!.indexOf('^');
  assert.equal(out[1]!.slice(caretCol, caretCol + 3), '1.5');
});

test('an unterminated string or block does not swallow the file silently', () => {
  const r = compile('constraint a { regex: "open\n}\nconstraint b { regex: "b" }\nconstraint c { grammar: """never closed\n}\n');
  assert.deepEqual(brief(r.diagnostics).map((d) => d.split(':').slice(0, 3).join(':')), [
    '1:23 error: unterminated string',
    '4:25 error: unterminated """ string',
    '4:14 error: missing } at the end of constraint c (this { is never closed)',
  ].sort((a, b) => parseInt(a) - parseInt(b) || parseInt(a.split(':')[1]!) - parseInt(b.split(':')[1]!)));
  assert.deepEqual(r.constraints.map((c) => c.id), ['a', 'b', 'c']);
});
