/**
 * Emission through templates (src/braid/emit-template.ts) gives what the full emission gives: the
 * same grammar, the same Lark text, the same provenance (in the same order), sites and imports
 * flag, over requests drawn at random for every program language and kind of start, and for the
 * requests a template cannot take (a forced head that is a keyword of the grammar, an empty head).
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { namingRegex, type EmitRequest } from '../../src/braid/index.ts';
import { emitAndPrint, emitWithTemplate, structureKey, templateStats } from '../../src/braid/emit-template.ts';
import { PROGRAM_LANGUAGES, seededRandom, type ProgramLanguage } from '../../src/engine/index.ts';
import type { IdentifierKind, NamingStyle } from '../../src/core/index.ts';

const KINDS: IdentifierKind[] = ['function', 'method', 'type', 'variable', 'constant', 'parameter', 'field'];
const STYLES: NamingStyle[] = ['camelCase', 'PascalCase', 'snake_case', 'SCREAMING_SNAKE_CASE', 'lowercase'];
/** Names a program might forbid: plain identifiers, keywords, member names, names with `$`, names no terminal spells. */
const NAMES = ['eval', 'exec', 'Function', 'system', 'tmp1', 'tmp2', 'handler7', '$x', 'a-b', 'if', 'print', 'unsafe', 'os', '_private'];
const MODULES = ['fs', 'node:fs', 'lodash', '@scope/pkg', 'a.b', 'left|right', 'pkg[1]'];
const HEADS = ['function f(a: number): number ', 'def f(x):', 'func f(x int) int ', 'fn f(x: u8) -> u8 ', 'async function g() ', 'export function h(/* "quoted" */ s: string) ', 'fn λ() ', 'x\ny\t"z"\\'];

function randomRequest(r: () => number): EmitRequest {
  const pick = <T>(xs: readonly T[]): T => xs[Math.floor(r() * xs.length)]!;
  const some = <T>(xs: readonly T[], p: number): T[] => xs.filter(() => r() < p);
  const language = pick(PROGRAM_LANGUAGES);
  const naming: EmitRequest['naming'] = new Map();
  for (const k of some(KINDS, 0.4)) { const s = pick(STYLES); naming.set(k, { regex: namingRegex(s), label: s, ids: [`n-${k}`, ...(r() < 0.3 ? [`n2-${k}`] : [])] }); }
  const forbiddenNames: EmitRequest['forbiddenNames'] = new Map();
  for (const n of some(NAMES, 0.2)) forbiddenNames.set(n, [`f-${n}`, ...(r() < 0.2 ? ['f-shared'] : [])]);
  const fn = { async: r() < 0.3, kind: r() < 0.5 ? 'function' as const : 'method' as const };
  const x = r();
  const start: EmitRequest['start'] = x < 0.3 ? { kind: 'module' } : x < 0.55 ? { kind: 'body', fn } : { kind: 'declaration', head: pick(HEADS), fn };
  const req: EmitRequest = { language, naming, forbiddenNames, start };
  if (r() < 0.4) req.allowedModules = { modules: some(MODULES, 0.5), ids: ['allow'] };
  if (r() < 0.3) req.forbiddenModules = { modules: some(MODULES, 0.4), ids: ['forbid', 'forbid2'] };
  if (r() < 0.3) req.absentKinds = some(KINDS, 0.3);
  return req;
}

function assertSame(req: EmitRequest, what: string): void {
  const fast = emitWithTemplate(req);
  const full = emitAndPrint(req);
  assert.equal(fast.lark, full.lark, `${what}: Lark text`);
  assert.deepStrictEqual(fast.grammar, full.grammar, `${what}: grammar`);
  assert.equal(JSON.stringify(fast.provenance), JSON.stringify(full.provenance), `${what}: provenance`);
  assert.equal(JSON.stringify(fast.sites), JSON.stringify(full.sites), `${what}: sites`);
  assert.equal(fast.importsInGrammar, full.importsInGrammar, `${what}: imports`);
}

test('templates give the full emission for 120 random requests, each twice', () => {
  const r = seededRandom(20240611);
  const before = templateStats();
  const structures = new Set<string>();
  for (let i = 0; i < 120; i++) {
    const req = randomRequest(r);
    structures.add(structureKey(req));
    assertSame(req, `request ${i} (${req.language}, ${req.start.kind})`);
    assertSame(req, `request ${i} again`);
  }
  const after = templateStats();
  // The comparison is not vacuous: every request went through a template at least once.
  assert.ok(after.filled - before.filled >= 120, `filled: ${after.filled - before.filled}`);
  assert.ok(after.hits - before.hits >= 120, `template hits: ${after.hits - before.hits}`);
  assert.ok(structures.size > 50, `${structures.size} structures`);
});

test('one template serves requests that differ only in content: names, modules, head, constraint ids', () => {
  const base = (names: string[], modules: string[], head: string, id: string): EmitRequest => ({
    language: 'typescript',
    naming: new Map([['variable', { regex: namingRegex('camelCase'), label: 'camelCase', ids: [id] }]]),
    forbiddenNames: new Map(names.map((n) => [n, [`${id}-${n}`]])),
    allowedModules: { modules, ids: [`${id}-m`] },
    start: { kind: 'declaration', head, fn: { async: false, kind: 'function' } },
  });
  const variants = [
    base(['eval'], ['fs'], 'function a() ', 'x'),
    base(['exec', 'system'], ['lodash', 'node:path'], 'function b(s: string): void ', 'y'),
    base(['tmp1', 'tmp2', 'tmp3'], [], 'function c() ', 'z'),
  ];
  assert.equal(new Set(variants.map(structureKey)).size, 1);
  for (const [i, v] of variants.entries()) assertSame(v, `variant ${i}`);
});

test('requests a template cannot take are emitted in full: a head that is a keyword, an empty head', () => {
  const before = templateStats();
  for (const lang of ['typescript', 'python', 'go', 'rust'] as ProgramLanguage[]) {
    for (const head of ['function', 'def', 'func', 'fn', 'return', '(', '']) {
      assertSame({ language: lang, naming: new Map(), forbiddenNames: new Map([['eval', ['e']]]), start: { kind: 'declaration', head, fn: { async: false, kind: 'function' } } }, `${lang} head ${JSON.stringify(head)}`);
    }
  }
  // The grammar builder would merge a head that is one of the grammar's literals with it: such a
  // head is not filled in; another is.
  const filled = (lang: ProgramLanguage, head: string): number => {
    const n = templateStats().filled;
    emitWithTemplate({ language: lang, naming: new Map(), forbiddenNames: new Map(), start: { kind: 'declaration', head, fn: { async: false, kind: 'function' } } });
    return templateStats().filled - n;
  };
  assert.equal(filled('typescript', 'function'), 0);
  assert.equal(filled('typescript', 'def'), 1);
  assert.equal(filled('python', 'def'), 0);
  assert.equal(filled('python', ''), 0);
  assert.ok(templateStats().full > before.full);
});
