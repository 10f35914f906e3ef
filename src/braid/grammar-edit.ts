/**
 * Editing a program grammar in the engine's IR for one target: terminals narrowed (`IDENT & ~/eval/`),
 * declaration sites given their own terminals (sites.ts), rules copied per site, a new start rule.
 * The shipped grammar is never mutated: the editor copies what it changes, and `build` prunes what
 * the new start no longer reaches, through the engine's GrammarBuilder.
 */
import { GrammarBuilder, type Grammar, type LexemeDef, type Regex, type RuleDef, type Sym } from '../engine/index.ts';

/** A symbol's name as sites.ts writes it: `"*"?` and `"*"` read as `*`, helper suffixes dropped. */
export function baseName(name: string): string {
  let n = name;
  while (/[?*+]$/.test(n)) n = n.slice(0, -1);
  if (n.length >= 2 && n.startsWith('"') && n.endsWith('"')) n = n.slice(1, -1);
  return n;
}

/** The rule a helper rule was made for (`object_binding_group*` → `object_binding`). */
export function familyName(name: string): string {
  return baseName(name).replace(/_group$/, '');
}

export class GrammarEditor {
  readonly lexemes: LexemeDef[];
  readonly rules: RuleDef[];
  start: number;
  private readonly base: Grammar;

  constructor(g: Grammar) {
    this.base = g;
    this.lexemes = g.lexemes.slice();
    this.rules = g.rules.map((r) => ({ ...r, alternatives: r.alternatives.map((a) => a.slice()) }));
    this.start = g.start;
  }

  lexemeId(name: string): number | undefined {
    const i = this.lexemes.findIndex((l) => l.name === name);
    return i < 0 ? undefined : i;
  }

  /** Ids of the rules named `name`, or whose names pass `name` when it is a test. */
  ruleIds(name: string | ((ruleName: string) => boolean)): number[] {
    const out: number[] = [];
    this.rules.forEach((r, i) => { if (typeof name === 'string' ? r.name === name : name(r.name)) out.push(i); });
    return out;
  }

  symName(s: Sym): string {
    if (s.kind === 'lexeme') {
      const l = this.lexemes[s.id]!;
      return l.literal !== undefined ? l.literal : l.name;
    }
    return s.kind === 'rule' ? this.rules[s.id]!.name : '<token>';
  }

  addLexeme(def: LexemeDef): number {
    this.lexemes.push(def);
    return this.lexemes.length - 1;
  }

  /** Narrow a terminal in place: every use of it, now matching `regex`. */
  setLexemeRegex(id: number, regex: Regex): void {
    this.lexemes[id] = { ...this.lexemes[id]!, regex };
  }

  addRule(name: string, alternatives: Sym[][]): number {
    this.rules.push({ name, alternatives });
    return this.rules.length - 1;
  }

  /**
   * Replace lexeme `from` by `to` in the alternatives of `ruleIds` where `pick(alt, i)` holds;
   * returns how many occurrences changed.
   */
  substitute(ruleIds: readonly number[], from: number, to: number, pick: (alt: Sym[], i: number) => boolean = () => true): number {
    let n = 0;
    for (const r of ruleIds) {
      for (const alt of this.rules[r]!.alternatives) {
        for (let i = 0; i < alt.length; i++) {
          const s = alt[i]!;
          if (s.kind === 'lexeme' && s.id === from && pick(alt, i)) { alt[i] = { kind: 'lexeme', id: to }; n++; }
        }
      }
    }
    return n;
  }

  /** The symbol before position i of alt, skipping zero-width declared lexemes (gap markers). */
  previous(alt: Sym[], i: number): Sym | undefined {
    for (let j = i - 1; j >= 0; j--) {
      const s = alt[j]!;
      if (s.kind === 'lexeme' && this.lexemes[s.id]!.declared) continue;
      return s;
    }
    return undefined;
  }

  /**
   * Copy the rule `root` and every rule of `family` (by familyName) reachable from it without
   * leaving the family, with lexeme `from` replaced by `to` in the copies. Returns the copy of root.
   */
  cloneFamily(root: number, family: ReadonlySet<string>, from: number, to: number, suffix: string): number {
    const copies = new Map<number, number>();
    const copy = (id: number): number => {
      const done = copies.get(id);
      if (done !== undefined) return done;
      const src = this.rules[id]!;
      const nid = this.addRule(`${src.name}__${suffix}`, []);
      copies.set(id, nid);
      const alts = src.alternatives.map((alt) => alt.map((s): Sym => {
        if (s.kind === 'lexeme' && s.id === from) return { kind: 'lexeme', id: to };
        if (s.kind === 'rule' && family.has(familyName(this.rules[s.id]!.name))) return { kind: 'rule', id: copy(s.id) };
        return s;
      }));
      this.rules[nid] = { ...src, name: `${src.name}__${suffix}`, alternatives: alts };
      return nid;
    };
    return copy(root);
  }

  /** In rules `parents`, references to rule `from` (and its helper rules) now point at `to`. */
  replaceRuleRefs(parents: readonly number[], from: number, to: number): number {
    let n = 0;
    for (const p of parents) {
      for (const alt of this.rules[p]!.alternatives) {
        for (let i = 0; i < alt.length; i++) {
          const s = alt[i]!;
          if (s.kind === 'rule' && s.id === from) { alt[i] = { kind: 'rule', id: to }; n++; }
        }
      }
    }
    return n;
  }

  /** The edited grammar, pruned to what `start` reaches (options and %ignore kept). */
  build(): Grammar {
    const g: Grammar = { ...this.base, lexemes: this.lexemes, rules: this.rules, start: this.start };
    const b = new GrammarBuilder();
    return b.build(b.embed(g, { options: 'keep' }), { unproductive: 'error' });
  }
}
