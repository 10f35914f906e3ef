/**
 * Structured security rules (`forbidden_pattern`) evaluated on source text: each pattern is found
 * where it is written and not where a safe look-alike is, and the catalogue the constraints carry
 * (security-patterns.ts) finds what the extraction scanner (security.ts) reports.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import type { Language, LanguagePattern, SecurityFinding } from '../../src/core/index.ts';
import { describeRule } from '../../src/core/index.ts';
import { checkForbiddenPattern, type ForbiddenPatternRule } from '../../src/clew/forbidden-pattern.ts';
import { SECURITY_PATTERNS } from '../../src/clew/security-patterns.ts';
import { parse } from '../../src/clew/parser.ts';
import { scanSecurity } from '../../src/clew/security.ts';

const rule = (finding: SecurityFinding, patterns: LanguagePattern[]): ForbiddenPatternRule => ({ type: 'forbidden_pattern', finding, patterns });
const where = async (r: ForbiddenPatternRule, language: Language, src: string): Promise<string[]> =>
  (await checkForbiddenPattern(r, src, language)).map((f) => `${f.line}:${f.column}`);

test('a call of eval/exec is found with its line and column; a method of the same name is not', async () => {
  const r = rule('eval', [{ languages: ['python'], pattern: { match: 'call', callee: 'eval|exec' } }]);
  assert.deepEqual(await where(r, 'python', 'x = 1\ny = eval(src)\n  exec(code)\n'), ['2:5', '3:3']);
  assert.deepEqual(await where(r, 'python', 'y = obj.eval(src)\n# eval(src)\ns = "eval(src)"\n'), []);
  // Patterns apply only to the languages they are written for.
  assert.deepEqual(await where(r, 'ruby', 'eval(src)\n'), []);
});

test('string concatenation or interpolation flowing into query/execute/raw is found; a parameterised call is not', async () => {
  const r = rule('sql_injection', [{
    languages: ['typescript'],
    pattern: { match: 'call', callee: '([\\w$]+\\.)*(query|execute|raw)', argument: { index: 0, shape: 'built' } },
  }]);
  const bad = 'db.query("SELECT * FROM t WHERE id=" + id);\nknex.raw(`DELETE FROM t WHERE id=${id}`);\n';
  assert.deepEqual(await where(r, 'typescript', bad), ['1:1', '2:1']);
  const good = 'db.query("SELECT * FROM t WHERE id=$1", [id]);\nknex.raw("DELETE FROM t");\nlog("a" + b);\n';
  assert.deepEqual(await where(r, 'typescript', good), []);
});

test('a hard-coded secret assigned to a name matching the regex is found; env lookups and placeholders are not', async () => {
  const r = rule('hardcoded_secret', [{ languages: ['go'], pattern: { match: 'string_assignment', name: '[\\w$]*(password|token)' } }]);
  const bad = 'package x\nfunc f() {\n\tdbPassword := "s3cr3t-value"\n\tcfg := Config{AuthToken: "abcd1234"}\n}\n';
  assert.deepEqual(await where(r, 'go', bad), ['3:2', '4:16']);
  const good = 'package x\nfunc f() {\n\tdbPassword := os.Getenv("DB_PASSWORD")\n\ttoken := "changeme"\n\tuser := "admin1234"\n}\n';
  assert.deepEqual(await where(r, 'go', good), []);
});

test('property assignments, identifiers and text shapes', async () => {
  const r = rule('inner_html', [...SECURITY_PATTERNS.inner_html]);
  assert.deepEqual(await where(r, 'tsx', 'el.innerHTML = html;\nconst A = () => <div dangerouslySetInnerHTML={{ __html: h }} />;\n'), ['1:1', '2:22']);
  assert.deepEqual(await where(r, 'tsx', 'if (el.innerHTML === "") {}\nel.textContent = html;\n'), []);
  const key = `AKIA${'ABCDEFGH'.repeat(2)}`; // built here so that no key-shaped literal sits in the repository
  const shapes = rule('hardcoded_secret', SECURITY_PATTERNS.hardcoded_secret.filter((p) => p.pattern.match === 'text'));
  assert.deepEqual(await where(shapes, 'python', `# ${key}\nx = 1\n`), ['1:3']);
  assert.deepEqual(await where(shapes, 'python', 'x = "AKIA-not-a-key"\n'), []);
});

test('the description is derived from the rule', () => {
  const r = rule('shell_injection', [{ languages: ['javascript'], pattern: { match: 'call', callee: 'exec', argument: { index: 0, shape: 'built' } } }]);
  assert.equal(describeRule(r), 'no shell injection: a call of /exec/ with a string built from values as argument 1 (javascript)');
});

/** Sources with findings of every family (the scanner's own test cases, test/clew/security.test.ts). */
const CORPUS: [Language, string][] = [
  ['typescript', 'const q = `SELECT * FROM t WHERE id=${id}`;\nel.innerHTML = "<b>" + x;\nexec("ls " + dir);\nconst f = new Function("a", "return a");\neval(code);\ndb.query("SELECT * FROM users WHERE name = \'" + name + "\'");\nel.outerHTML += part;\nexec("ls -la");\nconst rows = sql`SELECT * FROM t WHERE id=${id}`;\nconst password = "hunter22x";\nconst tokenType = "Bearer";\n'],
  ['python', 'subprocess.run(cmd, shell=True)\ncur.execute(f"SELECT * FROM t WHERE id={x}")\ncur.execute("DELETE FROM t WHERE id=%s" % x)\npassword = "hunter22"\nyaml.load(s, Loader=yaml.SafeLoader)\nyaml.load(s)\npickle.loads(b)\nos.system("ls " + d)\nos.system("ls")\nexec(code)\nq = "SELECT a FROM b WHERE c = {}".format(c)\ncur.execute("SELECT * FROM t WHERE id=%s", (x,))\nmarshal.loads(data)\n'],
  ['go', 'package x\nfunc f() {\n q := fmt.Sprintf("SELECT * FROM t WHERE id=%s", id)\n db.Query("SELECT a FROM b WHERE c=" + c)\n apiKey := "abcd1234"\n exec.Command("sh", "-c", "ls " + d)\n db.Query("SELECT a FROM b WHERE c=$1", c)\n exec.Command("ls", "-la")\n}'],
  ['rust', 'fn f() {\n let q = format!("SELECT * FROM t WHERE id={}", id);\n let token = "xyz12345";\n let s = format!("hello {}", x);\n}'],
  ['java', 'class A {\n void f() {\n  Runtime.getRuntime().exec("ls " + d);\n  String password = "abc123";\n  new ObjectInputStream(in);\n  String q = "SELECT * FROM t WHERE id=" + id;\n }\n}'],
  ['ruby', 'system("ls #{d}")\npassword = "abc123"\nMarshal.load(x)\nq = "SELECT * FROM t WHERE id=#{id}"\nsystem("ls")'],
  ['php', '<?php\n$q = "SELECT * FROM t WHERE id=$id";\n$r = unserialize($x);\nshell_exec("ls " . $d);\n$password = "abcdef";\neval($c);'],
  ['csharp', 'class A {\n void F() {\n  var q = $"SELECT * FROM t WHERE id={id}";\n  var f = new BinaryFormatter();\n }\n}'],
  ['c', 'int main() {\n system(cmd);\n system("ls");\n}'],
];

test('the constraints\' patterns find what the extraction scanner reports, family by family', async () => {
  for (const [language, src] of CORPUS) {
    const tree = await parse(language, src);
    let scanned: string[];
    try {
      scanned = scanSecurity(tree.rootNode, language, src).map((f) => `${f.line}:${f.finding}`);
    } finally {
      tree.delete();
    }
    const checked = new Set<string>();
    for (const finding of Object.keys(SECURITY_PATTERNS) as SecurityFinding[]) {
      for (const f of await checkForbiddenPattern(rule(finding, [...SECURITY_PATTERNS[finding]]), src, language)) checked.add(`${f.line}:${f.finding}`);
    }
    assert.ok(scanned.length > 0, language);
    assert.deepEqual([...checked].sort(), [...new Set(scanned)].sort(), language);
  }
});
