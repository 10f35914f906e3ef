import { test } from 'node:test';
import assert from 'node:assert/strict';
import type { Language, SecurityFact } from '../../src/core/index.ts';
import { parse } from '../../src/clew/parser.ts';
import { isSecretName, scanSecurity } from '../../src/clew/security.ts';

async function scan(language: Language, source: string): Promise<SecurityFact[]> {
  const tree = await parse(language, source);
  try {
    return scanSecurity(tree.rootNode, language, source);
  } finally {
    tree.delete();
  }
}

const summary = (fs: SecurityFact[]): string[] => fs.map((f) => `${f.line}:${f.finding}`);

test('TypeScript: eval, new Function, exec with interpolation, SQL concatenation, innerHTML', async () => {
  const src = [
    'const q = `SELECT * FROM t WHERE id=${id}`;',
    'el.innerHTML = "<b>" + x;',
    'exec("ls " + dir);',
    'const f = new Function("a", "return a");',
    'eval(code);',
    'db.query("SELECT * FROM users WHERE name = \'" + name + "\'");',
    'el.outerHTML += part;',
  ].join('\n');
  assert.deepEqual(summary(await scan('typescript', src)), [
    '1:sql_injection', '2:inner_html', '3:shell_injection', '4:dynamic_function', '5:eval', '6:sql_injection', '7:inner_html',
  ]);
});

test('TypeScript: safe look-alikes are not findings', async () => {
  const src = [
    'const re = /x/; re.exec(input);',                       // RegExp.exec, not child_process
    'exec("ls -la");',                                        // constant command
    'const rows = sql`SELECT * FROM t WHERE id=${id}`;',      // tagged template: parameterised
    'db.query("SELECT * FROM t WHERE id = $1", [id]);',       // placeholder, no concatenation
    '// eval(userInput) would be bad',                        // comment
    'const msg = "please select an option from the list";',   // English, not SQL
    'const tokenType = "Bearer";',                            // not a secret name
    'const password = "";',                                   // empty
    'const apiKey = process.env.API_KEY;',                    // not a literal
    'if (el.innerHTML === "") {}',                            // comparison, not assignment
  ].join('\n');
  assert.deepEqual(await scan('typescript', src), []);
});

test('TSX: dangerouslySetInnerHTML is a finding', async () => {
  const fs = await scan('tsx', 'export const A = () => <div dangerouslySetInnerHTML={{ __html: html }} />;');
  assert.deepEqual(summary(fs), ['1:inner_html']);
});

test('Python: shell=True, os.system, f-string and % SQL, pickle, yaml.load without SafeLoader, exec', async () => {
  const src = [
    'subprocess.run(cmd, shell=True)',
    'cur.execute(f"SELECT * FROM t WHERE id={x}")',
    'cur.execute("DELETE FROM t WHERE id=%s" % x)',
    'password = "hunter22"',
    'yaml.load(s, Loader=yaml.SafeLoader)',
    'yaml.load(s)',
    'pickle.loads(b)',
    'os.system("ls " + d)',
    'os.system("ls")',
    'exec(code)',
    'q = "SELECT a FROM b WHERE c = {}".format(c)',
    'cur.execute("SELECT * FROM t WHERE id=%s", (x,))',
    'marshal.loads(data)',
  ].join('\n');
  assert.deepEqual(summary(await scan('python', src)), [
    '1:shell_injection', '2:sql_injection', '3:sql_injection', '4:hardcoded_secret', '6:unsafe_deserialization',
    '7:unsafe_deserialization', '8:shell_injection', '10:eval', '11:sql_injection', '13:unsafe_deserialization',
  ]);
});

test('Go, Rust, Java, Ruby, PHP, C#, C: one finding per construct, none for safe variants', async () => {
  const go = 'package x\nfunc f() {\n q := fmt.Sprintf("SELECT * FROM t WHERE id=%s", id)\n db.Query("SELECT a FROM b WHERE c=" + c)\n apiKey := "abcd1234"\n exec.Command("sh", "-c", "ls " + d)\n db.Query("SELECT a FROM b WHERE c=$1", c)\n exec.Command("ls", "-la")\n}';
  assert.deepEqual(summary(await scan('go', go)), ['3:sql_injection', '4:sql_injection', '5:hardcoded_secret', '6:shell_injection']);

  const rust = 'fn f() {\n let q = format!("SELECT * FROM t WHERE id={}", id);\n let token = "xyz12345";\n let s = format!("hello {}", x);\n}';
  assert.deepEqual(summary(await scan('rust', rust)), ['2:sql_injection', '3:hardcoded_secret']);

  const java = 'class A {\n void f() {\n  Runtime.getRuntime().exec("ls " + d);\n  String password = "abc123";\n  new ObjectInputStream(in);\n  String q = "SELECT * FROM t WHERE id=" + id;\n }\n}';
  assert.deepEqual(summary(await scan('java', java)), ['3:shell_injection', '4:hardcoded_secret', '5:unsafe_deserialization', '6:sql_injection']);

  const ruby = 'system("ls #{d}")\npassword = "abc123"\nMarshal.load(x)\nq = "SELECT * FROM t WHERE id=#{id}"\nsystem("ls")';
  assert.deepEqual(summary(await scan('ruby', ruby)), ['1:shell_injection', '2:hardcoded_secret', '3:unsafe_deserialization', '4:sql_injection']);

  const php = '<?php\n$q = "SELECT * FROM t WHERE id=$id";\n$r = unserialize($x);\nshell_exec("ls " . $d);\n$password = "abcdef";\neval($c);';
  assert.deepEqual(summary(await scan('php', php)), ['2:sql_injection', '3:unsafe_deserialization', '4:shell_injection', '5:hardcoded_secret', '6:eval']);

  const cs = 'class A {\n void F() {\n  var q = $"SELECT * FROM t WHERE id={id}";\n  var f = new BinaryFormatter();\n }\n}';
  assert.deepEqual(summary(await scan('csharp', cs)), ['3:sql_injection', '4:unsafe_deserialization']);

  assert.deepEqual(summary(await scan('c', 'int main() {\n system(cmd);\n system("ls");\n}')), ['2:shell_injection']);
});

test('key shapes are found anywhere and masked in the detail', async () => {
  // Built at run time so that no credential-shaped literal sits in the repository.
  const gh = `gh${'p'}_${'A1b2C3d4E5'.repeat(3)}abcdef`;
  const pem = `-----BEGIN RSA ${'PRIVATE'} KEY-----`;
  const src = `const a = "AKIAIOSFODNN7EXAMPLE";\nconst b = "${gh}";\nconst c = \`${pem}\nMIIE\n\`;\n`;
  const fs = await scan('typescript', src);
  assert.deepEqual(summary(fs), ['1:hardcoded_secret', '2:hardcoded_secret', '3:hardcoded_secret']);
  for (const f of fs) {
    assert.ok(!f.detail.includes('IOSFODNN7EXAMPLE'), f.detail);
    assert.ok(!f.detail.includes(gh), f.detail);
  }
});

test('isSecretName: the last word decides', () => {
  for (const n of ['password', 'dbPassword', 'DB_PASSWORD', 'api_key', 'apiKey', 'GITHUB_TOKEN', 'clientSecret', 'secret', '$password']) {
    assert.equal(isSecretName(n), true, n);
  }
  for (const n of ['tokenType', 'password_field', 'tokenizer', 'keyName', 'secretary', 'passwordHint']) {
    assert.equal(isSecretName(n), false, n);
  }
});

test('a file with syntax errors still yields findings and never throws', async () => {
  const fs = await scan('python', 'def broken(:\n    eval(x)\nos.system("rm " + path)\n');
  assert.ok(fs.some((f) => f.finding === 'shell_injection'));
});
