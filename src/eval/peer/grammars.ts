/**
 * Grammars written twice, in Lark for Ananke and in XGrammar's EBNF for the peer engine, so the
 * differential tests and the engine benchmark compare the same languages.
 */
import { readFileSync } from 'node:fs';

const read = (name: string): string => readFileSync(new URL(`../../../grammars/peer/${name}`, import.meta.url), 'utf8');

/** grammars/json.lark's language in XGrammar's EBNF. */
export const JSON_EBNF = read('json.ebnf');
/** Arithmetic with explicit spaces, in Lark and in XGrammar's EBNF. */
export const ARITH_LARK = read('arithmetic-spaced.lark');
export const ARITH_EBNF = read('arithmetic-spaced.ebnf');
