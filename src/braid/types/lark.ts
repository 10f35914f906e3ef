/**
 * The typed-expression grammar printed in the Lark dialect (docs/engine-grammars.md): a start rule,
 * the rules of the inhabitation search (rules.ts) with their types as comments, and the lexemes the
 * rules use. Whitespace (spaces and tabs, never a line break: an expression after `return` must not
 * start a new line) may appear between lexemes; `word_boundary` keeps two words from touching
 * (`notx`, `1in`), as in the shipped program grammars.
 */
import type { GSym, RuleSet } from './rules.ts';
import type { TypeLanguage } from './type.ts';

const TS_ESCAPE = String.raw`\\(["'\\\/bfnrtv]|x[0-9a-fA-F]{2}|u[0-9a-fA-F]{4})`;
const TEMPLATE_ESCAPE = String.raw`\\(["'${'`'}\\$\/bfnrtv{}]|x[0-9a-fA-F]{2}|u[0-9a-fA-F]{4})`;
/** Literal text of a template: a `$` is never followed by `{` (that starts a substitution). */
const TEMPLATE_BODY = String.raw`([^${'`'}\\$\x00]|${TEMPLATE_ESCAPE}|\$+([^${'`'}\\${'$'}{\x00]|${TEMPLATE_ESCAPE}))*\$*`;
const PY_ESCAPE = String.raw`\\(["'\\abfnrtv0]|x[0-9a-fA-F]{2}|u[0-9a-fA-F]{4})`;

/**
 * The lexemes, per language. Strings are single-line with the escapes both languages read the same
 * way (no octal escapes in TypeScript, no line continuations); numbers have no sign (a minus is an
 * operator) and no leading zeros; template and f-string parts exclude what would end or open an
 * interpolation.
 */
export const TERMINALS: Record<TypeLanguage, Record<string, string>> = {
  typescript: {
    STRING: String.raw`/"([^"\\\n\r\x00\x{2028}\x{2029}]|${TS_ESCAPE})*"|'([^'\\\n\r\x00\x{2028}\x{2029}]|${TS_ESCAPE})*'/`,
    NUMBER: String.raw`/(0|[1-9][0-9]*)(\.[0-9]+)?([eE][+\-]?[0-9]+)?/`,
    BIGINT: String.raw`/(0|[1-9][0-9]*)n/`,
    // Templates lex as JavaScript does (head, middle, tail, no substitution): no lexeme boundary
    // falls inside literal text, so no word seam (`id${n}`) and no lookahead (`a${`) is needed.
    TEMPLATE_NOSUB: `/${'`'}${TEMPLATE_BODY}${'`'}/`,
    TEMPLATE_HEAD: `/${'`'}${TEMPLATE_BODY}${String.raw`\$\{`}/`,
    TEMPLATE_MIDDLE: `/${String.raw`\}`}${TEMPLATE_BODY}${String.raw`\$\{`}/`,
    TEMPLATE_TAIL: `/${String.raw`\}`}${TEMPLATE_BODY}${'`'}/`,
    PROPKEY: String.raw`/[A-Za-z_$][A-Za-z0-9_$]*/`,
  },
  python: {
    STRING: String.raw`/"([^"\\\n\r\x00]|${PY_ESCAPE})*"|'([^'\\\n\r\x00]|${PY_ESCAPE})*'/`,
    INT: String.raw`/0|[1-9](_?[0-9])*/`,
    FLOAT: String.raw`/(0|[1-9][0-9]*)\.[0-9]+([eE][+\-]?[0-9]+)?/`,
    // No braces inside: `{{` and `}}` are parts of their own, so `a{x}` lexes as `a` `{` without lookahead.
    FSTRING_DQ: String.raw`/([^"\\{}\n\r\x00]|\\(["'\\abfnrtv]|x[0-9a-fA-F]{2}))+/`,
    FSTRING_SQ: String.raw`/([^'\\{}\n\r\x00]|\\(["'\\abfnrtv]|x[0-9a-fA-F]{2}))+/`,
  },
};

function larkString(text: string): string {
  return `"${text.replace(/\\/g, '\\\\').replace(/"/g, '\\"')}"`;
}

function printSyms(syms: readonly GSym[]): string {
  return syms.map((s) => {
    if ('lit' in s) return larkString(s.lit);
    if ('term' in s) return s.term;
    if ('rule' in s) return s.rule;
    if ('opt' in s) return `[${printSyms(s.opt)}]`;
    return `(${printSyms(s.star)})*`;
  }).join(' ');
}

export function printTypedGrammar(rs: RuleSet, start: string, lang: TypeLanguage, title: string): string {
  const lines: string[] = [
    '%llguidance {"word_boundary": true}',
    `// ${title.replace(/\n/g, ' ')}`,
    '%ignore /[ \\t]+/',
    '',
    `start: ${start}`,
  ];
  for (const r of rs.rules.values()) {
    lines.push(`// ${r.comment.replace(/\n/g, ' ')}`);
    lines.push(`${r.name}: ${r.alts.map(printSyms).join('\n    | ')}`);
  }
  lines.push('');
  const terms = TERMINALS[lang];
  for (const t of [...rs.terminals()].sort()) {
    const def = terms[t];
    if (def === undefined) throw new Error(`no lexeme ${t} for ${lang}`);
    lines.push(`${t}: ${def}`);
  }
  return `${lines.join('\n')}\n`;
}
