/**
 * What a typed-expression request says about the code around the position (the bindings in
 * scope, the functions and the types of the file), as Clew's facts spell it, and its reading into
 * the domain's types: annotations parsed per language, parameters normalized (variadics, Python
 * keyword-only parameters), method signatures given as text (`TypeFact.methods`) parsed.
 */
import { parsePythonType } from './parse-python-type.ts';
import { parseTsParams, parseTsType } from './parse-ts-type.ts';
import type { ParamTy, SigTy, Ty, TypeLanguage } from './type.ts';
import type { TypedField, TypedFunction, TypedParam } from '../../core/index.ts';

export type { TypedField, TypedFunction, TypedParam };

export interface TypedBinding {
  /** A name, or a dotted path (`this.x`, `self.x`), written as is. */
  name: string;
  /** The annotation as written; without it the binding is never used. */
  type?: string;
  kind?: string;
}

export interface TypedDeclaration {
  name: string;
  /** Clew's TypeKind: class, interface, type_alias, union, enum, record, protocol, … (default interface / class). */
  kind?: string;
  fields: TypedField[];
  /** Structured, or signature lines as Clew's `TypeFact.methods` writes them (`greet(name: string): string`). */
  methods?: Array<TypedFunction | string>;
  typeParams?: string[];
  aliasOf?: string;
  bases?: string[];
  /** Enum member names. */
  members?: string[];
  abstract?: boolean;
}

export interface TypedExpressionLimits {
  /** Nesting of sub-expressions (call arguments, elements, operands in parentheses); default 3. */
  maxDepth?: number;
  /** Grammar rules at most; past it the depth is lowered; default 2,000. */
  maxRules?: number;
}

export interface TypedExpressionRequest {
  language: TypeLanguage;
  /** The expected type, as written in the language. */
  expected: string;
  bindings: TypedBinding[];
  types?: TypedDeclaration[];
  functions?: TypedFunction[];
  /** The position is inside an async function: `await` is allowed. */
  async?: boolean;
  limits?: TypedExpressionLimits;
}

export function parseType(text: string, lang: TypeLanguage): Ty {
  return lang === 'typescript' ? parseTsType(text) : parsePythonType(text);
}

/** Parameters in the domain's form. Python: the stars, `*` markers and keyword-only parameters. */
export function paramsOf(params: readonly TypedParam[], lang: TypeLanguage): ParamTy[] {
  const out: ParamTy[] = [];
  let keywordOnly = false;
  for (const p of params) {
    let name = p.name;
    if (lang === 'python') {
      if (name === '/' ) continue;
      if (name === '*') { keywordOnly = true; continue; }
      const stars = /^\*+/.exec(name)?.[0].length ?? 0;
      name = name.replace(/^\*+\s*/, '');
      const kwargs = stars === 2 || p.kwargs === true;
      const args = stars === 1 || (p.variadic === true && p.kwargs === false);
      if (p.variadic || stars > 0) {
        const type = p.type !== undefined ? parsePythonType(p.type) : undefined;
        out.push({ name, type, optional: true, rest: kwargs ? 'kwargs' : args ? 'args' : 'unknown', keywordOnly: false });
        if (!kwargs) keywordOnly = true;
        continue;
      }
      out.push({ name, type: p.type !== undefined ? parsePythonType(p.type) : undefined, optional: p.optional === true, rest: 'none', keywordOnly: keywordOnly || p.keywordOnly === true });
      continue;
    }
    name = name.replace(/^\.\.\./, '');
    const type = p.type !== undefined ? parseTsType(p.type) : undefined;
    if (p.variadic || p.name.startsWith('...')) {
      const elem = type?.kind === 'array' ? type.elem : undefined;
      out.push({ name, type: elem, optional: true, rest: elem ? 'args' : 'unknown', keywordOnly: false });
      continue;
    }
    out.push({ name, type, optional: p.optional === true, rest: 'none', keywordOnly: false });
  }
  return out;
}

export function sigOf(f: TypedFunction, lang: TypeLanguage): SigTy {
  return {
    name: f.name,
    params: paramsOf(f.params, lang),
    ret: f.returnType !== undefined ? parseType(f.returnType, lang) : undefined,
    typeParams: (f.typeParams ?? []).map((t) => /^[\p{L}_$][\p{L}\p{N}_$]*/u.exec(t.trim())?.[0] ?? t),
    async: f.async === true,
  };
}

/** Splits at top-level commas (brackets and strings respected). */
function splitTop(text: string): string[] {
  const out: string[] = [];
  let depth = 0;
  let cur = '';
  let quote = '';
  for (let i = 0; i < text.length; i++) {
    const c = text[i]!;
    if (quote) {
      cur += c;
      if (c === '\\') { cur += text[++i] ?? ''; continue; }
      if (c === quote) quote = '';
      continue;
    }
    if (c === '"' || c === "'" || c === '`') { quote = c; cur += c; continue; }
    if ('([{<'.includes(c)) depth++;
    else if (')]}>'.includes(c) && !(c === '>' && text[i - 1] === '=')) depth--;
    if (c === ',' && depth === 0) { out.push(cur); cur = ''; continue; }
    cur += c;
  }
  if (cur.trim() !== '') out.push(cur);
  return out;
}

/** A TypeScript parameter's text: `...name?: type = default`, `:` and `=` read at the top level only. */
function paramParts(raw: string): { name: string; type?: string; optional: boolean; rest: boolean } {
  let s = raw.trim().replace(/^(?:(?:public|private|protected|readonly|override)\s+)+/, '');
  const rest = s.startsWith('...');
  if (rest) s = s.slice(3).trim();
  let depth = 0;
  let colon = -1;
  let eq = -1;
  for (let i = 0; i < s.length; i++) {
    const c = s[i]!;
    if ('([{<'.includes(c)) depth++;
    else if (')]}'.includes(c) || (c === '>' && s[i - 1] !== '=')) depth--;
    else if (depth === 0 && c === ':' && colon < 0) colon = i;
    else if (depth === 0 && c === '=' && s[i + 1] !== '>' && s[i + 1] !== '=' && s[i - 1] !== '=' && s[i - 1] !== '!') { eq = i; break; }
  }
  const end = eq >= 0 ? eq : s.length;
  let name = (colon >= 0 ? s.slice(0, colon) : s.slice(0, end)).trim();
  const optional = name.endsWith('?') || eq >= 0;
  name = name.replace(/\?$/, '').trim();
  const type = colon >= 0 ? s.slice(colon + 1, end).trim() : undefined;
  return type !== undefined ? { name, type, optional, rest } : { name, optional, rest };
}

/**
 * A signature line (`async name<T>(a: A, b?: B = 1): R`, Python `name(self, a: int = 1) -> str`)
 * as a structured function; undefined when it cannot be read.
 */
export function parseSignatureText(text: string, lang: TypeLanguage): TypedFunction | undefined {
  const m = /^\s*(async\s+)?(\*\s*)?([\p{L}_$][\p{L}\p{N}_$]*)\s*(<[^(]*>)?\s*\(/u.exec(text);
  if (!m) return undefined;
  const open = m[0].length - 1;
  let depth = 0;
  let close = -1;
  let quote = '';
  for (let i = open; i < text.length; i++) {
    const c = text[i]!;
    if (quote) { if (c === '\\') i++; else if (c === quote) quote = ''; continue; }
    if (c === '"' || c === "'") { quote = c; continue; }
    if (c === '(' || c === '[' || c === '{') depth++;
    else if (c === ')' || c === ']' || c === '}') { if (--depth === 0) { close = i; break; } }
  }
  if (close < 0) return undefined;
  const rest = text.slice(close + 1).trim();
  const ret = /^(:|->)\s*(.+)$/s.exec(rest)?.[2]?.trim();
  const typeParams = m[4] ? splitTop(m[4].slice(1, -1)).map((s) => s.trim()) : [];
  const inner = text.slice(open + 1, close);
  let params: TypedParam[];
  if (lang === 'typescript') {
    const ps = parseTsParams(`(${inner})`);
    if (!ps) return undefined;
    // Re-read each parameter's text for its annotation as written (the parse keeps only the type).
    const raws = splitTop(inner);
    params = [];
    for (const raw of raws) {
      const parts = paramParts(raw);
      if (parts.name === 'this') continue;
      const p: TypedParam = { name: parts.name };
      if (parts.type !== undefined) p.type = parts.type;
      if (parts.optional) p.optional = true;
      if (parts.rest) p.variadic = true;
      params.push(p);
    }
  } else {
    params = [];
    for (const raw of splitTop(inner)) {
      const s = raw.trim();
      if (s === '') continue;
      if (s === '*' || s === '/') { params.push({ name: s }); continue; }
      const pm = /^(\*{0,2})\s*([\p{L}_][\p{L}\p{N}_]*)\s*(?::\s*(.+?))?\s*(?:=\s*(.+))?$/su.exec(s);
      if (!pm) return undefined;
      const type = pm[3];
      const def = pm[4];
      const p: TypedParam = { name: `${pm[1]}${pm[2]}` };
      if (type !== undefined) p.type = type.trim();
      if (def !== undefined) p.optional = true;
      if (pm[1]) p.variadic = true;
      if (pm[1] === '**') p.kwargs = true;
      params.push(p);
    }
  }
  const f: TypedFunction = { name: m[3]!, params };
  if (ret !== undefined) f.returnType = ret;
  if (typeParams.length) f.typeParams = typeParams;
  if (m[1]) f.async = true;
  return f;
}
