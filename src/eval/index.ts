/**
 * Evaluation: the runners that measure the engine the way the field does (MaskBench, the official
 * JSON-Schema-Test-Suite) and XGrammar as a peer engine run beside it. Kept out of src/engine so
 * the engine stays a leaf that could be published alone.
 */
export {
  runMaskbench, countStatuses, reasonKey, rankReasons, DEFAULT_BUDGET_MS, PEER_NOTE,
  type MaskbenchReport, type MaskbenchSummary, type MaskbenchOptions, type SchemaResult, type SchemaStatus,
} from './maskbench.ts';
export { listMaskbenchFiles, loadMaskbenchFile, type MaskbenchFile } from './maskbench-file.ts';
export { anankeSchemaEngine, larkSchemaEngine, type SchemaEngine } from './maskbench-engine.ts';
export {
  runJsts, baselineOf, regressions, type JstsBaseline, type JstsCounts, type JstsReport, type JstsOptions,
} from './jsts.ts';
export { createXGrammarPeer, resolveXGrammar, XGRAMMAR_VERSION, type XGrammarPeer, type PeerGrammar, type PeerMatcher } from './peer/xgrammar.ts';
export { dataDir, dataPaths, missingData, DATA_DIR_ENV, type DataPaths } from './data.ts';
export { walkTokens, type TokenWalk } from './token-walk.ts';
export { checkGrammarSoundness, treeSitterVerdict, excerpt as soundnessExcerpt, type ParseVerdict, type ParseFn, type SoundnessOptions, type SoundnessFailure, type SoundnessReport, type SyntaxNodeLike, type AdjustFn, type TextAdjustment } from './grammar-soundness.ts';
export { adjustGoForTreeSitter, TREE_SITTER_ADJUSTMENTS } from './soundness-adjustments.ts';
