/**
 * Our definitions of the terminals `%import common.NAME` provides (the names and meanings of Lark's
 * `common.lark`, written here from what each terminal is meant to match). They are Lark-dialect
 * terminal definitions, compiled by the same code as user terminals. Names starting with `_` are
 * helpers: importable, but not listed as public.
 *
 * Differences from Lark, on purpose: ESCAPED_STRING and C_COMMENT are written without lazy
 * quantifiers or lookbehind (which the dialect does not have); they match the same strings.
 */
export const COMMON_LARK = String.raw`
// Digits and numbers
DIGIT: "0".."9"
HEXDIGIT: "a".."f" | "A".."F" | DIGIT
INT: DIGIT+
SIGNED_INT: ["+" | "-"] INT
DECIMAL: INT "." INT? | "." INT
_EXP: ("e" | "E") SIGNED_INT
FLOAT: INT _EXP | DECIMAL _EXP?
SIGNED_FLOAT: ["+" | "-"] FLOAT
NUMBER: FLOAT | INT
SIGNED_NUMBER: ["+" | "-"] NUMBER

// Strings: a double-quoted string on one line; a backslash escapes any next character.
_STRING_ESC_INNER: (/[^"\\\n]/ | /\\[^\n]/)*
ESCAPED_STRING: "\"" _STRING_ESC_INNER "\""

// Names
LCASE_LETTER: "a".."z"
UCASE_LETTER: "A".."Z"
LETTER: UCASE_LETTER | LCASE_LETTER
WORD: LETTER+
CNAME: ("_" | LETTER) ("_" | LETTER | DIGIT)*

// Whitespace
WS_INLINE: (" " | "\t")+
WS: /[ \t\f\r\n]+/
CR: "\r"
LF: "\n"
NEWLINE: (CR? LF)+

// Comments (without the line break that ends them)
SH_COMMENT: /#[^\n]*/
CPP_COMMENT: /\/\/[^\n]*/
C_COMMENT: /\/\*([^*]|\*+[^*\/])*\*+\//
SQL_COMMENT: /--[^\n]*/
`;

/** The public names (for documentation and error messages). */
export const COMMON_TERMINALS: readonly string[] = [
  'DIGIT', 'HEXDIGIT', 'INT', 'SIGNED_INT', 'DECIMAL', 'FLOAT', 'SIGNED_FLOAT', 'NUMBER', 'SIGNED_NUMBER',
  'ESCAPED_STRING', 'LCASE_LETTER', 'UCASE_LETTER', 'LETTER', 'WORD', 'CNAME',
  'WS_INLINE', 'WS', 'CR', 'LF', 'NEWLINE', 'SH_COMMENT', 'CPP_COMMENT', 'C_COMMENT', 'SQL_COMMENT',
];
