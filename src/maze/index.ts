/**
 * Maze: generation under a ConstraintIR (docs/maze.md). The local backend runs a GGUF model in this
 * process (local-model.ts); every step is masked by the engine. Server backends (backends/) send the
 * constraint to an inference server and check its text again (docs/maze-servers.md).
 */
export { Maze, type GenerateRequest, type GenerateResult, type GenerationStats } from './orchestrator.ts';
export type { StepModel, StepDecision, DeferredDecision, StepAnswer, StepGeneration, StepGenerateOptions, StopReason, TokenPenalties } from './model.ts';
export { decided, throughDecision } from './model.ts';
export {
  loadLocalModel, modelFileInfo, defaultThreads, DEFAULT_SAMPLING, POSITIVE_BIAS,
  type LocalModel, type LoadLocalModelOptions, type LocalGenerateOptions, type ModelFileInfo,
} from './local-model.ts';
export { createTestModel, testModelPath, TEST_MODEL_VERSION, type TestModelOptions } from './test-model.ts';
export { readGgufHeader, writeGguf, type GgufHeader, type GgufValue, type GgufTensor } from './gguf.ts';
export { vocabUnsupported } from './gguf-tokenizer.ts';
export { BACKEND_KINDS, isBackendKind, type BackendKind, type BackendResult, type GenerationBackend, type RemoteInfo } from './backend.ts';
export { LocalBackend } from './backends/local.ts';
export { OpenAICompatibleBackend, DEFAULT_TIMEOUT_MS, type OpenAICompatibleOptions, type ServerBackendOptions } from './backends/openai-compatible.ts';
export { ModalBackend, type ModalRequest, type ModalAnswer } from './backends/modal.ts';
export {
  SERVER_KINDS, GRAMMAR_FORMATS, DEFAULT_GRAMMAR_FORMAT, isServerKind, completionRequest,
  type ServerKind, type GrammarFormat, type ServerConstraint,
} from './backends/request-formats.ts';
export { portableOptionsFor, serverConstraint } from './backends/server-grammar.ts';
export { softBiasTable, biasReason, MAX_SOFT_BIAS, type SoftBiasTable } from './soft-biases.ts';
export { StopScanner, checkStops, type StopHit } from './stop-strings.ts';
export { DEFAULT_LOCAL_COMPLETION, type LocalCompletionOptions } from './backends/remote-text.ts';
export { withRetry, DEFAULT_RETRY, type RetryPolicy, type RetryEvent } from './retry.ts';
