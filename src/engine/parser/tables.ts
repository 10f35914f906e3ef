import { EngineError } from '../errors.ts';
import type { Grammar, TokenSet } from '../grammar/ir.ts';
import type { Limits } from '../limits.ts';

/**
 * The grammar compiled for the Earley parser: every production flattened into "dot positions"
 * (one int per symbol slot plus one for the completed production), so an Earley item is just
 * (dot position, origin row). Symbols are ints:
 *   0 .. nLexemes-1                         lexeme id
 *   nLexemes .. nLexemes+nRules-1           rule id (+ nLexemes)
 *   nLexemes+nRules .. +nTokenSets-1        special-token set (+ nLexemes + nRules)
 * and SYM_END marks a completed production.
 */
export const SYM_END = -1;

export interface ParserTables {
  readonly nLexemes: number;
  /** Rules of the grammar plus one augmented start rule (the last one). */
  readonly nRules: number;
  readonly nTokenSets: number;
  /**
   * Symbol code of the first special-token set (nLexemes + nRules): rule codes end here, so symbol
   * s is a lexeme when s < nLexemes, a rule when nLexemes <= s < firstTokenSetSym, else a token set.
   */
  readonly firstTokenSetSym: number;
  /** Per dot position: the symbol after the dot, or SYM_END. */
  readonly dotSym: Int32Array;
  /** Per dot position: the rule its production belongs to. */
  readonly dotLhs: Int32Array;
  /** Productions of rule r are prodDot0[ruleProdStart[r] .. ruleProdStart[r+1]). */
  readonly ruleProdStart: Int32Array;
  /** First dot position of each production. */
  readonly prodDot0: Int32Array;
  /** 1 when the rule derives the empty string. */
  readonly nullable: Uint8Array;
  /** The augmented start rule S' → start. */
  readonly augmentedRule: number;
  /** Dot position of S' → start • (its presence with origin 0 means "accepting"). */
  readonly acceptDot: number;
  /** Special-token sets in symbol order (resolved against a tokenizer by the matcher). */
  readonly tokenSets: readonly TokenSet[];
  /** Sorted lexeme ids that may appear between any two lexemes. */
  readonly ignore: Int32Array;
  /**
   * `%llguidance {"ignore_once": true}`: one %ignore match covers a whole gap between lexemes, so
   * after an ignored lexeme the next one may not be ignored too.
   */
  readonly ignoreOnce: boolean;
  /** 1 for lexemes used in some rule (a lexeme can be both used and ignored). */
  readonly lexemeUsed: Uint8Array;
  /** Display names, for errors and `check`. */
  readonly ruleNames: readonly string[];
  readonly lexemeNames: readonly string[];
}

/** Compiles the Grammar IR; rejects out-of-range references and oversized grammars. */
export function buildParserTables(grammar: Grammar, limits: Limits): ParserTables {
  const nLexemes = grammar.lexemes.length;
  const nUserRules = grammar.rules.length;
  if (nUserRules === 0) throw new EngineError('GRAMMAR', 'grammar has no rules');
  if (!(grammar.start >= 0 && grammar.start < nUserRules)) {
    throw new EngineError('GRAMMAR', `start rule index ${grammar.start} is out of range (0..${nUserRules - 1})`);
  }
  const nRules = nUserRules + 1;
  const augmentedRule = nUserRules;

  // Token sets get symbol numbers in order of appearance.
  const tokenSets: TokenSet[] = [];
  const tokenSetIndex = new Map<TokenSet, number>();

  let size = nRules;
  let nDots = 2; // augmented production: start, end
  let nProds = 1;
  for (const r of grammar.rules) {
    for (const alt of r.alternatives) {
      nProds++;
      nDots += alt.length + 1;
      size += alt.length + 1;
    }
  }
  if (size > limits.maxGrammarSize) {
    throw new EngineError('LIMIT', `grammar size ${size} exceeds limits.maxGrammarSize (${limits.maxGrammarSize})`);
  }

  const dotSym = new Int32Array(nDots);
  const dotLhs = new Int32Array(nDots);
  const ruleProdStart = new Int32Array(nRules + 1);
  const prodDot0 = new Int32Array(nProds);
  const lexemeUsed = new Uint8Array(nLexemes);

  // Token-set symbols are numbered after all rules, so collect them first.
  for (const r of grammar.rules) {
    for (const alt of r.alternatives) {
      for (const s of alt) {
        if (s.kind === 'token' && !tokenSetIndex.has(s.ids)) {
          tokenSetIndex.set(s.ids, tokenSets.length);
          tokenSets.push(s.ids);
        }
      }
    }
  }

  let dot = 0;
  let prod = 0;
  for (let r = 0; r < nUserRules; r++) {
    const rule = grammar.rules[r]!;
    ruleProdStart[r] = prod;
    for (const alt of rule.alternatives) {
      prodDot0[prod++] = dot;
      for (const s of alt) {
        let code: number;
        if (s.kind === 'lexeme') {
          if (!(s.id >= 0 && s.id < nLexemes)) {
            throw new EngineError('GRAMMAR', `rule ${rule.name} refers to lexeme ${s.id}, out of range`);
          }
          lexemeUsed[s.id] = 1;
          code = s.id;
        } else if (s.kind === 'rule') {
          if (!(s.id >= 0 && s.id < nUserRules)) {
            throw new EngineError('GRAMMAR', `rule ${rule.name} refers to rule ${s.id}, out of range`);
          }
          code = nLexemes + s.id;
        } else {
          code = nLexemes + nRules + tokenSetIndex.get(s.ids)!;
        }
        dotSym[dot] = code;
        dotLhs[dot] = r;
        dot++;
      }
      dotSym[dot] = SYM_END;
      dotLhs[dot] = r;
      dot++;
    }
  }
  ruleProdStart[augmentedRule] = prod;
  prodDot0[prod++] = dot;
  dotSym[dot] = nLexemes + grammar.start;
  dotLhs[dot] = augmentedRule;
  dotSym[dot + 1] = SYM_END;
  dotLhs[dot + 1] = augmentedRule;
  const acceptDot = dot + 1;
  ruleProdStart[nRules] = prod;

  // Nullable rules: fixpoint over productions.
  const nullable = new Uint8Array(nRules);
  for (let changed = true; changed; ) {
    changed = false;
    for (let r = 0; r < nRules; r++) {
      if (nullable[r]) continue;
      for (let p = ruleProdStart[r]!; p < ruleProdStart[r + 1]!; p++) {
        let d = prodDot0[p]!;
        for (;;) {
          const s = dotSym[d]!;
          if (s === SYM_END) break;
          if (s >= nLexemes && s < nLexemes + nRules && nullable[s - nLexemes]) d++;
          else break;
        }
        if (dotSym[d] === SYM_END) {
          nullable[r] = 1;
          changed = true;
          break;
        }
      }
    }
  }

  for (const id of grammar.ignore) {
    if (!(id >= 0 && id < nLexemes)) throw new EngineError('GRAMMAR', `%ignore refers to lexeme ${id}, out of range`);
  }
  const ignore = Int32Array.from(new Set(grammar.ignore)).sort();

  return {
    nLexemes,
    nRules,
    nTokenSets: tokenSets.length,
    firstTokenSetSym: nLexemes + nRules,
    dotSym,
    dotLhs,
    ruleProdStart,
    prodDot0,
    nullable,
    augmentedRule,
    acceptDot,
    tokenSets,
    ignore,
    ignoreOnce: grammar.options?.ignoreOnce === true,
    lexemeUsed,
    ruleNames: [...grammar.rules.map((r) => r.name), "start'"],
    lexemeNames: grammar.lexemes.map((l) => l.name),
  };
}
