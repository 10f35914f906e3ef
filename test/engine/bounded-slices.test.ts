/**
 * The slice search's tight case proven on the terms (matcher/slice-use.ts `boundedHere`,
 * TermStore.plainBound): inside a string whose maxLength is the only limit left (a counter beside
 * items that take any string), the characters that still fit are read off the counter instead of
 * searched character by character. Checked: masks equal those with the proof off at every token of
 * strings that reach their bound, in ASCII, UTF-8 and escapes, with and without a pattern; and the
 * proof is taken (fewer lexer states built).
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { compileJsonSchema } from '../../src/engine/schema/index.ts';
import { parseLark } from '../../src/engine/grammar/lark.ts';
import { setBoundedSlices } from '../../src/engine/matcher/slice-use.ts';
import { setSplitWalks } from '../../src/engine/matcher/mask.ts';
import { llama3, settingKeepsMasks } from './matcher-helpers.ts';

const tok = llama3();

function boundedKeepsMasks(schema: unknown, texts: readonly string[]) {
  return settingKeepsMasks(compileJsonSchema(schema), tok, texts, setBoundedSlices);
}

test('bounded slices: after a version pattern\'s prefix, the characters left under maxLength, masks unchanged', () => {
  const schema = { type: 'object', properties: { v: { type: 'string', maxLength: 12, pattern: '^(\\d+\\.\\d+\\.\\d+.*)$' } }, required: ['v'] };
  const { on, off } = boundedKeepsMasks(schema, [
    '{"v": "1.0.0"}',
    '{"v": "1.0.0-beta.1"}',
    '{"v": "1.2.3abcdefg"}',
    '{"v": "1.0.0é€😀x"}',
    '{"v": "1.0.0\\t\\u00e9\\"a"}',
    '{"v": "10.20.30 --"}',
  ]);
  assert.ok(on.stats().lexerStates < off.stats().lexerStates, `lexer states: ${on.stats().lexerStates} vs ${off.stats().lexerStates}`);
});

test('bounded slices: a plain maxLength, short and past the slices\' longest bound', () => {
  const short = boundedKeepsMasks({ type: 'string', maxLength: 5 }, ['"abcde"', '"ab"', '"é😀€a"', '"a\\tb"']);
  assert.ok(short.on.stats().lexerStates < short.off.stats().lexerStates);
  boundedKeepsMasks({ type: 'string', minLength: 2, maxLength: 40 }, ['"' + 'word '.repeat(8) + '"', '"' + '-'.repeat(40) + '"', '"ab"']);
});

test('bounded slices: a pattern that still limits the characters is left to the search, masks unchanged', () => {
  // `[a-z]*` refuses digits: not every string stays inside, so no bound is read off the terms (alone,
  // and beside the counter after a version's digits).
  const { on, off } = boundedKeepsMasks({ type: 'string', maxLength: 8, pattern: '^[a-z]*$' }, ['"abcdefgh"', '"abc"']);
  assert.equal(on.stats().lexerStates, off.stats().lexerStates);
  // With split walks off, the slice search meets these states itself (a split walk takes most).
  setSplitWalks(false);
  try {
    const beside = boundedKeepsMasks({ type: 'string', maxLength: 10, pattern: '^\\d+\\.\\d+\\.\\d+[a-z]*$' }, ['"1.0.0abcde"', '"1.0.0"', '"12.0.1x"']);
    assert.equal(beside.on.stats().lexerStates, beside.off.stats().lexerStates);
    // Any first character, then letters only: the first character's check passes, the second's must not.
    const later = boundedKeepsMasks({ type: 'string', maxLength: 10, pattern: '^\\d+\\.\\d+\\.\\d+.[a-z]*$' }, ['"1.0.0-abcd"', '"1.0.0Z"']);
    assert.equal(later.on.stats().lexerStates, later.off.stats().lexerStates);
  } finally {
    setSplitWalks(true);
  }
});

test('bounded slices: a repetition with a two-character word is not a count of characters', () => {
  // `ab` is one repetition of two characters: "abab" fits in {0,2} although it has four.
  const g = parseLark('start: S\nS: /"([^"\\\\\\n]|ab){0,2}"/\n');
  const { on, off } = settingKeepsMasks(g, tok, ['"abab"', '"xy"', '"ab"'], setBoundedSlices);
  assert.equal(on.stats().lexerStates, off.stats().lexerStates);
});

test('bounded slices: control characters the string allows are walked, not skipped', () => {
  // Raw control characters are inside `[^"\\]`: the proof must not let the walk skip them.
  const g = parseLark('start: S\nS: /"[^"\\\\]{0,4}"/\n');
  settingKeepsMasks(g, tok, ['"a\tb\n"', '"ab"', '"\u0001x"'], setBoundedSlices);
});
