/**
 * Braid's incremental path gives what a compile from scratch gives. A Braid (its IR cache, emitted
 * grammars, conflict decisions replayed per group, grammar templates) compiles a sequence of
 * requests, each one edit away from the one before (a priority or severity changed, a rule
 * replaced, a constraint added, removed or moved); each result is compared with
 * compileConstraints without any memo and with the full emission (no template): the same IR text,
 * the same grammar, or the same error. Constraint sets are drawn at random, with conflicts of every
 * kind (naming styles, names required and forbidden, imports allowed and forbidden, lengths,
 * regexes, types, grammars) and now and then a hard tie.
 */
import { test, before } from 'node:test';
import assert from 'node:assert/strict';
import { Braid, compileConstraints, type TargetContext } from '../../src/braid/index.ts';
import { emitAndPrint } from '../../src/braid/emit-template.ts';
import { describeRule, type Constraint, type IdentifierKind, type Language, type NamingStyle, type Rule, type Severity } from '../../src/core/index.ts';
import { seededRandom, type Grammar } from '../../src/engine/index.ts';

const KINDS: IdentifierKind[] = ['function', 'method', 'variable', 'constant', 'type', 'parameter', 'field', 'file'];
const STYLES: NamingStyle[] = ['camelCase', 'PascalCase', 'snake_case', 'SCREAMING_SNAKE_CASE', 'lowercase'];
const LANGUAGES: Language[] = ['typescript', 'python', 'go', 'rust', 'javascript'];
const SEVERITIES: Severity[] = ['error', 'warning', 'info', 'hint'];
const NAMES = ['eval', 'exec', 'system', 'tmp1', 'tmp2', 'handler', 'input', 'f'];
const MODULES = ['fs', 'lodash', 'pkg1', 'pkg2', 'node:path'];
const PATTERNS = ['(?s:.)*', '[^\\x00]*', '(?s:[a-z].*)', '(?s:.){0,400}', '#!.*', '[0-9]+', '(?s:.*;)'];

type Random = () => number;

function randomRule(r: Random): Rule {
  const pick = <T>(xs: readonly T[]): T => xs[Math.floor(r() * xs.length)]!;
  const x = r();
  if (x < 0.3) return { type: 'naming', identifierKind: pick(KINDS), style: pick(STYLES), ...(r() < 0.7 ? { language: pick(LANGUAGES) } : {}), ...(r() < 0.1 ? { visibility: pick(['exported', 'unexported'] as const) } : {}) };
  if (x < 0.4) return { type: 'forbidden_calls', calls: [pick(NAMES), ...(r() < 0.3 ? ['os.system'] : [])] };
  if (x < 0.48) return { type: 'forbidden_identifiers', names: [pick(NAMES), ...(r() < 0.3 ? [pick(NAMES)] : [])].filter((n, i, a) => a.indexOf(n) === i) };
  if (x < 0.54) return { type: 'signature', name: pick(['f', 'handler', 'eval', 'g']), params: [{ name: pick(['input', 'x', 'tmp1']) }] };
  if (x < 0.62) return { type: 'allowed_imports', modules: [pick(MODULES), ...(r() < 0.4 ? [pick(MODULES)] : [])].filter((m, i, a) => a.indexOf(m) === i) };
  if (x < 0.67) return { type: 'forbidden_imports', modules: [pick(MODULES)] };
  if (x < 0.74) return { type: 'regex', pattern: pick(PATTERNS) };
  if (x < 0.81) return { type: 'length', ...(r() < 0.7 ? { minChars: Math.floor(r() * 600) } : {}), ...(r() < 0.7 ? { maxChars: 100 + Math.floor(r() * 2000) } : {}), ...(r() < 0.2 ? { maxLines: 1 + Math.floor(r() * 50) } : {}) };
  if (x < 0.85) return { type: 'expected_type', expected: pick(['number', 'string', 'Promise<void>']), bindings: [] };
  if (x < 0.88) return { type: 'grammar', format: 'lark', grammar: pick(['start: "a"', 'start: "b"+']) };
  if (x < 0.91) return { type: 'type_discipline', practice: 'no_any', language: pick(LANGUAGES) };
  if (x < 0.94) return { type: 'forbidden_pattern', finding: 'eval', patterns: [{ languages: ['typescript', 'javascript', 'python'], pattern: { match: 'call', callee: '((window|globalThis)\\.)?eval' } }] };
  return { type: 'error_handling', style: pick(['exceptions', 'result_type'] as const), language: pick(LANGUAGES) };
}

function randomConstraint(r: Random, id: string, ties: boolean): Constraint {
  const rule = randomRule(r);
  return {
    // Continuous confidence: two hard constraints tie (a CONFLICT error) only when `ties` makes
    // many of them errors of one priority and one confidence.
    id, kind: 'syntactic', severity: ties && r() < 0.3 ? 'error' : SEVERITIES[Math.floor(r() * SEVERITIES.length)]!,
    priority: ties ? 0 : Math.floor(r() * 4),
    confidence: ties ? 0.9 : 0.5 + r() * 0.5,
    source: r() < 0.8 ? 'ast_pattern' : 'user_defined',
    ...(r() < 0.5 ? { evidence: { matching: 20 + Math.floor(r() * 100), total: 120 } } : {}),
    rule, description: describeRule(rule),
  };
}

/** One edit of a constraint list, as a caller recompiling after a change would make it. */
function edit(r: Random, cs: Constraint[], next: () => string, ties: boolean): Constraint[] {
  const out = cs.slice();
  const i = Math.floor(r() * out.length);
  const c = out[i]!;
  const x = r();
  if (x < 0.35) out[i] = { ...c, priority: ties ? 1 - c.priority : c.priority + 1 + Math.floor(r() * 3) };
  else if (x < 0.5) out[i] = { ...c, severity: SEVERITIES[Math.floor(r() * SEVERITIES.length)]! };
  else if (x < 0.65) { const rule = randomRule(r); out[i] = { ...c, rule, description: describeRule(rule) }; }
  else if (x < 0.8) out.splice(i, 0, randomConstraint(r, next(), ties));
  else if (x < 0.9 && out.length > 1) out.splice(i, 1);
  else { const [moved] = out.splice(i, 1); out.splice(Math.floor(r() * (out.length + 1)), 0, moved!); }
  return out;
}

const TARGETS: TargetContext[] = [
  { target: { kind: 'function', file: 'a.ts', name: 'f' }, language: 'typescript', fn: { name: 'f', async: false, kind: 'function' }, head: 'function f(input: string): void ' },
  { target: { kind: 'body', file: 'a.ts', name: 'g' }, language: 'typescript', fn: { name: 'g', async: true, kind: 'method' } },
  { target: { kind: 'module', language: 'typescript' }, language: 'typescript' },
  { target: { kind: 'module', language: 'javascript' }, language: 'javascript' },
  { target: { kind: 'function', file: 'a.py', name: 'handler' }, language: 'python', fn: { name: 'handler', async: false, kind: 'function' }, head: 'def handler(x):' },
  { target: { kind: 'module', language: 'go' }, language: 'go' },
  { target: { kind: 'body', file: 'a.rs', name: 'f' }, language: 'rust', fn: { name: 'f', async: false, kind: 'function' } },
];

type Outcome = { ir: string; grammar: Grammar } | { error: string };

function outcome(f: () => { ir: unknown; grammar: Grammar }): Outcome {
  try {
    const r = f();
    return { ir: JSON.stringify(r.ir), grammar: r.grammar };
  } catch (e) {
    const err = e as Error & { code?: string };
    return { error: `${err.code ?? err.name}: ${err.message}` };
  }
}

function fromScratch(cs: Constraint[], ctx: TargetContext): Outcome {
  return outcome(() => compileConstraints(cs, ctx, { emitMemo: (req) => emitAndPrint(req) }));
}

let braid: Braid;
before(async () => { braid = await Braid.create(256); });
/** What the sequences covered: errors (hard ties) and conflicts resolved. */
const seen = { errors: 0, conflicts: 0, compiles: 0 };

for (const [t, ctx] of TARGETS.entries()) {
  test(`incremental compiles give the IR of a compile from scratch: ${ctx.target.kind} ${ctx.language}`, () => {
    const r = seededRandom(7000 + t);
    let n = 0;
    const next = (): string => `c${n++}`;
    for (let set = 0; set < 3; set++) {
      const ties = set === 2;
      let cs = Array.from({ length: 20 + Math.floor(r() * 60) }, () => randomConstraint(r, next(), ties));
      for (let step = 0; step < 12; step++) {
        const want = fromScratch(cs, ctx);
        const got = outcome(() => braid.compile(cs, ctx));
        seen.compiles++;
        if ('error' in want) {
          seen.errors++;
          assert.deepEqual(got, want, `set ${set} step ${step}`);
        } else {
          seen.conflicts += (JSON.parse(want.ir) as { conflicts: unknown[] }).conflicts.length;
          assert.ok('ir' in got, `set ${set} step ${step}: ${'error' in got ? got.error : ''}`);
          assert.equal(got.ir, want.ir, `set ${set} step ${step}: IR`);
          assert.deepStrictEqual(got.grammar, want.grammar, `set ${set} step ${step}: grammar`);
        }
        cs = edit(r, cs, next, ties);
      }
    }
  });
}

test('the sequences were not vacuous: errors, conflicts, replayed decisions and grammars', () => {
  assert.ok(seen.errors > 5 && seen.errors < seen.compiles / 2, `${seen.errors} errors in ${seen.compiles} compiles`);
  assert.ok(seen.conflicts > 100, `${seen.conflicts} conflicts`);
  const s = braid.stats();
  assert.ok(s.takenOver > 100, `compiles that took over the last one: ${s.takenOver}`);
  assert.ok(s.decisions.hits > 100, `decision hits ${s.decisions.hits}`);
  assert.ok(s.grammars.hits > 10, `grammar hits ${s.grammars.hits}`);
});

test('the same forbidden names in another order give their own grammar (alternation and provenance follow the order)', async () => {
  const b = await Braid.create(8);
  const ctx = TARGETS[2]!;
  const forbid = (id: string, name: string): Constraint => {
    const rule: Rule = { type: 'forbidden_identifiers', names: [name] };
    return { id, kind: 'security', severity: 'error', priority: 0, confidence: 1, source: 'user_defined', rule, description: describeRule(rule) };
  };
  const a = forbid('a', 'eval');
  const c = forbid('c', 'exec');
  b.compile([a, c], ctx);
  const got = outcome(() => b.compile([c, a], ctx));
  assert.deepStrictEqual(got, fromScratch([c, a], ctx));
});
