/**
 * The security rules as structured patterns (CodePattern, src/core/constraint.ts): what each
 * finding family forbids, per language, in a form a checker evaluates on a syntax tree
 * (forbidden-pattern.ts) and Braid can map to enforcement. They describe the same shapes the
 * scanner (security.ts) reports; test/clew/forbidden-pattern.test.ts holds the two together.
 */
import type { Language, LanguagePattern, SecurityFinding } from '../core/index.ts';

const JS: Language[] = ['typescript', 'tsx', 'javascript'];
const SQL_LANGUAGES: Language[] = [...JS, 'python', 'go', 'rust', 'java', 'kotlin', 'csharp', 'ruby', 'php', 'c', 'cpp', 'swift'];
const SECRET_LANGUAGES: Language[] = [...SQL_LANGUAGES, 'zig'];

/** A string that reads as SQL: `SELECT … FROM/WHERE`, `INSERT INTO`, `UPDATE x SET`, `DELETE FROM`, … */
export const SQL_TEXT = '\\bselect\\b[\\s\\S]*?\\b(from|where)\\b|\\binsert\\s+into\\b|\\bupdate\\s+[\\w."`[\\]]+\\s+set\\b|\\bdelete\\s+from\\b|\\breplace\\s+into\\b|\\bmerge\\s+into\\b';

/** A name that ends in a secret's word (`dbPassword`, `API_KEY`, `clientSecret`, `authToken`). */
export const SECRET_NAME = '[\\w$]*(password|passwd|pwd|secret|token|api_?key|access_?key|private_?key|secret_?key|signing_?key|encryption_?key|master_?key|passphrase)';

/** Credential shapes that are secrets wherever they appear. */
export const KEY_SHAPES: { regex: string; what: string }[] = [
  { regex: '\\bAKIA[0-9A-Z]{16}\\b', what: 'AWS access key id' },
  { regex: '\\b(ghp|gho|ghu|ghs|ghr)_[A-Za-z0-9]{36}\\b', what: 'GitHub token' },
  { regex: '\\bgithub_pat_[A-Za-z0-9_]{22,}\\b', what: 'GitHub fine-grained token' },
  { regex: '\\bxox[abprs]-[A-Za-z0-9-]{10,}\\b', what: 'Slack token' },
  { regex: '\\bsk_live_[0-9A-Za-z]{20,}\\b', what: 'Stripe live key' },
  { regex: '\\bAIza[0-9A-Za-z_-]{35}\\b', what: 'Google API key' },
  { regex: '-----BEGIN ((RSA|EC|DSA|OPENSSH|ENCRYPTED|PGP) )?PRIVATE KEY( BLOCK)?-----', what: 'private key block' },
];

/** What each family forbids. Callees are matched whole, as calleeText (node-query.ts) writes them. */
export const SECURITY_PATTERNS: Readonly<Record<SecurityFinding, readonly LanguagePattern[]>> = {
  eval: [
    { languages: [...JS, 'python', 'php', 'ruby'], pattern: { match: 'call', callee: '((window|globalThis|global|self|Kernel)\\.)?eval' } },
    { languages: ['python'], pattern: { match: 'call', callee: 'exec' } },
  ],
  dynamic_function: [{ languages: JS, pattern: { match: 'call', callee: 'Function' } }],
  shell_injection: [
    { languages: ['python'], pattern: { match: 'call', callee: '[\\w.]+', keyword: 'shell=True' } },
    { languages: ['python'], pattern: { match: 'call', callee: 'os\\.system|os\\.popen|subprocess\\.getoutput|subprocess\\.getstatusoutput|commands\\.getoutput', argument: { index: 0, shape: 'not_constant' } } },
    { languages: JS, pattern: { match: 'call', callee: '([\\w$]+\\.)*(exec|execSync)', argument: { index: 0, shape: 'built' } } },
    { languages: ['php'], pattern: { match: 'call', callee: 'shell_exec|system|exec|passthru|popen|proc_open', argument: { index: 0, shape: 'not_constant' } } },
    { languages: ['ruby'], pattern: { match: 'call', callee: '((Kernel|IO|Open3|Process)\\.)?(system|exec|spawn|popen|capture2e?|capture3)', argument: { index: 0, shape: 'built' } } },
    { languages: ['go'], pattern: { match: 'call', callee: 'exec\\.Command(Context)?', argument: { shape: 'built' } } },
    { languages: ['java', 'kotlin'], pattern: { match: 'call', callee: '.+\\.exec', argument: { index: 0, shape: 'built' } } },
    { languages: ['c', 'cpp'], pattern: { match: 'call', callee: 'system|popen|std\\.system', argument: { index: 0, shape: 'not_constant' } } },
    { languages: ['csharp'], pattern: { match: 'call', callee: '([\\w]+\\.)*Process\\.Start', argument: { shape: 'built' } } },
    { languages: ['rust'], pattern: { match: 'call', callee: '([\\w]+\\.)*Command\\.new', argument: { index: 0, shape: 'built' } } },
  ],
  sql_injection: [{ languages: SQL_LANGUAGES, pattern: { match: 'built_string', text: SQL_TEXT } }],
  hardcoded_secret: [
    { languages: SECRET_LANGUAGES, pattern: { match: 'string_assignment', name: SECRET_NAME } },
    ...KEY_SHAPES.map((k) => ({ languages: SECRET_LANGUAGES, pattern: { match: 'text' as const, regex: k.regex, what: k.what } })),
  ],
  unsafe_deserialization: [
    { languages: ['python'], pattern: { match: 'call', callee: '(c?[Pp]ickle|_pickle|dill|marshal|shelve|jsonpickle)\\.(loads?|Unpickler|open|decode)' } },
    { languages: ['python'], pattern: { match: 'call', callee: 'yaml\\.(unsafe_load|unsafe_load_all)' } },
    { languages: ['python'], pattern: { match: 'call', callee: 'yaml\\.(load|load_all)', unless: '\\b(C?SafeLoader|BaseLoader)\\b' } },
    { languages: ['java', 'kotlin'], pattern: { match: 'call', callee: '([\\w]+\\.)*(ObjectInputStream|XMLDecoder)' } },
    { languages: ['php'], pattern: { match: 'call', callee: 'unserialize', unless: 'allowed_classes[\'"]\\s*=>\\s*false' } },
    { languages: ['ruby'], pattern: { match: 'call', callee: 'Marshal\\.load|Marshal\\.restore|YAML\\.unsafe_load|Psych\\.unsafe_load' } },
    { languages: ['csharp'], pattern: { match: 'call', callee: 'BinaryFormatter|NetDataContractSerializer|LosFormatter|SoapFormatter' } },
    { languages: JS, pattern: { match: 'call', callee: '([\\w$]+\\.)*unserialize' } },
  ],
  inner_html: [
    { languages: JS, pattern: { match: 'property_assignment', property: 'innerHTML|outerHTML' } },
    { languages: JS, pattern: { match: 'identifier', name: 'dangerouslySetInnerHTML' } },
  ],
};

/** The patterns of a family that apply to `languages`, each limited to those languages. */
export function patternsFor(finding: SecurityFinding, languages: ReadonlySet<Language>): LanguagePattern[] {
  const out: LanguagePattern[] = [];
  for (const p of SECURITY_PATTERNS[finding]) {
    const ls = p.languages.filter((l) => languages.has(l));
    if (ls.length > 0) out.push({ languages: ls, pattern: p.pattern });
  }
  return out;
}
