/**
 * Interned sets of lexeme ids (sorted ascending, no duplicates). A parser row's "allowed lexemes"
 * become a small int, so the matcher can key its per-set lexer start states and caches on it
 * without allocating. Shared by all parsers of one compiled grammar.
 */
export { IntArrayTable as LexemeSetTable } from '../int-array-table.ts';
