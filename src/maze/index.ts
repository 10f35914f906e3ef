/**
 * Maze: generation under a ConstraintIR (docs/maze.md). The local backend runs a GGUF model in this
 * process (local-model.ts); every step is masked by the engine.
 */
export { Maze, type GenerateRequest, type GenerateResult, type GenerationStats } from './orchestrator.ts';
export type { StepModel, StepDecision, StepGeneration, StepGenerateOptions, StopReason } from './model.ts';
export {
  loadLocalModel, modelFileInfo, defaultThreads, DEFAULT_SAMPLING, POSITIVE_BIAS,
  type LocalModel, type LoadLocalModelOptions, type LocalGenerateOptions, type ModelFileInfo,
} from './local-model.ts';
export { createTestModel, testModelPath, TEST_MODEL_VERSION, type TestModelOptions } from './test-model.ts';
export { readGgufHeader, writeGguf, type GgufHeader, type GgufValue, type GgufTensor } from './gguf.ts';
export { vocabUnsupported } from './gguf-tokenizer.ts';
