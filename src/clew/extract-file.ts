/**
 * Per-file fact extraction: parse, run the language's extractor, then the language-independent
 * passes (TODO/FIXME comment holes, parse diagnostics, security scan, test mining).
 */
import type { Node, Parser } from 'web-tree-sitter';
import type { FileFacts, FunctionFact, HoleFact, Language, ParseDiagnostic } from '../core/index.ts';
import { AnankeError, isLanguage, LANGUAGES } from '../core/index.ts';
import { getParser, loadLanguage } from './parser.ts';
import { extractorFor } from './languages/registry.ts';
import { emptyFacts, makeHole } from './languages/common.ts';
import type { ExtractedFacts } from './languages/types.ts';
import { scanSecurity } from './security.ts';
import { mineTests } from './test-mining.ts';

/** At most this many parse diagnostics per file: a badly broken file says so without flooding. */
export const MAX_DIAGNOSTICS = 50;
/** At most this many comment holes per file (a file of TODOs is still one file). */
export const MAX_COMMENT_HOLES = 500;

interface Prepared {
  parser: Parser;
  /** The grammar's comment node types (`comment`, `line_comment`, `block_comment`, …). */
  commentTypes: Set<string>;
}

const prepared = new Map<Language, Prepared>();

/** Loads the grammar and parser for `language` so that `extractFileSync` can run. Idempotent. */
export async function prepareLanguage(language: Language): Promise<void> {
  if (prepared.has(language)) return;
  if (!isLanguage(language)) {
    throw new AnankeError('UNSUPPORTED', `unknown language ${JSON.stringify(language)} (known: ${LANGUAGES.join(', ')})`);
  }
  const lang = await loadLanguage(language);
  const parser = await getParser(language);
  const commentTypes = new Set(lang.types.filter((t, id) => typeof t === 'string' && /comment$/.test(t) && lang.nodeTypeIsNamed(id)));
  prepared.set(language, { parser, commentTypes });
}

/** Extracts the facts of one file (loads the grammar on first use). */
export async function extractFile(path: string, source: string, language: Language): Promise<FileFacts> {
  try {
    await prepareLanguage(language);
  } catch (e) {
    if (e instanceof AnankeError) throw new AnankeError(e.code, `${path}: ${e.message}`, { file: path }, { cause: e });
    throw e;
  }
  return extractFileSync(path, source, language);
}

/** Same as `extractFile`, for callers that ran `prepareLanguage` first (workers, benchmarks). */
export function extractFileSync(path: string, source: string, language: Language): FileFacts {
  const p = prepared.get(language);
  if (!p) throw new AnankeError('INTERNAL', `extractFileSync(${path}): call prepareLanguage('${language}') first`);
  const tree = p.parser.parse(source);
  if (!tree) throw new AnankeError('INTERNAL', `tree-sitter returned no tree for ${path}`);
  try {
    const root = tree.rootNode;
    const extractor = extractorFor(language);
    let facts: ExtractedFacts;
    try {
      facts = extractor ? extractor(root, source) : emptyFacts();
    } catch (e) {
      // Extractors recurse with the nesting of functions and classes; absurd nesting is a limit, not a crash.
      if (e instanceof RangeError) {
        throw new AnankeError('LIMIT', `${path}: declarations are nested too deeply to extract facts (${e.message})`, { file: path });
      }
      if (e instanceof AnankeError) throw e;
      const msg = e instanceof Error ? e.message : String(e);
      throw new AnankeError('INTERNAL', `${path}: the ${language} fact extractor failed: ${msg}`, { file: path }, { cause: e });
    }
    const holes = facts.holes.slice();
    commentHoles(root, source, p.commentTypes, facts.functions, holes);
    holes.sort((a, b) => a.line - b.line || a.column - b.column);
    return {
      path,
      language,
      lines: countLines(source),
      bytes: Buffer.byteLength(source, 'utf8'),
      functions: facts.functions,
      types: facts.types,
      imports: facts.imports,
      exports: facts.exports,
      scopes: facts.scopes,
      holes,
      identifiers: facts.identifiers,
      security: scanSecurity(root, language, source),
      tests: mineTests(root, language, source, path),
      signals: facts.signals,
      diagnostics: root.hasError ? diagnostics(root) : [],
    };
  } finally {
    tree.delete();
  }
}

function countLines(source: string): number {
  if (source.length === 0) return 0;
  let n = 0;
  for (let i = source.indexOf('\n'); i !== -1; i = source.indexOf('\n', i + 1)) n++;
  return source.endsWith('\n') ? n : n + 1;
}

const MARKER_RE = /\b(TODO|FIXME|XXX|HACK)\b[^\n]*/g;

/** The innermost function whose lines contain `line`, else one that starts on the next line. */
function enclosingFunction(functions: FunctionFact[], line: number, endLine: number): FunctionFact | undefined {
  let best: FunctionFact | undefined;
  for (const f of functions) {
    if (f.line <= line && (f.endLine ?? f.line) >= line && (!best || f.line >= best.line)) best = f;
  }
  if (best) return best;
  for (const f of functions) if (f.line === endLine + 1) return f;
  return undefined;
}

/**
 * TODO/FIXME/XXX/HACK markers in comments. The markers are found in the text and each is checked
 * against the tree (the smallest node around it must be, or sit inside, a comment), which is much
 * cheaper than walking every node when markers are rare.
 */
function commentHoles(root: Node, source: string, commentTypes: Set<string>, functions: FunctionFact[], out: HoleFact[]): void {
  if (commentTypes.size === 0) return;
  let added = 0;
  let comment: Node | null = null; // the comment the previous marker was in
  let commentEnd = -1;
  MARKER_RE.lastIndex = 0;
  for (let m = MARKER_RE.exec(source); m; m = MARKER_RE.exec(source)) {
    if (added >= MAX_COMMENT_HOLES) return;
    const at = m.index;
    if (!(comment && at < commentEnd)) {
      comment = null;
      let n: Node | null = root.descendantForIndex(at, at + m[1]!.length);
      // Climb a little: Rust's doc_comment sits inside line_comment, some grammars wrap the text.
      for (let i = 0; n && i < 3 && !commentTypes.has(n.type); i++) n = n.parent;
      if (!n || !commentTypes.has(n.type)) continue; // in a string or in code, not a comment
      while (n.parent && commentTypes.has(n.parent.type)) n = n.parent;
      comment = n;
      commentEnd = n.endIndex;
    }
    const c = comment;
    const offset = at - c.startIndex;
    const before = source.slice(c.startIndex, at);
    const nl = countNewlines(before);
    const line = c.startPosition.row + 1 + nl;
    const column = nl === 0 ? c.startPosition.column + 1 + offset : at - source.lastIndexOf('\n', at - 1);
    const marker = m[1]!;
    const lineEnd = Math.min(at + m[0].length, commentEnd);
    const body = source.slice(at, lineEnd).replace(/\s*(\*\/|-->|\*\)|#\}|%\})\s*$/, '').trim();
    const fn = enclosingFunction(functions, line, c.endPosition.row + 1);
    const hole = makeHole(marker === 'TODO' ? 'todo' : 'fixme', c, body, fn);
    hole.line = line;
    hole.column = column;
    hole.endLine = line;
    out.push(hole);
    added++;
  }
}

function countNewlines(s: string): number {
  let n = 0;
  for (let i = s.indexOf('\n'); i !== -1; i = s.indexOf('\n', i + 1)) n++;
  return n;
}

/** ERROR and MISSING nodes, visiting only subtrees that contain an error. */
function diagnostics(root: Node): ParseDiagnostic[] {
  const out: ParseDiagnostic[] = [];
  const stack: Node[] = [root];
  while (stack.length > 0 && out.length < MAX_DIAGNOSTICS) {
    const n = stack.pop()!;
    if (n.isMissing) {
      out.push({ line: n.startPosition.row + 1, column: n.startPosition.column + 1, message: `missing ${JSON.stringify(n.type)}` });
      continue;
    }
    if (n.isError) {
      const snippet = n.text.split('\n')[0]!.slice(0, 40);
      out.push({
        line: n.startPosition.row + 1, column: n.startPosition.column + 1, endLine: n.endPosition.row + 1,
        message: snippet.length > 0 ? `syntax error: unexpected ${JSON.stringify(snippet)}` : 'syntax error',
      });
      continue;
    }
    for (let i = n.childCount - 1; i >= 0; i--) {
      const c = n.child(i);
      if (c && (c.hasError || c.isMissing)) stack.push(c);
    }
  }
  return out.sort((a, b) => a.line - b.line || a.column - b.column);
}
