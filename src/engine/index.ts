/**
 * The engine's public surface: grammars in (Lark dialect, GBNF, regex, or the IR built directly),
 * a tokenizer vocabulary, and out comes a compiled grammar whose matchers compute the allowed next
 * tokens. The engine imports nothing from the rest of Ananke.
 */
export { EngineError, type EngineErrorCode, type SourcePosition } from './errors.ts';
export { DEFAULT_LIMITS, withLimits, type Limits } from './limits.ts';

export type { Regex } from './regex/ast.ts';
export { parseRegex, RegexSyntaxError, type RegexFlavor, type ParseRegexOptions } from './regex/parse.ts';
export { regexWitness, regexIsEmpty, RegexIntersections, DEFAULT_WITNESS_STATES, type WitnessLimits } from './lexer/witness.ts';

export type { Grammar, LexemeDef, RuleDef, Sym, TokenSet, GrammarOptions, IndentationOptions, GapMarker, GapKind } from './grammar/ir.ts';
export { type LarkOptions } from './grammar/lark.ts';
// The public parseLark understands `%json { … }` (JSON Schema embedded in a grammar).
export { parseLarkWithJson as parseLark } from './schema/index.ts';
export { parseGbnf } from './grammar/gbnf.ts';
export { grammarFromRegex } from './grammar/regex-grammar.ts';
export { GrammarBuilder, lexSym, ruleSym } from './grammar/builder.ts';
export { printLark, regexToLarkTerminal, hasAndNot, type PrintLarkOptions } from './grammar/print-lark.ts';
export { portableGrammar, type PortableOptions } from './grammar/portable.ts';
export { printGbnf, type PrintGbnfOptions } from './grammar/print-gbnf.ts';

export { Lexer } from './lexer/lexer.ts';
export { compileRegexMatcher, type RegexMatcher } from './lexer/regex-matcher.ts';

export type { EncodeOptions, Tokenizer } from './tokenizer/types.ts';
export { PLAIN_TEXT } from './tokenizer/types.ts';
export { loadTokenizer, tokenizerFromJson, WELL_KNOWN_EOS } from './tokenizer/load.ts';
export { byteLevelEncode } from './tokenizer/byte-unicode.ts';
export { tokenTrie, type TokenTrie } from './trie/token-trie.ts';
export { prepareTokenizer } from './trie/string-slices.ts';
export { warmUp, DEFAULT_WARM_UP_SCHEMAS, type WarmUpOptions, type WarmUpReport } from './warm-up/warm-up.ts';
export { toolSchemaCases, type ToolSchemaCase } from './warm-up/tool-schemas.ts';
export { prewalkSchema, PREWALK_MAX_CHARS, PREWALK_BUDGET_MS, type PrewalkReport } from './warm-up/schema-prewalk.ts';
export { schemaDocument, schemaDocuments } from './warm-up/schema-document.ts';
export {
  warmUpProgram, programWarmUpTexts, DEFAULT_PROGRAM_WARM_UP_MS, type ProgramWarmUpOptions, type ProgramWarmUpReport,
} from './warm-up/program-warm-up.ts';
export { maskWords, newMask, setBit, clearBit, hasBit, popCount, nextSetBit, setBits } from './trie/token-mask.ts';

export type { Matcher, Completion, CompletionOptions } from './matcher/types.ts';
export { DEFAULT_COMPLETION_OPTIONS } from './matcher/completion.ts';
export { compile, CompiledGrammar, type CheckResult, type CompiledStats } from './matcher/compiled.ts';
export { EarleyParser } from './parser/earley.ts';

export {
  compileJsonSchema, jsonSchemaToLark, larkJsonHook, JsonSchemaError,
  type JsonSchemaOptions, type JsonSchemaGrammar, type Relaxation, type PostCheckReport, type KeyOrder,
  schemaCatalog, type SchemaCatalog, type SchemaDocuments, documentChecker, type DocumentChecker, type DocumentCheck,
} from './schema/index.ts';
export { byteTokenizer } from './matcher/byte-tokenizer.ts';
export {
  PROGRAM_LANGUAGES, programLanguage, isProgramLanguage, programGrammarPath, programGrammarText, loadProgramGrammar,
  type ProgramLanguage,
} from './program-grammars.ts';
export { GrammarSampler, seededRandom, type SamplerOptions, type SamplerStats, type Sample } from './grammar/sample.ts';
export { grammarSampler, sampleGrammar, sampleGrammarTexts, type SampleGrammarOptions } from './sampling.ts';
