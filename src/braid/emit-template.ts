/**
 * Emission through templates: the edited program grammar, pruned and printed, once per structure of
 * request, with placeholders where each request's content goes; each request then only fills in its
 * content. Editing, pruning and printing a whole program grammar take milliseconds; what changes
 * from one request to the next with the same structure is a few terminals and one line of text.
 *
 * The structure of a request (structureKey) is everything the edits branch on: the language, the
 * terminals that can spell a forbidden name, the naming styles per kind, the kinds left out, which
 * import lists there are, the start. Its content (EmitContent, emit.ts) is what ends up inside
 * terminals: the forbidden names, the modules, the forced head. A template is the request's grammar
 * edited with a placeholder for each content item: a character no grammar uses (Unicode
 * noncharacters), so each placeholder prints as a text of its own (`/\x{FDD0}/`) in the template's
 * Lark. Filling in a request rebuilds only the terminals that hold a placeholder and splices the
 * content's printed regexes into the template's text at the placeholders.
 *
 * The result is the one emitProgramGrammar + printLark give (test/braid/emit-template.test.ts), as
 * long as nothing in the content makes the grammar builder merge terminals (the same text as a
 * terminal the grammar already has, say a forced head that is one keyword); that is checked for
 * each request with the builder itself, and such a request is emitted without the template.
 */
import { GrammarBuilder, hasAndNot, loadProgramGrammar, printLark, regexToLarkTerminal, type Grammar, type LexemeDef, type Regex } from '../engine/index.ts';
import { LruCache } from './cache.ts';
import {
  allowedModulesRegex, banRegex, editProgramGrammar, emitProgramGrammar, forbiddenModulesRegex, provenanceOf, signatureLexeme, spelledBy,
  type EmitContent, type EmitRequest, type EmittedGrammar, type ProvenanceSource,
} from './emit.ts';
import { SITES, type ModuleQuote } from './sites.ts';
import type { IdentifierKind } from '../core/index.ts';
import type { ProgramLanguage } from '../engine/index.ts';

type Slot = 'ban' | 'allowedModules' | 'forbiddenModules' | 'head';

const char = (cp: number): Regex => ({ kind: 'chars', ranges: [[cp, cp]] });

/** The placeholders: noncharacters (U+FDD0…), which no program grammar spells. */
const PLACEHOLDERS: Required<EmitContent> = {
  ban: char(0xfdd0),
  allowedModules: char(0xfdd1),
  forbiddenModules: char(0xfdd2),
  head: '\ufdd3',
};

/**
 * How each placeholder prints. The regexes sit right under `&` or `~` in their terminals, where the
 * printer writes any regex without intersection or complement as one `/…/`; the head is a literal,
 * written quoted.
 */
const PLACEHOLDER_TEXT: Record<Slot, string> = {
  ban: regexToLarkTerminal(PLACEHOLDERS.ban),
  allowedModules: regexToLarkTerminal(PLACEHOLDERS.allowedModules),
  forbiddenModules: regexToLarkTerminal(PLACEHOLDERS.forbiddenModules),
  head: JSON.stringify(PLACEHOLDERS.head),
};
const SLOT_OF = new Map(Object.entries(PLACEHOLDER_TEXT).map(([slot, text]) => [text, slot as Slot]));
const PLACEHOLDER_PATTERN = new RegExp([...SLOT_OF.keys()].map((t) => t.replace(/[\\^$.*+?()[\]{}|/]/g, '\\$&')).join('|'), 'g');

/** A terminal of the template that holds placeholders, rebuilt for each request's content. */
interface Filled {
  /** Its index among the edited grammar's terminals. */
  index: number;
  /** The content items it holds. */
  slots: Slot[];
  /**
   * It rebuilt, per content of those items: the same objects for the same content, so the grammar
   * builder's keys of their regexes (long: they hold the identifier terminal) are computed once.
   */
  made: LruCache<LexemeDef>;
}

interface Template {
  /** The edited grammar's terminals in the editor's order, placeholders in some. */
  edited: LexemeDef[];
  filled: Filled[];
  /** The pruned grammar (what emitProgramGrammar returns), placeholders in it. */
  built: Grammar;
  /** Per filled terminal that the pruned grammar uses: its index among the edited ones and there. */
  builtIndex: Array<[number, number]>;
  /** The printed grammar cut at the placeholders: parts[0] slots[0] parts[1] … */
  parts: string[];
  slots: Slot[];
  sites: Partial<Record<IdentifierKind, number>>;
  importsInGrammar: boolean;
  provenance: ProvenanceSource[];
}

/** Templates by structure; a process compiles for a few targets and a few rule sets at a time. */
const templates = new LruCache<Template | null>(32);

/** A content item as the edits use it and as it prints (undefined text: it would not print as its placeholder). */
interface SlotValue {
  regex?: Regex;
  head?: string;
  text: string | undefined;
}

/** Content items by their source text: the parsed regex and its printed form, made once. */
const slotValues = new LruCache<SlotValue>(64);

/**
 * The request's grammar and its Lark text, as `emitProgramGrammar` + `printLark` give them, through
 * the template of its structure.
 */
export function emitWithTemplate(req: EmitRequest): EmittedGrammar {
  // An empty head is no literal (the printer writes it as a terminal): such a request has no template.
  if (req.start.kind === 'declaration' && req.start.head === '') return emitAndPrint(req);
  const key = structureKey(req);
  let t = templates.get(key);
  if (t === undefined) {
    t = makeTemplate(req);
    templates.set(key, t);
  }
  const filled = t ? fill(t, req) : undefined;
  if (filled) counts.filled++;
  return filled ?? emitAndPrint(req);
}

/** The request's grammar edited, pruned and printed in full (no template). */
export function emitAndPrint(req: EmitRequest): EmittedGrammar {
  counts.full++;
  const e = emitProgramGrammar(req);
  return { ...e, lark: printLark(e.grammar) };
}

/** Requests filled into a template, and requests emitted in full (no template could take them). */
const counts = { filled: 0, full: 0 };

/** Templates held (with hits and misses) and how requests were emitted: for the benchmark's notes and the tests. */
export function templateStats(): ReturnType<LruCache<unknown>['stats']> & typeof counts {
  return { ...templates.stats(), ...counts };
}

/** Everything the edits of emit.ts branch on (see the file comment); the content is left out. */
export function structureKey(req: EmitRequest): string {
  const table = SITES[req.language];
  const spelled = new Set<number>();
  for (const n of req.forbiddenNames.keys()) for (const id of spelledBy(req.language, n)) spelled.add(id);
  return JSON.stringify([
    req.language,
    [...spelled].sort((a, b) => a - b),
    [...req.naming].map(([kind, r]) => [kind, r.regex, r.label]),
    req.absentKinds ?? [],
    req.allowedModules !== undefined, req.forbiddenModules !== undefined,
    req.start.kind, req.start.kind === 'module' ? '' : table.body(req.start.fn),
  ]);
}

/** The template of the request's structure, or null when this structure cannot have one. */
function makeTemplate(req: EmitRequest): Template | null {
  if (!placeholdersUnused(req.language)) return null;
  const e = editProgramGrammar(req, PLACEHOLDERS);
  const edited = e.editor.lexemes.slice();
  // A placeholder's text must come only from the placeholder: the shipped grammar has none of
  // them (placeholdersUnused), and neither may a terminal the edits add (a naming regex).
  const shipped = loadProgramGrammar(req.language).lexemes.length;
  if (edited.slice(shipped).some((l) => l.literal !== PLACEHOLDERS.head && mentionsPlaceholders(l.regex))) return null;
  // The builder must keep every terminal apart, as it will with the content (checked in fill).
  if (!keptApart(edited)) return null;
  const built = e.editor.build();
  const filled: Filled[] = [];
  edited.forEach((l, index) => {
    const slots = l.literal === PLACEHOLDERS.head ? ['head' as const] : placeholdersIn(l.regex);
    if (slots.length > 0) filled.push({ index, slots, made: new LruCache(8) });
  });
  // The builder keeps each terminal's regex object: that finds the filled ones in the pruned grammar.
  const byRegex = new Map<Regex, number>(built.lexemes.map((l, i) => [l.regex, i]));
  const builtIndex: Array<[number, number]> = [];
  for (const f of filled) {
    const j = byRegex.get(edited[f.index]!.regex);
    if (j !== undefined) builtIndex.push([f.index, j]);
  }
  const lark = printLark(built);
  const parts: string[] = [];
  const slots: Slot[] = [];
  let at = 0;
  for (const m of lark.matchAll(PLACEHOLDER_PATTERN)) {
    parts.push(lark.slice(at, m.index));
    slots.push(SLOT_OF.get(m[0])!);
    at = m.index! + m[0].length;
  }
  parts.push(lark.slice(at));
  return { edited, filled, built, builtIndex, parts, slots, sites: e.sites, importsInGrammar: e.importsInGrammar, provenance: e.provenance };
}

/** The request's grammar from its template; undefined when its content cannot go into the template. */
function fill(t: Template, req: EmitRequest): EmittedGrammar | undefined {
  const keys = slotKeys(req);
  const values: Partial<Record<Slot, SlotValue>> = {};
  const value = (slot: Slot): SlotValue => (values[slot] ??= slotValue(slot, keys[slot]!));
  const lexemes = t.edited.slice();
  for (const f of t.filled) {
    const k = f.slots.length === 1 ? keys[f.slots[0]!]! : JSON.stringify(f.slots.map((s) => keys[s]));
    let l = f.made.get(k);
    if (l === undefined) {
      const old = lexemes[f.index]!;
      if (f.slots[0] === 'head') l = signatureLexeme(value('head').head!);
      else {
        const swap = new Map<Regex, Regex>();
        for (const s of f.slots) swap.set(PLACEHOLDERS[s] as Regex, value(s).regex!);
        l = { ...old, regex: substitute(old.regex, swap) };
      }
      f.made.set(k, l);
    }
    lexemes[f.index] = l;
  }
  // What the builder makes of them: the same terminals, none merged (and each within the size limits).
  const b = new GrammarBuilder();
  for (let i = 0; i < lexemes.length; i++) if (b.lexeme(lexemes[i]!) !== i) return undefined;
  const builtLexemes = t.built.lexemes.slice();
  for (const [i, j] of t.builtIndex) builtLexemes[j] = b.getLexeme(i);

  let lark = t.parts[0]!;
  for (let k = 0; k < t.slots.length; k++) {
    const text = value(t.slots[k]!).text;
    if (text === undefined) return undefined;
    lark += text + t.parts[k + 1]!;
  }
  return {
    grammar: { ...t.built, lexemes: builtLexemes },
    lark,
    provenance: provenanceOf(t.provenance, req),
    sites: { ...t.sites },
    importsInGrammar: t.importsInGrammar,
  };
}

/** Per content item the request has: its source text, which identifies it. */
function slotKeys(req: EmitRequest): Partial<Record<Slot, string>> {
  const keys: Partial<Record<Slot, string>> = {};
  if (req.forbiddenNames.size > 0) keys.ban = JSON.stringify([...req.forbiddenNames.keys()]);
  // The modules with the language's form of import (the regex depends on it: sites.ts ModuleQuote).
  const quote = SITES[req.language].moduleSpecifier?.quote ?? 'string';
  if (req.allowedModules) keys.allowedModules = JSON.stringify([quote, ...req.allowedModules.modules]);
  if (req.forbiddenModules) keys.forbiddenModules = JSON.stringify([quote, ...req.forbiddenModules.modules]);
  if (req.start.kind === 'declaration') keys.head = req.start.head;
  return keys;
}

function slotValue(slot: Slot, key: string): SlotValue {
  const k = `${slot}\u0000${key}`;
  let v = slotValues.get(k);
  if (v === undefined) {
    if (slot === 'head') v = { head: key, text: JSON.stringify(key) };
    else {
      const list = JSON.parse(key) as string[];
      const quote = list[0] as ModuleQuote;
      const regex = slot === 'ban' ? banRegex(list) : slot === 'allowedModules' ? allowedModulesRegex(list.slice(1), quote) : forbiddenModulesRegex(list.slice(1), quote);
      // It prints as one `/…/` where its placeholder did only without intersection or complement.
      v = { regex, text: hasAndNot(regex) ? undefined : regexToLarkTerminal(regex) };
    }
    slotValues.set(k, v);
  }
  return v;
}

/** Whether the builder gives each terminal its own id (no two with the same regex). */
function keptApart(lexemes: readonly LexemeDef[]): boolean {
  const b = new GrammarBuilder();
  return lexemes.every((l, i) => b.lexeme(l) === i);
}

/** The content items whose placeholders a regex holds, each once. */
function placeholdersIn(re: Regex): Slot[] {
  const out = new Set<Slot>();
  const walk = (r: Regex): void => {
    switch (r.kind) {
      case 'chars':
        if (r === PLACEHOLDERS.ban) out.add('ban');
        else if (r === PLACEHOLDERS.allowedModules) out.add('allowedModules');
        else if (r === PLACEHOLDERS.forbiddenModules) out.add('forbiddenModules');
        break;
      case 'concat':
      case 'alt':
      case 'and': r.items.forEach(walk); break;
      case 'repeat':
      case 'not': walk(r.item); break;
      default: break;
    }
  };
  walk(re);
  return [...out];
}

/**
 * Whether a regex, other than the placeholders themselves, could print as one: a class of exactly
 * one of their characters (wider classes print as ranges).
 */
function mentionsPlaceholders(re: Regex): boolean {
  switch (re.kind) {
    case 'chars':
      return re !== PLACEHOLDERS.ban && re !== PLACEHOLDERS.allowedModules && re !== PLACEHOLDERS.forbiddenModules
        && re.ranges.length === 1 && re.ranges[0]![0] === re.ranges[0]![1] && re.ranges[0]![0] >= 0xfdd0 && re.ranges[0]![0] <= 0xfdd3;
    case 'concat':
    case 'alt':
    case 'and': return re.items.some(mentionsPlaceholders);
    case 'repeat':
    case 'not': return mentionsPlaceholders(re.item);
    default: return false;
  }
}

/** `re` with the placeholders replaced; shared subtrees stay shared (one copy per object). */
function substitute(re: Regex, swap: Map<Regex, Regex>): Regex {
  const done = swap.get(re);
  if (done !== undefined) return done;
  let out: Regex = re;
  switch (re.kind) {
    case 'concat':
    case 'alt':
    case 'and': {
      const items = re.items.map((x) => substitute(x, swap));
      if (items.some((x, i) => x !== re.items[i])) out = { ...re, items };
      break;
    }
    case 'repeat':
    case 'not': {
      const item = substitute(re.item, swap);
      if (item !== re.item) out = { ...re, item };
      break;
    }
    default: break;
  }
  swap.set(re, out);
  return out;
}

/** Per language: whether its printed grammar has none of the placeholders' texts (a placeholder must be found only where it was put). */
const unusedIn = new Map<ProgramLanguage, boolean>();
function placeholdersUnused(lang: ProgramLanguage): boolean {
  let ok = unusedIn.get(lang);
  if (ok === undefined) {
    ok = printLark(loadProgramGrammar(lang)).search(PLACEHOLDER_PATTERN) < 0;
    unusedIn.set(lang, ok);
  }
  return ok;
}
