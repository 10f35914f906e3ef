/**
 * The abstract grammar the inhabitation search writes (inhabit.ts) before it is printed as Lark
 * (lark.ts): rules of alternatives over literals, terminals, rules, optional and repeated groups.
 * Rules are made optimistically (a type may turn out to have no expression); `prune` then removes
 * what can derive no text and what the start cannot reach, so every rule printed is productive.
 */

export type GSym =
  | { lit: string }
  | { term: string }
  | { rule: string }
  | { opt: GSym[] }
  | { star: GSym[] };

export interface GRule {
  name: string;
  /** What the rule stands for, printed as a comment. */
  comment: string;
  alts: GSym[][];
}

/** The rule budget ran out: the caller lowers the depth and tries again. */
export class BudgetExceeded extends Error {}

export const lit = (text: string): GSym => ({ lit: text });
export const term = (name: string): GSym => ({ term: name });
export const ref = (name: string): GSym => ({ rule: name });
export const opt = (syms: GSym[]): GSym => ({ opt: syms });
export const star = (syms: GSym[]): GSym => ({ star: syms });

export class RuleSet {
  readonly rules = new Map<string, GRule>();
  private counter = 0;

  constructor(readonly maxRules: number) {}

  /** A new, empty rule named `base_N`. */
  create(base: string, comment: string): string {
    if (this.rules.size >= this.maxRules) throw new BudgetExceeded(`more than ${this.maxRules} rules`);
    const name = `${base}_${this.counter++}`;
    this.rules.set(name, { name, comment, alts: [] });
    return name;
  }

  add(name: string, alt: GSym[]): void {
    this.rules.get(name)!.alts.push(alt);
  }

  /**
   * Drops unproductive alternatives and rules, optional groups that could only hold unproductive
   * rules, and rules the start does not reach. Returns false when the start derives nothing.
   */
  prune(start: string): boolean {
    const productive = new Set<string>();
    const symOk = (s: GSym): boolean => ('rule' in s ? productive.has(s.rule) : true);
    let changed = true;
    while (changed) {
      changed = false;
      for (const r of this.rules.values()) {
        if (productive.has(r.name)) continue;
        if (r.alts.some((a) => a.every(symOk))) { productive.add(r.name); changed = true; }
      }
    }
    if (!productive.has(start)) return false;
    const clean = (syms: GSym[]): GSym[] | null => {
      const out: GSym[] = [];
      for (const s of syms) {
        if ('opt' in s || 'star' in s) {
          const inner = clean('opt' in s ? s.opt : s.star);
          if (inner && inner.length > 0) out.push('opt' in s ? { opt: inner } : { star: inner });
          continue;
        }
        if ('rule' in s && !productive.has(s.rule)) return null;
        out.push(s);
      }
      return out;
    };
    for (const [name, r] of this.rules) {
      if (!productive.has(name)) { this.rules.delete(name); continue; }
      const alts: GSym[][] = [];
      const seen = new Set<string>();
      for (const a of r.alts) {
        const c = clean(a);
        if (!c) continue;
        const k = JSON.stringify(c);
        if (!seen.has(k)) { seen.add(k); alts.push(c); }
      }
      r.alts = alts;
    }
    // Reachability from the start.
    const reach = new Set<string>([start]);
    const stack = [start];
    const visit = (syms: GSym[]): void => {
      for (const s of syms) {
        if ('rule' in s) { if (!reach.has(s.rule)) { reach.add(s.rule); stack.push(s.rule); } }
        else if ('opt' in s) visit(s.opt);
        else if ('star' in s) visit(s.star);
      }
    };
    while (stack.length) for (const a of this.rules.get(stack.pop()!)!.alts) visit(a);
    for (const name of [...this.rules.keys()]) if (!reach.has(name)) this.rules.delete(name);
    return true;
  }

  /** Terminal names used by the kept rules. */
  terminals(): Set<string> {
    const out = new Set<string>();
    const visit = (syms: GSym[]): void => {
      for (const s of syms) {
        if ('term' in s) out.add(s.term);
        else if ('opt' in s) visit(s.opt);
        else if ('star' in s) visit(s.star);
      }
    };
    for (const r of this.rules.values()) for (const a of r.alts) visit(a);
    return out;
  }
}
