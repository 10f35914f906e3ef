import { test } from 'node:test';
import assert from 'node:assert/strict';
import type { Language, TestFact } from '../../src/core/index.ts';
import { parse } from '../../src/clew/parser.ts';
import { isTestPath, mineTests } from '../../src/clew/test-mining.ts';

async function mine(language: Language, path: string, source: string): Promise<TestFact[]> {
  const tree = await parse(language, source);
  try {
    return mineTests(tree.rootNode, language, source, path);
  } finally {
    tree.delete();
  }
}

const brief = (ts: TestFact[]): string[] => ts.map((t) => `${t.line} ${t.framework} ${t.subject ?? '-'} [${t.test ?? '-'}]`);

test('isTestPath follows each ecosystem\'s conventions', () => {
  for (const p of ['a.test.ts', 'src/x.spec.tsx', 'tests/helpers.py', 'test_math.py', 'math_test.go', 'spec/user_spec.rb', 'src/test/java/CalcTest.java', '__tests__/a.js']) {
    assert.equal(isTestPath(p), true, p);
  }
  for (const p of ['src/math.ts', 'latest.py', 'contest/main.go', 'src/testing_utils.ts']) assert.equal(isTestPath(p), false, p);
});

test('Vitest expect(...) chains, with the subject from the call inside or from the variable checked', async () => {
  const src = [
    "import { describe, it, expect } from 'vitest';",
    "describe('m', () => {",
    " it('adds', async () => {",
    '  expect(add(1, 2)).toBe(3);',
    '  const r = await new Calc().mul(2, 3);',
    '  expect(r).not.toEqual(expect.any(String));',
    ' });',
    '});',
  ].join('\n');
  const ts = await mine('typescript', 'a.test.ts', src);
  assert.deepEqual(brief(ts), ['4 vitest add [adds]', '6 vitest Calc.mul [adds]']);
  assert.equal(ts[0]!.assertion, 'expect(add(1, 2)).toBe(3)');
  assert.equal(ts[1]!.assertion, 'expect(r).not.toEqual(expect.any(String))');
});

test('Jest by default; node:test + node:assert', async () => {
  assert.deepEqual(brief(await mine('javascript', 'x.spec.js', "test('t', () => { expect(sum([1])).toEqual(1); });")), ['1 jest sum [t]']);
  const src = "import { test } from 'node:test';\nimport assert from 'node:assert/strict';\ntest('slug', () => {\n  assert.equal(slugify('A B'), 'a-b');\n  assert(isValid('x'));\n});";
  assert.deepEqual(brief(await mine('typescript', 'test/b.test.ts', src)), ['4 node:test slugify [slug]', '5 node:test isValid [slug]']);
});

test('pytest assert and unittest self.assert*', async () => {
  const src = "from m import add\ndef test_add():\n    result = add(1, 2)\n    assert result == 3\n    assert len(parse('x')) == 1\nclass T(unittest.TestCase):\n    def test_mul(self):\n        self.assertEqual(mul(2, 3), 6)\n";
  assert.deepEqual(brief(await mine('python', 'tests/test_m.py', src)), [
    '4 pytest add [test_add]', '5 pytest parse [test_add]', '8 unittest mul [test_mul]',
  ]);
});

test('Go: t.Errorf under a comparison (subject via the variable), testify assert.Equal', async () => {
  const src = 'package m\nfunc TestAdd(t *testing.T) {\n\tgot := Add(1, 2)\n\tif got != 3 {\n\t\tt.Errorf("got %d", got)\n\t}\n\tassert.Equal(t, 3, Add(1, 2))\n\tt.Fatal("unconditional failures are not expectations")\n}';
  const ts = await mine('go', 'm_test.go', src);
  assert.deepEqual(brief(ts), ['4 go Add [TestAdd]', '7 go Add [TestAdd]']);
  assert.match(ts[0]!.assertion, /^if got != 3/);
});

test('Rust: assert_eq! inside #[test] functions, even in a non-test path; plain asserts elsewhere are not tests', async () => {
  const src = 'pub fn add(a: i32, b: i32) -> i32 { assert!(a > 0); a + b }\n#[cfg(test)]\nmod tests {\n  use super::*;\n  #[test]\n  fn adds() { assert_eq!(add(1, 2), 3); let p = parser::parse("x").unwrap(); assert!(p.is_ok()); }\n}';
  assert.deepEqual(brief(await mine('rust', 'src/lib.rs', src)), ['6 rust add [adds]', '6 rust parser.parse [adds]']);
});

test('JUnit assertions', async () => {
  const src = 'class CalcTest { @Test void adds() { assertEquals(3, calc.add(1,2)); Assertions.assertTrue(Calc.isPositive(1)); } }';
  assert.deepEqual(brief(await mine('java', 'src/test/java/CalcTest.java', src)), ['1 junit calc.add [adds]', '1 junit Calc.isPositive [adds]']);
});

test('RSpec expect chains and PHPUnit $this->assert*', async () => {
  assert.deepEqual(brief(await mine('ruby', 'spec/calc_spec.rb', "it 'adds' do\n  expect(Calc.add(1, 2)).to eq(3)\nend\n")), ['2 other Calc.add [-]']);
  const php = '<?php\nclass CalcTest extends TestCase {\n  public function testAdd(): void {\n    $this->assertEquals(3, add(1, 2));\n  }\n}';
  assert.deepEqual(brief(await mine('php', 'tests/CalcTest.php', php)), ['4 other add [testAdd]']);
});

test('xUnit, XCTest, GoogleTest and Zig test blocks', async () => {
  assert.deepEqual(brief(await mine('csharp', 'tests/CalcTests.cs', 'public class CalcTests { [Fact] public void Adds() { Assert.Equal(3, calc.Add(1, 2)); } }')), ['1 other calc.Add [Adds]']);
  assert.deepEqual(brief(await mine('swift', 'Tests/CalcTests.swift', 'final class CalcTests: XCTestCase {\n func testAdd() { XCTAssertEqual(add(1, 2), 3) }\n}')), ['2 other add [testAdd]']);
  assert.deepEqual(brief(await mine('cpp', 'tests/calc_test.cpp', 'TEST(Calc, Adds) { EXPECT_EQ(add(1, 2), 3); }')), ['1 other add [-]']);
  assert.deepEqual(brief(await mine('zig', 'src/calc.zig', 'test "add" { try std.testing.expectEqual(@as(i32, 3), add(1, 2)); }')), ['1 other add [add]']);
});

test('non-test files yield no expectations; comments are ignored', async () => {
  assert.deepEqual(await mine('typescript', 'src/math.ts', 'expect(add(1,2)).toBe(3);'), []);
  assert.deepEqual(await mine('typescript', 'a.test.ts', '// expect(add(1,2)).toBe(3)\n'), []);
});
