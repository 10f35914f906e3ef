/**
 * Evaluation: the runners that measure the engine the way the field does (MaskBench, the official
 * JSON-Schema-Test-Suite) and XGrammar as a peer engine run beside it, kept out of src/engine so
 * the engine stays a leaf that could be published alone; and `ananke eval`, constrained against
 * unconstrained generation on code tasks (codegen/), with the pipeline pieces it shares with the
 * CLI's compile and generate (a target resolved against its file, the prompt a model reads).
 */
export {
  runMaskbench, countStatuses, reasonKey, rankReasons, DEFAULT_BUDGET_MS, DEFAULT_PEER_BATCH, PEER_NOTE,
  type MaskbenchReport, type MaskbenchSummary, type MaskbenchOptions, type SchemaResult, type SchemaStatus,
} from './maskbench.ts';
export { listMaskbenchFiles, loadMaskbenchFile, type MaskbenchFile } from './maskbench-file.ts';
export { anankeSchemaEngine, larkSchemaEngine, type SchemaCompilation, type SchemaEngine } from './maskbench-engine.ts';
export {
  runJsts, baselineOf, regressions, type JstsBaseline, type JstsCounts, type JstsReport, type JstsOptions,
} from './jsts.ts';
export { createXGrammarPeer, resolveXGrammar, XGRAMMAR_VERSION, type XGrammarPeer, type PeerGrammar, type PeerMatcher } from './peer/xgrammar.ts';
export { dataDir, dataPaths, missingData, DATA_DIR_ENV, type DataPaths } from './data.ts';
export { walkTokens, type TokenWalk } from './token-walk.ts';
export { checkGrammarSoundness, treeSitterVerdict, excerpt as soundnessExcerpt, type ParseVerdict, type ParseFn, type SoundnessOptions, type SoundnessFailure, type SoundnessReport, type SyntaxNodeLike, type AdjustFn, type TextAdjustment } from './grammar-soundness.ts';
export { adjustGoForTreeSitter, TREE_SITTER_ADJUSTMENTS } from './soundness-adjustments.ts';
export { resolveTarget, postCheckInFile, candidateSource, withCodebaseIndent, type ResolvedTarget } from './target-context.ts';
export { generationPrompt, type GenerationPrompt } from './generation-prompt.ts';
export { loadTasks, loadTask, type CodegenTask } from './codegen/task.ts';
export { runCodegenEval, checkReferences, DEFAULT_TEST_TIMEOUT_MS, type CodegenEvalOptions, type JudgeOptions, type ReferenceResult } from './codegen/run.ts';
export { MODES, type Mode, type CodegenEvalReport, type TaskReport, type ModeReport, type ModeSummary, type SampleReport } from './codegen/report.ts';
export type { Verdict } from './codegen/judge.ts';
export type { ToolInfo, TestStatus, EvalLanguage } from './codegen/toolchain.ts';
export { passAtK } from './codegen/pass-at-k.ts';
export { generateUnconstrained, type FreeGeneration } from './codegen/unconstrained.ts';
export {
  runSchemastore, schemastoreLayout, schemastoreBaselineOf, hasYamlDocuments, schemastoreRegressions, CHECK_DEFAULTS,
  type SchemastoreReport, type SchemastoreCounts, type SchemastoreCase, type SchemastoreBaseline, type SchemastoreOptions,
  type ReferenceValidator, type SchemaOutcome, type DocumentOutcome,
} from './schemastore.ts';
export { ajvReference, AJV_NOTE, yamlParser } from './schemastore-ajv.ts';
