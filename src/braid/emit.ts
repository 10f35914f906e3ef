/**
 * Emission: the hard rules Braid enforces while decoding, written onto a language's program grammar
 * (docs/braid.md, "Emission"):
 * - forbidden names: the identifier terminals (and member-name terminals) lose those names;
 * - naming: each declaration site (sites.ts) gets a terminal `IDENT & /style/`;
 * - imports (TypeScript/JavaScript): the module string of import/export-from is one of the allowed;
 * - the target: a new start rule (a forced declaration head and the body rule, or just the body).
 * Provenance maps each new or narrowed terminal and rule to the constraint ids behind it.
 *
 * The edits read the request in two parts: its structure (which terminals lose names, which kinds
 * have a style, which imports are restricted, the start) and its content (the forbidden names, the
 * modules, the forced head: `EmitContent`). emit-template.ts edits once per structure, with
 * placeholders for the content, and fills in each request's content; `emitProgramGrammar` edits
 * with the content itself and is what the templates are tested against.
 */
import {
  DEFAULT_LIMITS, Lexer, loadProgramGrammar, parseRegex, type Grammar, type LexemeDef, type ProgramLanguage, type Regex, type Sym,
} from '../engine/index.ts';
import type { IdentifierKind } from '../core/index.ts';
import { baseName, familyName, GrammarEditor } from './grammar-edit.ts';
import { SITES, type CloneSite, type ModuleQuote, type Site } from './sites.ts';

export interface NamingRestriction {
  /** Regex source (engine dialect) of the allowed names. */
  regex: string;
  /** A short name for it (the style: `camelCase`), used in the terminal's name. */
  label: string;
  ids: string[];
}

export interface EmitRequest {
  language: ProgramLanguage;
  naming: Map<IdentifierKind, NamingRestriction>;
  /** Names that may not be written anywhere (identifiers and member names), with their constraints. */
  forbiddenNames: Map<string, string[]>;
  /** Module specifiers an import may name (exact, or a subpath `m/…`; relative paths always allowed). */
  allowedModules?: { modules: string[]; ids: string[] };
  forbiddenModules?: { modules: string[]; ids: string[] };
  /**
   * Kinds no declaration of the target can have (TypeScript's constants are module-level
   * declarations, so a function body declares none): left out of the sites that list them.
   */
  absentKinds?: IdentifierKind[];
  start:
    | { kind: 'module' }
    | { kind: 'body'; fn: { async: boolean; kind: 'function' | 'method' } }
    | { kind: 'declaration'; head: string; fn: { async: boolean; kind: 'function' | 'method' } };
}

export interface EmitResult {
  grammar: Grammar;
  provenance: Record<string, string[]>;
  /** Per identifier kind: how many declaration sites carry its naming terminal (0: none found). */
  sites: Partial<Record<IdentifierKind, number>>;
  /** Whether imports were restricted in the grammar (else they are checked after generation). */
  importsInGrammar: boolean;
}

/** An emitted grammar with its printed Lark text. */
export interface EmittedGrammar extends EmitResult {
  lark: string;
}

/**
 * What varies between requests of one structure: regexes and a text that end up inside terminals.
 * Each is present when the request has it (and, for modules, when the language's imports are
 * restricted in the grammar).
 */
export interface EmitContent {
  /** The forbidden names as one alternation: a terminal that can spell one becomes `T & ~ban`. */
  ban?: Regex;
  /** What the module string of an import must match (`T & allowed`). */
  allowedModules?: Regex;
  /** What it must not match (`T & ~forbidden`). */
  forbiddenModules?: Regex;
  /** The forced declaration head (declaration targets). */
  head?: string;
}

/**
 * Where a provenance entry's constraint ids come from, read again for each request of a structure:
 * the names a terminal can spell, the kinds a naming terminal serves, the import lists.
 */
export type ProvenanceSource = { symbol: string } & (
  | { from: 'spelled'; lexeme: number }
  | { from: 'naming'; kinds: IdentifierKind[] }
  | { from: 'imports' }
);

/** The program grammar edited for a request, before it is pruned and printed. */
export interface EditedGrammar {
  editor: GrammarEditor;
  sites: Partial<Record<IdentifierKind, number>>;
  importsInGrammar: boolean;
  provenance: ProvenanceSource[];
}

const escapeRegex = (s: string): string => s.replace(/[\\^$.*+?()[\]{}|/-]/g, (c) => `\\${c}`);

function literalAlternation(names: readonly string[]): string {
  return names.map(escapeRegex).join('|');
}

function andRegex(a: Regex, b: Regex): Regex {
  return { kind: 'and', items: [a, b] };
}

function notRegex(a: Regex): Regex {
  return { kind: 'not', item: a };
}

function addIds(prov: Record<string, string[]>, sym: string, ids: readonly string[]): void {
  const list = (prov[sym] ??= []);
  for (const id of ids) if (!list.includes(id)) list.push(id);
}

/** The request's grammar: edited, pruned to what the start reaches (docs/braid.md, "Emission"). */
export function emitProgramGrammar(req: EmitRequest): EmitResult {
  const e = editProgramGrammar(req, emitContent(req));
  return { grammar: e.editor.build(), provenance: provenanceOf(e.provenance, req), sites: e.sites, importsInGrammar: e.importsInGrammar };
}

/** The content of a request (EmitContent): what its structure leaves open. */
export function emitContent(req: EmitRequest): EmitContent {
  const out: EmitContent = {};
  if (req.forbiddenNames.size > 0) out.ban = banRegex([...req.forbiddenNames.keys()]);
  const quote = SITES[req.language].moduleSpecifier?.quote;
  if (quote !== undefined) {
    if (req.allowedModules) out.allowedModules = allowedModulesRegex(req.allowedModules.modules, quote);
    if (req.forbiddenModules) out.forbiddenModules = forbiddenModulesRegex(req.forbiddenModules.modules, quote);
  }
  if (req.start.kind === 'declaration') out.head = req.start.head;
  return out;
}

/** The forbidden names as one regex (EmitContent.ban). */
export function banRegex(names: readonly string[]): Regex {
  return parseRegex(literalAlternation(names));
}

/** A dotted Python module name's later segments (the lexeme is also a NAME-shaped path: emit's DOTTED). */
const DOTTED_TAIL = '(?:\\.[A-Za-z_][A-Za-z0-9_]*)*';

/** The crates of Rust module paths: their first segments (`std::io` → `std`), each once. */
export function crateNames(modules: readonly string[]): string[] {
  return [...new Set(modules.map((m) => m.replace(/^::/, '').split('::')[0]!).filter((m) => m !== ''))];
}

/**
 * What an import's module may be, by the language's form (sites.ts ModuleQuote):
 * - string (TypeScript): 'mod', "mod", a subpath of it, or a relative path (the project itself);
 * - path (Go): "mod" or `mod`, or a subpath `mod/…`;
 * - dotted (Python): mod or a submodule mod.sub (relative imports are left to the grammar);
 * - crate (Rust): the crate, the first segment of each module.
 */
export function allowedModulesRegex(modules: readonly string[], quote: ModuleQuote = 'string'): Regex {
  const alt = literalAlternation(modules);
  switch (quote) {
    case 'path': return parseRegex(`["\`](?:${alt})(?:/[^"\`\\\\]*)?["\`]`);
    case 'dotted': return parseRegex(`(?:${alt})${DOTTED_TAIL}`);
    case 'crate': return parseRegex(`(?:${literalAlternation(crateNames(modules))})`);
    default: return parseRegex(`["'](?:(?:${alt})(?:/[^"'\\\\]*)?|\\.{1,2}/[^"'\\\\]*)["']`);
  }
}

/** One of the modules, or a subpath of one (Rust: a crate that is a whole module of the list). */
export function forbiddenModulesRegex(modules: readonly string[], quote: ModuleQuote = 'string'): Regex {
  const alt = literalAlternation(modules);
  switch (quote) {
    case 'path': return parseRegex(`["\`](?:${alt})(?:/[^"\`\\\\]*)?["\`]`);
    case 'dotted': return parseRegex(`(?:${alt})${DOTTED_TAIL}`);
    // `std::fs` forbidden does not forbid the crate std: only one-segment modules are crates here.
    case 'crate': {
      const crates = modules.map((m) => m.replace(/^::/, '')).filter((m) => m !== '' && !m.includes('::'));
      return crates.length ? parseRegex(`(?:${literalAlternation(crates)})`) : { kind: 'never' };
    }
    default: return parseRegex(`["'](?:${alt})(?:/[^"'\\\\]*)?["']`);
  }
}

/** The terminal of a forced declaration head: the head as one literal. */
export function signatureLexeme(head: string): LexemeDef {
  return { name: 'SIGNATURE', regex: literalRegex(head), literal: head };
}

/** The provenance of an edit for a request: each source's constraint ids, in the order of the edits. */
export function provenanceOf(sources: readonly ProvenanceSource[], req: EmitRequest): Record<string, string[]> {
  const provenance: Record<string, string[]> = {};
  const names = [...req.forbiddenNames.keys()];
  const spelling = sources.some((s) => s.from === 'spelled') ? spellers(req.language) : undefined;
  for (const s of sources) {
    if (s.from === 'spelled') {
      addIds(provenance, s.symbol, names.filter((n) => spelling!(n).includes(s.lexeme)).flatMap((n) => req.forbiddenNames.get(n)!));
    } else if (s.from === 'naming') {
      addIds(provenance, s.symbol, s.kinds.flatMap((k) => req.naming.get(k)!.ids));
    } else {
      addIds(provenance, s.symbol, [...(req.allowedModules?.ids ?? []), ...(req.forbiddenModules?.ids ?? [])]);
    }
  }
  return provenance;
}

/**
 * The edits of a request, with `content` in place of what the request itself says (emit-template.ts
 * passes placeholders; everything else about the edits depends only on the request's structure).
 */
export function editProgramGrammar(req: EmitRequest, content: EmitContent): EditedGrammar {
  const lang = req.language;
  const table = SITES[lang];
  const ed = new GrammarEditor(loadProgramGrammar(lang));
  const provenance: ProvenanceSource[] = [];
  const ident = ed.lexemeId(table.identifier);
  if (ident === undefined) throw new Error(`grammar for ${lang} has no terminal ${table.identifier}`);

  // Forbidden names: gone from every terminal that could spell one (identifiers, member names,
  // the grammar's other identifier-like terminals such as Go's IDENT_NMN), so from every site too.
  if (req.forbiddenNames.size > 0) {
    const names = [...req.forbiddenNames.keys()];
    const ban = notRegex(content.ban!);
    const spelling = spellers(lang);
    ed.lexemes.forEach((l, id) => {
      if (l.literal !== undefined || l.declared) return;
      if (!names.some((n) => spelling(n).includes(id))) return;
      ed.setLexemeRegex(id, andRegex(l.regex, ban));
      provenance.push({ symbol: l.name, from: 'spelled', lexeme: id });
    });
  }

  // Naming: one terminal per distinct regex (sites of kinds with the same style share it).
  const sites: Partial<Record<IdentifierKind, number>> = {};
  const siteLexemes = new Map<string, number>();
  const lexemeFor = (kinds: readonly IdentifierKind[], base: number, shape?: Partial<Record<IdentifierKind, string>>): number | null => {
    // A site restricts only when every kind it may declare is restricted (else it could be the free
    // one), or the free kind is told apart by its shape (Python's UPPER_CASE constants): its names
    // are then those of the shape.
    if (!kinds.some((k) => req.naming.has(k))) return null;
    const rs = kinds.map((k) => req.naming.get(k) ?? (shape?.[k] !== undefined ? { regex: shape[k]!, label: `any_${k}`, ids: [] } : undefined));
    if (!rs.every((r) => r !== undefined)) return null;
    const distinct = [...new Map(rs.map((r) => [r!.regex, r!])).values()];
    const key = `${base}/${distinct.map((r) => r.regex).join('/')}`;
    let id = siteLexemes.get(key);
    if (id === undefined) {
      const re = parseRegex(distinct.map((r) => `(?:${r.regex})`).join('|'));
      const label = distinct.map((r) => r.label.replace(/[^A-Za-z0-9]+/g, '_').toUpperCase()).join('_OR_');
      id = ed.addLexeme({ name: `${ed.lexemes[base]!.name}_${label}`, regex: andRegex(ed.lexemes[base]!.regex, re) });
      siteLexemes.set(key, id);
    }
    provenance.push({ symbol: ed.lexemes[id]!.name, from: 'naming', kinds: kinds.filter((k) => req.naming.has(k)) });
    return id;
  };
  const count = (kinds: readonly IdentifierKind[], n: number): void => {
    for (const k of kinds) if (req.naming.has(k)) sites[k] = (sites[k] ?? 0) + n;
  };
  const absent = new Set(req.absentKinds ?? []);
  for (const site of table.sites) {
    const kinds = site.kinds.filter((k) => !absent.has(k));
    if (kinds.length > 0) applySite(ed, { ...site, kinds }, ident, lexemeFor, count);
  }
  for (const k of req.naming.keys()) sites[k] ??= 0;

  // Imports: the module of an import statement (restrictImports).
  let importsInGrammar = false;
  if ((req.allowedModules || req.forbiddenModules) && table.moduleSpecifier) {
    const spec = table.moduleSpecifier;
    const base = ed.lexemeId(spec.terminal);
    if (base !== undefined) {
      // Python's module is a dotted name in one lexeme; the others narrow their own terminal.
      let re = spec.quote === 'dotted' ? dottedNameRegex(ed.lexemes[base]!.regex) : ed.lexemes[base]!.regex;
      if (req.allowedModules) re = andRegex(re, content.allowedModules!);
      if (req.forbiddenModules) re = andRegex(re, notRegex(content.forbiddenModules!));
      const mod = ed.addLexeme({ name: 'IMPORT_MODULE', regex: re });
      const n = restrictImports(ed, spec.quote, base, mod);
      if (n > 0) { importsInGrammar = true; provenance.push({ symbol: 'IMPORT_MODULE', from: 'imports' }); }
    }
  }

  // The target's start rule.
  if (req.start.kind !== 'module') {
    const bodyName = table.body(req.start.fn);
    const body = ed.ruleIds(bodyName)[0];
    if (body === undefined) throw new Error(`grammar for ${lang} has no rule ${bodyName}`);
    const syms: Sym[] = [];
    if (req.start.kind === 'declaration') syms.push({ kind: 'lexeme', id: ed.addLexeme(signatureLexeme(content.head!)) });
    syms.push({ kind: 'rule', id: body });
    ed.start = ed.addRule('start', [syms]);
  }
  return { editor: ed, sites, importsInGrammar, provenance };
}

/** NAME ("." NAME)*: a dotted Python module name as one lexeme (no spaces around the dots). */
function dottedNameRegex(name: Regex): Regex {
  return { kind: 'concat', items: [name, { kind: 'repeat', item: { kind: 'concat', items: [parseRegex('\\.'), name] }, min: 0, max: Infinity }] };
}

/**
 * Puts the IMPORT_MODULE terminal `mod` where the language's import statements name a module;
 * returns how many places took it (0: the grammar has no such place, imports are checked after).
 * - string (TypeScript): the module string right after `from` or `import`.
 * - path (Go): the import path of every import spec.
 * - dotted (Python): `import m[ as x], …` and `from m import …` take the dotted module in one
 *   lexeme; relative imports (`from . import x`, `from .m import x`) are the project's and stay.
 * - crate (Rust): the root of a top-level `use` path (`::`-prefixed too) and the crate of
 *   `extern crate`; `crate::`, `self::`, `super::` paths are the project's and stay. A top-level
 *   brace group without a path (`use {a, b};`) is not offered.
 * Where a keyword follows the module (`as`, Python's `import`), a lexeme made of whitespace and the
 * keyword takes its place: a lexeme that ends where the allowed name does must not let the next
 * word start without a space (`from osimport x` would read as `from os import x`).
 */
function restrictImports(ed: GrammarEditor, quote: ModuleQuote, base: number, mod: number): number {
  const L = (id: number): Sym => ({ kind: 'lexeme', id });
  const R = (id: number): Sym => ({ kind: 'rule', id });
  const lit = (text: string): number => {
    const i = ed.lexemes.findIndex((l) => l.literal === text);
    if (i < 0) throw new Error(`the grammar has no literal "${text}"`);
    return i;
  };
  const rule = (name: string): number => {
    const i = ed.ruleIds(name)[0];
    if (i === undefined) throw new Error(`the grammar has no rule ${name}`);
    return i;
  };
  if (quote === 'string') {
    const importRules = ed.ruleIds((n) => /^(import_decl|export_simple|export_decl|import_stmt|export_from)$/.test(familyName(n)));
    return ed.substitute(importRules, base, mod, (alt, i) => {
      const prev = ed.previous(alt, i);
      return prev !== undefined && ['from', 'import'].includes(baseName(ed.symName(prev)));
    });
  }
  if (quote === 'path') return ed.substitute(ed.ruleIds('import_path'), base, mod);
  if (quote === 'dotted') {
    const stmt = rule('import_stmt');
    const name = base;
    const dots = ed.lexemeId('DOTS')!;
    const kwImport = lit('import');
    const spAs = ed.addLexeme({ name: 'IMPORT_AS', regex: parseRegex('[ \\t]+as') });
    const spImport = ed.addLexeme({ name: 'IMPORT_KEYWORD', regex: parseRegex('[ \\t]+import') });
    const asName = ed.addRule('dotted_as_name__import', [[L(mod)], [L(mod), L(spAs), L(name)]]);
    const list = ed.addRule('dotted_as_names__import', []);
    ed.rules[list]!.alternatives = [[R(asName)], [R(list), L(lit(',')), R(asName)]];
    const names = rule('import_names');
    ed.rules[stmt]!.alternatives = [
      [L(kwImport), R(list)],
      [L(lit('from')), L(dots), L(kwImport), R(names)],
      [L(lit('from')), L(dots), R(rule('dotted_name')), L(kwImport), R(names)],
      [L(lit('from')), L(mod), L(spImport), R(names)],
    ];
    return 1;
  }
  // crate (Rust)
  const colons = lit('::');
  const root = ed.addRule('path_root__import', [[L(mod)], [L(colons), L(mod)], [L(lit('self'))], [R(rule('path_prefix'))]]);
  const simplePath = rule('simple_path');
  const pathRoot = rule('path_root');
  const path = ed.addRule('simple_path__import', ed.rules[simplePath]!.alternatives.map((alt) => alt.map((s) => (s.kind === 'rule' && s.id === pathRoot ? R(root) : s))));
  const spAs = ed.addLexeme({ name: 'IMPORT_AS', regex: parseRegex('[ \\t\\r\\n]+as') });
  const asLit = lit('as');
  const useTree = rule('use_tree');
  const alts: Sym[][] = [];
  for (const alt of ed.rules[useTree]!.alternatives) {
    const first = alt[0];
    if (first?.kind === 'rule' && first.id === simplePath) {
      // path [as x]: the optional `as` group's alternatives spelled out, `as` after whitespace.
      const rest = alt.slice(1);
      const opt = rest[0];
      if (rest.length === 1 && opt?.kind === 'rule') {
        for (const o of ed.rules[opt.id]!.alternatives) {
          const inner = o[0];
          if (o.length === 0) alts.push([R(path)]);
          else if (o.length === 1 && inner?.kind === 'rule') {
            for (const a of ed.rules[inner.id]!.alternatives) alts.push([R(path), ...a.map((s) => (s.kind === 'lexeme' && s.id === asLit ? L(spAs) : s))]);
          } else alts.push([R(path), ...o]);
        }
      } else alts.push([R(path), ...rest]);
    } else if (first?.kind === 'rule' && ed.rules[first.id]!.alternatives.some((o) => o.length === 1 && o[0]!.kind === 'rule' && ed.rules[o[0]!.id]!.alternatives.some((a) => a.some((s) => s.kind === 'rule' && ed.rules[s.id]!.name.startsWith('simple_path'))))) {
      // [[path] "::"] ("*" | "{…}"): only with a path (the braces' trees are relative to it).
      alts.push([R(path), L(colons), ...alt.slice(1)]);
    } else {
      alts.push(alt);
    }
  }
  const tree = ed.addRule('use_tree__import', alts);
  let n = ed.replaceRuleRefs(ed.ruleIds('use_item'), useTree, tree);
  // `extern crate (IDENT | self)`: the group with `self` names the crate (the other is the `as` name).
  const selfLit = lit('self');
  const crateGroups = ed.ruleIds((x) => familyName(x) === 'extern_crate').filter((r) => ed.rules[r]!.alternatives.some((a) => a.length === 1 && a[0]!.kind === 'lexeme' && a[0]!.id === selfLit));
  n += ed.substitute(crateGroups, base, mod, (alt) => alt.length === 1);
  return n;
}

/**
 * Which terminals of a language's shipped grammar can spell a name (whole): a lexer over the
 * grammar's terminals, built once per language, answers per name, memoised (the shipped grammar
 * never changes in a process).
 */
const spellerCache = new Map<ProgramLanguage, (name: string) => number[]>();

/** The terminals of a language's shipped grammar that can spell `name` (ids of the unedited grammar). */
export function spelledBy(lang: ProgramLanguage, name: string): readonly number[] {
  return spellers(lang)(name);
}

function spellers(lang: ProgramLanguage): (name: string) => number[] {
  let f = spellerCache.get(lang);
  if (!f) {
    const base = loadProgramGrammar(lang);
    const lexer = new Lexer(base.lexemes.map((l) => l.regex), DEFAULT_LIMITS);
    const memo = new Map<string, number[]>();
    const candidates = base.lexemes.map((l, i) => (l.literal === undefined && !l.declared ? i : -1)).filter((i) => i >= 0);
    f = (name: string): number[] => {
      let ids = memo.get(name);
      if (!ids) {
        const bytes = new TextEncoder().encode(name);
        ids = candidates.filter((i) => lexer.matchesLexeme(i, bytes));
        memo.set(name, ids);
      }
      return ids;
    };
    spellerCache.set(lang, f);
  }
  return f;
}

function literalRegex(text: string): Regex {
  return parseRegex(escapeRegex(text).replace(/\n/g, '\\n').replace(/\r/g, '\\r').replace(/\t/g, '\\t'));
}

/**
 * The copies (rules `first`…) of a binding pattern (CloneSite.patterns): a field name beside the
 * reference marker gets the free identifier back; a bare path needs two segments or more.
 */
function bindingPatterns(ed: GrammarEditor, first: number, base: number, to: number, p: NonNullable<CloneSite['patterns']>): void {
  const marker = ed.lexemeId(p.referenceMarker);
  const path = ed.ruleIds(p.path)[0];
  const colons = ed.lexemes.findIndex((l) => l.literal === '::');
  for (let r = first; r < ed.rules.length; r++) {
    const rule = ed.rules[r]!;
    const alts = rule.alternatives;
    const isOne = (alt: Sym[], kind: 'lexeme' | 'rule', id: number | undefined): boolean => alt.length === 1 && alt[0]!.kind === kind && alt[0]!.id === id;
    if (marker !== undefined && alts.some((a) => isOne(a, 'lexeme', marker))) {
      for (const alt of alts) if (isOne(alt, 'lexeme', to)) alt[0] = { kind: 'lexeme', id: base };
    }
    if (path !== undefined && colons >= 0 && baseName(rule.name).startsWith(`${p.pathRule}__`)) {
      for (let i = 0; i < alts.length; i++) {
        if (isOne(alts[i]!, 'rule', path)) alts[i] = [{ kind: 'rule', id: path }, { kind: 'lexeme', id: colons }, { kind: 'lexeme', id: base }];
      }
    }
  }
}

/** Whether a rule belongs to a site's rule pattern: by its own name, or as a helper of one (`x_group`). */
function ruleMatches(re: RegExp, name: string): boolean {
  return re.test(baseName(name)) || re.test(familyName(name));
}

function applySite(
  ed: GrammarEditor, site: Site, ident: number,
  lexemeFor: (kinds: readonly IdentifierKind[], base: number, shape?: Partial<Record<IdentifierKind, string>>) => number | null,
  count: (kinds: readonly IdentifierKind[], n: number) => void,
): void {
  const base = site.type === 'after' ? ident : (site.lexeme ? ed.lexemeId(site.lexeme) : ident);
  if (base === undefined) return;
  const to = lexemeFor(site.kinds, base, site.type === 'rules' ? site.shape : undefined);
  if (to === null) return;
  if (site.type === 'after') {
    const rules = ed.ruleIds((n) => !site.rules || ruleMatches(site.rules, n));
    const after = new Set(site.after);
    count(site.kinds, ed.substitute(rules, base, to, (alt, i) => {
      const prev = ed.previous(alt, i);
      return prev !== undefined && after.has(baseName(ed.symName(prev)));
    }));
  } else if (site.type === 'rules') {
    const rules = ed.ruleIds((n) => ruleMatches(site.rules, n));
    count(site.kinds, ed.substitute(rules, base, to, (alt) => !site.alone || alt.length === 1));
  } else {
    const family = new Set(site.family);
    const parents = ed.ruleIds((n) => ruleMatches(site.parents, n));
    const children = ed.ruleIds(site.child);
    const suffix = site.kinds.join('_');
    for (const child of children) {
      const first = ed.rules.length;
      const copy = ed.cloneFamily(child, family, base, to, suffix);
      if (site.patterns) bindingPatterns(ed, first, base, to, site.patterns);
      count(site.kinds, ed.replaceRuleRefs(parents, child, copy));
    }
  }
}
