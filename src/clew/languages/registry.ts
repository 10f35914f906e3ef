/** Which extractor reads which language. */
import type { Language } from '../../core/index.ts';
import type { LanguageExtractor } from './types.ts';
import { extractTypescript } from './typescript.ts';
import { extractPython } from './python.ts';
import { extractRust } from './rust.ts';
import { extractGo } from './go.ts';
import { extractJava } from './java.ts';
import { extractC } from './c.ts';
import { extractCpp } from './cpp.ts';
import { extractCsharp } from './csharp.ts';
import { extractRuby } from './ruby.ts';
import { extractPhp } from './php.ts';
import { extractKotlin } from './kotlin.ts';
import { extractSwift } from './swift.ts';
import { extractZig } from './zig.ts';

const EXTRACTORS: Record<Language, LanguageExtractor> = {
  typescript: extractTypescript,
  tsx: extractTypescript,
  javascript: extractTypescript,
  python: extractPython,
  rust: extractRust,
  go: extractGo,
  java: extractJava,
  c: extractC,
  cpp: extractCpp,
  csharp: extractCsharp,
  ruby: extractRuby,
  php: extractPhp,
  kotlin: extractKotlin,
  swift: extractSwift,
  zig: extractZig,
};

/** The fact extractor for a language, or undefined when that language has none yet. */
export function extractorFor(language: Language): LanguageExtractor | undefined {
  return EXTRACTORS[language];
}
