import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { parseRawJson, pythonDumps, pythonNumber, rawGet, RawJsonError } from '../../src/eval/raw-json.ts';
import { MASKBENCH_DEV, needsData } from '../helpers/shared-data.ts';

const MASKBENCH = MASKBENCH_DEV;

test('floats print as Python repr(float) does; integers keep their digits', () => {
  const cases: [string, string][] = [
    ['1.0', '1.0'], ['1e-7', '1e-07'], ['1E5', '100000.0'], ['1e16', '1e+16'], ['123456789012345678901234567890', '123456789012345678901234567890'],
    ['0.0001', '0.0001'], ['0.00001', '1e-05'], ['-2.50', '-2.5'], ['1.5e300', '1.5e+300'], ['-0.0', '-0.0'], ['9999999999999998.0', '9999999999999998.0'],
    ['1e15', '1000000000000000.0'],
  ];
  for (const [inp, out] of cases) assert.equal(pythonNumber(inp), out, inp);
});

test('strings escape like json.dumps(ensure_ascii=False)', () => {
  const v = parseRawJson('{"a\\u0001": "x\\"y\\\\\\n\\u00e9\\ud83d\\ude00\\u007f"}');
  assert.equal(pythonDumps(v), '{"a\\u0001": "x\\"y\\\\\\né😀\u007f"}');
});

test('malformed JSON is a clear error', () => {
  assert.throws(() => parseRawJson('{"a": }'), RawJsonError);
  assert.throws(() => parseRawJson('[1, 2'), /offset/);
  assert.throws(() => parseRawJson('{} x'), /trailing/);
});

test('reproduces the exact serialized text of every MaskBench-dev instance', needsData(path.join(MASKBENCH_DEV, 'serialized.jsonl')), () => {
  const lines = readFileSync(path.join(MASKBENCH, 'serialized.jsonl'), 'utf8').trim().split('\n');
  const files = new Map<string, ReturnType<typeof parseRawJson>>();
  let checked = 0;
  for (const line of lines) {
    const e = JSON.parse(line) as { file: string; test: number; text: string };
    let f = files.get(e.file);
    if (!f) files.set(e.file, (f = parseRawJson(readFileSync(path.join(MASKBENCH, e.file), 'utf8'))));
    const tests = rawGet(f, 'tests');
    assert.ok(tests && tests.kind === 'array');
    assert.equal(pythonDumps(rawGet(tests.items[e.test], 'data')!), e.text, `${e.file} #${e.test}`);
    checked++;
  }
  assert.ok(checked > 6000);
});
