import { byteTokenizer } from '../matcher/byte-tokenizer.ts';
import { compile, type CheckResult, type CompiledGrammar } from '../matcher/compiled.ts';
import { compileJsonSchema, type JsonSchemaGrammar } from './compile.ts';
import type { JsonSchemaOptions } from './options.ts';
import { firstInexactNumber } from './exact-numbers.ts';

/** A document's verdict: the grammar's (where it stopped), then the post-check's. */
export interface DocumentCheck extends CheckResult {
  /** Set when the grammar accepted the text and the post-check refused it (the keywords it holds). */
  postCheckFailed?: string[];
}

/** A schema compiled for validating complete documents (`ananke schema check`, bench schemastore). */
export interface DocumentChecker {
  grammar: JsonSchemaGrammar;
  compiled: CompiledGrammar;
  check(text: string): DocumentCheck;
}

/**
 * Compiles a schema for checking documents: the grammar over bytes, and, when the schema has
 * post-checks (`postChecks: true`), the post-check on the parsed document once the grammar has
 * accepted it. A document is valid when both accept it. Errors as compileJsonSchema and compile.
 */
export function documentChecker(schema: unknown, opts: JsonSchemaOptions = {}): DocumentChecker {
  const grammar = compileJsonSchema(schema, opts);
  const compiled = compile(grammar, byteTokenizer(), opts.limits);
  return {
    grammar,
    compiled,
    check(text: string): DocumentCheck {
      const r: DocumentCheck = compiled.check(text);
      if (!r.accepted || grammar.postChecks.length === 0) return r;
      // The grammar accepted the text, so it is JSON: the post-check's parse cannot fail.
      if (grammar.postCheck(text)) return r;
      const held = grammar.postChecks.map((c) => `${c.keyword} at ${c.pointer}`);
      const inexact = firstInexactNumber(text);
      const why = inexact === undefined ? '' : `: it decides on doubles, and none holds the number ${inexact} exactly`;
      return { accepted: false, postCheckFailed: held, message: `the grammar accepts it, the post-check refuses it${why} (it holds: ${held.join('; ')})` };
    },
  };
}
