/**
 * A shipped program grammar compiled once per test file with the byte vocabulary, and a verdict
 * on a text with a message for assertion output.
 */
import { byteTokenizer, compile, loadProgramGrammar, type CompiledGrammar, type ProgramLanguage } from '../../src/engine/index.ts';

export interface GrammarChecker {
  grammar(): CompiledGrammar;
  verdict(text: string): { accepted: boolean; message: string };
}

export function grammarChecker(lang: ProgramLanguage): GrammarChecker {
  let compiled: CompiledGrammar | undefined;
  const grammar = (): CompiledGrammar => (compiled ??= compile(loadProgramGrammar(lang), byteTokenizer()));
  return {
    grammar,
    verdict(text) {
      const r = grammar().check(text);
      return { accepted: r.accepted, message: r.message ?? `line ${r.line}, column ${r.column}` };
    },
  };
}
