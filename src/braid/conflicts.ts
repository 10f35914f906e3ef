/**
 * Conflict detection and resolution (docs/braid.md, "Conflicts"): which constraints of one
 * generation target contradict each other, which one of each contradiction is kept, and why.
 *
 * Detection never compares all pairs. Each rule type has a subject key (the identifier kind of a
 * naming rule, a name, a module, the target's length or type, its whole text): one pass puts every
 * constraint in the buckets of its subjects, and each bucket is resolved against its current winner
 * or accumulated state. Only regexes are intersected, one at a time, against what was kept before.
 *
 * Resolution: severity (error > warning > info > hint), then priority (higher wins), then
 * confidence (higher wins). A tie on all three keeps the first in input order when either side is
 * soft; between two hard constraints it is not decided here: the whole call fails with
 * AnankeError('CONFLICT') naming them. So does a hard constraint that nothing satisfies on its own
 * (at least 10 and at most 5 characters, a regex with an empty language).
 *
 * Every input constraint ends in exactly one of: `kept` (possibly narrowed: a list rule without the
 * entries that lost), `dropped` (lost a conflict, with the winner and the reason) or `merged` (a
 * duplicate of a kept constraint).
 *
 * The buckets form groups that decide only among themselves; with a memo (ConflictMemo) a group's
 * decisions are replayed when the same constraints come again, so a request that differs from an
 * earlier one in a few constraints re-decides only their groups.
 */
import {
  AnankeError, describeRule,
  type Conflict, type Constraint, type Domain, type NamingStyle, type Rule, type Severity,
} from '../core/index.ts';
import { EngineError, parseRegex, RegexIntersections, regexWitness, type Regex, type RegexFlavor, type WitnessLimits } from '../engine/index.ts';
import { namingRegex } from './naming-regex.ts';

export interface ResolveConflictsOptions {
  /** Braid's hardness policy (src/braid/policy.ts). Default: severity `error` is hard. */
  isHard?: (c: Constraint) => boolean;
  /** Syntax of `regex` rules (default `rust`: the Rust `regex` crate, as llguidance reads it). */
  regexFlavor?: RegexFlavor;
  /** Bounds on each emptiness check of an intersection of regexes (engine regexWitness). */
  witnessLimits?: WitnessLimits;
  /**
   * Decisions already made, by their inputs: a caller that resolves many requests differing in a
   * few constraints (Braid) passes one, and each group of constraints that decide only among
   * themselves (ConflictMemo) is resolved again only when one of them changed.
   */
  memo?: ConflictMemo;
}

/**
 * Where Resolver keeps decisions between calls. Constraints are resolved in groups that read and
 * decide only among themselves: the naming rules of one subject, the expected types, signatures
 * with forbidden names, allowed with forbidden imports, and the rules on the whole output (length
 * limits, regexes, grammars). A group's decisions depend on its constraints alone (in order, with
 * their hardness), so they are stored under the keys of its constraints and replayed when the same
 * group comes again.
 */
export interface ConflictMemo {
  /**
   * A key per constraint (in the order they are given to resolveConflicts) that differs whenever
   * any field of the constraint does, in lower-case letters and digits (Braid: a name for the
   * xxhash of its canonical form).
   */
  keys: readonly string[];
  /** Where the decisions are kept (an LruCache fits). */
  store: {
    get(key: string): GroupDecisions | undefined;
    set(key: string, value: GroupDecisions): void;
  };
  /**
   * The last list resolved for the same caller and options (Braid: the same target), when this
   * list has the same ids in the same order, with the positions whose constraint changed: its
   * groups are taken over when every changed constraint stays in its group, and only the groups of
   * changed constraints are looked up again.
   */
  previous?: { grouping: Grouping; changed: readonly number[] };
  /** Set by resolveConflicts: this list's grouping, to pass as `previous` next time. */
  current?: Grouping;
}

/** How a list of constraints falls into groups (see ConflictMemo), with each group's memo key. */
export interface Grouping {
  readonly constraints: readonly Constraint[];
  readonly hard: readonly boolean[];
  readonly groups: readonly Group[];
  /** Per constraint, the index of its group in `groups`, or -1. */
  readonly groupOf: Int32Array;
  /** The lists the mixed groups decide on, by rule type. */
  readonly lists: Readonly<Record<ListedType, readonly number[]>>;
  /** Per group, its key in the memo's store. */
  readonly keys: readonly string[];
}

type ListedType = 'signature' | 'forbidden_identifiers' | 'forbidden_calls' | 'allowed_imports' | 'forbidden_imports' | 'length' | 'regex' | 'grammar';

/** A group of constraints that decide among themselves, in the order the groups are decided. */
interface Group {
  kind: 'naming' | 'expected' | 'names' | 'imports' | 'output';
  members: number[];
  /** Naming groups: what they are about ("typescript variable names"). */
  subject?: string;
}

/** What one group decided: its constraints' fates (by position in the group) and the entries it added. */
export interface GroupDecisions {
  gone: Uint8Array;
  /** List entries taken out, per position. */
  removed: Array<ReadonlySet<string> | undefined>;
  dropped: DroppedConstraint[];
  merged: MergedConstraint[];
  narrowed: NarrowedConstraint[];
  conflicts: Conflict[];
  undecided: UndecidedCheck[];
  unresolved: { conflict: Conflict; message: string }[];
}

/** A constraint removed because it lost a conflict. */
export interface DroppedConstraint {
  id: string;
  /** The constraint it lost to (its own id when it contradicts itself). */
  by: string;
  reason: string;
}

/** A constraint removed as a duplicate of a kept one (same rule, same subject). */
export interface MergedConstraint {
  id: string;
  into: string;
  reason: string;
}

/** A list rule kept without some of its entries (a forbidden name that a signature requires, say). */
export interface NarrowedConstraint {
  id: string;
  by: string;
  /** The entries taken out of its list. */
  removed: string[];
  reason: string;
}

/** A check that could not be made: the constraints are kept, and this says what was not decided. */
export interface UndecidedCheck {
  constraintIds: string[];
  subject: string;
  reason: string;
}

export interface ConflictResolution {
  /** In input order; a narrowed constraint appears as a copy with its shorter list and description. */
  kept: Constraint[];
  dropped: DroppedConstraint[];
  merged: MergedConstraint[];
  narrowed: NarrowedConstraint[];
  conflicts: Conflict[];
  undecided: UndecidedCheck[];
}

/** AnankeError('CONFLICT') with the conflicts that could not be resolved (no `winner`). */
export class ConflictError extends AnankeError {
  constructor(
    readonly conflicts: Conflict[],
    message: string,
  ) {
    super('CONFLICT', message);
  }
}

type ResolvedBy = NonNullable<Conflict['resolvedBy']>;

const SEVERITY_RANK: Record<Severity, number> = { error: 3, warning: 2, info: 1, hint: 0 };

/**
 * Pair searches for the smallest set of regexes whose intersection is empty stop after this many
 * emptiness checks and name the whole set instead: each check builds an automaton, and a target
 * with dozens of mutually incompatible regexes is not worth a quadratic search.
 */
const MAX_CORE_CHECKS = 32;

/** Names for the naming-style comparison: a letter first, so the sigils and `_` every style allows do not count. */
const PLAIN_NAME = '[A-Za-z][A-Za-z0-9_-]*';

/**
 * Length limits above this (characters or lines) are left out of the regex checks: the counted
 * repetition would be as large as the limit, and no witness search walks that far.
 */
const MAX_CHECKED_LENGTH = 100_000;

/** Any one character, for length limits as regexes. */
const ANY_CHAR: Regex = { kind: 'chars', ranges: [[0, 0x10ffff]] };
const NOT_NEWLINE: Regex = { kind: 'chars', ranges: [[0, 9], [11, 0x10ffff]] };

/**
 * Resolve the conflicts among `constraints` (one generation target). Throws ConflictError
 * (AnankeError 'CONFLICT') when hard constraints tie or a hard constraint is unsatisfiable alone,
 * and AnankeError('REGEX') when a regex rule does not parse.
 */
export function resolveConflicts(constraints: readonly Constraint[], opts: ResolveConflictsOptions = {}): ConflictResolution {
  const r = new Resolver(constraints, opts);
  r.run();
  return r.result();
}

/** A constraint's position in the input, and what it says about one subject. */
interface Item {
  idx: number;
  /** How it reads in a reason: "camelCase", "forbids the identifier eval". */
  label: string;
}

interface RegexItem extends Item {
  /** Its regex's index in the Resolver's RegexIntersections. */
  k: number;
}

interface Side {
  items: Item[];
  /** What this side does with the entry: "required", "allowed", "forbidden". */
  verb: string;
}

class Resolver {
  private readonly cs: readonly Constraint[];
  private readonly hard: boolean[];
  /** The previous grouping to take over, when the changed constraints all stay in their groups. */
  private readonly previous: Grouping | undefined;
  /** 0 kept, 1 dropped, 2 merged. */
  private readonly gone: Uint8Array;
  private readonly flavor: RegexFlavor;
  private readonly witnessLimits: WitnessLimits | undefined;
  private readonly memo: ConflictMemo | undefined;
  /** The options every decision depends on, the start of each group's memo key. */
  private readonly settingsKey: string;

  private readonly dropped: DroppedConstraint[] = [];
  private readonly merged: MergedConstraint[] = [];
  private readonly narrowed: NarrowedConstraint[] = [];
  private readonly conflicts: Conflict[] = [];
  private readonly undecided: UndecidedCheck[] = [];
  /** Conflicts that no rule decides, each with the sentence for the error message. */
  private readonly unresolved: { conflict: Conflict; message: string }[] = [];
  /** List entries removed per constraint (narrowing). */
  private readonly removed = new Map<number, Set<string>>();
  private readonly regexCache = new Map<string, Regex>();
  /** The regexes and length limits of resolveRegexes, compiled together. */
  private automata: RegexIntersections | undefined;
  /** A text matching every regex kept so far. */
  private accWitness = '';

  constructor(constraints: readonly Constraint[], opts: ResolveConflictsOptions) {
    this.cs = constraints;
    const isHard = opts.isHard ?? ((c: Constraint) => c.severity === 'error');
    const prev = opts.memo?.previous;
    if (prev && takesOver(prev.grouping.constraints, constraints, prev.changed)) {
      this.previous = prev.grouping;
      this.hard = prev.grouping.hard.slice();
      for (const i of prev.changed) this.hard[i] = isHard(constraints[i]!);
    } else {
      this.hard = constraints.map((c) => isHard(c));
    }
    this.gone = new Uint8Array(constraints.length);
    this.flavor = opts.regexFlavor ?? 'rust';
    this.witnessLimits = opts.witnessLimits;
    this.memo = opts.memo;
    if (opts.memo && opts.memo.keys.length !== constraints.length) throw new Error('resolveConflicts: memo.keys must have one key per constraint');
    this.settingsKey = opts.memo ? `${this.flavor}/${opts.witnessLimits?.maxStates}/${opts.witnessLimits?.maxRegexSize}/` : '';
  }

  run(): void {
    const memo = this.memo;
    const prev = this.previous;
    const g = prev ? prev : this.grouping();
    // Group keys: taken over for the groups no changed constraint is in (their constraints and
    // hardness are those of last time), made for the others.
    let keys = g.keys;
    if (memo) {
      if (prev) {
        const touched = new Set<number>();
        for (const i of memo.previous!.changed) if (prev.groupOf[i]! >= 0) touched.add(prev.groupOf[i]!);
        if (touched.size > 0) {
          const k = prev.keys.slice();
          for (const t of touched) k[t] = this.groupKey(prev.groups[t]!.members);
          keys = k;
        }
      } else keys = g.groups.map((x) => this.groupKey(x.members));
      memo.current = { ...g, constraints: this.cs, hard: this.hard, keys };
    }
    // Each group decides among its own constraints only (ConflictMemo); their order is the order of
    // the entries they add.
    const l = g.lists;
    g.groups.forEach((grp, k) => {
      const decide = (): void => {
        switch (grp.kind) {
          case 'naming': {
            const items = grp.members.map((idx) => { const style = (this.cs[idx]!.rule as Extract<Rule, { type: 'naming' }>).style; return { idx, label: style, value: style }; });
            this.resolveExclusive(grp.subject!, 'syntax', 'naming style', items, (w, l2) => styleOverlap(w.value as NamingStyle, l2.value as NamingStyle, this.witnessLimits));
            break;
          }
          case 'expected': {
            const items = grp.members.map((idx) => {
              const value = (this.cs[idx]!.rule as Extract<Rule, { type: 'expected_type' }>).expected.replace(/\s+/g, ' ').trim();
              return { idx, label: `type ${value}`, value };
            });
            this.resolveExclusive('expected type', 'types', 'expected type', items, (w, l2) => `one position cannot be expected to have both ${w.label} and ${l2.label} (types are compared as written)`);
            break;
          }
          case 'names': this.resolveNames(l.signature, l.forbidden_identifiers, l.forbidden_calls); break;
          case 'imports': this.resolveImports(l.allowed_imports, l.forbidden_imports); break;
          case 'output': {
            const keptLengths = this.resolveLengths(l.length);
            this.resolveRegexes(l.regex, l.regex.length > 0 ? keptLengths : []);
            this.noteGrammars(l.grammar, l.regex);
            break;
          }
        }
      };
      this.group(grp.members, keys[k], decide);
    });
  }

  /**
   * One pass: every constraint into the group of its subject. List rules are only listed here:
   * their entries are looked up against the (few) entries of the other side when decided. Groups
   * come in the order they are decided: naming subjects as they first appear, then expected types,
   * names, imports, the output (the order of the entries in the result).
   */
  private grouping(): Grouping {
    const naming = new Map<string, Map<string | undefined, Map<string | undefined, Group>>>();
    const namingGroups: Group[] = [];
    const expected: Group = { kind: 'expected', members: [] };
    const signature: number[] = [];
    const forbiddenIdents: number[] = [];
    const forbiddenCalls: number[] = [];
    const allowedImports: number[] = [];
    const forbiddenImports: number[] = [];
    const lengths: number[] = [];
    const regexes: number[] = [];
    const grammars: number[] = [];
    // The groups that mix rule types list their members (and each constraint its group) only for a
    // memo: its keys, and its next call (ConflictMemo.previous), need them.
    const track = this.memo !== undefined;
    const names: Group = { kind: 'names', members: [] };
    const imports: Group = { kind: 'imports', members: [] };
    const output: Group = { kind: 'output', members: [] };
    for (let idx = 0; idx < this.cs.length; idx++) {
      const rule = this.cs[idx]!.rule;
      switch (rule.type) {
        case 'naming': {
          // Keyed by the fields themselves (nested maps): no key string built per constraint.
          let byLanguage = naming.get(rule.identifierKind);
          if (!byLanguage) naming.set(rule.identifierKind, (byLanguage = new Map()));
          let byVisibility = byLanguage.get(rule.language);
          if (!byVisibility) byLanguage.set(rule.language, (byVisibility = new Map()));
          let g = byVisibility.get(rule.visibility);
          if (!g) {
            const subject = `${rule.language ? `${rule.language} ` : ''}${rule.visibility ? `${rule.visibility} ` : ''}${rule.identifierKind} names`;
            byVisibility.set(rule.visibility, (g = { kind: 'naming', members: [], subject }));
            namingGroups.push(g);
          }
          g.members.push(idx);
          break;
        }
        case 'expected_type': expected.members.push(idx); break;
        case 'signature': signature.push(idx); if (track) names.members.push(idx); break;
        case 'forbidden_identifiers': forbiddenIdents.push(idx); if (track) names.members.push(idx); break;
        case 'forbidden_calls': forbiddenCalls.push(idx); if (track) names.members.push(idx); break;
        case 'allowed_imports': allowedImports.push(idx); if (track) imports.members.push(idx); break;
        case 'forbidden_imports': forbiddenImports.push(idx); if (track) imports.members.push(idx); break;
        case 'length': lengths.push(idx); if (track) output.members.push(idx); break;
        case 'regex': regexes.push(idx); if (track) output.members.push(idx); break;
        case 'grammar': grammars.push(idx); if (track) output.members.push(idx); break;
        default: break;
      }
    }
    const groups = [...namingGroups, expected, names, imports, output];
    const groupOf = new Int32Array(track ? this.cs.length : 0).fill(-1);
    if (track) groups.forEach((g, k) => { for (const i of g.members) groupOf[i] = k; });
    const lists: Record<ListedType, number[]> = {
      signature, forbidden_identifiers: forbiddenIdents, forbidden_calls: forbiddenCalls, allowed_imports: allowedImports,
      forbidden_imports: forbiddenImports, length: lengths, regex: regexes, grammar: grammars,
    };
    return { constraints: this.cs, hard: this.hard, groups, groupOf, lists, keys: [] };
  }

  /** A group's key in the memo: the settings, then each constraint's key and hardness. */
  private groupKey(members: readonly number[]): string {
    // Keys are letters and digits in lower case: an upper-case H or S after each ends it (hard or soft).
    let key = this.settingsKey;
    for (const i of members) key += this.memo!.keys[i]! + (this.hard[i] ? 'H' : 'S');
    return key;
  }

  /**
   * Run `decide` for a group of constraints that decide only among themselves (ConflictMemo): with a
   * memo, the decisions for the same constraints (in order, with their hardness) are replayed
   * instead of made again.
   */
  private group(members: number[], key: string | undefined, decide: () => void): void {
    const memo = this.memo;
    if (!memo || key === undefined || members.length === 0) {
      decide();
      return;
    }
    const known = memo.store.get(key);
    if (known !== undefined) {
      members.forEach((i, k) => {
        this.gone[i] = known.gone[k]!;
        const rm = known.removed[k];
        if (rm) this.removed.set(i, new Set(rm));
      });
      this.dropped.push(...known.dropped);
      this.merged.push(...known.merged);
      this.narrowed.push(...known.narrowed);
      this.conflicts.push(...known.conflicts);
      this.undecided.push(...known.undecided);
      this.unresolved.push(...known.unresolved);
      return;
    }
    const at = [this.dropped.length, this.merged.length, this.narrowed.length, this.conflicts.length, this.undecided.length, this.unresolved.length] as const;
    decide();
    const gone = new Uint8Array(members.length);
    members.forEach((i, k) => { gone[k] = this.gone[i]!; });
    memo.store.set(key, {
      gone,
      removed: members.map((i) => { const rm = this.removed.get(i); return rm ? new Set(rm) : undefined; }),
      dropped: this.dropped.slice(at[0]), merged: this.merged.slice(at[1]), narrowed: this.narrowed.slice(at[2]),
      conflicts: this.conflicts.slice(at[3]), undecided: this.undecided.slice(at[4]), unresolved: this.unresolved.slice(at[5]),
    });
  }

  /**
   * Names both required (by a signature: its name and its parameters' names) and forbidden;
   * forbidden calls are compared with function names only.
   */
  private resolveNames(signatures: readonly number[], forbiddenIdents: readonly number[], forbiddenCalls: readonly number[]): void {
    const required = new Map<string, { idents: Item[]; calls: Item[] }>();
    for (const idx of signatures) {
      const rule = this.cs[idx]!.rule as Extract<Rule, { type: 'signature' }>;
      const add = (name: string, label: string, call: boolean) => {
        let e = required.get(name);
        if (!e) required.set(name, (e = { idents: [], calls: [] }));
        if (!e.idents.some((x) => x.idx === idx)) e.idents.push({ idx, label });
        if (call) e.calls.push({ idx, label });
      };
      add(rule.name, `requiring the function ${rule.name}`, true);
      for (const p of rule.params) add(p.name, `requiring the parameter ${p.name} of ${rule.name}`, false);
    }
    const nameGroups = new Map<string, { name: string; subject: string; req: Item[]; forb: Item[] }>();
    const addForbidden = (kind: 'identifier' | 'call', idx: number, names: string[]) => {
      for (let i = 0; i < names.length; i++) {
        const name = names[i]!;
        const req = required.get(name);
        const reqItems = kind === 'identifier' ? req?.idents : req?.calls;
        if (!reqItems || reqItems.length === 0) continue;
        const key = `${kind}\u0000${name}`;
        let g = nameGroups.get(key);
        if (!g) nameGroups.set(key, (g = { name, subject: kind === 'identifier' ? `the name ${name}` : `calls of ${name}`, req: reqItems, forb: [] }));
        if (g.forb.length === 0 || g.forb[g.forb.length - 1]!.idx !== idx) {
          g.forb.push({ idx, label: kind === 'identifier' ? `forbidding the identifier ${name}` : `forbidding calls of ${name}` });
        }
      }
    };
    if (required.size > 0) {
      for (const idx of forbiddenIdents) addForbidden('identifier', idx, (this.cs[idx]!.rule as Extract<Rule, { type: 'forbidden_identifiers' }>).names);
      for (const idx of forbiddenCalls) addForbidden('call', idx, (this.cs[idx]!.rule as Extract<Rule, { type: 'forbidden_calls' }>).calls);
    }
    for (const g of nameGroups.values()) {
      this.resolveSides(g.subject, 'syntax', g.name, { items: g.req, verb: 'required' }, { items: g.forb, verb: 'forbidden' }, false, true);
    }
  }

  /** Modules both allowed and forbidden. */
  private resolveImports(allowedImports: readonly number[], forbiddenImports: readonly number[]): void {
    const forbiddenModules = new Map<string, Item[]>();
    for (const idx of forbiddenImports) {
      for (const m of (this.cs[idx]!.rule as Extract<Rule, { type: 'forbidden_imports' }>).modules) {
        let list = forbiddenModules.get(m);
        if (!list) forbiddenModules.set(m, (list = []));
        if (list.length === 0 || list[list.length - 1]!.idx !== idx) list.push({ idx, label: `forbidding ${m}` });
      }
    }
    const importGroups = new Map<string, Item[]>();
    if (forbiddenModules.size > 0) {
      for (const idx of allowedImports) {
        for (const m of (this.cs[idx]!.rule as Extract<Rule, { type: 'allowed_imports' }>).modules) {
          if (!forbiddenModules.has(m)) continue;
          let list = importGroups.get(m);
          if (!list) importGroups.set(m, (list = []));
          if (list.length === 0 || list[list.length - 1]!.idx !== idx) list.push({ idx, label: `allowing ${m}` });
        }
      }
    }
    for (const [m, allow] of importGroups) this.resolveSides(`the import of ${m}`, 'imports', m, { items: allow, verb: 'allowed' }, { items: forbiddenModules.get(m)!, verb: 'forbidden' }, true, true);
  }

  result(): ConflictResolution {
    if (this.unresolved.length > 0) {
      const lines = this.unresolved.map((u) => ` - ${u.message}`);
      throw new ConflictError(
        this.unresolved.map((u) => u.conflict),
        `${this.unresolved.length === 1 ? 'a conflict' : `${this.unresolved.length} conflicts`} among hard constraints cannot be resolved (no rule decides which to keep, or nothing satisfies one):\n${lines.join('\n')}`,
      );
    }
    const kept: Constraint[] = [];
    this.cs.forEach((c, idx) => {
      if (this.gone[idx] !== 0) return;
      const rm = this.removed.get(idx);
      if (!rm) {
        kept.push(c);
        return;
      }
      const rule = narrowRule(c.rule, rm);
      kept.push({ ...c, rule, description: describeRule(rule) });
    });
    return { kept, dropped: this.dropped, merged: this.merged, narrowed: this.narrowed, conflicts: this.conflicts, undecided: this.undecided };
  }

  // ---- comparison -------------------------------------------------------------------------------

  /** Which of two constraints wins, and by which key: severity, priority, confidence, then input order. */
  private decide(a: number, b: number): { win: number; lose: number; by: ResolvedBy } {
    const ca = this.cs[a]!;
    const cb = this.cs[b]!;
    let d = SEVERITY_RANK[ca.severity] - SEVERITY_RANK[cb.severity];
    if (d !== 0) return d > 0 ? { win: a, lose: b, by: 'severity' } : { win: b, lose: a, by: 'severity' };
    d = ca.priority - cb.priority;
    if (d > 0 || d < 0) return d > 0 ? { win: a, lose: b, by: 'priority' } : { win: b, lose: a, by: 'priority' };
    d = ca.confidence - cb.confidence;
    if (d > 0 || d < 0) return d > 0 ? { win: a, lose: b, by: 'confidence' } : { win: b, lose: a, by: 'confidence' };
    return a < b ? { win: a, lose: b, by: 'order' } : { win: b, lose: a, by: 'order' };
  }

  /** Whether `a` beats `b` (decide without the allocation, for scans). */
  private beats(a: number, b: number): boolean {
    const ca = this.cs[a]!;
    const cb = this.cs[b]!;
    const d = SEVERITY_RANK[ca.severity] - SEVERITY_RANK[cb.severity];
    if (d !== 0) return d > 0;
    if (ca.priority !== cb.priority && !(Number.isNaN(ca.priority) || Number.isNaN(cb.priority))) return ca.priority > cb.priority;
    if (ca.confidence !== cb.confidence && !(Number.isNaN(ca.confidence) || Number.isNaN(cb.confidence))) return ca.confidence > cb.confidence;
    return a < b;
  }

  /** The strongest of a non-empty list (first in input order among equals). */
  private strongest(idxs: readonly number[]): number {
    let best = idxs[0]!;
    for (let i = 1; i < idxs.length; i++) if (this.beats(idxs[i]!, best)) best = idxs[i]!;
    return best;
  }

  private weakest(idxs: readonly number[]): number {
    let worst = idxs[0]!;
    for (let i = 1; i < idxs.length; i++) if (this.beats(worst, idxs[i]!)) worst = idxs[i]!;
    return worst;
  }

  /** What decided, in the words of a reason: "priority 5", "error", "confidence 0.9". */
  private keyText(idx: number, by: ResolvedBy, winner: boolean): string {
    const c = this.cs[idx]!;
    switch (by) {
      case 'severity': return c.severity;
      case 'priority': return `priority ${c.priority}`;
      case 'confidence': return `confidence ${c.confidence}`;
      case 'order': return winner ? 'first in input order' : 'a tie on severity, priority and confidence';
    }
  }

  private id(idx: number): string {
    return this.cs[idx]!.id;
  }

  /** "conflict on variable names: camelCase (c3, priority 5) beat snake_case (c7, priority 2)". */
  private beatReason(subject: string, w: Item, l: Item, by: ResolvedBy): string {
    return `conflict on ${subject}: ${w.label} (${this.id(w.idx)}, ${this.keyText(w.idx, by, true)}) beat ${l.label} (${this.id(l.idx)}, ${this.keyText(l.idx, by, false)})`;
  }

  /** A tie between two hard constraints: recorded, and raised when the call finishes. */
  private isHardTie(a: number, b: number, by: ResolvedBy): boolean {
    return by === 'order' && this.hard[a]! && this.hard[b]!;
  }

  private recordUnresolvedTie(domain: Domain, subject: string, a: Item, b: Item, ids: string[], explanation: string): void {
    const ca = this.cs[a.idx]!;
    const conflict: Conflict = { domain, subject, constraintIds: ids, explanation };
    this.conflicts.push(conflict);
    this.unresolved.push({
      conflict,
      message: `on ${subject}: ${this.id(a.idx)} (${a.label}) and ${this.id(b.idx)} (${b.label}) are both hard and tie on severity (${ca.severity}), priority (${ca.priority}) and confidence (${ca.confidence}); ${explanation}. Raise the priority of the one to keep, or remove the other.`,
    });
  }

  private drop(idx: number, by: number, reason: string): void {
    if (this.gone[idx] !== 0) return;
    this.gone[idx] = 1;
    this.removed.delete(idx);
    this.dropped.push({ id: this.id(idx), by: this.id(by), reason });
  }

  private merge(idx: number, into: number, reason: string): void {
    if (this.gone[idx] !== 0) return;
    this.gone[idx] = 2;
    this.merged.push({ id: this.id(idx), into: this.id(into), reason });
  }

  /** Take `entry` out of a list rule; a rule left with nothing is dropped instead. */
  private narrow(idx: number, by: number, entry: string, reason: string): void {
    if (this.gone[idx] !== 0) return;
    let rm = this.removed.get(idx);
    if (!rm) this.removed.set(idx, (rm = new Set()));
    rm.add(entry);
    if (listOf(this.cs[idx]!.rule).every((x) => rm.has(x))) {
      // Nothing left to enforce: report it as dropped, not as an empty rule.
      for (let i = this.narrowed.length - 1; i >= 0; i--) if (this.narrowed[i]!.id === this.id(idx)) this.narrowed.splice(i, 1);
      this.drop(idx, by, `${reason}; that was the last entry of its list`);
      return;
    }
    this.narrowed.push({ id: this.id(idx), by: this.id(by), removed: [entry], reason });
  }

  // ---- one value per subject: naming styles, expected types ---------------------------------------

  /**
   * Constraints that each give the subject one value (a naming style, a type). Equal values are
   * duplicates: merged into the strongest of them. Different values contradict: the strongest
   * value's constraint wins and every constraint of another value is dropped.
   */
  private resolveExclusive(
    subject: string, domain: Domain, what: string, items: (Item & { value: string })[],
    explain: (w: Item & { value: string }, l: Item & { value: string }) => string,
  ): void {
    const clusters = new Map<string, (Item & { value: string })[]>();
    for (const it of items) {
      if (this.gone[it.idx] !== 0) continue;
      const list = clusters.get(it.value);
      if (list) list.push(it);
      else clusters.set(it.value, [it]);
    }
    if (clusters.size === 0) return;
    const reps = new Map<string, Item & { value: string }>();
    for (const [value, list] of clusters) {
      const best = this.strongest(list.map((x) => x.idx));
      reps.set(value, list.find((x) => x.idx === best)!);
    }
    const top = this.strongest([...reps.values()].map((r) => r.idx));
    const winner = [...reps.values()].find((x) => x.idx === top)!;
    for (const [value, list] of clusters) {
      if (value === winner.value) continue;
      const rep = reps.get(value)!;
      const { by } = this.decide(winner.idx, rep.idx);
      const ids = [this.id(winner.idx), ...list.map((x) => this.id(x.idx))];
      const explanation = `${winner.label} and ${rep.label} for ${subject}: ${explain(winner, rep)}`;
      if (this.isHardTie(winner.idx, rep.idx, by)) {
        this.recordUnresolvedTie(domain, subject, winner, rep, ids, explanation);
        continue;
      }
      this.conflicts.push({ domain, subject, constraintIds: ids, explanation, winner: this.id(winner.idx), resolvedBy: by });
      for (const l of list) this.drop(l.idx, winner.idx, this.beatReason(subject, winner, l, this.decide(winner.idx, l.idx).by));
    }
    const won = clusters.get(winner.value)!;
    if (won.length > 1) {
      // One reason for every duplicate (they say the same thing).
      const reason = `same ${what} (${winner.label}) as ${this.id(winner.idx)} for ${subject}: merged into it`;
      for (const it of won) if (it.idx !== winner.idx) this.merge(it.idx, winner.idx, reason);
    }
  }

  // ---- required against forbidden: names, imports -------------------------------------------------

  /**
   * Two sides that disagree about one entry (a name required and forbidden, a module allowed and
   * forbidden). The strongest constraint of either side decides; the other side loses the entry:
   * list rules are narrowed (the entry taken out), other rules (signatures) dropped.
   */
  private resolveSides(subject: string, domain: Domain, entry: string, a: Side, b: Side, aIsList: boolean, bIsList: boolean): void {
    const aItems = a.items.filter((x) => this.gone[x.idx] === 0);
    const bItems = b.items.filter((x) => this.gone[x.idx] === 0);
    if (aItems.length === 0 || bItems.length === 0) return;
    const ta = this.strongest(aItems.map((x) => x.idx));
    const tb = this.strongest(bItems.map((x) => x.idx));
    const { win, by } = this.decide(ta, tb);
    const aWins = win === ta;
    const wItem = (aWins ? aItems : bItems).find((x) => x.idx === win)!;
    const losers = aWins ? bItems : aItems;
    const loserIsList = aWins ? bIsList : aIsList;
    const lTop = losers.find((x) => x.idx === (aWins ? tb : ta))!;
    const ids = [...aItems, ...bItems].map((x) => this.id(x.idx));
    const explanation = `${entry} is ${a.verb} by ${list(aItems.map((x) => this.id(x.idx)))} and ${b.verb} by ${list(bItems.map((x) => this.id(x.idx)))}`;
    if (this.isHardTie(ta, tb, by)) {
      this.recordUnresolvedTie(domain, subject, wItem, lTop, ids, explanation);
      return;
    }
    const outcome = loserIsList ? `; ${entry} is taken out of the list of ${list(losers.map((x) => this.id(x.idx)))}` : '';
    this.conflicts.push({ domain, subject, constraintIds: ids, explanation: explanation + outcome, winner: this.id(win), resolvedBy: by });
    for (const l of losers) {
      const reason = this.beatReason(subject, wItem, l, this.decide(win, l.idx).by);
      if (loserIsList) this.narrow(l.idx, win, entry, reason);
      else this.drop(l.idx, win, reason);
    }
  }

  // ---- length limits ------------------------------------------------------------------------------

  /**
   * Length limits: the set is contradictory when its largest minimum exceeds its smallest maximum.
   * Each limit is checked against the binding minimum and maximum of those kept so far (two heaps);
   * it beats or loses to the constraint that sets the bound, as often as it keeps contradicting one.
   * Returns the kept length constraints, in input order.
   */
  private resolveLengths(idxs: readonly number[]): number[] {
    const mins = new Heap((x: number, y: number) => minOf(this.cs[y]!.rule) - minOf(this.cs[x]!.rule) || x - y);
    const maxs = new Heap((x: number, y: number) => maxOf(this.cs[x]!.rule) - maxOf(this.cs[y]!.rule) || x - y);
    const top = (h: Heap): number | undefined => {
      for (;;) {
        const t = h.peek();
        if (t === undefined || this.gone[t] === 0) return t;
        h.pop();
      }
    };
    const kept: number[] = [];
    for (const idx of idxs) {
      if (this.gone[idx] !== 0) continue;
      const rule = this.cs[idx]!.rule as Extract<Rule, { type: 'length' }>;
      const lo = rule.minChars;
      const hi = rule.maxChars;
      if (lo !== undefined && hi !== undefined && lo > hi) {
        this.selfContradiction(idx, 'length', 'syntax', `${this.id(idx)} asks for at least ${lo} and at most ${hi} characters`);
        continue;
      }
      let lost = false;
      for (;;) {
        const maxHolder = lo !== undefined ? top(maxs) : undefined;
        const minHolder = hi !== undefined ? top(mins) : undefined;
        let holder: number | undefined;
        // Which bound of the new limit is contradicted: its minimum (by a kept maximum) or its maximum.
        let onMin = false;
        if (maxHolder !== undefined && lo! > maxOf(this.cs[maxHolder]!.rule)) {
          holder = maxHolder;
          onMin = true;
        } else if (minHolder !== undefined && hi! < minOf(this.cs[minHolder]!.rule)) {
          holder = minHolder;
        }
        if (holder === undefined) break;
        const hRule = this.cs[holder]!.rule;
        const self: Item = { idx, label: onMin ? `at least ${lo} characters` : `at most ${hi} characters` };
        const other: Item = { idx: holder, label: onMin ? `at most ${maxOf(hRule)} characters` : `at least ${minOf(hRule)} characters` };
        const { win, by } = this.decide(idx, holder);
        const explanation = `${this.id(idx)} asks for ${self.label} and ${this.id(holder)} for ${other.label}`;
        const ids = [this.id(holder), this.id(idx)];
        if (this.isHardTie(idx, holder, by)) {
          this.recordUnresolvedTie('syntax', 'length', other, self, ids, explanation);
          // Undecided: keep the earlier one so the rest of the set is still checked.
          this.gone[idx] = 1;
          lost = true;
          break;
        }
        this.conflicts.push({ domain: 'syntax', subject: 'length', constraintIds: ids, explanation, winner: this.id(win), resolvedBy: by });
        if (win === idx) {
          this.drop(holder, idx, this.beatReason('length', self, other, by));
        } else {
          this.drop(idx, holder, this.beatReason('length', other, self, by));
          lost = true;
          break;
        }
      }
      if (lost) continue;
      if (lo !== undefined) mins.push(idx);
      if (hi !== undefined) maxs.push(idx);
      kept.push(idx);
    }
    return kept.filter((i) => this.gone[i] === 0);
  }

  /** A constraint nothing satisfies on its own: dropped when soft, unresolvable when hard. */
  private selfContradiction(idx: number, subject: string, domain: Domain, explanation: string): void {
    if (this.hard[idx]) {
      const conflict: Conflict = { domain, subject, constraintIds: [this.id(idx)], explanation };
      this.conflicts.push(conflict);
      this.unresolved.push({ conflict, message: `on ${subject}: ${explanation}, and it is hard. Fix or remove it.` });
      this.gone[idx] = 1;
      return;
    }
    this.drop(idx, idx, `${explanation}: nothing satisfies it, and it is soft`);
  }

  // ---- regexes (and length limits with them) ------------------------------------------------------

  /**
   * The output must match every regex rule (and fit every length limit): their intersection must
   * not be empty. Duplicated patterns are merged first; then each regex is intersected with those
   * kept before it. When that is empty, the smallest culprit set found cheaply (a single earlier
   * regex, else a greedy shrink of all of them) is resolved by dropping its weakest member, and the
   * check is repeated until the new regex fits or loses. The binding length limits are added last.
   * Each check intersects everything kept so far: quadratic in the number of distinct patterns,
   * which is a handful for one target.
   */
  private resolveRegexes(regexIdxs: readonly number[], lengthIdxs: readonly number[]): void {
    if (regexIdxs.length === 0) return;
    const byPattern = new Map<string, (Item & { value: string })[]>();
    for (const idx of regexIdxs) {
      if (this.gone[idx] !== 0) continue;
      const pattern = (this.cs[idx]!.rule as Extract<Rule, { type: 'regex' }>).pattern;
      const list = byPattern.get(pattern);
      const item = { idx, label: `/${pattern}/`, value: pattern };
      if (list) list.push(item);
      else byPattern.set(pattern, [item]);
    }
    // Every regex the checks may intersect, compiled once (RegexIntersections): the patterns (the
    // same pattern twice is one constraint: merged), each length limit, and all limits together.
    const res: Regex[] = [];
    const items: RegexItem[] = [];
    for (const list of byPattern.values()) {
      this.resolveExclusive('the output', 'syntax', 'regex', list, () => '');
      const rep = list.find((x) => this.gone[x.idx] === 0)!;
      items.push({ idx: rep.idx, label: rep.label, k: res.push(this.parse(rep.idx, rep.value)) - 1 });
    }
    items.sort((x, y) => x.idx - y.idx);
    const lengthItems = new Map<number, RegexItem>();
    const bounds: Extract<Rule, { type: 'length' }> = { type: 'length' };
    for (const idx of lengthIdxs) {
      if (this.gone[idx] !== 0) continue;
      const rule = this.cs[idx]!.rule as Extract<Rule, { type: 'length' }>;
      const re = lengthRegex(rule);
      if (re === undefined) {
        if (rule.minChars !== undefined && rule.minChars > MAX_CHECKED_LENGTH) {
          this.undecided.push({ constraintIds: [this.id(idx)], subject: 'the output', reason: `a minimum of ${rule.minChars} characters is beyond what is checked against the regexes (${MAX_CHECKED_LENGTH}); kept` });
        }
        continue;
      }
      lengthItems.set(idx, { idx, label: describeRule(rule), k: res.push(re) - 1 });
      if (rule.minChars !== undefined && rule.minChars <= MAX_CHECKED_LENGTH) bounds.minChars = Math.max(bounds.minChars ?? 0, rule.minChars);
      if (rule.maxChars !== undefined) bounds.maxChars = Math.min(bounds.maxChars ?? Infinity, rule.maxChars);
      if (rule.maxLines !== undefined) bounds.maxLines = Math.min(bounds.maxLines ?? Infinity, rule.maxLines);
    }
    const boundsRe = lengthItems.size > 0 ? lengthRegex(bounds) : undefined;
    const boundsK = boundsRe ? res.push(boundsRe) - 1 : -1;
    try {
      this.automata = new RegexIntersections(res, this.witnessLimits);
    } catch (e) {
      if (!(e instanceof EngineError) || e.code !== 'LIMIT') throw e;
      this.undecided.push({
        constraintIds: [...items, ...lengthItems.values()].map((x) => this.id(x.idx)),
        subject: 'the output',
        reason: `the regexes were not compared: ${e.message}; all are kept`,
      });
      return;
    }

    const accepted: RegexItem[] = [];
    for (const item of items) this.intersectWith(accepted, item);

    // Length limits: only the binding ones (the largest minimum, the smallest maximum and line
    // count) can make the intersection empty. First the cheap answers: the shortest text matching
    // the regexes already fits every limit, or the regexes and all binding limits at once share a
    // text. Otherwise each binding limit is checked on its own; one that loses is dropped, and the
    // next binding one is checked in its place, until the bounds fit.
    if (lengthItems.size === 0) return;
    const rules = [...lengthItems.keys()].map((i) => this.cs[i]!.rule as Extract<Rule, { type: 'length' }>);
    if (rules.every((rule) => fitsLength(this.accWitness, rule))) return;
    const live = accepted.filter((a) => this.gone[a.idx] === 0);
    if (boundsK >= 0 && this.witness([...live.map((a) => a.k), boundsK], null) !== undefined) return;
    const checked = new Set<number>();
    for (;;) {
      const liveLengths = [...lengthItems.keys()].filter((i) => this.gone[i] === 0);
      const binding = new Set<number>();
      const pick = (value: (r: Extract<Rule, { type: 'length' }>) => number | undefined, better: (x: number, y: number) => boolean) => {
        let best: number | undefined;
        let bestValue = 0;
        for (const i of liveLengths) {
          const v = value(this.cs[i]!.rule as Extract<Rule, { type: 'length' }>);
          if (v !== undefined && (best === undefined || better(v, bestValue))) {
            best = i;
            bestValue = v;
          }
        }
        if (best !== undefined) binding.add(best);
      };
      pick((r) => r.minChars, (x, y) => x > y);
      pick((r) => r.maxChars, (x, y) => x < y);
      pick((r) => r.maxLines, (x, y) => x < y);
      const fresh = [...binding].filter((i) => !checked.has(i)).sort((x, y) => x - y);
      if (fresh.length === 0) break;
      for (const idx of fresh) {
        checked.add(idx);
        this.intersectWith(accepted, lengthItems.get(idx)!);
      }
    }
  }

  /**
   * Add `item` to the intersection of `accepted` (each regex intersected with those kept before
   * it). When that is empty, the smallest culprit set found cheaply loses its weakest member; the
   * check repeats until the item fits or loses.
   */
  private intersectWith(accepted: RegexItem[], item: RegexItem): void {
    const subject = 'the output';
    if (this.gone[item.idx] !== 0) return;
    const alone = this.witness([item.k], [item]);
    if (alone === 'limit') return;
    if (alone === undefined) {
      this.selfContradiction(item.idx, subject, 'syntax', `${this.id(item.idx)} (${item.label}) matches no text at all`);
      return;
    }
    for (;;) {
      const live = accepted.filter((a) => this.gone[a.idx] === 0);
      if (live.length === 0) {
        accepted.push(item);
        this.accWitness = alone;
        return;
      }
      const w = this.witness([...live.map((a) => a.k), item.k], [...live, item]);
      if (w === 'limit') return;
      if (w !== undefined) {
        accepted.push(item);
        this.accWitness = w;
        return;
      }
      const core = this.emptyCore(live, item);
      const set = [...core, item];
      const loserIdx = this.weakest(set.map((x) => x.idx));
      const winnerIdx = this.strongest(set.map((x) => x.idx));
      const loser = set.find((x) => x.idx === loserIdx)!;
      const winner = set.find((x) => x.idx === winnerIdx)!;
      const ids = set.map((x) => this.id(x.idx));
      const explanation = set.length === 2
        ? `no text matches both ${set[0]!.label} (${ids[0]}) and ${set[1]!.label} (${ids[1]})`
        : `no text matches all of ${set.map((x) => `${x.label} (${this.id(x.idx)})`).join(', ')} together`;
      // The next weakest: a tie with it means input order alone would pick the loser.
      const rest = set.filter((x) => x.idx !== loserIdx).map((x) => x.idx);
      const next = this.weakest(rest);
      const { by: nextBy } = this.decide(next, loserIdx);
      if (this.isHardTie(next, loserIdx, nextBy)) {
        this.recordUnresolvedTie('syntax', subject, set.find((x) => x.idx === next)!, loser, ids, explanation);
        // Keep checking the rest as if the later one lost.
        this.gone[loserIdx] = 1;
      } else {
        const { by } = this.decide(winnerIdx, loserIdx);
        this.conflicts.push({ domain: 'syntax', subject, constraintIds: ids, explanation, winner: this.id(winnerIdx), resolvedBy: by });
        this.drop(loserIdx, winnerIdx, this.beatReason(subject, winner, loser, by));
      }
      if (loserIdx === item.idx) return;
    }
  }

  /** The smallest set of `live` that with `item` has an empty intersection, found cheaply. */
  private emptyCore(live: RegexItem[], item: RegexItem): RegexItem[] {
    let checks = 0;
    for (const a of live) {
      if (checks++ >= MAX_CORE_CHECKS) return live;
      if (this.witness([a.k, item.k], null) === undefined) return [a];
    }
    // No single culprit: shrink greedily, keeping a member only when the rest would be non-empty without it.
    let core = live.slice();
    for (const a of live) {
      if (core.length <= 2 || checks++ >= MAX_CORE_CHECKS) break;
      const without = core.filter((x) => x !== a);
      if (this.witness([...without.map((x) => x.k), item.k], null) === undefined) core = without;
    }
    return core;
  }

  /**
   * A text matching the intersection of the regexes `ks` (indexes into `automata`), or undefined
   * when there is none, with the call's limits. Past a limit: 'limit', and (when `about` is given) an undecided entry naming
   * the constraints; the constraints are kept.
   */
  private witness(ks: number[], about: Item[] | null): string | undefined | 'limit' {
    try {
      // Any match will do (depth first): only whether one exists is used.
      return this.automata!.witness(ks, false);
    } catch (e) {
      if (!(e instanceof EngineError) || e.code !== 'LIMIT') throw e;
      if (about) {
        this.undecided.push({
          constraintIds: about.map((x) => this.id(x.idx)),
          subject: 'the output',
          reason: `whether any text matches ${about.map((x) => x.label).join(' and ')} was not decided within the limits (${e.message}); all are kept`,
        });
      }
      return 'limit';
    }
  }

  private parse(idx: number, pattern: string): Regex {
    let re = this.regexCache.get(pattern);
    if (re) return re;
    try {
      re = parseRegex(pattern, { flavor: this.flavor });
    } catch (e) {
      if (e instanceof EngineError && (e.code === 'REGEX' || e.code === 'LIMIT')) {
        throw new AnankeError(e.code, `constraint ${this.id(idx)}: ${e.message}`, undefined, { cause: e });
      }
      throw e;
    }
    this.regexCache.set(pattern, re);
    return re;
  }

  // ---- grammars -----------------------------------------------------------------------------------

  /**
   * Raw grammars: identical ones are merged. Different ones cannot be intersected in general (two
   * context-free languages may share no sentence, and that is undecidable), and neither can a
   * grammar be compared with the regexes here: they are all kept, with an undecided entry saying so.
   */
  private noteGrammars(grammarIdxs: readonly number[], regexIdxs: readonly number[]): void {
    const byText = new Map<string, (Item & { value: string })[]>();
    for (const idx of grammarIdxs) {
      if (this.gone[idx] !== 0) continue;
      const rule = this.cs[idx]!.rule as Extract<Rule, { type: 'grammar' }>;
      const value = `${rule.format}\u0000${rule.grammar}`;
      const item = { idx, label: `a ${rule.format} grammar`, value };
      const list = byText.get(value);
      if (list) list.push(item);
      else byText.set(value, [item]);
    }
    const reps: number[] = [];
    for (const list of byText.values()) {
      this.resolveExclusive('the output grammar', 'syntax', 'grammar', list, () => '');
      reps.push(list.find((x) => this.gone[x.idx] === 0)!.idx);
    }
    const liveRegexes = regexIdxs.filter((i) => this.gone[i] === 0);
    if (reps.length >= 2) {
      const first = this.strongest(reps);
      this.undecided.push({
        constraintIds: reps.map((i) => this.id(i)),
        subject: 'the output grammar',
        reason: `${reps.length} different grammars: whether any text follows all of them cannot be decided in general (context-free languages are not closed under intersection); all are kept: the strongest, ${this.id(first)}, is the one to enforce while decoding, the others are checked on the result`,
      });
    }
    if (reps.length >= 1 && liveRegexes.length > 0) {
      this.undecided.push({
        constraintIds: [...reps, ...liveRegexes].map((i) => this.id(i)),
        subject: 'the output grammar',
        reason: 'grammars and regexes are not intersected here: both are kept, and a text that no grammar sentence matches the regex for is only found when generating',
      });
    }
  }
}

// ---- helpers ------------------------------------------------------------------------------------

/**
 * Whether a list can take over the grouping of `before`: the same constraints (objects) except at
 * `changed`, where each rule stays in the group of the one it replaces.
 */
function takesOver(before: readonly Constraint[], now: readonly Constraint[], changed: readonly number[]): boolean {
  if (before.length !== now.length) return false;
  const isChanged = new Uint8Array(now.length);
  for (const i of changed) {
    if (!(i >= 0 && i < now.length) || !sameGroup(before[i]!.rule, now[i]!.rule)) return false;
    isChanged[i] = 1;
  }
  for (let i = 0; i < now.length; i++) if (isChanged[i] === 0 && before[i] !== now[i]) return false;
  return true;
}

/** Whether a changed rule stays in the group of the rule it replaces (same type; for naming, same subject). */
function sameGroup(a: Rule, b: Rule): boolean {
  if (a.type !== b.type) return false;
  if (a.type !== 'naming') return true;
  const n = b as Extract<Rule, { type: 'naming' }>;
  return a.identifierKind === n.identifierKind && a.language === n.language && a.visibility === n.visibility;
}

function list(xs: string[]): string {
  return xs.length <= 1 ? (xs[0] ?? '') : `${xs.slice(0, -1).join(', ')} and ${xs[xs.length - 1]}`;
}

function and(items: Regex[]): Regex {
  return items.length === 1 ? items[0]! : { kind: 'and', items };
}

/** The entries of a list rule (what narrowing takes out of). */
function listOf(rule: Rule): string[] {
  switch (rule.type) {
    case 'forbidden_identifiers': return rule.names;
    case 'forbidden_calls': return rule.calls;
    case 'allowed_imports':
    case 'forbidden_imports': return rule.modules;
    default: return [];
  }
}

function narrowRule(rule: Rule, removed: Set<string>): Rule {
  const keep = (xs: string[]) => xs.filter((x) => !removed.has(x));
  switch (rule.type) {
    case 'forbidden_identifiers': return { ...rule, names: keep(rule.names) };
    case 'forbidden_calls': return { ...rule, calls: keep(rule.calls) };
    case 'allowed_imports': return { ...rule, modules: keep(rule.modules) };
    case 'forbidden_imports': return { ...rule, modules: keep(rule.modules) };
    default: return rule;
  }
}

function minOf(rule: Rule): number {
  return rule.type === 'length' && rule.minChars !== undefined ? rule.minChars : 0;
}

function maxOf(rule: Rule): number {
  return rule.type === 'length' && rule.maxChars !== undefined ? rule.maxChars : Infinity;
}

/** Whether `text` fits a length rule (characters as code points; lines as `\n`-separated parts). */
function fitsLength(text: string, rule: Extract<Rule, { type: 'length' }>): boolean {
  let chars = 0;
  let lines = 1;
  for (const ch of text) {
    chars++;
    if (ch === '\n') lines++;
  }
  return (rule.minChars === undefined || chars >= rule.minChars) && (rule.maxChars === undefined || chars <= rule.maxChars) && (rule.maxLines === undefined || lines <= rule.maxLines);
}

/**
 * A length rule as a regex over characters (code points), or undefined when it limits nothing that
 * is checked: bounds above MAX_CHECKED_LENGTH are left out (a maximum that high never decides, a
 * minimum that high is beyond the witness search).
 */
function lengthRegex(rule: Extract<Rule, { type: 'length' }>): Regex | undefined {
  const parts: Regex[] = [];
  const min = rule.minChars !== undefined && rule.minChars <= MAX_CHECKED_LENGTH ? Math.max(0, rule.minChars) : 0;
  const max = rule.maxChars !== undefined && rule.maxChars <= MAX_CHECKED_LENGTH ? Math.max(0, rule.maxChars) : Infinity;
  if (min > 0 || max !== Infinity) parts.push({ kind: 'repeat', item: ANY_CHAR, min, max });
  if (rule.maxLines !== undefined && rule.maxLines <= MAX_CHECKED_LENGTH) {
    const line: Regex = { kind: 'repeat', item: NOT_NEWLINE, min: 0, max: Infinity };
    const more = Math.max(0, rule.maxLines - 1);
    parts.push({ kind: 'concat', items: [line, { kind: 'repeat', item: { kind: 'concat', items: [{ kind: 'chars', ranges: [[10, 10]] }, line] }, min: 0, max: more }] });
  }
  return parts.length === 0 ? undefined : and(parts);
}

const overlapCache = new Map<string, string>();

/**
 * Whether two naming styles still share names, in words: "camelCase and snake_case still share
 * names such as `a`, but `aA` is only camelCase and `a_a` only snake_case". Decided on the styles'
 * regexes (naming-regex.ts) restricted to names that start with a letter; cached per pair.
 */
function styleOverlap(a: NamingStyle, b: NamingStyle, limits: WitnessLimits | undefined): string {
  const key = `${a}\u0000${b}`;
  const known = overlapCache.get(key);
  if (known !== undefined) return known;
  let text: string;
  try {
    const plain = parseRegex(PLAIN_NAME);
    const ra: Regex = { kind: 'and', items: [parseRegex(namingRegex(a)), plain] };
    const rb: Regex = { kind: 'and', items: [parseRegex(namingRegex(b)), plain] };
    const both = regexWitness({ kind: 'and', items: [ra, rb] }, limits);
    if (both === undefined) {
      text = `no name is both ${a} and ${b}`;
    } else {
      const onlyA = regexWitness({ kind: 'and', items: [ra, { kind: 'not', item: rb }] }, limits);
      const onlyB = regexWitness({ kind: 'and', items: [rb, { kind: 'not', item: ra }] }, limits);
      const diff: string[] = [];
      if (onlyA !== undefined) diff.push(`\`${onlyA}\` is only ${a}`);
      if (onlyB !== undefined) diff.push(`\`${onlyB}\` only ${b}`);
      text = `the styles still share names such as \`${both}\` (their regexes intersect), but ${diff.length > 0 ? diff.join(' and ') : 'they differ'}: one kind of name cannot follow both conventions`;
      if (onlyA === undefined) text = `every ${a} name is also ${b} (such as \`${both}\`), but \`${onlyB}\` is only ${b}: the two rules still disagree about which convention the names follow`;
      else if (onlyB === undefined) text = `every ${b} name is also ${a} (such as \`${both}\`), but \`${onlyA}\` is only ${a}: the two rules still disagree about which convention the names follow`;
    }
  } catch (e) {
    if (!(e instanceof EngineError)) throw e;
    text = `two different styles (${e.message})`;
  }
  overlapCache.set(key, text);
  return text;
}

/** A binary heap of constraint indexes (for the binding length limits). */
class Heap {
  private readonly xs: number[] = [];
  constructor(private readonly before: (x: number, y: number) => number) {}

  peek(): number | undefined {
    return this.xs[0];
  }

  push(x: number): void {
    const xs = this.xs;
    xs.push(x);
    let i = xs.length - 1;
    while (i > 0) {
      const p = (i - 1) >> 1;
      if (this.before(xs[i]!, xs[p]!) >= 0) break;
      [xs[i], xs[p]] = [xs[p]!, xs[i]!];
      i = p;
    }
  }

  pop(): number | undefined {
    const xs = this.xs;
    if (xs.length === 0) return undefined;
    const top = xs[0];
    const last = xs.pop()!;
    if (xs.length > 0) {
      xs[0] = last;
      let i = 0;
      for (;;) {
        const l = 2 * i + 1;
        const r = l + 1;
        let m = i;
        if (l < xs.length && this.before(xs[l]!, xs[m]!) < 0) m = l;
        if (r < xs.length && this.before(xs[r]!, xs[m]!) < 0) m = r;
        if (m === i) break;
        [xs[i], xs[m]] = [xs[m]!, xs[i]!];
        i = m;
      }
    }
    return top;
  }
}
