/**
 * Braid: constraints compiled into a ConstraintIR for one generation target (docs/braid.md).
 */
export { compileConstraints, calleeNames, type TargetContext, type BraidOptions, type BraidResult } from './compile.ts';
export { Braid, type BraidStats } from './braid.ts';
export { parseTarget, formatTarget } from './target.ts';
export { isHard, hardnessReason, DEFAULT_MIN_CONFIDENCE, DEFAULT_MIN_EXAMPLES, type HardnessOptions } from './policy.ts';
export { namingRegex, NAMING_STYLES } from './naming-regex.ts';
export { emitProgramGrammar, type EmitRequest, type EmitResult } from './emit.ts';
export { SITES, type LanguageSites, type Site } from './sites.ts';
export { LruCache, canonicalJson, canonicalKey, textKey, type CacheStats } from './cache.ts';
export { resolveConflicts } from './conflicts.ts';
