import { EngineError } from '../errors.ts';
import { Lexer } from '../lexer/lexer.ts';
import { canonicalTerms, NO_CANONICAL } from '../lexer/canonical-terms.ts';
import { pieceBounds } from '../lexer/piece-bound.ts';
import { READ_WHOLE, type EarleyParser } from '../parser/earley.ts';
import { stringSlices, type StringSlices } from '../trie/string-slices.ts';
import { subtreeDepth } from '../trie/subtree-depth.ts';
import { F_ACC, F_ENDS, type GrammarCore } from './core.ts';
import { GroupMemo, UNKNOWN } from './group-memo.ts';
import { controlSearchBytes, exclusionsAt, plainLeadBytes, sliceSearchBytes, sliceUse, type Proven, type SliceUse } from './slice-use.ts';
import { rangesHash, ROOT_RANGES, sameRanges, sharedPlans, type SharedPlan, type SharedPlans } from './shared-plans.ts';
import { LiteralWalk } from './literal-walk.ts';
import { childIndex, childWithByte } from '../trie/child-index.ts';
import { clearBit } from '../trie/token-mask.ts';
import type { DeclaredKeys, KeyForm } from '../lexer/declared-keys.ts';
import { grownToHold } from '../typed-array.ts';

/**
 * A full mask with at most (words in a mask) / SPARSE_FULL_DIVISOR allowed tokens is stored as a
 * list of ids (at most a quarter of the dense size); most masks outside strings and identifiers are.
 */
const SPARSE_FULL_DIVISOR = 4;
/**
 * Dense full masks are kept in chunks of masks (a copy into a chunk allocates nothing); the first
 * chunk holds one, each next one twice the last, up to ARENA_MASKS (a grammar used for one short
 * output keeps a few masks, and zeroing 256 KB for them would cost more than the masks).
 */
const ARENA_MASKS = 16;
/** Dense masks stored before the arena's masks are hashed to store each content once (storeMask). */
const DEDUP_AFTER = 64;
/** What a full-mask entry that names an arena slot already stored costs the budget (a Map entry). */
const DENSE_ENTRY_BYTES = 64;
/** Lexer states below this fit the numeric full-mask key (state id × LEX_KEY_SPAN + lexer state). */
const LEX_KEY_SPAN = 1 << 20;
/** Parser state ids below this keep the key under 2^53 (exact as a double). */
const MAX_KEYED_STATE_ID = 2 ** 31;

/**
 * A sub-plan keeps its tokens as a list of ids while there are at most SPARSE_FACTOR × (words in a
 * mask) of them: setting one bit per id is then cheaper than OR-ing a whole bitmap.
 */
const SPARSE_FACTOR = 1;
/** Numbers after the roles in the name of a state with extras (canonicalState): a -2 mark, aux, word bits, the lexer's options. */
const EXTRAS_KEYS = 4;

/**
 * A walk caches what it finds below a node (a "piece", see Piece) only for nodes with at least this
 * many nodes in their subtree: a cached piece costs one map lookup (~0.1 µs) and ~100 bytes, a
 * walked node ~0.05 µs, so below this size walking is as cheap as looking up.
 */
const PIECE_MIN_NODES = 64;
/**
 * Pieces are also kept and used this many levels below the top of a walk's ranges, from the second
 * time a walk meets their (node, state): below a keyword's prefix (`re` in `return`), the letters
 * that end every keyword lead back to the identifier's own state two bytes down, not at the top.
 */
const DEEP_PIECE_LEVELS = 2;

/**
 * A group's contribution is memoised (group-memo.ts) only when its pushes read at most
 * MAX_TRACE_ROWS rows below the ones they pushed, each with a key of at most MAX_KEY_INTS numbers.
 */
const MAX_TRACE_ROWS = 6;
/** A group gets a memo root (when no other group made it) on its MEMO_AFTER-th application. */
const MEMO_AFTER = 4;
/**
 * ... and only once its grammar has computed MEMO_WARM masks (fills): a grammar compiled for a few
 * short outputs (function calling: 20-40 computed masks per schema) meets each parser context once,
 * so its memo entries are stored and never read (over the BFCL files, 677 stores for 47 hits).
 */
const MEMO_WARM = 32;
/** The applied-log code of a sub-plan past the plan budget (no memo entry holds it). */
const NOT_KEPT = 0x7fffffff;
const MAX_KEY_INTS = 1 << 14;
/**
 * The memo keys' scratch buffer, one for every grammar: a key is built and interned within one
 * mask, and masks run one at a time, so 64 KB need not be allocated (and zeroed) per compile.
 */
const KEY_BUF = new Int32Array(MAX_KEY_INTS);
/** The top-level memo (applyTop) keeps a mask's contribution only when its pushes read at most this many rows. */
const MAX_TOP_TRACE_ROWS = 16;
let deepPieces = true;
/** Turns pieces below the top of a walk's ranges (build) off or on for every grammar: for tests and A/B runs. */
export function setDeepPieces(on: boolean): void {
  deepPieces = on;
}
let topMemo = true;
/** Turns the top-level memo (applyTop) off or on for every grammar: for tests and A/B benchmarks. */
export function setTopMemo(on: boolean): void {
  topMemo = on;
}
let vocabularyPieces = true;
/** Turns the per-vocabulary piece bounds of widened ids (lexer/piece-bound.ts) off or on: for tests and A/B runs. */
export function setVocabularyPieces(on: boolean): void {
  vocabularyPieces = on;
}
let splitWalks = true;
/** Turns split walks (splitPlan) off or on for every grammar: for tests and A/B runs. */
export function setSplitWalks(on: boolean): void {
  splitWalks = on;
}
let exclusionSlices = true;
/** Turns slices of the tokens that avoid a few characters (excludedUse) off or on for every grammar: for tests and A/B runs. */
export function setExclusionSlices(on: boolean): void {
  exclusionSlices = on;
}
let declaredKeyPlans = true;
/** Turns plans of key positions derived from the free key's (declaredKeyPlan, §34) off or on for every grammar: for tests and A/B runs. */
export function setDeclaredKeyPlans(on: boolean): void {
  declaredKeyPlans = on;
}
/** A split walk needs the bound droppable for tokens of at least this many bytes (most tokens are shorter). */
const SPLIT_MIN_DEPTH = 16;
let widenedWalks = true;
/** Turns walks from widened lexer states (walkState) off or on for every grammar: for tests and A/B runs. */
export function setWidenedWalks(on: boolean): void {
  widenedWalks = on;
}

/**
 * What a trie walk from one lexer state yields independently of the parser (a "plan"), cached per
 * (state, fresh) for the whole trie and, below each exit group, per next start state, while the
 * plans fit limits.planCacheBytes (past it, plans are built, used once and dropped):
 *  - the tokens whose bytes stay inside the current lexeme or end exactly where it ends (always
 *    allowed: the lexer only starts lexemes the parser allows);
 *  - exit groups: places where the walk leaves the lexeme, grouped by the accepting lexer state
 *    there, so one parser push serves the group. Below a group, the walk restarts from the next
 *    lexeme's start state s0, which depends on the parser; its plan is cached per s0.
 * An exit is either "after" node n (the lexeme ended at n, n's children start the next lexeme) or
 * "before" node c (c's byte kills the accepting state of c's parent, so c starts the next lexeme).
 * Inside a JSON string the 100k-token walk happens once per lexer state; afterwards a mask is a
 * 16 KB copy plus a few parser pushes. The first walk itself takes the string slices whole
 * (trie/string-slices.ts, slice-use.ts) and visits only the subtrees holding other tokens.
 */
interface Plan {
  /** Tokens as a full bitmap (top-level plans and dense sub-plans) ... */
  dense: Uint32Array | null;
  /** ... or as a list of ids. */
  sparse: Int32Array | null;
  groups: ExitGroup[];
  /** Memory this plan holds (not counting its sub-plans), charged to limits.planCacheBytes. */
  bytes: number;
  /** Its id in MaskWalker's plan registry (memo entries name sub-plans by it), -1 until kept. */
  id: number;
}

interface ExitGroup {
  /**
   * An accepting lexer state whose lexemes are scanned (every exit of the group accepts the same
   * set); -1 in a plan taken from the shared store (shared-plans.ts), which scans `lexemes`.
   */
  acceptState: number;
  /** The lexemes the group's exits complete (sorted ids): what its scan pushes. */
  lexemes: Int32Array;
  /**
   * Lexeme fallback: acceptState is a non-accepting state whose fallback point is scanned, then the
   * bytes read since are lexed again (with the parser) before the ranges are walked.
   */
  fallback: boolean;
  /** Where the walk restarts below this group, shared with every group that restarts there. */
  ranges: ExitRanges;
  /** The last (next position, plan) used, checked before the map. */
  lastStart: number;
  lastSub: Plan | undefined;
  /** The group's exit-group key (MaskWalker.groupKey): what its scan does. */
  gkey: number;
  /**
   * The root of its memo trie (group-memo.ts; shared by every group with the same ranges and key);
   * -1: none (ranges not interned); -2 - k: applied k times, no root then (memoRoot).
   */
  memo: number;
}

/**
 * Where a key form's names sit in the free key's plan (MaskWalker.keyCut), shared by every key
 * position derived from that plan: the plan's groups with the names' exits cut out, and per name
 * (by its index in the form; absent when no token spells it whole) each place a token spells it:
 * the tokens spelling it, the ranges below it where tokens go on (null: none), and its literal's
 * group there, made when first needed.
 */
interface KeyCut {
  rest: ExitGroup[];
  names: Array<Array<{ spelled: number[]; below: ExitRanges | null; literal: ExitGroup | undefined }>>;
  /** Memory the cut made (interned ranges), charged to the first plan derived from it. */
  bytes: number;
  /** The ranges the free key's plan was walked over (null: the whole trie). */
  r: ExitRanges | null;
}

/**
 * Walk ranges restarting at the next lexeme: trie nodes [first[k], end[k]), whose parent node is at
 * trie depth parentDepth[k] (where the lexeme ended). Interned by content: groups of different
 * plans (other lexer states, other exit groups, sub-plans built under other groups) often restart at
 * the same ranges (after a space, after an identifier), and a sub-plan depends only on the ranges
 * and the next lexeme's start position, so it is built once for all of them.
 */
interface ExitRanges {
  first: Int32Array;
  end: Int32Array;
  parentDepth: Int32Array;
  /** Plan per next-lexeme position: start state × 2 + fresh (fresh is false only after a fallback replay). */
  subs: Map<number, Plan>;
  /** Whether these ranges are interned (only those get group memos). */
  shared: boolean;
  /** Memo roots of the groups with these ranges: exit-group key, root, … (made when first needed). */
  roots: Int32Array | null;
  /** Their id in the shared store (shared-plans.ts): -2 not looked up yet, -1 none. */
  sharedId: number;
  /** Their top nodes per byte asked (declaredKeyPlan), made when first needed. */
  tops: Map<number, number[]> | null;
}

/**
 * What a walk finds below trie node c when the lexer is in state t after c's byte: the tokens of
 * c's descendants that stay inside the lexeme or end with it, and the exits among them (4 numbers
 * each, as in MaskWalker.build). It depends on (c, t) alone, not on the state the walk started
 * from: the walks from two start states that read c's byte into the same state t (every start
 * state reads " " into the same whitespace state, and a letter into the same identifier state
 * wherever the same keywords are allowed) share everything below c. Plans are assembled from
 * pieces where the subtree is large (PIECE_MIN_NODES), so the first mask in a new lexer state
 * copies token lists instead of walking the trie with the lexer: at the top of the walk's ranges,
 * and DEEP_PIECE_LEVELS below it.
 */
interface Piece {
  tokens: Int32Array;
  exits: Int32Array;
}

/** Computes token masks for one compiled grammar. Not reentrant (shares its scratch stacks). */
export class MaskWalker {
  private readonly core: GrammarCore;
  /** During a build: stateAtDepth[d] is the lexer state after the bytes of the trie path to depth d. */
  private readonly stateAtDepth: Int32Array;
  /** During a build: the pieces being recorded, one per depth at most (see build). */
  private readonly openKey: Float64Array;
  private readonly openEnd: Int32Array;
  private readonly openTok: Int32Array;
  private readonly openExit: Int32Array;
  /** Keys of the pieces below a range's top met once (recorded on the second meeting). */
  private readonly metDeep = new Set<number>();
  /** Pieces used below the top of a walk's ranges (statistics). */
  deepPieceHits = 0;
  /** Top-level plans made by a split walk (statistics). */
  splitPlans = 0;
  private bits: Uint32Array;
  /** Token ids a build finds, reused across builds (a token is found at most once per build). */
  private scratch = new Int32Array(0);
  private steps = 0;
  /** Top-level plans by lexer state × 2 + fresh. */
  private readonly plans = new Map<number, Plan>();
  private planBytes = 0;
  private slices: StringSlices | null = null;
  private sliceBytes: Uint8Array | null = null;
  private ctrlBytes: Uint8Array | null = null;
  private leadBytes: Uint32Array | null = null;
  /** Per lexer state: what slice searches proved about it (slice-use.ts). */
  private readonly sliceLimits = new Map<number, Proven>();
  /** The same for each exclusion searched (Exclusion.key), with its search bytes. */
  private readonly excludedSearches = new Map<string, { bytes: Uint8Array; lead: Uint32Array; limits: Map<number, Proven> }>();
  /** Top-level plans that took a string slice whole (statistics). */
  sliced = 0;
  /** Of those, plans whose slice is of an exclusion (excludedUse). */
  excluded = 0;
  /** Plans of key positions derived from a free key's (declaredKeyPlan). */
  derivedKeys = 0;
  /** Per lexer state met by declaredKeyPlan: its key shape and the free key's state, or null. */
  private readonly keyShapes = new Map<number, { dk: DeclaredKeys; free: number } | null>();
  /** Per free key's plan and key form: where the names sit in it (keyCut). */
  private readonly keyCuts = new WeakMap<Plan, Map<KeyForm, KeyCut | null>>();
  /** Full masks: a number is a slot in the dense arena, an Int32Array the allowed ids of a sparse one. */
  private readonly fullMasks = new Map<number, number | Int32Array>();
  private readonly denseArena: Uint32Array[] = [];
  /** Masks in the last chunk of denseArena. */
  private denseUsed = 0;
  private fullMaskBytes = 0;
  /** Dense masks in the arena, and its slots by the hash of their words (hashWords), once hashed (DEDUP_AFTER). */
  private denseCount = 0;
  private readonly slotsByHash = new Map<number, number[]>();
  /** The top-level plan of the last fill (lastFillIds). */
  private lastTop: Plan | null = null;
  /** Scratch of lastFillIds: the distinct lists the last fill ORed, and how many ids they hold. */
  private readonly parts: Int32Array[] = [];
  private partCount = 0;
  private idsMet = 0;
  /** The vocabulary's piece bounds (lexer/piece-bound.ts), looked up once: fill reads them at every mask. */
  private readonly pieceMap: Map<number, number>;
  /** Pieces by lexer state × trie node count + node (see Piece). */
  private readonly pieces = new Map<number, Piece>();
  /**
   * Per lexer state: the id of its exit-group key (accepting set, and with layout its aux value;
   * fallback exits from a non-accepting state are keyed by the state itself), 0 = not computed.
   */
  private groupKeyOf = new Int32Array(0);
  private readonly groupKeyIds = new Map<string, number>();
  /** Interned exit ranges by content hash (see ExitRanges). */
  private readonly rangesByHash = new Map<number, ExitRanges[]>();
  /** Interned exit ranges by their id in the shared store. */
  private readonly rangesOfShared = new Map<number, ExitRanges>();
  /** Where a fallback group's replay leaves the lexer (applyGroups). */
  private readonly replayPos = { lexState: 0, fresh: true };
  /**
   * What this mask applied, in order, as memo codes (group-memo.ts): sub-plan ids, and memo entries
   * in place of the groups they stand for (a stored entry holds a slice of it); NOT_KEPT for a
   * sub-plan past the plan budget (then nothing is stored).
   */
  private applied = new Int32Array(1024);
  private appliedLen = 0;
  /** Kept sub-plans by id (Plan.id). */
  private readonly planById: Plan[] = [];
  /** Scratch for row keys, and the rows a lookup or a store has read (trace order). */
  private readonly keyBuf = KEY_BUF;
  private traceRows = new Int32Array(Math.max(MAX_TRACE_ROWS, MAX_TOP_TRACE_ROWS));
  /** Per traced read: the part it took of its row (EarleyParser.readPart). */
  private traceParts = new Uint8Array(Math.max(MAX_TRACE_ROWS, MAX_TOP_TRACE_ROWS));
  /** The top-level memo (applyTop; null when the group memo is off), and the root of each kept top-level plan, by plan id. */
  private readonly topMemo: GroupMemo | null;
  private readonly topRoot: number[] = [];
  /** Masks the top memo stored (in fullMasks under -1 - k), the one the last fill copied (-1: none), and a one-code scratch. */
  private topMasks = 0;
  private lastTopMask = -1;
  private readonly topCode = new Int32Array(1);
  /** The top memo's masks by a hash of their words (keepTopMask), and a mask-sized scratch to compare them. */
  private readonly topMaskByHash = new Map<number, number[]>();
  private maskScratch: Uint32Array | null = null;
  /** Top-level memo statistics. */
  topHits = 0;
  topMisses = 0;
  /** Bytes of the masks kept for top-level memo entries (in fullMasks under -1 - entry), within limits.memoCacheBytes / 2. */
  private topMaskBytes = 0;
  private readMark = new Int32Array(64);
  /** Per row marked in readMark: the part its last traced read took. */
  private readMarkPart = new Uint8Array(64);
  private readGen = 0;
  /** The group memo (null when limits.planCacheBytes is 0). */
  private readonly memo: GroupMemo | null;
  /** Per applyGroups frame: the interned key of its top row (-2 = not computed, -1 = none) and its completed items. */
  private topRow = -2;
  private topCompleted = 0;
  /**
   * The store of walks shared with other grammars of this tokenizer (shared-plans.ts), null when
   * this grammar cannot share (its lexer states carry more than their terms) or its budget is 0.
   */
  private readonly shared: SharedPlans | null;
  /**
   * Per lexer state: its canonical state id in the shared store (-1: not shareable, -2: not
   * computed), and its roles: the lexeme ids of its canonical vector, in vector order.
   */
  private sharedState = new Int32Array(0);
  /** Scratch of canonicalState and literalState: a state's vector. */
  private stateKeys = new Int32Array(16);
  private readonly roleLexemes: (Int32Array | undefined)[] = [];
  /**
   * A plain lexer: its states are their (lexeme, term) vectors, with no layout, lexeme fallback or
   * word boundary, so an exit group may scan its lexemes directly (acceptState -1): plans taken
   * from the shared store and literal walks (literal-walk.ts) make such groups.
   */
  private readonly plain: boolean;
  /**
   * A lexer whose states carry extras (gap markers, indentation, word boundary; no lexeme fallback):
   * its walks are shared too, named with the extras (canonicalState), and its groups from the
   * store scan with the aux and word end their key names (gkeyAux, gkeyWordEnd).
   */
  private readonly withExtras: boolean;
  /** Per exit-group key made by groupKeyOfExtras: the aux its scan reads and whether the next start is guarded. */
  private readonly gkeyAux: number[] = [];
  private readonly gkeyWordEnd: boolean[] = [];
  /** Trie nodes visited by walks (statistics). */
  walkedNodes = 0;
  /** Plans built by literal walks (statistics). */
  literalPlans = 0;
  /** The lexemes of exit-group keys made by groupKeyOfLexemes, and the key of each lexeme alone. */
  private readonly gkeyLexemes: Int32Array[] = [];
  private readonly singleGkey: number[] = [];
  /** Per lexer state: 1 when it only spells literals (then literalOf holds them), 2 when not, 0 unknown. */
  private literalKnown = new Uint8Array(0);
  private readonly literalOf: number[][][] = [];
  /** The literal walk's scratch (reset by each use: its results are read before the next). */
  private readonly literalWalk = new LiteralWalk();
  /** Plans taken from the shared store, and plans added to it (statistics). */
  sharedHits = 0;
  sharedPuts = 0;
  /** Group memo statistics. */
  memoHits = 0;
  memoMisses = 0;
  memoEntries = 0;
  /** Masks computed (fill calls): the memos wait for MEMO_WARM of them. */
  private fills = 0;
  /** Full-mask cache statistics. */
  fullMaskHits = 0;
  fullMaskMisses = 0;
  /** Top-level plan statistics (for benchmarks and tests). */
  cacheHits = 0;
  cacheMisses = 0;

  constructor(core: GrammarCore) {
    this.core = core;
    this.stateAtDepth = new Int32Array(core.trie.maxDepth + 2);
    this.openKey = new Float64Array(core.trie.maxDepth + 2);
    this.openEnd = new Int32Array(core.trie.maxDepth + 2);
    this.openTok = new Int32Array(core.trie.maxDepth + 2);
    this.openExit = new Int32Array(core.trie.maxDepth + 2);
    const memoBudget = core.limits.planCacheBytes > 0 ? core.limits.memoCacheBytes : 0;
    this.memo = memoBudget > 0 ? new GroupMemo(memoBudget) : null;
    this.topMemo = memoBudget > 0 ? new GroupMemo(memoBudget / 4) : null;
    this.bits = new Uint32Array(0);
    const lim = core.limits;
    this.plain = !core.layoutOn && !core.fallback && !core.wordBoundary && core.lexer.shareable;
    this.withExtras = !this.plain && !core.fallback && core.lexer.shareableWithExtras;
    this.shared = (this.plain || this.withExtras) && lim.planCacheBytes > 0 && lim.sharedPlanBytes > 0 ? sharedPlans(core.tokenizer, core.trie.nodeCount) : null;
    // The vocabulary's piece counts (a pass over the trie per new repeated term) are taken when the
    // grammar is compiled, so that no mask pays for one (canonicalState only finds them known).
    this.pieceMap = pieceBounds(core.trie);
    if (this.shared !== null && vocabularyPieces) core.lexer.notePieceBoundsOfLexemes(core.trie, this.pieceMap);
  }

  /** Keys of the full-mask cache (the top memo's included), and the dense bitmaps they name (statistics). */
  get fullMaskEntries(): number {
    return this.fullMasks.size;
  }

  get fullMaskBitmaps(): number {
    return this.denseCount;
  }

  /** Memory held by the mask caches (per-lexer-state plans and full masks), in bytes. */
  get cachedBytes(): number {
    return this.planBytes + (this.memo?.bytes ?? 0) + (this.topMemo?.bytes ?? 0) + this.fullMaskBytes + this.topMaskBytes;
  }

  /** Key of the full mask at (interned parser state, lexer state, fresh), or -1 when not cacheable. */
  fullMaskKey(stateId: number, lexState: number, fresh: boolean): number {
    if (stateId < 0 || stateId >= MAX_KEYED_STATE_ID || lexState < 0 || lexState >= LEX_KEY_SPAN) return -1;
    return (stateId * LEX_KEY_SPAN + lexState) * 2 + (fresh ? 1 : 0);
  }

  /** Writes the cached mask for `key` into `bits` and returns true, or returns false. */
  fullMaskGet(key: number, bits: Uint32Array): boolean {
    if (!this.fullMaskRead(key, bits)) {
      this.fullMaskMisses++;
      return false;
    }
    this.fullMaskHits++;
    return true;
  }

  /** fullMaskGet without counting (a matcher reading back its own last mask). */
  fullMaskRead(key: number, bits: Uint32Array): boolean {
    const m = this.fullMasks.get(key);
    if (m === undefined) return false;
    const words = this.core.vocabWords;
    if (typeof m === 'number') {
      const chunk = this.denseArena[Math.floor(m / ARENA_MASKS)]!;
      const at = (m % ARENA_MASKS) * words;
      bits.set(chunk.subarray(at, at + words));
    } else {
      bits.fill(0, 0, words);
      for (let k = 0; k < m.length; k++) {
        const t = m[k]!;
        bits[t >>> 5]! |= 1 << (t & 31);
      }
    }
    return true;
  }

  /**
   * Stores a copy of a computed mask, while under limits.fullMaskCacheBytes: as a list of ids when
   * every plan the last fill ORed was a list (lastFillIds; the lists are concatenated, without
   * reading the 4,008 words of a Llama-3 mask), else as a copy in the dense arena (no allocation per
   * mask). Both cost well under a microsecond, so a mask met once (most of them, in a grammar
   * compiled for a few short outputs) pays little for being kept. True when kept.
   */
  fullMaskPut(key: number, bits: Uint32Array): boolean {
    const bytes = this.storeMask(key, bits, this.core.limits.fullMaskCacheBytes - this.fullMaskBytes);
    if (bytes < 0) return false;
    this.fullMaskBytes += bytes;
    return true;
  }

  /**
   * Stores bits (the last fill's) under key in fullMasks, as fullMaskPut says, when it takes at most
   * `room` bytes; returns the bytes it holds, or -1 (nothing stored). A dense mask already in the
   * arena is not copied again: the key names its slot (DENSE_ENTRY_BYTES). Program grammars make
   * few distinct masks (a Rust text's 20,000 positions: ~900 contents), so without this the
   * budget held ~1,000 positions and a grammar kept warm stopped storing after its first few
   * thousand masks (docs/engine-optimizations.md §27).
   */
  private storeMask(key: number, bits: Uint32Array, room: number, hash?: number): number {
    const words = this.core.vocabWords;
    if (room < DENSE_ENTRY_BYTES) return -1;
    const ids = this.lastFillIds(bits, (words / SPARSE_FULL_DIVISOR) | 0);
    if (ids !== null) {
      if (ids.length * 4 + 64 > room) return -1;
      this.fullMasks.set(key, ids);
      return ids.length * 4 + 64;
    }
    let same = this.copiedTopSlot(bits);
    // A grammar used for a few short outputs (function calling) stores few dense masks and meets
    // each once: its masks are not hashed (a Llama-3 mask is 4,008 words).
    const hashed = same < 0 && this.denseCount >= DEDUP_AFTER;
    const h = hashed ? (hash ?? hashWords(bits, words)) : 0;
    if (hashed) same = this.slotHolding(bits, h);
    if (same >= 0) {
      this.fullMasks.set(key, same);
      return DENSE_ENTRY_BYTES;
    }
    if (words * 4 + 64 > room) return -1;
    const arena = this.denseArena;
    let c = arena.length - 1;
    if (c < 0 || this.denseUsed * words === arena[c]!.length) {
      arena.push(new Uint32Array((arena.length >= 4 ? ARENA_MASKS : 1 << arena.length) * words));
      c++;
      this.denseUsed = 0;
    }
    arena[c]!.set(bits.subarray(0, words), this.denseUsed * words);
    const slot = c * ARENA_MASKS + this.denseUsed++;
    this.denseCount++;
    this.fullMasks.set(key, slot);
    if (hashed) {
      const list = this.slotsByHash.get(h);
      if (list !== undefined) list.push(slot);
      else this.slotsByHash.set(h, [slot]);
    }
    return words * 4 + 64;
  }

  /**
   * After a top-memo hit the fill copied a stored mask and the matcher added only the empty and
   * end-of-sequence tokens: when those are in the copied mask too, `bits` is that mask, and its
   * arena slot is returned without reading the mask; else -1.
   */
  private copiedTopSlot(bits: Uint32Array): number {
    const core = this.core;
    const top = this.lastTopMask !== -1 ? this.fullMasks.get(this.lastTopMask) : undefined;
    if (typeof top !== 'number' || core.tables.tokenSets.length > 0) return -1;
    const words = core.vocabWords;
    const chunk = this.denseArena[Math.floor(top / ARENA_MASKS)]!;
    const at = (top % ARENA_MASKS) * words;
    const empty = core.trie.emptyTokens;
    const eos = core.tokenizer.eosTokens;
    for (let j = 0; j < empty.length; j++) if (hasBitAt(bits, 0, empty[j]!) && !hasBitAt(chunk, at, empty[j]!)) return -1;
    for (let j = 0; j < eos.length; j++) if (hasBitAt(bits, 0, eos[j]!) && !hasBitAt(chunk, at, eos[j]!)) return -1;
    return top;
  }

  /** The arena slot filed under hash h that holds exactly `bits` (compared word by word), or -1. */
  private slotHolding(bits: Uint32Array, h: number): number {
    const list = this.slotsByHash.get(h);
    if (list === undefined) return -1;
    const words = this.core.vocabWords;
    for (const slot of list) {
      const chunk = this.denseArena[Math.floor(slot / ARENA_MASKS)]!;
      const at = (slot % ARENA_MASKS) * words;
      let w = 0;
      while (w < words && chunk[at + w] === bits[w]) w++;
      if (w === words) return slot;
    }
    return -1;
  }

  /**
   * The allowed ids in `bits` (the mask just computed from the last fill), when every plan that fill
   * ORed is a list of ids and they hold at most `limit` ids in all; else null. The mask is those ids,
   * the empty tokens, and the end-of-sequence tokens whose bit is set, unless the grammar has
   * special-token symbols (their sets are bitmaps): then null too. The lists are concatenated, not
   * merged id by id (different plans' lists rarely share an id, and an id stored twice only sets its
   * bit twice when read), so a mask that is never read again (most of them, for a grammar compiled
   * for one short output) costs one copy; a mask that is one list and nothing else is that list
   * (plans' lists are never modified).
   */
  private lastFillIds(bits: Uint32Array, limit: number): Int32Array | null {
    const core = this.core;
    const top = this.lastTop;
    // After a top-memo hit (applyTop) lastTop is null and the ids are the copied mask's.
    if (core.tables.tokenSets.length > 0 || (this.lastTopMask === -1 && (top === null || top.sparse === null))) return null;
    this.partCount = 0;
    this.idsMet = 0;
    if (this.lastTopMask !== -1) {
      // The fill copied a mask of the top memo: its ids are the mask's (the top plan's included).
      const m = this.fullMasks.get(this.lastTopMask);
      if (typeof m !== 'object' || !this.addPart(m, limit)) return null;
    } else {
      if (!this.addPart(top!.sparse!, limit)) return null;
      for (let p = 0; p < this.appliedLen; p++) if (!this.addCode(this.applied[p]!, limit)) return null;
    }
    const extra = core.trie.emptyTokens;
    const eos = core.tokenizer.eosTokens;
    let extras = 0;
    for (let j = 0; j < extra.length; j++) extras += (bits[extra[j]! >>> 5]! >>> (extra[j]! & 31)) & 1;
    for (let j = 0; j < eos.length; j++) extras += (bits[eos[j]! >>> 5]! >>> (eos[j]! & 31)) & 1;
    if (this.idsMet + extras > limit) return null;
    if (this.partCount === 1 && extras === 0) return this.parts[0]!;
    const ids = new Int32Array(this.idsMet + extras);
    let k = 0;
    for (let p = 0; p < this.partCount; p++) {
      ids.set(this.parts[p]!, k);
      k += this.parts[p]!.length;
    }
    for (let pass = 0; pass < 2; pass++) {
      const list = pass === 0 ? extra : eos;
      for (let j = 0; j < list.length; j++) {
        const t = list[j]!;
        if (((bits[t >>> 5]! >>> (t & 31)) & 1) !== 0) ids[k++] = t;
      }
    }
    return ids;
  }

  /** addPart for a memo code: a kept plan's id, or -1 - entry (expanded); false for a bitmap or a plan not kept. */
  private addCode(code: number, limit: number): boolean {
    if (code === NOT_KEPT) return false;
    if (code >= 0) {
      const p = this.planById[code]!;
      return p.sparse !== null && this.addPart(p.sparse, limit);
    }
    const memo = this.memo!;
    const e = -1 - code;
    const to = memo.partsTo(e);
    for (let q = memo.partsFrom(e); q < to; q++) if (!this.addCode(memo.codes[q]!, limit)) return false;
    return true;
  }

  /** Adds a list to those lastFillIds concatenates; false past `limit` ids. */
  private addPart(ids: Int32Array, limit: number): boolean {
    // An empty list adds nothing (a mask of one non-empty list is then still that list), nor does a
    // list met again (groups of a plan that restart at the same ranges OR the same sub-plan).
    if (ids.length === 0) return true;
    for (let p = 0; p < this.partCount; p++) if (this.parts[p] === ids) return true;
    this.idsMet += ids.length;
    if (this.idsMet > limit) return false;
    if (this.partCount === this.parts.length) this.parts.push(ids);
    else this.parts[this.partCount] = ids;
    this.partCount++;
    return true;
  }

  /**
   * Overwrites `bits` with every non-special token whose bytes can be read from (parser, lexState,
   * fresh). The parser is left as found.
   */
  fill(parser: EarleyParser, lexState: number, fresh: boolean, bits: Uint32Array): void {
    const core = this.core;
    this.fills++;
    this.bits = bits;
    this.steps = 0;
    const entryDepth = parser.depth;
    core.stateFlags(lexState);
    // What a walk yields depends on what a state does within the trie's depth: a state whose length
    // bounds drop exactly there is walked (and its plan kept) as its widened state, one for every
    // position of a long string with a pattern (Lexer.widened).
    const from = this.walkState(lexState);
    try {
      const plan = this.topPlan(from, fresh);
      this.lastTop = plan;
      if (plan.dense !== null) bits.set(plan.dense);
      else {
        bits.fill(0, 0, core.vocabWords);
        const ids = plan.sparse!;
        for (let k = 0; k < ids.length; k++) bits[ids[k]! >>> 5]! |= 1 << (ids[k]! & 31);
      }
      this.appliedLen = 0;
      this.lastTopMask = -1;
      parser.resetReads();
      parser.peakItems = 0;
      if (plan.groups.length > 0) this.applyTop(plan, parser);
    } finally {
      parser.readFloor = 0;
      parser.popTo(entryDepth);
    }
  }

  /** The plan of a walk over the whole trie from lexer state `from`: kept, shared, split or walked. */
  private topPlan(from: number, fresh: boolean): Plan {
    const core = this.core;
    const key = from * 2 + (fresh ? 1 : 0);
    let plan = this.plans.get(key);
    if (plan !== undefined) {
      this.cacheHits++;
      return plan;
    }
    this.cacheMisses++;
    // Derived before the state is named for the store: a key position's name holds its schema's
    // names, which another grammar rarely shares, and naming them costs more than the derivation.
    const derived = declaredKeyPlans ? this.declaredKeyPlan(from, fresh, null) : null;
    if (derived !== null) {
      if (this.keep(derived)) this.plans.set(key, derived);
      return derived;
    }
    const cs = this.sharedKey(from);
    const known = cs >= 0 ? this.shared!.get(ROOT_RANGES, cs, fresh) : undefined;
    if (known !== undefined) {
      plan = this.fromShared(known, this.roleLexemes[from]!);
      if (this.keep(plan)) this.plans.set(key, plan);
      return plan;
    }
    const root = this.shared?.rangesOf(ROOT_RANGES);
    const first = root?.first ?? Int32Array.of(1);
    const end = root?.end ?? Int32Array.of(core.trie.nodeCount);
    const parentDepth = root?.parentDepth ?? new Int32Array(1);
    let use: SliceUse | null = null;
    const split = this.splitPlan(from, fresh, first, end, parentDepth);
    if (split !== null) plan = split;
    else {
      // In a string-like state most tokens are allowed: take the largest string slice whole and
      // walk only the subtrees holding other tokens (trie/string-slices.ts).
      this.slices ??= stringSlices(core.tokenizer);
      this.sliceBytes ??= sliceSearchBytes(core, this.slices);
      this.ctrlBytes ??= controlSearchBytes(core);
      this.leadBytes ??= plainLeadBytes(this.slices);
      // A state that only spells literals is walked by comparing bytes (literal-walk.ts): a slice
      // there (the tight case, every plain character dying) would only make the walk general.
      const literal = this.plain && this.literalWords(from, core.trie.maxDepth + 1) !== null;
      use = literal ? null : sliceUse(core, this.slices, this.sliceBytes, this.ctrlBytes, this.leadBytes, from, this.sliceLimits);
      // Plain lexers only: in a program grammar (an identifier's state) the slice would turn off the
      // pieces its walks reuse, and the searches cost more than they save (§33).
      if (use === null && !literal && exclusionSlices && this.plain) use = this.excludedUse(from);
      // A plan that takes a slice is dense; others are lists when small (literal states).
      plan = this.build(first, end, parentDepth, from, fresh, use !== null, use);
    }
    if (this.keep(plan)) {
      this.plans.set(key, plan);
      if (use !== null) this.sliced++;
      if (use !== null && use.set !== this.slices) this.excluded++;
    }
    if (cs >= 0) this.toShared(ROOT_RANGES, cs, from, fresh, plan);
    return plan;
  }

  /**
   * The slice of the plain tokens that avoid a few characters, for a state where plain strings leave
   * the lexeme through those characters only (slice-use.ts exclusionsAt), or null.
   */
  private excludedUse(s: number): SliceUse | null {
    const core = this.core;
    const slices = this.slices!;
    for (const x of exclusionsAt(core, s)) {
      let search = this.excludedSearches.get(x.key);
      if (search === undefined) {
        search = { bytes: sliceSearchBytes(core, slices, x), lead: plainLeadBytes(slices, x), limits: new Map() };
        this.excludedSearches.set(x.key, search);
      }
      // The family (a pass over the trie, once per exclusion and tokenizer) only once a slice is proven.
      const use = sliceUse(core, slices, search.bytes, this.ctrlBytes!, search.lead, s, search.limits, () => slices.excluding(x));
      if (use !== null) return use;
    }
    return null;
  }

  /**
   * A split walk (docs/engine-optimizations.md §32), or null. Inside a string whose length bound a
   * walk over the whole trie must keep (Lexer.widened: `maxLength` 100 beside a word pattern), every
   * position is a new lexer state and its walk builds hundreds of them. But for tokens of at most L
   * bytes, with L the largest depth where the bound can be dropped (Lexer.widenedShort), state s
   * answers like its widened state w, and w is the same at every position: so the plan is w's plan
   * (kept, or shared) cut to those tokens and to the exits at most L bytes down, plus a walk from s
   * of the subtrees that hold longer tokens (a few thousand nodes: trie/subtree-depth.ts), which
   * records only what lies deeper than L. Exact: every decision at depth at most L is the same from
   * s and from w, and an exit's subtree is walked from the next lexeme's start, not from either.
   */
  private splitPlan(s: number, fresh: boolean, first: Int32Array, end: Int32Array, parentDepth: Int32Array): Plan | null {
    const lx = this.core.lexer;
    if (!splitWalks || !widenedWalks || !this.plain || !lx.hasAndNot(s)) return null;
    const pieces = vocabularyPieces ? this.pieceMap : null;
    const free = (depth: number): number => {
      const w = lx.widenedShort(s, depth + 1, pieces);
      return w !== s && !lx.hasAndNot(w) ? w : -1;
    };
    // The largest L that frees the state of its bounds, by bisection over verified depths.
    let lo = SPLIT_MIN_DEPTH;
    let w = free(lo);
    if (w < 0) return null;
    let hi = this.core.trie.maxDepth;
    while (lo < hi) {
      const mid = (lo + hi + 1) >> 1;
      const wm = free(mid);
      if (wm >= 0) {
        lo = mid;
        w = wm;
      } else hi = mid - 1;
    }
    const depthL = lo;
    const wide = this.topPlan(w, fresh);
    const deep = this.buildDeep(first, end, parentDepth, s, fresh, depthL);
    this.splitPlans++;
    return this.joinSplit(wide, deep, depthL);
  }

  /** w's plan cut to tokens of at most L bytes and exits at most L bytes down, with the deep walk's plan added. */
  private joinSplit(wide: Plan, deep: Plan, depthL: number): Plan {
    const core = this.core;
    const trie = core.trie;
    const offsets = core.tokenizer.offsets;
    const words = core.vocabWords;
    let dense: Uint32Array | null = null;
    let sparse: Int32Array | null = null;
    if (wide.dense !== null || deep.dense !== null) {
      dense = wide.dense !== null ? wide.dense.slice(0, words) : new Uint32Array(words);
      if (wide.dense !== null) {
        // Clear the tokens longer than L: they lie in the subtrees reaching deeper than L.
        const below = subtreeDepth(trie);
        for (let i = 1; i < trie.nodeCount; ) {
          if (below[i]! <= depthL) {
            i += trie.subtreeSize[i]!;
            continue;
          }
          if (trie.depth[i]! > depthL) for (let t = trie.tokenId[i]!; t >= 0; t = trie.nextSameBytes[t]!) dense[t >>> 5]! &= ~(1 << (t & 31));
          i++;
        }
      } else for (const t of wide.sparse!) if (offsets[t + 1]! - offsets[t]! <= depthL) dense[t >>> 5]! |= 1 << (t & 31);
      if (deep.dense !== null) for (let k = 0; k < words; k++) dense[k]! |= deep.dense[k]!;
      else for (const t of deep.sparse!) dense[t >>> 5]! |= 1 << (t & 31);
    } else {
      const short = wide.sparse!.filter((t) => offsets[t + 1]! - offsets[t]! <= depthL);
      sparse = new Int32Array(short.length + deep.sparse!.length);
      sparse.set(short);
      sparse.set(deep.sparse!, short.length);
    }
    const groups: ExitGroup[] = [];
    let bytes = 64 + (dense !== null ? dense.byteLength : sparse!.byteLength);
    for (const g of wide.groups) {
      const r = g.ranges;
      const keep: number[] = [];
      for (let k = 0; k < r.first.length; k++) if (r.parentDepth[k]! <= depthL) keep.push(k);
      if (keep.length === 0) continue;
      const found = keep.length === r.first.length ? { ranges: r, created: false } : this.internRangeArrays(Int32Array.from(keep, (k) => r.first[k]!), Int32Array.from(keep, (k) => r.end[k]!), Int32Array.from(keep, (k) => r.parentDepth[k]!));
      if (found.created) bytes += 64 + keep.length * 12;
      groups.push({ ...g, ranges: found.ranges, lastStart: -1, lastSub: undefined, memo: -2 });
      bytes += 32;
    }
    for (const g of deep.groups) groups.push(g);
    return { dense, sparse, groups, bytes: bytes + deep.bytes, id: -1 };
  }

  /**
   * The top-level plan's groups, memoised as one (docs/engine-optimizations.md §19): what all of
   * them contribute is a function of the rows their pushes read (as for one group, §15), so the
   * mask the fill makes is kept under a root per kept top-level plan (lexer state and fresh), in a
   * memo trie of its own keyed by those rows (at most MAX_TOP_TRACE_ROWS). A position met for the
   * first time whose rows read equal an earlier one's (the same statement context, whatever lies
   * deeper in the stack: what the full-mask cache, keyed by the whole stack, cannot see) copies that
   * mask instead of a memo lookup or a computation per group. Only masks are stored (16 KB, or a
   * list of ids), within limits.memoCacheBytes / 2, the trie within limits.memoCacheBytes / 4.
   */
  private applyTop(plan: Plan, parser: EarleyParser): void {
    const memo = this.topMemo;
    if (memo === null || !topMemo || plan.id < 0) {
      this.applyGroups(plan, parser);
      return;
    }
    let root = this.topRoot[plan.id] ?? -1;
    if (root < 0) {
      // As for groups (MEMO_AFTER): a plan gets its root on its MEMO_AFTER-th application (-1 - k:
      // applied k times), so a grammar used for a few short outputs (function calling: every mask a
      // first visit) pays the memo nothing; storing on a first visit doubled BFCL's median mask.
      if (root > -MEMO_AFTER) {
        this.topRoot[plan.id] = root - 1;
        this.applyGroups(plan, parser);
        return;
      }
      if (!memo.open || this.fills < MEMO_WARM) {
        this.applyGroups(plan, parser);
        return;
      }
      root = memo.newRoot();
      this.topRoot[plan.id] = root;
    }
    if (memo.isCold(root)) {
      this.applyGroups(plan, parser);
      return;
    }
    if (memo.hasChildren(root) && this.topHit(memo, root, parser)) {
      memo.served(root);
      this.topHits++;
      return;
    }
    this.topMisses++;
    const entryDepth = parser.depth;
    parser.readFloor = entryDepth;
    parser.readSince = parser.nextRead;
    parser.peakItems = 0;
    this.applyGroups(plan, parser);
    const peak = parser.peakItems;
    // Nothing below the mask's own rows is read for an enclosing computation: the log ends here.
    const nTrace = this.traceReads(parser, 0, entryDepth, MAX_TOP_TRACE_ROWS, 0);
    parser.readFloor = 0;
    if (nTrace === 0 || nTrace > MAX_TOP_TRACE_ROWS || this.traceRows[0] !== entryDepth - 1 || this.traceParts[0] !== READ_WHOLE || !memo.open) return;
    if (parser.depth !== entryDepth) parser.popTo(entryDepth);
    const node = this.keyPath(memo, root, parser, nTrace, false);
    if (node < 0 || memo.nextOf(node) !== UNKNOWN) return;
    const key = this.keepTopMask();
    if (key === 0) return;
    this.topCode[0] = key;
    memo.setEntry(node, this.topCode, 0, 1, peak);
    memo.stored(root);
  }

  /**
   * The key in fullMasks of the mask the fill made (this.bits), stored once per content: contexts
   * that differ in the rows read often make the same mask (a statement's start in two functions).
   * 0 when it is new and the budget (limits.memoCacheBytes / 2) is spent.
   */
  private keepTopMask(): number {
    const bits = this.bits;
    const words = this.core.vocabWords;
    const h = hashWords(bits, words);
    const same = this.topMaskByHash.get(h);
    if (same !== undefined) {
      const scratch = (this.maskScratch ??= new Uint32Array(words));
      for (const k of same) {
        this.fullMaskRead(k, scratch);
        let w = 0;
        while (w < words && scratch[w] === bits[w]) w++;
        if (w === words) return k;
      }
    }
    const key = -1 - this.topMasks;
    const bytes = this.storeMask(key, bits, this.core.limits.memoCacheBytes / 2 - this.topMaskBytes - 16, h);
    if (bytes < 0) return 0;
    this.topMasks++;
    this.topMaskBytes += bytes + 16;
    if (same !== undefined) same.push(key);
    else this.topMaskByHash.set(h, [key]);
    return key;
  }

  /**
   * Follows the top memo's trie from the parser's top row; at a leaf, copies the mask stored there
   * (the top plan's tokens and every group's) into the mask and returns true.
   */
  private topHit(memo: GroupMemo, root: number, parser: EarleyParser): boolean {
    const buf = this.keyBuf;
    parser.beginLabels();
    let n = parser.traceRow(parser.depth - 1, buf, 0);
    if (n < 0) return false;
    let completed = parser.traceCompleted;
    let id = memo.rows.intern(buf, n, false);
    if (id < 0) return false;
    let node = memo.child(root, id);
    for (;;) {
      if (node < 0) return false;
      const entry = memo.entryOf(node);
      if (entry >= 0) {
        // Completed items only lengthen rows: the stored computation stays under the row limit here.
        if (memo.peakOf(entry) + completed > this.core.limits.maxItemsPerRow) return false;
        const key = memo.codes[memo.partsFrom(entry)]!;
        if (!this.fullMaskRead(key, this.bits)) return false;
        this.lastTopMask = key;
        // Whatever reads the last fill's parts (the full-mask cache) must not take the top plan alone for it.
        this.lastTop = null;
        return true;
      }
      const next = memo.nextOf(node);
      if (next < 0) return false;
      const r = parser.rowWithLabel(readLabel(next));
      if (r < 0) return false;
      const before = parser.traceCompleted;
      n = parser.traceRead(r, readPart(next), buf, 0);
      if (n < 0) return false;
      completed += parser.traceCompleted - before;
      id = memo.rows.intern(buf, n, false);
      if (id < 0) return false;
      node = memo.child(node, id);
    }
  }

  /** Charges a new plan to limits.planCacheBytes; false (keep nothing) once the budget is spent. */
  private keep(plan: Plan): boolean {
    if (this.planBytes >= this.core.limits.planCacheBytes) return false;
    this.planBytes += plan.bytes + 8;
    plan.id = this.planById.length;
    this.planById.push(plan);
    return true;
  }

  private applyGroups(plan: Plan, parser: EarleyParser): void {
    const groups = plan.groups;
    const entryDepth = parser.depth;
    const memo = this.memo;
    // The top row's interned key, shared by this frame's groups (they all start from it).
    const outerTop = this.topRow;
    const outerTopCompleted = this.topCompleted;
    this.topRow = -2;
    for (let g = 0; g < groups.length; g++) {
      const grp = groups[g]!;
      if (parser.depth !== entryDepth) parser.popTo(entryDepth);
      let root = -1;
      if (memo !== null) {
        root = grp.memo >= 0 || grp.memo === -1 ? grp.memo : this.memoRoot(memo, grp);
        if (root >= 0) {
          if (memo.isCold(root)) root = -1;
          else {
            if (memo.hasChildren(root) && this.memoHit(memo, root, parser)) {
              memo.served(root);
              continue;
            }
            this.memoMisses++;
          }
        }
      }
      if (root < 0) {
        this.applyGroup(grp, parser);
        continue;
      }
      // Log the rows below entryDepth this group's pushes read.
      const outerFloor = parser.readFloor;
      const outerSince = parser.readSince;
      const outerPeak = parser.peakItems;
      const logStart = parser.readLen;
      parser.readFloor = entryDepth;
      parser.readSince = parser.nextRead;
      parser.peakItems = 0;
      const partsStart = this.appliedLen;
      this.applyGroup(grp, parser);
      const peak = parser.peakItems;
      parser.readFloor = outerFloor;
      parser.readSince = outerSince;
      parser.peakItems = peak > outerPeak ? peak : outerPeak;
      // The rows read, first reads first; those below the enclosing group's start stay logged for it.
      const nTrace = this.traceReads(parser, logStart, entryDepth, MAX_TRACE_ROWS, outerFloor);
      if (nTrace <= MAX_TRACE_ROWS && memo!.open && this.planBytes < this.core.limits.planCacheBytes) {
        if (parser.depth !== entryDepth) parser.popTo(entryDepth);
        this.memoStore(memo!, root, parser, nTrace, partsStart, peak);
      }
    }
    this.topRow = outerTop;
    this.topCompleted = outerTopCompleted;
    if (parser.depth !== entryDepth) parser.popTo(entryDepth);
  }

  /**
   * The reads logged since `from` (parser.readLog), first reads first, each row and part once (a
   * whole read covers a later partial one), into traceRows and traceParts (the first `limit`); the
   * reads of rows below `keepBelow` stay in the log for an enclosing computation, the others are
   * dropped from it. Returns how many distinct reads there were.
   */
  private traceReads(parser: EarleyParser, from: number, entryDepth: number, limit: number, keepBelow: number): number {
    const log = parser.readLog;
    const parts = parser.readPart;
    const logEnd = parser.readLen;
    const gen = this.nextReadGen(entryDepth);
    const mark = this.readMark;
    const markPart = this.readMarkPart;
    const trace = this.traceRows;
    const traceParts = this.traceParts;
    let nTrace = 0;
    let keep = from;
    for (let i = from; i < logEnd; i++) {
      const r = log[i]!;
      const part = parts[i]!;
      if (mark[r] === gen && (markPart[r] === READ_WHOLE || markPart[r] === part)) continue;
      mark[r] = gen;
      markPart[r] = part;
      if (nTrace < limit) {
        trace[nTrace] = r;
        traceParts[nTrace] = part;
      }
      nTrace++;
      if (r < keepBelow) {
        parts[keep] = part;
        log[keep++] = r;
      }
    }
    parser.readLen = keep;
    return nTrace;
  }

  /** A new generation of readMark, which covers rows below `rows`. */
  private nextReadGen(rows: number): number {
    if (this.readMark.length < rows) {
      let n = this.readMark.length;
      while (n < rows) n *= 2;
      this.readMark = new Int32Array(n);
      this.readMarkPart = new Uint8Array(n);
      this.readGen = 0;
    }
    if (this.readGen === 0x3fffffff) {
      this.readMark.fill(0);
      this.readGen = 0;
    }
    return ++this.readGen;
  }

  /** One exit group at the parser's top: its scan, the sub-plan below it, its sub-groups. */
  private applyGroup(grp: ExitGroup, parser: EarleyParser): void {
    const core = this.core;
    // The next lexeme's position: start state × 2 + fresh.
    let nextStart: number;
    if (grp.fallback) {
      const pos = this.replayPos;
      if (!core.fallBack(parser, grp.acceptState, pos)) return;
      nextStart = pos.lexState * 2 + (pos.fresh ? 1 : 0);
    } else if (grp.acceptState < 0) {
      // From the shared store (or a literal walk): the lexemes' scan, with the aux and word end
      // its key names where the lexer has extras (groupKeyOfExtras; none for a plain lexer).
      if (!core.scanRead(parser, grp.lexemes, this.gkeyAux[grp.gkey] ?? 0)) return;
      nextStart = core.startNext(parser, this.gkeyWordEnd[grp.gkey] === true) * 2 + 1;
    } else {
      if (!core.scanAccepted(parser, grp.acceptState)) return;
      nextStart = core.startAfter(parser, grp.acceptState) * 2 + 1;
    }
    // Most groups only ever meet one next start state: check the last one before the map.
    const sub = grp.lastStart === nextStart ? grp.lastSub! : this.rangesPlan(grp.ranges, nextStart >> 1, (nextStart & 1) === 1);
    if (sub.id >= 0) {
      grp.lastStart = nextStart;
      grp.lastSub = sub;
    }
    this.orPlan(sub);
    this.log(sub.id >= 0 ? sub.id : NOT_KEPT);
    if (sub.groups.length > 0) this.applyGroups(sub, parser);
  }

  /** The plan of a walk over ranges r from (start, fresh): kept, derived, shared or walked. */
  private rangesPlan(r: ExitRanges, start: number, fresh: boolean): Plan {
    const key = start * 2 + (fresh ? 1 : 0);
    const kept = r.subs.get(key);
    if (kept !== undefined) return kept;
    let sub = declaredKeyPlans ? this.declaredKeyPlan(start, fresh, r) : null;
    if (sub === null) {
      const cs = this.sharedKey(start);
      const rid = cs >= 0 ? this.sharedRangesId(r) : -1;
      const known = rid >= 0 ? this.shared!.get(rid, cs, fresh) : undefined;
      if (known !== undefined) sub = this.fromShared(known, this.roleLexemes[start]!);
      else {
        sub = this.build(r.first, r.end, r.parentDepth, start, fresh, false, null);
        if (rid >= 0) this.toShared(rid, cs, start, fresh, sub);
      }
    }
    if (this.keep(sub)) r.subs.set(key, sub);
    return sub;
  }

  /** Appends a memo code to the applied log. */
  private log(code: number): void {
    if (this.appliedLen === this.applied.length) {
      const g = new Int32Array(this.applied.length * 2);
      g.set(this.applied);
      this.applied = g;
    }
    this.applied[this.appliedLen++] = code;
  }

  /** ORs the tokens of memo entry e into the mask. */
  private orEntry(memo: GroupMemo, e: number): void {
    const to = memo.partsTo(e);
    for (let p = memo.partsFrom(e); p < to; p++) {
      const code = memo.codes[p]!;
      if (code >= 0) this.orPlan(this.planById[code]!);
      else this.orEntry(memo, -1 - code);
    }
  }

  /** ORs a sub-plan's tokens into the mask. */
  private orPlan(sub: Plan): void {
    const bits = this.bits;
    if (sub.sparse !== null) {
      const ids = sub.sparse;
      for (let k = 0; k < ids.length; k++) {
        const tok = ids[k]!;
        bits[tok >>> 5]! |= 1 << (tok & 31);
      }
    } else {
      const dense = sub.dense!;
      for (let w = 0; w < dense.length; w++) bits[w]! |= dense[w]!;
    }
  }

  /**
   * The memo root shared by groups with grp's ranges and key, or -1: for ranges that are not
   * interned, and the first time a group is applied while no other group made its root. A group
   * applied once (as most are, in a grammar compiled for one document) costs the memo nothing; its
   * computation runs as without the memo (the rows it reads are logged for an enclosing group that
   * is being stored, if any).
   */
  private memoRoot(memo: GroupMemo, grp: ExitGroup): number {
    const r = grp.ranges;
    if (!r.shared) {
      grp.memo = -1;
      return -1;
    }
    const roots = r.roots;
    if (roots !== null) {
      for (let k = 0; k < roots.length; k += 2) {
        if (roots[k] === grp.gkey) {
          grp.memo = roots[k + 1]!;
          return grp.memo;
        }
      }
    }
    // -2 - k: applied k times without a root.
    if (-2 - grp.memo < MEMO_AFTER - 1) {
      grp.memo--;
      return -1;
    }
    if (!memo.open || this.fills < MEMO_WARM) return -1;
    const root = memo.newRoot();
    const grown = new Int32Array((roots?.length ?? 0) + 2);
    if (roots !== null) grown.set(roots);
    grown[grown.length - 2] = grp.gkey;
    grown[grown.length - 1] = root;
    r.roots = grown;
    grp.memo = root;
    return root;
  }

  /**
   * Follows the memo's trie from the parser's top row; on reaching a leaf applies the stored
   * contribution (as the group would have: the same tokens, the same rows read) and returns true.
   */
  private memoHit(memo: GroupMemo, root: number, parser: EarleyParser): boolean {
    const buf = this.keyBuf;
    const top = parser.depth - 1;
    if (this.topRow === -2) {
      parser.beginLabels();
      const n = parser.traceRow(top, buf, 0);
      this.topRow = n < 0 ? -1 : memo.rows.intern(buf, n, false);
      this.topCompleted = parser.traceCompleted;
    }
    if (this.topRow < 0) return false;
    let node = memo.child(root, this.topRow);
    if (node < 0) return false;
    const trace = this.traceRows;
    const traceParts = this.traceParts;
    trace[0] = top;
    traceParts[0] = READ_WHOLE;
    let nTrace = 1;
    let completed = this.topCompleted;
    let labelled = false;
    for (;;) {
      const entry = memo.entryOf(node);
      if (entry >= 0) {
        // Completed items only lengthen rows: the stored computation stays under the row limit here.
        const peak = memo.peakOf(entry) + completed;
        if (peak > this.core.limits.maxItemsPerRow) return false;
        this.orEntry(memo, entry);
        this.log(-1 - entry);
        const floor = parser.readFloor;
        for (let i = 0; i < nTrace; i++) if (trace[i]! < floor) parser.noteRead(trace[i]!, traceParts[i]!);
        if (peak > parser.peakItems) parser.peakItems = peak;
        this.memoHits++;
        return true;
      }
      const next = memo.nextOf(node);
      if (next < 0) return false;
      if (!labelled) {
        // Label the rows the top row references (other lookups of this frame labelled others).
        parser.beginLabels();
        parser.traceRow(top, buf, 0);
        labelled = true;
      }
      const r = parser.rowWithLabel(readLabel(next));
      if (r < 0) return false;
      const part = readPart(next);
      const before = parser.traceCompleted;
      const n = parser.traceRead(r, part, buf, 0);
      if (n < 0) return false;
      completed += parser.traceCompleted - before;
      const id = memo.rows.intern(buf, n, false);
      if (id < 0) return false;
      node = memo.child(node, id);
      if (node < 0) return false;
      traceParts[nTrace] = part;
      trace[nTrace++] = r;
    }
  }

  /**
   * The memo node that keys the rows read (traceRows[0…nTrace)) below root, each row by its label
   * and its content, adding what is missing; -1 when a row cannot be keyed. `groupTop`: the top
   * row's key is this frame's (memoHit may have interned it already, and it is kept for the next).
   */
  private keyPath(memo: GroupMemo, root: number, parser: EarleyParser, nTrace: number, groupTop: boolean): number {
    const buf = this.keyBuf;
    const trace = this.traceRows;
    parser.beginLabels();
    let node = root;
    for (let i = 0; i < nTrace; i++) {
      const r = trace[i]!;
      // Every row read after the top is referenced by one read before it (else: not memoised).
      const label = parser.labelOfRow(r);
      if (label < 0) return -1;
      const part = this.traceParts[i]!;
      const read = readNext(label, part);
      const next = memo.nextOf(node);
      if (next === UNKNOWN) memo.setNext(node, read);
      else if (next !== read) return -1;
      const n = parser.traceRead(r, part, buf, 0);
      if (n < 0) return -1;
      let id = groupTop && i === 0 ? this.topRow : -1;
      if (id < 0) {
        id = memo.rows.intern(buf, n);
        if (id < 0) return -1;
        if (groupTop && i === 0) {
          this.topRow = id;
          this.topCompleted = parser.traceCompleted;
        }
      }
      node = memo.addChild(node, id);
    }
    return node;
  }

  /** Stores the contribution applied since partsStart under the rows read (traceRows[0…nTrace)). */
  private memoStore(memo: GroupMemo, root: number, parser: EarleyParser, nTrace: number, partsStart: number, peak: number): void {
    if (nTrace === 0 || this.traceRows[0] !== parser.depth - 1 || this.traceParts[0] !== READ_WHOLE) return;
    for (let p = partsStart; p < this.appliedLen; p++) if (this.applied[p] === NOT_KEPT) return;
    const node = this.keyPath(memo, root, parser, nTrace, true);
    if (node < 0 || memo.nextOf(node) !== UNKNOWN) return;
    const entry = memo.setEntry(node, this.applied, partsStart, this.appliedLen, peak);
    memo.stored(root);
    this.memoEntries++;
    // Enclosing groups' entries hold this entry, not its parts.
    this.appliedLen = partsStart;
    this.log(-1 - entry);
  }

  /**
   * The state a first walk from lexer state s starts from: its widened state (Lexer.widened, exact
   * for every string of at most the trie's depth plus the one byte that tells whether a lexeme
   * can extend), or s itself. Not once an emptiness check was answered without proof
   * (Lexer.shareable): two states could then disagree where the proof was skipped.
   */
  private walkState(s: number): number {
    const lx = this.core.lexer;
    if (!widenedWalks || !lx.shareable) return s;
    return lx.widened(s, this.core.trie.maxDepth + 1, vocabularyPieces ? this.pieceMap : null);
  }

  /**
   * The canonical state of s when its walk is worth sharing, else -1: a state that only spells
   * literals is walked by comparing bytes (literal-walk.ts), cheaper than naming it canonically.
   */
  private sharedKey(s: number): number {
    if (this.shared === null) return -1;
    // An emptiness check answered without proof since: nothing more is shared (TermStore.approximate).
    if (!this.canShare()) return -1;
    this.sharedState = grownToHold(this.sharedState, s, -2);
    const known = this.sharedState[s]!;
    if (known !== -2) return known;
    // Literal walks are for plain lexers: a state with extras is named by its terms.
    const words = this.plain ? this.literalWords(s, this.core.trie.maxDepth + 1) : null;
    const id = words !== null ? this.literalState(s, words) : this.canonicalState(s);
    this.sharedState[s] = id;
    return id;
  }

  /**
   * The shared store's id of a state that only spells literals, named by the bytes its lexemes
   * still need (as literal walks read them: up to the trie's depth and one byte more) and their
   * lazy bits, in alive order, which is also the order of its roles; -1 when not shareable. Cheaper
   * than naming its terms canonically, and what a walk from it depends on.
   */
  private literalState(s: number, words: number[][]): number {
    const lex = this.core.lexer.alive(s);
    // The vector: -1 (no canonical state starts so), then per lexeme its bytes (-1, "goes on past
    // the trie's depth", as 256) and 257 + its lazy bit.
    let n = 1;
    for (let k = 0; k < words.length; k++) n += words[k]!.length + 1;
    const v = (this.stateKeys = grownToHold(this.stateKeys, n - 1));
    let at = 0;
    v[at++] = -1;
    for (let k = 0; k < words.length; k++) {
      const w = words[k]!;
      for (let j = 0; j < w.length; j++) v[at++] = w[j]! < 0 ? 256 : w[j]!;
      v[at++] = 257 + this.core.lazy[lex[k]!]!;
    }
    const shared = this.shared!;
    let id = shared.stateId(v, n, this.core.limits.sharedPlanBytes);
    // Named here first: the store holds no walk from it, and this grammar's are not offered (most
    // such states are one schema's only: the rest of a name after its first tokens); a second
    // grammar that names it builds and offers them, a third takes them.
    if (!shared.namedBefore) id = -1;
    if (id >= 0) this.roleLexemes[s] = lex;
    return id;
  }

  /**
   * The canonical state id of lexer state s in the shared store (-1 when it cannot be shared), and
   * its roles in roleLexemes[s]: its alive lexemes ordered by (canonical term, lazy).
   */
  private canonicalState(s: number): number {
    const shared = this.shared!;
    const lx = this.core.lexer;
    const lex = lx.alive(s);
    const terms = lx.aliveTerms(s);
    const lazy = this.core.lazy;
    const n = lex.length;
    const extras = this.withExtras;
    const keys = (this.stateKeys = grownToHold(this.stateKeys, n + EXTRAS_KEYS - 1));
    let id = -1;
    let ok = true;
    for (let i = 0; i < n && ok; i++) {
      const k = this.termKey(terms[i]!, lazy[lex[i]!]!);
      if (k < 0) ok = false;
      // With extras, whether the lexeme's bytes are tracked in aux is part of its role.
      else keys[i] = extras ? k * 2 + (lx.tracks(lex[i]!) ? 1 : 0) : k;
    }
    if (ok) {
      // Roles: the lexemes ordered by (key, lexeme id); in place by insertion, as most states hold
      // few lexemes, by a sorted index past 64.
      const roles = Int32Array.from(lex);
      if (n > 64) {
        const order = Array.from(roles, (_, i) => i).sort((a, b) => keys[a]! - keys[b]! || lex[a]! - lex[b]!);
        keys.set(Int32Array.from(order, (i) => keys[i]!));
        for (let i = 0; i < n; i++) roles[i] = lex[order[i]!]!;
      } else {
        for (let i = 1; i < n; i++) {
          const k = keys[i]!;
          const l = roles[i]!;
          let j = i - 1;
          while (j >= 0 && (keys[j]! > k || (keys[j] === k && roles[j]! > l))) {
            keys[j + 1] = keys[j]!;
            roles[j + 1] = roles[j]!;
            j--;
          }
          keys[j + 1] = k;
          roles[j + 1] = l;
        }
      }
      let len = n;
      if (extras) {
        // The extras after the roles, behind a -2 no plain vector holds: aux, the word bits, and
        // the options that steer them.
        keys[len++] = -2;
        keys[len++] = lx.aux(s);
        keys[len++] = lx.extras(s);
        keys[len++] = lx.optionsId;
      }
      id = shared.stateId(keys, len, this.core.limits.sharedPlanBytes);
      if (id >= 0) this.roleLexemes[s] = n === 1 ? lex : roles;
    }
    return id;
  }

  /**
   * A term's number in a canonical state vector: its canonical id × 2 + its lexeme's lazy bit, or
   * -1 when it has no canonical id.
   */
  private termKey(term: number, lazy: number): number {
    const lx = this.core.lexer;
    // A walk reads at most the trie's depth in bytes: counted repetitions longer than that are
    // named as unbounded (canonical-terms.ts, widened), so every position of a long maxLength
    // string is one shared state; so are counters the vocabulary's tokens cannot exhaust
    // (piece-bound.ts).
    const bounds = vocabularyPieces ? this.pieceMap : null;
    if (bounds !== null) lx.notePieceBounds(term, this.core.trie, bounds);
    const c = canonicalTerms.widened(lx.canonicalTerm(term), this.core.trie.maxDepth, bounds);
    return c === NO_CANONICAL ? -1 : c * 2 + lazy;
  }

  /** The key shape of lexer state s (Lexer.declaredKeys) with its free key's state, or null; cached per state. */
  private keyShape(s: number): { dk: DeclaredKeys; free: number } | null {
    let shape = this.keyShapes.get(s);
    if (shape !== undefined) return shape;
    const lx = this.core.lexer;
    const lex = lx.alive(s);
    let lazy = false;
    for (let i = 0; i < lex.length; i++) if (this.core.lazy[lex[i]!] !== 0) lazy = true;
    const dk = lazy ? null : lx.declaredKeys(s);
    shape = dk === null ? null : { dk, free: lx.stateOf(lex[dk.key]!, dk.free) };
    this.keyShapes.set(s, shape);
    return shape;
  }

  /**
   * The plan of a walk from a key position beside declared names (lexer/declared-keys.ts) over the
   * ranges r (null: the whole trie), derived from the plan of the free key instead of walked: its
   * tokens are the same, and the exits below each name's closing quote move from the key's group to
   * the name's literal's (docs/engine-optimizations.md §34). Null when the state has another shape
   * (it is then walked).
   */
  private declaredKeyPlan(start: number, fresh: boolean, r: ExitRanges | null): Plan | null {
    const core = this.core;
    const lx = core.lexer;
    // Most states are not key positions: their terms hold no intersection or complement (a flag per term).
    if (this.shared === null || !this.plain || !lx.hasAndNot(start)) return null;
    const shape = this.keyShape(start);
    if (shape === null) return null;
    const { dk, free } = shape;
    const lex = lx.alive(start);
    // The free key's plan: this grammar's key lexeme at the free key's term, a state like any other,
    // so that its plan comes from the store shared between grammars, or is walked once and offered.
    const base = r === null ? this.topPlan(free, fresh) : this.rangesPlan(r, free, fresh);
    const cut = this.keyCut(base, dk, r);
    if (cut === null) return null;
    // The groups the names leave, then each name's own: its literal's group where it has one here,
    // else (given already, or out of order) its tokens go with it.
    const groups = cut.rest.slice();
    let bytes = 64 + cut.bytes + groups.length * 32;
    cut.bytes = 0;
    let dead: number[] | null = null;
    for (let n = 0; n < dk.names.length; n++) {
      const at = cut.names[n];
      if (at === undefined) continue;
      const literals = dk.names[n]!.literals;
      if (literals.length === 0) {
        for (const w of at) if (w.spelled.length > 0) (dead ??= []).push(...w.spelled);
        continue;
      }
      const lexemes = Int32Array.from(literals, (i) => lex[i]!).sort();
      for (const w of at) {
        if (w.below === null) continue;
        let g = w.literal;
        if (g === undefined || !sameInts(g.lexemes, lexemes)) {
          g = { acceptState: -1, lexemes, fallback: false, ranges: w.below, lastStart: -1, lastSub: undefined, gkey: this.groupKeyOfLexemes(lexemes), memo: -2 };
          w.literal = g;
        }
        groups.push(g);
        bytes += 32;
      }
    }
    const plan: Plan = { dense: base.dense, sparse: base.sparse, groups, bytes, id: -1 };
    if (dead !== null) {
      // The base plan's arrays are never modified: this plan gets its own copy.
      if (plan.dense !== null) {
        const d = plan.dense.slice();
        for (const t of dead) clearBit(d, t);
        plan.dense = d;
        plan.bytes += d.byteLength;
      } else {
        const gone = new Set(dead);
        plan.sparse = plan.sparse!.filter((t) => !gone.has(t));
        plan.bytes += plan.sparse.byteLength;
      }
    }
    this.derivedKeys++;
    return plan;
  }

  /**
   * Where the names of a key's form sit in the free key's plan `base` (walked over r), found once
   * for every key position that derives from it: the free key ends at each name's closing quote
   * (declared-keys.ts checks it), so its walk took the tokens spelling p·w·q and, where tokens go
   * on, has an exit below them. Null when an exit is not where that says (the state is walked).
   */
  private keyCut(base: Plan, dk: DeclaredKeys, r: ExitRanges | null): KeyCut | null {
    let byForm = this.keyCuts.get(base);
    if (byForm === undefined) this.keyCuts.set(base, (byForm = new Map()));
    const known = byForm.get(dk.form);
    // A plan is walked over one r (rangesPlan keeps it under r), but the cut is only valid for that r.
    if (known !== undefined && (known === null || known.r === r)) return known;
    const cut = this.findKeyCut(base, dk, r);
    byForm.set(dk.form, cut);
    return cut;
  }

  private findKeyCut(base: Plan, dk: DeclaredKeys, r: ExitRanges | null): KeyCut | null {
    const trie = this.core.trie;
    const ix = childIndex(trie);
    const groups = base.groups;
    const cuts = groups.map(() => [] as number[]);
    const names: KeyCut['names'] = [];
    let bytes = 0;
    for (let n = 0; n < dk.names.length; n++) {
      const name = dk.names[n]!;
      // The walk's top nodes that spell the name's first byte: the root's child, or the ranges'.
      const starts = r === null ? [childWithByte(ix, 0, name.bytes[0]!)] : topsWithByte(trie, r, name.bytes[0]!);
      for (const c of starts) {
        let node = c;
        for (let j = 1; j < name.bytes.length && node >= 0; j++) node = childWithByte(ix, node, name.bytes[j]!);
        if (node < 0) continue;
        const spelled: number[] = [];
        for (let t = trie.tokenId[node]!; t >= 0; t = trie.nextSameBytes[t]!) spelled.push(t);
        let below: ExitRanges | null = null;
        if (trie.subtreeSize[node]! > 1) {
          const from = node + 1;
          const to = node + trie.subtreeSize[node]!;
          const pd = trie.depth[node]!;
          let g = 0;
          let at = -1;
          for (; g < cuts.length && at < 0; g++) {
            const gr = groups[g]!.ranges;
            at = sortedIndexOf(gr.first, from);
            if (at >= 0 && (gr.end[at] !== to || gr.parentDepth[at] !== pd)) return null;
          }
          if (at < 0) return null;
          cuts[g - 1]!.push(at);
          const own = this.internRangeArrays(Int32Array.of(from), Int32Array.of(to), Int32Array.of(pd));
          if (own.created) bytes += 76;
          below = own.ranges;
        }
        (names[n] ??= []).push({ spelled, below, literal: undefined });
      }
    }
    // The free key's groups less the names' exits; groups left without ranges restart nowhere.
    const rest: ExitGroup[] = [];
    for (let g = 0; g < groups.length; g++) {
      const gr = groups[g]!.ranges;
      if (cuts[g]!.length === 0) {
        rest.push({ ...groups[g]!, lastStart: -1, lastSub: undefined });
        continue;
      }
      const drop = new Set(cuts[g]);
      const keep = (_: number, j: number): boolean => !drop.has(j);
      const left = this.internRangeArrays(gr.first.filter(keep), gr.end.filter(keep), gr.parentDepth.filter(keep));
      if (left.created) bytes += 64 + left.ranges.first.length * 12;
      if (left.ranges.first.length > 0) rest.push({ ...groups[g]!, ranges: left.ranges, lastStart: -1, lastSub: undefined, memo: -2 });
    }
    return { rest, names, bytes, r };
  }

  /** The shared store's id of these ranges (interned there on first use), or -1. */
  private sharedRangesId(r: ExitRanges): number {
    if (r.sharedId === -2) r.sharedId = this.shared!.rangesId(r.first, r.end, r.parentDepth, this.core.limits.sharedPlanBytes);
    return r.sharedId;
  }

  /** A plan of this grammar from a shared one: roles become its lexeme ids (`roles`, by role). */
  private fromShared(sp: SharedPlan, roles: Int32Array): Plan {
    this.sharedHits++;
    const groups: ExitGroup[] = [];
    let bytes = 64;
    for (const g of sp.groups) {
      const lexemes = new Int32Array(g.roles.length);
      for (let k = 0; k < lexemes.length; k++) lexemes[k] = roles[g.roles[k]!]!;
      lexemes.sort();
      // This grammar's ranges for the store's: by id once known (no hashing of long range lists).
      let ranges = this.rangesOfShared.get(g.ranges);
      if (ranges === undefined) {
        const sr = this.shared!.rangesOf(g.ranges);
        const found = this.internRangeArrays(sr.first, sr.end, sr.parentDepth, sr.hash);
        if (found.created) bytes += 64 + sr.first.length * 12;
        ranges = found.ranges;
        if (ranges.sharedId === -2) ranges.sharedId = g.ranges;
        if (ranges.shared) this.rangesOfShared.set(g.ranges, ranges);
      }
      const gkey = this.withExtras ? this.groupKeyOfExtras(lexemes, g.extras >>> 1, (g.extras & 1) === 1) : this.groupKeyOfLexemes(lexemes);
      groups.push({ acceptState: -1, lexemes, fallback: false, ranges, lastStart: -1, lastSub: undefined, gkey, memo: -2 });
      bytes += 32;
    }
    // The token arrays stay the store's (never modified): only this grammar's part is charged.
    return { dense: sp.dense, sparse: sp.sparse, groups, bytes, id: -1 };
  }

  /** Whether this grammar's walks may still go to or come from the store (no emptiness check answered without proof since compile). */
  private canShare(): boolean {
    const lx = this.core.lexer;
    return this.plain ? lx.shareable : lx.shareableWithExtras;
  }

  /** Offers a plan built here from lexer state `start` (canonical state cs) to the shared store. */
  private toShared(rid: number, cs: number, start: number, fresh: boolean, plan: Plan): void {
    const shared = this.shared!;
    // The walk may have met an emptiness check answered without proof: then it is this grammar's only.
    if (!this.canShare()) return;
    const budget = this.core.limits.sharedPlanBytes;
    const roles = this.roleLexemes[start]!;
    const groups = [];
    for (const grp of plan.groups) {
      const acc = grp.lexemes;
      const r = new Int32Array(acc.length);
      for (let k = 0; k < acc.length; k++) {
        const role = roles.indexOf(acc[k]!);
        if (role < 0) return;
        r[k] = role;
      }
      r.sort();
      const ranges = this.sharedRangesId(grp.ranges);
      if (ranges < 0) return;
      groups.push({ roles: r, ranges, extras: this.withExtras ? this.groupExtras(grp) : 0 });
    }
    shared.put(rid, cs, fresh, { dense: plan.dense, sparse: plan.sparse, groups }, budget);
    this.sharedPuts++;
  }

  /**
   * build() for a state whose alive lexemes are literals still to be spelled (`words`, from
   * Lexer.literalsOf): the same plan, from a walk that compares bytes (literal-walk.ts) and builds
   * no lexer state; its exit groups scan their lexemes directly (plain lexers only).
   */
  private literalPlan(firsts: Int32Array, ends: Int32Array, parentDepths: Int32Array, startState: number, fresh: boolean, words: number[][], dense: boolean): Plan {
    const core = this.core;
    const walk = this.literalWalk;
    walk.reset();
    const alive = core.lexer.alive(startState);
    walk.walkRanges(core.trie, firsts, ends, parentDepths, fresh, words, alive, core.lazy);
    this.walkedNodes += walk.visited;
    this.literalPlans++;
    // Group exits by the lexemes they complete, in discovery order, ranges in trie order (as build).
    const byKey = new Map<number, { lexemes: Int32Array; first: number[]; end: number[]; depth: number[] }>();
    let keyOf: number[] | null = null;
    let gkey = 0;
    for (let e = 0; e < walk.exitFirst.length; e++) {
      if (walk.exitLexemes[e] !== keyOf) {
        keyOf = walk.exitLexemes[e]!;
        gkey = this.groupKeyOfLexemes(Int32Array.from(keyOf));
      }
      let g = byKey.get(gkey);
      if (g === undefined) byKey.set(gkey, (g = { lexemes: this.gkeyLexemes[gkey]!, first: [], end: [], depth: [] }));
      g.first.push(walk.exitFirst[e]!);
      g.end.push(walk.exitEnd[e]!);
      g.depth.push(walk.exitDepth[e]!);
    }
    const groups: ExitGroup[] = [];
    let bytes = 64;
    for (const [gkey, g] of byKey) {
      const found = this.internRangeArrays(Int32Array.from(g.first), Int32Array.from(g.end), Int32Array.from(g.depth));
      if (found.created) bytes += 64 + g.first.length * 12;
      groups.push({ acceptState: -1, lexemes: g.lexemes, fallback: false, ranges: found.ranges, lastStart: -1, lastSub: undefined, gkey, memo: -2 });
      bytes += 32;
    }
    const maskWords = core.vocabWords;
    const tokens = walk.tokens;
    if (dense || tokens.length > maskWords * SPARSE_FACTOR) {
      const bits = new Uint32Array(maskWords);
      for (const t of tokens) bits[t >>> 5]! |= 1 << (t & 31);
      return { dense: bits, sparse: null, groups, bytes: bits.byteLength + bytes, id: -1 };
    }
    return { dense: null, sparse: Int32Array.from(tokens), groups, bytes: tokens.length * 4 + bytes, id: -1 };
  }

  /**
   * A group's extras for the store (lexers with extras): the aux its accepting state left × 2 +
   * whether it ended with a word byte (core.scanRead and startNext read each only where it counts).
   */
  private groupExtras(grp: ExitGroup): number {
    const lx = this.core.lexer;
    if (grp.acceptState < 0) return this.gkeyAux[grp.gkey]! * 2 + (this.gkeyWordEnd[grp.gkey] === true ? 1 : 0);
    return lx.aux(grp.acceptState) * 2 + (lx.endsWord(grp.acceptState) ? 1 : 0);
  }

  /** The exit-group key of a group scanning `lexemes` with this aux and word end (groupKey's for such a state). */
  private groupKeyOfExtras(lexemes: Int32Array, aux: number, wordEnd: boolean): number {
    const id = this.gkeyId(this.scanName(lexemes, aux, wordEnd));
    this.gkeyLexemes[id] ??= lexemes;
    this.gkeyAux[id] = aux;
    this.gkeyWordEnd[id] = wordEnd;
    return id;
  }

  /** The exit-group key of a group scanning `lexemes` (groupKey's for a plain lexer). */
  private groupKeyOfLexemes(lexemes: Int32Array): number {
    if (lexemes.length === 1) {
      // The common case (one lexeme ends): an array lookup instead of a string key.
      const known = this.singleGkey[lexemes[0]!];
      if (known !== undefined) return known;
    }
    const id = this.gkeyId(lexemes.join(','));
    this.gkeyLexemes[id] ??= lexemes;
    if (lexemes.length === 1) this.singleGkey[lexemes[0]!] = id;
    return id;
  }

  /** Lexer.literalsOf of state s, cached per state (null: not only literals). */
  private literalWords(s: number, max: number): number[][] | null {
    this.literalKnown = grownToHold(this.literalKnown, s);
    const known = this.literalKnown[s]!;
    if (known === 2) return null;
    if (known === 1) return this.literalOf[s]!;
    const words = this.core.lexer.literalsOf(s, max);
    this.literalKnown[s] = words === null ? 2 : 1;
    if (words !== null) this.literalOf[s] = words;
    return words;
  }

  private countStep(): void {
    if (++this.steps > this.core.limits.maxLexerStepsPerMask) {
      throw new EngineError('LIMIT', `a mask computation needed more than limits.maxLexerStepsPerMask (${this.core.limits.maxLexerStepsPerMask}) new lexer transitions`);
    }
  }

  /** Keeps the piece recorded in tokens[t0..t1) and exits[e0..], while the plan budget allows. */
  private savePiece(key: number, tokens: Int32Array, t0: number, t1: number, exits: number[], e0: number): void {
    const bytes = 64 + (t1 - t0) * 4 + (exits.length - e0) * 4;
    if (this.planBytes + bytes > this.core.limits.planCacheBytes) return;
    this.planBytes += bytes;
    this.pieces.set(key, { tokens: tokens.slice(t0, t1), exits: Int32Array.from(exits.slice(e0)) });
  }

  /**
   * The exit-group key of lexer state `st` (an exit leaving it): exits scan the same row when they
   * accept the same lexemes and (with layout) have the same aux (the newline's column, a line break
   * in the gap); a fallback exit is its own state's.
   */
  private groupKey(st: number): number {
    this.groupKeyOf = grownToHold(this.groupKeyOf, st);
    const known = this.groupKeyOf[st]!;
    if (known !== 0) return known;
    const core = this.core;
    const lx = core.lexer;
    const name = core.fallback && (core.stateFlags(st) & F_ACC) === 0
      ? `F${st}${core.wordBoundary && lx.endsWord(st) ? 'w' : ''}`
      : this.scanName(lx.accepting(st), lx.aux(st), lx.endsWord(st));
    const id = this.gkeyId(name);
    this.groupKeyOf[st] = id;
    return id;
  }

  /**
   * The key name of a scan of `lexemes` (sorted ids) ending in a state with aux `aux` and word end
   * `wordEnd`: all a group's scan depends on (core.scanAccepted, core.startAfter).
   */
  private scanName(lexemes: Int32Array, aux: number, wordEnd: boolean): string {
    const core = this.core;
    const name = core.layoutOn ? `${lexemes.join(',')}@${aux}` : lexemes.join(',');
    // Word boundary: a lexeme ending with a word byte guards the next start state (core.startAfter).
    return core.wordBoundary && wordEnd ? `${name}w` : name;
  }

  /** The exit-group key named `name`, interned: groups with the same scan share a key. */
  private gkeyId(name: string): number {
    let id = this.groupKeyIds.get(name);
    if (id === undefined) {
      id = this.groupKeyIds.size + 1;
      this.groupKeyIds.set(name, id);
    }
    return id;
  }

  /**
   * The interned ExitRanges holding the exits ks (indices into `exits`, 4 numbers each: state,
   * first, end, parent depth); `created` when they are new (their memory is then charged to the
   * plan being built). Past limits.planCacheBytes nothing is interned (sub-plans are not kept then).
   */
  private internRanges(exits: number[], ks: number[]): { ranges: ExitRanges; created: boolean } {
    const n = ks.length;
    const first = new Int32Array(n);
    const end = new Int32Array(n);
    const parentDepth = new Int32Array(n);
    for (let j = 0; j < n; j++) {
      const k = ks[j]!;
      first[j] = exits[k + 1]!;
      end[j] = exits[k + 2]!;
      parentDepth[j] = exits[k + 3]!;
    }
    return this.internRangeArrays(first, end, parentDepth);
  }

  /** internRanges for ranges given as arrays (kept, not copied, when new). */
  private internRangeArrays(first: Int32Array, end: Int32Array, parentDepth: Int32Array, hash?: number): { ranges: ExitRanges; created: boolean } {
    const h = hash ?? rangesHash(first, end, parentDepth);
    const share = this.planBytes < this.core.limits.planCacheBytes;
    const bucket = share ? this.rangesByHash.get(h) : undefined;
    if (bucket !== undefined) {
      for (let b = 0; b < bucket.length; b++) if (sameRanges(bucket[b]!, first, end, parentDepth)) return { ranges: bucket[b]!, created: false };
    }
    const ranges: ExitRanges = {
      first,
      end,
      parentDepth,
      subs: new Map(),
      shared: share,
      roots: null,
      sharedId: -2,
      tops: null,
    };
    if (share) {
      if (bucket !== undefined) bucket.push(ranges);
      else this.rangesByHash.set(h, [ranges]);
    }
    return { ranges, created: true };
  }

  /**
   * The parser-independent walk over the trie ranges [firsts[k], ends[k]) (parent node at trie depth
   * parentDepths[k], in lexer state `startState`, fresh or not), recording exit groups instead of
   * scanning. Each node is one step of Cursor.stepByte (cursor.ts) with the parser left out: where
   * that step would scan (the byte kills an accepting state, or the lexeme ends), the walk records an
   * exit and the scan happens once per exit group (applyGroups). With a slice use (only for walks
   * from the root, see slice-use.ts), a string slice is taken whole and the subtrees it decides are
   * skipped.
   */
  private build(firsts: Int32Array, ends: Int32Array, parentDepths: Int32Array, startState: number, fresh: boolean, dense: boolean, slice: SliceUse | null): Plan {
    const core = this.core;
    const lx = core.lexer;
    const trie = core.trie;
    if (slice === null && this.plain) {
      const words = this.literalWords(startState, trie.maxDepth + 1);
      if (words !== null) return this.literalPlan(firsts, ends, parentDepths, startState, fresh, words, dense);
    }
    const byte = trie.byte;
    const depth = trie.depth;
    const tokenId = trie.tokenId;
    const size = trie.subtreeSize;
    const nextSame = trie.nextSameBytes;
    const stateAtDepth = this.stateAtDepth;
    // The slice family's maxima, read once (a family is StringSlices or a SliceSet of an exclusion).
    const subtreeMax = slice !== null ? slice.set.subtreeMax : null;
    const subtreeMaxCtrl = slice !== null ? slice.set.subtreeMaxCtrl : null;
    const skip = slice !== null ? slice.skip : 0;
    const ctrlSkip = slice !== null ? slice.ctrl : -1;
    const fallback = core.fallback;
    if (this.scratch.length < core.tokenizer.vocabSize) this.scratch = new Int32Array(core.tokenizer.vocabSize);
    const tokens = this.scratch;
    let nTokens = 0;
    // Exits in discovery order: accepting state (or -1 - the group key of the lexemes a literal walk
    // completes), first, end, parent depth.
    const exits: number[] = [];
    // Below a node whose lexer state only spells literals, a literal walk (plain lexers, no slice).
    const literals = slice === null && this.plain;
    const maxLiteral = trie.maxDepth + 1;
    let trans = lx.transitions;
    const nClasses = lx.classCount;
    const classOf = lx.byteClass;
    let flags = core.flags;
    core.stateFlags(startState);
    flags = core.flags;
    // Pieces (see Piece) are used and made only by walks without a slice (a slice skips subtrees
    // by a bound that depends on the state the walk started from).
    const pieces = slice === null && this.planBytes < core.limits.planCacheBytes ? this.pieces : null;
    const nodeCount = trie.nodeCount;
    // The pieces being recorded, outermost first (nested: one per depth at most): key, the node
    // where the subtree ends, where its tokens and exits start.
    const openKey = this.openKey;
    const openEnd = this.openEnd;
    const openTok = this.openTok;
    const openExit = this.openExit;
    let visited = 0;
    for (let r = 0; r < firsts.length; r++) {
      const rangeDepth = parentDepths[r]!;
      stateAtDepth[rangeDepth] = startState;
      let i = firsts[r]!;
      const end = ends[r]!;
      let nOpen = 0;
      while (i < end) {
        visited++;
        while (nOpen > 0 && i >= openEnd[nOpen - 1]!) {
          nOpen--;
          this.savePiece(openKey[nOpen]!, tokens, openTok[nOpen]!, nTokens, exits, openExit[nOpen]!);
        }
        if (subtreeMax !== null && (subtreeMax[i]! <= skip || subtreeMaxCtrl![i]! <= ctrlSkip)) {
          i += size[i]!;
          continue;
        }
        const d = depth[i]!;
        const parent = d - 1;
        const b = byte[i]!;
        const from = stateAtDepth[parent]!;
        let t = trans[from * nClasses + classOf[b]!]!;
        if (t < 0) {
          this.countStep();
          t = lx.computeNext(from, b);
          trans = lx.transitions;
        }
        if (t === Lexer.DEAD) {
          // The lexeme can end before this byte only if it has bytes and accepts (or, with lexeme
          // fallback, had a complete prefix: the exit then scans that and replays the rest).
          if (!(parent === rangeDepth && fresh) && ((flags[from]! & F_ACC) !== 0 || (fallback && lx.fallbackAccept(from) >= 0))) exits.push(from, i, i + size[i]!, parent);
          i += size[i]!;
          continue;
        }
        let f = t < flags.length ? flags[t]! : 0;
        if (f === 0) {
          f = core.stateFlags(t);
          flags = core.flags;
          trans = lx.transitions;
        }
        for (let tok = tokenId[i]!; tok >= 0; tok = nextSame[tok]!) tokens[nTokens++] = tok;
        if ((f & F_ENDS) !== 0) {
          if (size[i]! > 1) exits.push(t, i + 1, i + size[i]!, d);
          i += size[i]!;
          continue;
        }
        stateAtDepth[d] = t;
        if (literals && size[i]! > 1) {
          // Inside property names and enum values (after `"` at a key position, say): the rest of
          // the subtree is decided by comparing bytes, with no lexer state per node.
          const words = this.literalWords(t, maxLiteral);
          if (words !== null) {
            const walk = this.literalWalk;
            walk.reset();
            walk.walk(trie, i + 1, i + size[i]!, d, false, words, lx.alive(t), core.lazy);
            visited += walk.visited;
            for (const tok of walk.tokens) tokens[nTokens++] = tok;
            let keyOf: number[] | null = null;
            let key = 0;
            for (let e = 0; e < walk.exitFirst.length; e++) {
              // Exits of one node share their lexeme list: key it once.
              if (walk.exitLexemes[e] !== keyOf) {
                keyOf = walk.exitLexemes[e]!;
                key = this.groupKeyOfLexemes(Int32Array.from(keyOf));
              }
              exits.push(-1 - key, walk.exitFirst[e]!, walk.exitEnd[e]!, walk.exitDepth[e]!);
            }
            i += size[i]!;
            continue;
          }
        }
        if (pieces !== null && size[i]! >= PIECE_MIN_NODES && (parent === rangeDepth || (deepPieces && parent - rangeDepth <= DEEP_PIECE_LEVELS))) {
          const key = t * nodeCount + i;
          const piece = pieces.get(key);
          if (piece !== undefined) {
            if (parent !== rangeDepth) this.deepPieceHits++;
            const pt = piece.tokens;
            for (let k = 0; k < pt.length; k++) tokens[nTokens++] = pt[k]!;
            const pe = piece.exits;
            for (let k = 0; k < pe.length; k++) exits.push(pe[k]!);
            i += size[i]!;
            continue;
          }
          // Below the range's top, a piece is recorded the second time its (state, node) is met.
          if (parent === rangeDepth || this.metDeep.has(key)) {
            openKey[nOpen] = key;
            openEnd[nOpen] = i + size[i]!;
            openTok[nOpen] = nTokens;
            openExit[nOpen] = exits.length;
            nOpen++;
          } else if (this.planBytes < this.core.limits.planCacheBytes) {
            this.metDeep.add(key);
            this.planBytes += 16;
          }
        }
        i++;
      }
      while (nOpen > 0) {
        nOpen--;
        this.savePiece(openKey[nOpen]!, tokens, openTok[nOpen]!, nTokens, exits, openExit[nOpen]!);
      }
    }
    this.walkedNodes += visited;
    return this.planOf(tokens, nTokens, exits, dense, slice);
  }

  /**
   * The walk of a split plan (splitPlan) from lexer state `startState`: only the subtrees that reach
   * deeper than `depthL` bytes (trie/subtree-depth.ts), recording only the tokens and exits deeper
   * than that; no pieces, literal walks or slices (plain lexers, no fallback). Its own loop, not a
   * mode of build: a second kind of call would change what V8 learns about build's hot loop (a walk
   * after a split ran 10× slower while build was optimized again).
   */
  private buildDeep(firsts: Int32Array, ends: Int32Array, parentDepths: Int32Array, startState: number, fresh: boolean, depthL: number): Plan {
    const core = this.core;
    const lx = core.lexer;
    const trie = core.trie;
    const { byte, depth, tokenId, subtreeSize: size, nextSameBytes: nextSame } = trie;
    const below = subtreeDepth(trie);
    const stateAtDepth = this.stateAtDepth;
    if (this.scratch.length < core.tokenizer.vocabSize) this.scratch = new Int32Array(core.tokenizer.vocabSize);
    const tokens = this.scratch;
    let nTokens = 0;
    const exits: number[] = [];
    core.stateFlags(startState);
    let visited = 0;
    for (let r = 0; r < firsts.length; r++) {
      const rangeDepth = parentDepths[r]!;
      stateAtDepth[rangeDepth] = startState;
      for (let i = firsts[r]!, end = ends[r]!; i < end; ) {
        if (below[i]! <= depthL) {
          i += size[i]!;
          continue;
        }
        visited++;
        const d = depth[i]!;
        const from = stateAtDepth[d - 1]!;
        const t = lx.next(from, byte[i]!);
        if (t === Lexer.DEAD) {
          if (d - 1 > depthL && !(d - 1 === rangeDepth && fresh) && (core.stateFlags(from) & F_ACC) !== 0) exits.push(from, i, i + size[i]!, d - 1);
          i += size[i]!;
          continue;
        }
        if (d > depthL) for (let tok = tokenId[i]!; tok >= 0; tok = nextSame[tok]!) tokens[nTokens++] = tok;
        if ((core.stateFlags(t) & F_ENDS) !== 0) {
          if (size[i]! > 1 && d > depthL) exits.push(t, i + 1, i + size[i]!, d);
          i += size[i]!;
          continue;
        }
        stateAtDepth[d] = t;
        i++;
      }
    }
    this.walkedNodes += visited;
    return this.planOf(tokens, nTokens, exits, false, null);
  }

  /** A walk's plan from what it found: its tokens (a bitmap or a list) and its exits, grouped. */
  private planOf(tokens: Int32Array, nTokens: number, exits: number[], dense: boolean, slice: SliceUse | null): Plan {
    const core = this.core;
    const lx = core.lexer;
    const fallback = core.fallback;
    // Group exits by the set of lexemes they scan (states with the same accepting set push the same
    // parser row), keeping ranges in trie order within a group.
    const byAccepting = new Map<number, number[]>();
    for (let k = 0; k < exits.length; k += 4) {
      const st = exits[k]!;
      const key = st >= 0 ? this.groupKey(st) : -1 - st;
      const list = byAccepting.get(key);
      if (list) list.push(k);
      else byAccepting.set(key, [k]);
    }
    const groups: ExitGroup[] = [];
    let exitBytes = 64;
    for (const [gkey, ks] of byAccepting) {
      // A group found by a literal walk first scans its lexemes directly (plain lexers only).
      const acceptState = Math.max(-1, exits[ks[0]!]!);
      const found = this.internRanges(exits, ks);
      if (found.created) exitBytes += 64 + ks.length * 12;
      groups.push({
        acceptState,
        lexemes: acceptState >= 0 ? lx.accepting(acceptState) : this.gkeyLexemes[gkey]!,
        fallback: acceptState >= 0 && fallback && (core.stateFlags(acceptState) & F_ACC) === 0,
        ranges: found.ranges,
        lastStart: -1,
        lastSub: undefined,
        gkey,
        memo: -2,
      });
      exitBytes += 32;
    }
    const words = core.vocabWords;
    if (dense || nTokens > words * SPARSE_FACTOR) {
      const bits = slice !== null ? slice.set.tokens(slice.take).slice(0, words) : new Uint32Array(words);
      for (let k = 0; k < nTokens; k++) bits[tokens[k]! >>> 5]! |= 1 << (tokens[k]! & 31);
      return { dense: bits, sparse: null, groups, bytes: bits.byteLength + exitBytes, id: -1 };
    }
    return { dense: null, sparse: tokens.slice(0, nTokens), groups, bytes: nTokens * 4 + exitBytes, id: -1 };
  }
}

function hasBitAt(words: Uint32Array, at: number, t: number): boolean {
  return ((words[at + (t >>> 5)]! >>> (t & 31)) & 1) === 1;
}

/** A hash of a mask's first `words` words (the full-mask arena's and the top memo's). */
function hashWords(bits: Uint32Array, words: number): number {
  // Four independent chains, so the multiplies overlap (a Llama-3 mask is 4,008 words, hashed on
  // every full-mask miss of a grammar holding DEDUP_AFTER dense masks).
  let h0 = 0;
  let h1 = 0;
  let h2 = 0;
  let h3 = 0;
  let w = 0;
  for (; w + 3 < words; w += 4) {
    h0 = (Math.imul(h0, 31) + bits[w]!) | 0;
    h1 = (Math.imul(h1, 37) + bits[w + 1]!) | 0;
    h2 = (Math.imul(h2, 41) + bits[w + 2]!) | 0;
    h3 = (Math.imul(h3, 43) + bits[w + 3]!) | 0;
  }
  for (; w < words; w++) h0 = (Math.imul(h0, 31) + bits[w]!) | 0;
  return (Math.imul(h0 ^ Math.imul(h1, 0x9e3779b1), 0x85ebca77) ^ Math.imul(h2 ^ Math.imul(h3, 0xc2b2ae3d), 0x27d4eb2f)) | 0;
}

/**
 * A memo node's next read (GroupMemo.nextOf): the row's label and the part of it read
 * (EarleyParser.READ_WHOLE or READ_RULES), as label × 2 + part. The top row, read first and whole,
 * is 0.
 */
function readNext(label: number, part: number): number {
  return label * 2 + part;
}
function readLabel(next: number): number {
  return next >>> 1;
}
function readPart(next: number): number {
  return next & 1;
}

/** The top nodes of ranges r (the siblings each range starts with) whose byte is b; kept per byte on r. */
function topsWithByte(trie: { byte: Uint8Array; subtreeSize: Uint32Array }, r: ExitRanges, b: number): number[] {
  r.tops ??= new Map();
  let list = r.tops.get(b);
  if (list === undefined) {
    list = [];
    for (let k = 0; k < r.first.length; k++) for (let c = r.first[k]!; c < r.end[k]!; c += trie.subtreeSize[c]!) if (trie.byte[c] === b) list.push(c);
    r.tops.set(b, list);
  }
  return list;
}

/** Whether a and b hold the same numbers in the same order. */
function sameInts(a: Int32Array, b: Int32Array): boolean {
  if (a.length !== b.length) return false;
  for (let i = 0; i < a.length; i++) if (a[i] !== b[i]) return false;
  return true;
}

/** The index of x in the ascending array a, or -1. */
function sortedIndexOf(a: Int32Array, x: number): number {
  let lo = 0;
  let hi = a.length - 1;
  while (lo <= hi) {
    const mid = (lo + hi) >>> 1;
    const m = a[mid]!;
    if (m === x) return mid;
    if (m < x) lo = mid + 1;
    else hi = mid - 1;
  }
  return -1;
}
