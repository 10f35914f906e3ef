/**
 * Test expectations: assertions in test files, each linked to the function under test when it can
 * be resolved (the callee called inside the assertion, or the call that produced a variable the
 * assertion checks: `got := Add(1, 2); if got != 3 { t.Errorf(…) }` → `Add`).
 *
 * Like the security scanner, a regex finds candidate assertions and the tree confirms them.
 */
import type { Node } from 'web-tree-sitter';
import type { Language, TestFact } from '../core/index.ts';
import { CALL_TYPES, argsOf, calleeText, inComment, lastSegment, nodeAt, snippet } from './node-query.ts';

type Framework = TestFact['framework'];

const TEST_DIR = /(^|\/)(test|tests|__tests__|spec|specs|testing|e2e)\//;
const TEST_FILE = /(\.(test|spec)\.[cm]?[jt]sx?$)|(^test_.*\.py$)|(_test\.(py|go|rb)$)|(_spec\.rb$)|((Test|Tests|Spec|IT)\.(java|kt|cs|swift|php)$)|(^Test\w*\.(java|kt|cs|php)$)|(^conftest\.py$)/;

/** Whether a path names a test file by the usual conventions of its language. */
export function isTestPath(path: string): boolean {
  const p = path.replace(/\\/g, '/');
  const base = p.slice(p.lastIndexOf('/') + 1);
  return TEST_FILE.test(base) || TEST_DIR.test(p);
}

const JS: ReadonlySet<Language> = new Set(['typescript', 'tsx', 'javascript']);

function hitPattern(language: Language): RegExp {
  switch (language) {
    case 'typescript': case 'tsx': case 'javascript': return /\b(expect|assert)\b/g;
    case 'python': return /\bassert\b|\bself\.(assert\w*|fail\w*)\b/g;
    case 'go': return /\bt\.(Errorf|Error|Fatalf|Fatal)\b|\b(assert|require)\.[A-Z]\w*/g;
    case 'rust': return /\b(assert|assert_eq|assert_ne|debug_assert|debug_assert_eq|debug_assert_ne)!/g;
    case 'c': case 'cpp': return /\b(EXPECT|ASSERT)_[A-Z_]+\b|\bassert\b/g;
    case 'zig': return /\btesting\.expect\w*/g;
    default: return /\b(assert\w*|Assert\.\w+|XCTAssert\w*|expect)\b/g;
  }
}

function jsFramework(source: string): Framework {
  if (/from\s+['"]vitest['"]/.test(source)) return 'vitest';
  if (/['"]node:test['"]|['"]node:assert/.test(source)) return 'node:test';
  if (/['"](mocha|chai)['"]/.test(source)) return 'mocha';
  return 'jest';
}

function frameworkFor(language: Language, source: string, callee: string): Framework {
  if (JS.has(language)) {
    const fw = jsFramework(source);
    if (callee.startsWith('expect')) return fw === 'node:test' ? 'jest' : fw;
    return fw === 'mocha' ? 'mocha' : 'node:test';
  }
  switch (language) {
    case 'python': return callee.startsWith('self.') ? 'unittest' : 'pytest';
    case 'go': return 'go';
    case 'rust': return 'rust';
    case 'zig': return 'other';
    case 'java': case 'kotlin': return 'junit';
    case 'c': case 'cpp': return 'other';
    default: return 'other';
  }
}

/** Callees that are assertion machinery or plumbing, never the function under test. */
const NOT_SUBJECT = /^(expect|assert\w*|Assert\w*|XCTAssert\w*|len|str|int|float|bool|list|dict|set|tuple|sorted|isinstance|type|repr|print|abs|round|any|all|String|Number|Boolean|require|DeepEqual|Equal|EqualValues|Is|As|Errorf|Error|Fatalf|Fatal|Helper|make|append|cap|new|Some|Ok|Err|None|to_string|to_owned|as_str|as_ref|into|clone|unwrap|unwrap_err|expect_err|is_ok|is_err|is_some|is_none|iter|collect|toString|toEqual|toBe|to|eq|include|equal|deepEqual|strictEqual|deepStrictEqual|ok|throws|rejects|not|fail\w*|mock\w*|spy\w*|fn|Sprintf|Sprint|Println|Printf|some|every|includes|find|findIndex|indexOf|lastIndexOf|startsWith|endsWith|match|matchAll|at|slice|substring|concat|flat|flatMap|sort|reverse|push|pop|shift|forEach|replace|replaceAll|toLowerCase|toUpperCase|toFixed|call|apply|bind|then|catch|map|filter|reduce|join|split|trim|keys|values|entries|has|get|size|length|count|contains|startswith|endswith|lower|upper|strip|items|(JSON|Object|Array|Math|Promise|Symbol|Reflect|reflect|jest|vi|sinon|mock|bytes|strings|errors|fmt|os|json|re)\.\w+)$/;

/** `await new Calc().add` → `Calc.add`; `self.client.get` keeps its receiver. */
function normaliseCallee(c: string): string {
  return c.replace(/^(await|try|new)\s*/, '').replace(/^(this|self)\./, '').replace(/\([^()]*\)/g, '').replace(/!$/, '').replace(/\.+/g, '.');
}

/** The first call inside `scope` that looks like the code under test, in source order. */
function firstSubjectCall(scope: Node, source: string): string | undefined {
  const stack: Node[] = [scope];
  let budget = 400;
  while (stack.length > 0 && budget-- > 0) {
    const n = stack.pop()!;
    if (CALL_TYPES.has(n.type) && n.id !== scope.id) {
      const callee = normaliseCallee(calleeText(n, source));
      if (callee.length > 0 && !NOT_SUBJECT.test(lastSegment(callee)) && !NOT_SUBJECT.test(callee) && /^[A-Za-z_$][\w$.]*$/.test(callee)) return callee;
    }
    for (let i = n.namedChildCount - 1; i >= 0; i--) {
      const c = n.namedChild(i);
      if (c) stack.push(c);
    }
  }
  return undefined;
}

/** Inside a Rust macro's token tree calls are not parsed; read them off the text. */
function subjectFromTokens(text: string): string | undefined {
  const re = /([A-Za-z_][\w]*(?:(?:::|\.)[A-Za-z_]\w*)*)\s*(!?)\s*\(/g;
  for (let m = re.exec(text); m; m = re.exec(text)) {
    if (m[2] === '!') continue;
    const callee = normaliseCallee(m[1]!.replace(/::/g, '.'));
    if (!NOT_SUBJECT.test(lastSegment(callee))) return callee;
  }
  return undefined;
}

const FUNCTION_TYPES: ReadonlySet<string> = new Set([
  'function_declaration', 'function_definition', 'function_item', 'method_declaration', 'method_definition',
  'method', 'function_expression', 'arrow_function', 'func_literal', 'constructor_declaration', 'local_function_statement',
]);

interface Enclosing {
  test?: string;
  /** Where the enclosing test body starts, to look back for the variables an assertion checks. */
  bodyStart: number;
  isRustTest: boolean;
}

function enclosingTest(node: Node, language: Language): Enclosing {
  let bodyStart = -1;
  let test: string | undefined;
  let isRustTest = false;
  let n: Node | null = node.parent;
  for (let d = 0; n && d < 60; d++, n = n.parent) {
    if (FUNCTION_TYPES.has(n.type)) {
      if (bodyStart < 0) bodyStart = n.startIndex;
      const name = n.childForFieldName('name')?.text;
      if (name && test === undefined) test = name;
      if (language === 'rust' && n.type === 'function_item') {
        let prev = n.previousNamedSibling;
        while (prev && prev.type === 'attribute_item') {
          if (/\btest\b/.test(prev.text)) isRustTest = true;
          prev = prev.previousNamedSibling;
        }
      }
    } else if (JS.has(language) && n.type === 'call_expression') {
      const callee = n.childForFieldName('function')?.text ?? '';
      if (/^(it|test|specify)(\.(only|skip|each\b.*|concurrent))?$/.test(callee) || /^t\.test$/.test(callee)) {
        const first = argsOf(n)?.namedChild(0);
        if (first && /string|template/.test(first.type)) test = first.text.slice(1, -1);
        break;
      }
    } else if (n.type === 'test_declaration') {
      const name = n.namedChildren.find((c) => c !== null && c.type === 'string');
      if (name && test === undefined) test = name.text.slice(1, -1);
    } else if (language === 'rust' && n.type === 'mod_item' && n.childForFieldName('name')?.text === 'tests') {
      isRustTest = true;
    }
  }
  return { test, bodyStart: Math.max(0, bodyStart), isRustTest };
}

const IDENT_TYPES: ReadonlySet<string> = new Set(['identifier', 'variable_name', 'simple_identifier']);
const NOT_VARIABLES: ReadonlySet<string> = new Set(['t', 'self', 'this', 'assert', 'expect', 'require', 'nil', 'null', 'None', 'err', 'expected', 'want', 'true', 'false']);

function identifiersIn(scope: Node, language: Language): string[] {
  if (language === 'rust') {
    return [...new Set(scope.text.match(/\b[a-z_][a-z0-9_]*\b/g) ?? [])].filter((s) => !NOT_VARIABLES.has(s));
  }
  const out: string[] = [];
  const stack: Node[] = [scope];
  let budget = 200;
  while (stack.length > 0 && budget-- > 0) {
    const n = stack.pop()!;
    if (IDENT_TYPES.has(n.type)) {
      const name = n.text.replace(/^\$/, '');
      if (!NOT_VARIABLES.has(name) && !out.includes(name)) out.push(name);
      continue;
    }
    for (let i = n.namedChildCount - 1; i >= 0; i--) {
      const c = n.namedChild(i);
      if (c) stack.push(c);
    }
  }
  return out;
}

/** The callee whose result was assigned to `name` last before `end` (and after `start`). */
function producerOf(name: string, source: string, start: number, end: number): string | undefined {
  const esc = name.replace(/[$]/g, '\\$');
  const re = new RegExp(`(?<![\\w$.])\\$?${esc}\\b(?:\\s*,\\s*[\\w$]+)*(?:\\s*:\\s*[\\w<>\\[\\]., ]+?)?\\s*(?::=|=)(?!=)\\s*(?:(?:await|try|new)\\s+)*([A-Za-z_$][\\w$.:]*(?:\\([^()]*\\)\\.[\\w$]+)*)\\s*[(!<]`, 'g');
  const region = source.slice(start, end);
  let found: string | undefined;
  for (let m = re.exec(region); m; m = re.exec(region)) {
    // `parse("x").unwrap()` → `parse`: drop trailing plumbing links of a chain.
    const parts = normaliseCallee(m[1]!.replace(/::/g, '.')).split('.');
    while (parts.length > 1 && NOT_SUBJECT.test(parts[parts.length - 1]!)) parts.pop();
    const callee = parts.join('.');
    if (!NOT_SUBJECT.test(parts[parts.length - 1]!)) found = callee;
  }
  return found;
}

/** Climbs a method chain to its outermost link: `expect(x)` → `expect(x).not.toBe(y)`. */
function chainTop(call: Node): Node {
  let top = call;
  for (let p = top.parent; p && p.startIndex === top.startIndex && /member|call|field|selector|navigation|method_invocation|await/.test(p.type); p = p.parent) {
    if (p.type.includes('await')) break;
    top = p;
  }
  return top;
}

function callContaining(leaf: Node, at: number): Node | null {
  let n: Node | null = leaf;
  for (let d = 0; n && d < 4; d++, n = n.parent) {
    if (!CALL_TYPES.has(n.type)) continue;
    const args = argsOf(n);
    if (!args || at < args.startIndex) return n;
  }
  return null;
}

/** Assertions in test files (Jest/Vitest/Mocha expect, pytest assert, Go testing, …). */
export function mineTests(root: Node, language: Language, source: string, path: string): TestFact[] {
  const testFile = isTestPath(path);
  // Rust and Zig keep unit tests next to the code (`#[test]`, `test "name" {}`).
  const inlineTests = (language === 'rust' && /#\[(\w+::)?test\]/.test(source)) || (language === 'zig' && /^\s*test\s+"/m.test(source));
  if (!testFile && !inlineTests) return [];
  const out: TestFact[] = [];
  const re = hitPattern(language);
  re.lastIndex = 0;
  let coveredEnd = -1;
  for (let m = re.exec(source); m; m = re.exec(source)) {
    if (m.index < coveredEnd) continue;
    const leaf = nodeAt(root, m.index);
    if (!leaf || inComment(leaf) || /string|fragment|content/.test(leaf.type)) continue;

    let node: Node | null = null;       // the whole assertion
    let scope: Node | null = null;      // where the subject is looked for
    let callee = '';
    if (language === 'python' && m[0] === 'assert') {
      node = leaf.parent && leaf.parent.type === 'assert_statement' ? leaf.parent : null;
      scope = node;
    } else if (language === 'rust') {
      const mac = leaf.parent && leaf.parent.type === 'macro_invocation' ? leaf.parent : null;
      if (mac) { node = mac; scope = argsOf(mac); callee = `${m[1]}!`; }
    } else {
      const call = callContaining(leaf, m.index);
      if (!call) continue;
      callee = calleeText(call, source);
      if (language === 'go' && /^t\.(Errorf|Error|Fatalf|Fatal)$/.test(callee)) {
        let n: Node | null = call.parent;
        for (let d = 0; n && d < 5 && n.type !== 'if_statement'; d++) n = n.parent;
        if (!n || n.type !== 'if_statement') continue;
        const cond = n.childForFieldName('condition');
        if (!cond) continue;
        node = n;
        scope = cond;
      } else if (callee === 'expect' || /^((\$?this|self)\.)?(assert\w*|fail\w*)$|^(assert|require|Assert|Assertions)\.\w+$|^XCTAssert\w*$|^(EXPECT|ASSERT)_[A-Z_]+$|^(std\.)?testing\.expect\w*$/.test(callee)) {
        node = callee === 'expect' ? chainTop(call) : call;
        scope = argsOf(call) ?? call;
      } else continue;
    }
    if (!node) continue;
    const enc = enclosingTest(node, language);
    if (language === 'rust' && !testFile && !enc.isRustTest) continue;
    coveredEnd = node.endIndex;

    let subject: string | undefined;
    if (scope) {
      subject = language === 'rust' ? subjectFromTokens(scope.text) : firstSubjectCall(scope, source);
      if (!subject) {
        for (const id of identifiersIn(scope, language)) {
          subject = producerOf(id, source, enc.bodyStart, node.startIndex);
          if (subject) break;
        }
      }
    }
    const assertion = language === 'go' && node.type === 'if_statement'
      ? `if ${node.childForFieldName('condition')?.text ?? ''} { ${snippet(callee)}(…) }`
      : node.text;
    const fact: TestFact = {
      framework: frameworkFor(language, source, callee),
      assertion: snippet(assertion, 200),
      line: node.startPosition.row + 1,
    };
    if (subject) fact.subject = subject;
    if (enc.test) fact.test = enc.test;
    out.push(fact);
  }
  return out;
}
