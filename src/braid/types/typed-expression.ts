/**
 * The types domain's entry point (docs/braid-types.md): for a typed expression position, the
 * grammar of the expressions that produce a value of the expected type from the bindings in
 * scope, or why none is given.
 */
import { Assignability } from './assignable.ts';
import { builtinGlobals, type GlobalFn } from './builtins.ts';
import { parseType, sigOf, type TypedExpressionRequest } from './declarations.ts';
import { Inhabitation, type ScopeBinding } from './inhabit.ts';
import { printTypedGrammar } from './lark.ts';
import { BudgetExceeded, RuleSet } from './rules.ts';
import { TypeTable } from './table.ts';
import { showType, type Ty } from './type.ts';

export type TypedExpressionResult =
  | { supported: true; lark: string; startRule: string; notes: string[] }
  | { supported: false; reason: string };

/** Sub-expression nesting by default: `f(g(h(x)))`, `[[a, b]]`, `(a + (b * c))`. */
export const DEFAULT_MAX_DEPTH = 3;
/** The deepest nesting a request may ask for (the grammar grows with it). */
export const MAX_DEPTH_LIMIT = 6;
/** Rules by default; a few hundred is typical, the default leaves room for files with many types. */
export const DEFAULT_MAX_RULES = 2000;

const IDENT = /^[\p{L}_$][\p{L}\p{N}_$]*$/u;
const PY_KEYWORDS = new Set(['False', 'None', 'True', 'and', 'as', 'assert', 'async', 'await', 'break', 'class', 'continue', 'def', 'del', 'elif', 'else', 'except', 'finally', 'for', 'from', 'global', 'if', 'import', 'in', 'is', 'lambda', 'nonlocal', 'not', 'or', 'pass', 'raise', 'return', 'try', 'while', 'with', 'yield']);

function refusal(t: Ty, lang: 'typescript' | 'python'): string | undefined {
  if (t.kind !== 'prim') return undefined;
  if (['any', 'unknown', 'Any'].includes(t.name) || (lang === 'python' && t.name === 'object')) {
    return `every expression is assignable to ${t.name}: the types domain does not restrict this position`;
  }
  if (t.name === 'void' || t.name === 'never') return `${t.name}: no value is expected here`;
  return undefined;
}

export function typedExpressionGrammar(req: TypedExpressionRequest): TypedExpressionResult {
  const lang = req.language;
  if (lang !== 'typescript' && lang !== 'python') return { supported: false, reason: `the types domain covers typescript and python, not ${String(lang)}` };
  const notes: string[] = [];
  const table = new TypeTable(lang, req.types ?? [], notes);
  const assign = new Assignability(lang, table);
  const expected = table.expand(parseType(req.expected, lang));
  const shown = showType(expected, lang);
  const refused = refusal(expected, lang);
  if (refused) return { supported: false, reason: refused };

  // Bindings: innermost first; the first of a name wins; only typed, non-any ones are used.
  const bindings: ScopeBinding[] = [];
  const seen = new Set<string>();
  const untyped: string[] = [];
  const innerNames = new Set<string>();
  for (const b of req.bindings) {
    const parts = b.name.split('.');
    if (!parts.every((p) => IDENT.test(p)) || (lang === 'python' && PY_KEYWORDS.has(parts[0]!))) continue;
    if (seen.has(b.name)) continue;
    seen.add(b.name);
    if (b.kind === 'local' || b.kind === 'parameter') innerNames.add(parts[0]!);
    if (b.type === undefined) { untyped.push(b.name); continue; }
    const type = parseType(b.type, lang);
    if (type.kind === 'prim' && ['any', 'Any', 'unknown'].includes(type.name)) { notes.push(`${b.name}: ${type.name}, not used`); continue; }
    bindings.push({ pieces: parts.flatMap((p, i) => (i === 0 ? [p] : ['.', p])), name: parts.length === 1 ? b.name : undefined, type });
  }
  if (untyped.length) notes.push(`without a type, never used: ${untyped.slice(0, 12).join(', ')}${untyped.length > 12 ? ` and ${untyped.length - 12} more` : ''}`);

  // Functions of the file, unless a local or parameter shadows them; then the standard globals.
  const functions: GlobalFn[] = [];
  const fnNames = new Set<string>();
  for (const f of req.functions ?? []) {
    if (!IDENT.test(f.name) || innerNames.has(f.name) || fnNames.has(f.name)) continue;
    fnNames.add(f.name);
    if ((f.typeParams ?? []).length > 0) { notes.push(`${f.name}: generic, not called`); continue; }
    if (f.returnType === undefined) { notes.push(`${f.name}: no return type, not called`); continue; }
    functions.push({ path: [f.name], sig: sigOf(f, lang) });
  }
  const taken = new Set([...seen].map((n) => n.split('.')[0]!).concat([...fnNames], table.names()));
  for (const g of builtinGlobals(lang)) if (!taken.has(g.path[0]!)) functions.push(g);

  const maxDepth = Math.max(0, Math.min(MAX_DEPTH_LIMIT, Math.floor(req.limits?.maxDepth ?? DEFAULT_MAX_DEPTH)));
  const maxRules = Math.max(16, Math.floor(req.limits?.maxRules ?? DEFAULT_MAX_RULES));
  for (let d = maxDepth; d >= 0; d--) {
    const rs = new RuleSet(maxRules);
    const searchNotes: string[] = [];
    try {
      const inh = new Inhabitation({ lang, table, assign, bindings, functions, async: req.async === true, notes: searchNotes }, rs);
      const start = inh.expr(expected, d);
      if (!rs.prune(start)) {
        const why = expected.kind === 'opaque' ? ` (the type is not modelled: only bindings of exactly this type could be used, and none is in scope)` : '';
        return { supported: false, reason: `no expression of type ${shown} can be built from the ${bindings.length} typed bindings in scope${why}` };
      }
      notes.push(...searchNotes);
      if (d < maxDepth) notes.push(`depth lowered from ${maxDepth} to ${d} to stay within ${maxRules} rules`);
      const lark = printTypedGrammar(rs, start, lang, `${lang} expressions of type ${shown}, depth ${d}, ${rs.rules.size} rules (Ananke types domain)`);
      return { supported: true, lark, startRule: 'start', notes };
    } catch (e) {
      if (!(e instanceof BudgetExceeded)) throw e;
    }
  }
  return { supported: false, reason: `the grammar for ${shown} needs more than ${maxRules} rules even at depth 0` };
}
