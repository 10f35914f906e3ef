/** Clew's public surface: read code, get facts and constraints. */
export { extractRepo, defaultJobs, EXTRACT_FORMAT_VERSION } from './extract-repo.ts';
export type { ExtractOptions, ExtractResult, ExtractStats, ExtractWarning, ExtractWarningCode, ProgressFn } from './extract-repo.ts';
export { extractFile, extractFileSync, prepareLanguage } from './extract-file.ts';
export { deriveConstraints, deriveConstraintsDetailed } from './constraints/index.ts';
export type { DeriveOptions, DeriveResult } from './constraints/index.ts';
export { walk, VENDORED_DIRS, DEFAULT_MAX_FILES, DEFAULT_MAX_FILE_BYTES } from './walk.ts';
export type { WalkOptions, WalkResult, Candidate } from './walk.ts';
export { detectLanguage, languageFromPath, languageFromShebang } from './language-detect.ts';
export { FactsCache, defaultCacheDir, extractorVersion } from './cache.ts';
export { scanSecurity, isSecretName } from './security.ts';
export { mineTests, isTestPath } from './test-mining.ts';
export { SIGNAL } from './signals.ts';
export { checkForbiddenPattern, checkTree, findPattern } from './forbidden-pattern.ts';
export type { ForbiddenPatternRule, PatternFinding } from './forbidden-pattern.ts';
export { SECURITY_PATTERNS, patternsFor } from './security-patterns.ts';
export { parse as parseSource } from './parser.ts';
export { locateFunction, locateFunctions, type FunctionLocation } from './locate.ts';
export { runPostChecks, type PostCheckResult, type Violation, type CheckedText } from './post-check.ts';
