import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { EngineError, loadTokenizer, withLimits, type CompiledGrammar, type KeyOrder } from '../../src/engine/index.ts';
import { runMaskbench, reasonKey, rankReasons, maskbenchCategory, type MaskbenchReport, type SchemaResult } from '../../src/eval/maskbench.ts';
import { anankeSchemaEngine, larkSchemaEngine, type SchemaCompilation, type SchemaEngine } from '../../src/eval/maskbench-engine.ts';
import { listMaskbenchFiles, loadMaskbenchFile } from '../../src/eval/maskbench-file.ts';
import { reorderKeys } from '../../src/eval/maskbench-order.ts';
import { parseRawJson, pythonDumps } from '../../src/eval/raw-json.ts';
import { MASKBENCH_DEV, needsData } from '../helpers/shared-data.ts';

const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');
const FIXTURES = path.join(ROOT, 'test/fixtures/maskbench');
const tok = loadTokenizer('llama3');
const JSON_LARK = readFileSync(path.join(ROOT, 'grammars/json.lark'), 'utf8');
/** Accepts any JSON: right for every valid instance, wrong for every invalid one. */
const anyJson = larkSchemaEngine('json.lark', JSON_LARK);

const byFile = (r: MaskbenchReport): Map<string, SchemaResult> => new Map(r.results.map((x) => [x.file, x]));
const TIMING_KEYS = ['n', 'avg', 'p25', 'p50', 'p75', 'p90', 'p95', 'p99', 'p999', 'max'];

test('maskbench files: listing is sorted, filtered, limited; instances are serialized as Python prints them', () => {
  const all = listMaskbenchFiles(FIXTURES).map((f) => path.basename(f));
  assert.deepEqual(all, [...all].sort());
  assert.ok(all.includes('synthetic-enum-object.json'));
  assert.deepEqual(listMaskbenchFiles(FIXTURES, { filter: 'numbers' }).map((f) => path.basename(f)), ['synthetic-numbers.json']);
  assert.equal(listMaskbenchFiles(FIXTURES, { limit: 1 }).length, 1);
  const f = loadMaskbenchFile(path.join(FIXTURES, 'synthetic-numbers.json'));
  assert.equal(f.tests[0]!.text, '{"x": 1.0, "name": "Zoë \\"Z\\" Ångström"}');
  assert.equal(f.tests[1]!.text, '{"x": 1e-05, "name": "日本\\n"}');
  assert.deepEqual(f.tests.map((t) => t.valid), [true, true, false, false]);
});

test('maskbench: an engine that accepts any JSON passes valid instances and is flagged with invalidation errors', async () => {
  const r = await runMaskbench(FIXTURES, { engine: anyJson, tokenizer: tok });
  const m = byFile(r);
  const e = m.get('synthetic-enum-object.json')!;
  assert.equal(e.status, 'invalidationError');
  assert.equal(e.valid, 2);
  assert.equal(e.invalid, 5);
  // Every invalid instance (tests 2..6) was accepted all the way, and each is listed.
  assert.deepEqual(e.failures!.map((f) => f.test), [2, 3, 4, 5, 6]);
  assert.ok(e.failures!.every((f) => !f.valid && /all \d+ tokens allowed and accepting/.test(f.outcome)));
  assert.ok(e.tokens > 20 && e.ttfmUs! > 0 && e.maxTbmUs > 0);
  assert.equal(m.get('synthetic-numbers.json')!.status, 'invalidationError');
  assert.equal(m.get('synthetic-unsupported.json')!.status, 'invalidationError');
  // A file that is not a MaskBench file is skipped with a reason, not counted, not a crash.
  assert.equal(m.has('not-a-maskbench-file.json'), false);
  assert.equal(r.summary.skipped.length, 1);
  assert.match(r.summary.skipped[0]!.error, /not-a-maskbench-file\.json: not a MaskBench file/);
  // The summary shape.
  const s = r.summary;
  assert.equal(s.schemas, r.results.length);
  assert.equal(s.passing + s.compileError + s.validationError + s.invalidationError + s.crash + s.timeout, s.schemas);
  assert.equal(s.tokens, r.results.reduce((n, x) => n + x.tokens, 0));
  assert.deepEqual(Object.keys(s.tbm), TIMING_KEYS);
  assert.deepEqual(Object.keys(s.ttfm), TIMING_KEYS);
  assert.ok(s.tbm.p25 <= s.tbm.p50 && s.tbm.p50 <= s.tbm.p99 && s.tbm.p99 <= s.tbm.max);
  assert.equal(s.engine, 'json.lark');
  assert.equal(s.tokenizer, 'llama3');
  assert.equal(s.budgetMs, 10_000);
  assert.equal(s.peer, undefined);
});

test('maskbench: a valid instance the grammar refuses is a validation error, with where it was refused', async () => {
  // Only this one document: the enum file's first valid instance is refused, the second accepted.
  const only = larkSchemaEngine('one-doc', 'start: "{\\"color\\": \\"green\\"}"');
  const r = await runMaskbench(FIXTURES, { warmUp: false, engine: only, tokenizer: tok, filter: 'enum' });
  const e = r.results[0]!;
  assert.equal(e.status, 'validationError');
  assert.deepEqual(e.failures!.map((f) => [f.test, f.valid]), [[0, true]]);
  assert.match(e.failures![0]!.outcome, /^rejected token \d+ of \d+ /);
  assert.equal(r.summary.validationError, 1);
});

test('maskbench: an EngineError while compiling is a compile error; any other exception is a crash', async () => {
  const refusing: SchemaEngine = {
    name: 'refusing',
    compile(schema: unknown): SchemaCompilation {
      throw new EngineError('SCHEMA', `unsupported keyword 'enum' at #/properties/color (${JSON.stringify(schema).length} chars)`);
    },
  };
  const r = await runMaskbench(FIXTURES, { warmUp: false, engine: refusing, tokenizer: tok });
  assert.equal(r.summary.compileError, 3);
  for (const x of r.results) {
    assert.equal(x.status, 'compileError');
    assert.match(x.error!, /^SCHEMA: unsupported keyword 'enum'/);
    assert.equal(x.ttfmUs, undefined);
  }
  assert.equal(r.summary.compileErrorReasons.length, 1, 'the same reason at different paths and sizes is grouped');
  assert.equal(r.summary.compileErrorReasons[0]!.count, 3);

  const buggy: SchemaEngine = {
    name: 'buggy',
    compile(): SchemaCompilation {
      throw new TypeError('cannot read properties of undefined');
    },
  };
  const c = await runMaskbench(FIXTURES, { warmUp: false, engine: buggy, tokenizer: tok, filter: 'enum' });
  assert.equal(c.results[0]!.status, 'crash');
  assert.match(c.results[0]!.error!, /TypeError: cannot read properties/);
});

test('maskbench: the per-schema budget ends a schema as a timeout and the run goes on', async () => {
  const r = await runMaskbench(FIXTURES, { warmUp: false, engine: anyJson, tokenizer: tok, budgetMs: 1e-6 });
  assert.equal(r.summary.timeout, 3);
  for (const x of r.results) {
    assert.equal(x.status, 'timeout');
    assert.match(x.error!, /budget/);
  }
});

test('maskbench: figures per category, the reused-grammar pass and the largest mask with what it built', async () => {
  assert.equal(maskbenchCategory('Github_easy---o41733.json'), 'Github_easy');
  assert.equal(maskbenchCategory('/x/y/BFCL_parallel_multiple_174.json'), 'BFCL_parallel_multiple');
  assert.equal(maskbenchCategory('synthetic-enum-object.json'), 'synthetic-enum-object');
  const r = await runMaskbench(FIXTURES, { warmUp: false, tokenizer: tok });
  const s = r.summary;
  assert.deepEqual(s.categories.map((c) => c.category), ['synthetic-enum-object', 'synthetic-numbers', 'synthetic-unsupported']);
  const e = s.categories[0]!;
  assert.equal(e.schemas, 1);
  assert.equal(e.ours.tokens, r.results[0]!.tokens);
  assert.deepEqual(Object.keys(e.ours.tbm), TIMING_KEYS);
  // One request: compile, first mask and the first instance's masks, so at least the TTFM.
  assert.ok(e.ours.request.p50 >= e.ours.ttfm.p50);
  assert.equal(s.categories[2]!.ours.schemas, 0, 'a compile error has no timings');
  assert.equal(e.both, undefined, 'no peer, no side-by-side figures');
  // The second pass walks the same tokens on the same compiled grammars.
  assert.equal(s.reused!.n, s.tokens);
  const m = s.slowestMask!;
  assert.ok(r.results.some((x) => x.file === m.file && x.maxTbmUs === m.us));
  assert.ok(m.token >= 0 && m.test >= 0 && typeof m.before === 'string' && m.newLexerStates >= 0 && m.plansBuilt >= 0);
  const noReuse = await runMaskbench(FIXTURES, { warmUp: false, tokenizer: tok, filter: 'enum', reuse: false });
  assert.equal(noReuse.summary.reused, undefined);
});

test('maskbench: compile-error reasons are grouped by message shape', () => {
  assert.equal(reasonKey("SCHEMA: unsupported keyword 'if' at #/properties/a/b"), reasonKey("SCHEMA: unsupported keyword 'if' at #/items"));
  assert.equal(reasonKey("SCHEMA: 'x' at #/definitions/io.k8s:v1:Time: unknown keyword"), "SCHEMA: 'x' at <path>: unknown keyword");
  assert.notEqual(reasonKey("SCHEMA: unsupported keyword 'if'"), reasonKey("SCHEMA: unsupported keyword 'not'"));
  const ranked = rankReasons(['LIMIT: 5 states', 'LIMIT: 7 states', 'SCHEMA: x']);
  assert.deepEqual(ranked.map((x) => x.count), [2, 1]);
});

// ---- With Ananke's JSON Schema compiler (the default engine). ----

const DEV = MASKBENCH_DEV;
/** Schemas that pass today (each has invalid instances that must be caught). */
const DEV_PASSING = [
  'Github_easy---o11796.json',
  'Glaiveai2K---book_flight_8c6c9028.json',
  'Glaiveai2K---book_hotel_8f40c25f.json',
  'Handwritten---test.NoType.json',
  'Kubernetes---kb_1061_Normalized.json',
  'MCPspec---ReadResourceRequest.json',
  'WashingtonPost---wp_62_Normalized.json',
  'Synthesized---draft2019_09_nonvalid_boolean_schema_id6_subschema1_not_2.json',
  'JsonSchemaStore---webjobs-list.json',
];
/** Schemas refused today with a reason (they may become supported: then they must pass). */
const DEV_REFUSED = ['Github_medium---o42994.json', 'Glaiveai2K---calculate_area_95058385.json', 'Github_easy---o58632.json'];

test('maskbench with the schema compiler: synthetic invalid instances are caught, an unenforceable keyword is a compile error', async () => {
  const r = await runMaskbench(FIXTURES, { warmUp: false, tokenizer: tok });
  const m = byFile(r);
  assert.equal(r.summary.engine, 'ananke');
  assert.equal(m.get('synthetic-enum-object.json')!.status, 'passing', JSON.stringify(m.get('synthetic-enum-object.json')));
  assert.equal(m.get('synthetic-numbers.json')!.status, 'passing', JSON.stringify(m.get('synthetic-numbers.json')));
  const u = m.get('synthetic-unsupported.json')!;
  assert.equal(u.status, 'compileError');
  assert.match(u.error!, /^SCHEMA: 'format' at #: format "color" is not supported/);
  assert.equal(r.summary.compileErrorReasons[0]!.count, 1);
  assert.equal(r.summary.invalidationError, 0);
});

test('maskbench with the schema compiler on a maskbench-dev slice: classification agrees with byte-level checks', needsData(DEV), async () => {
  const files = [...DEV_PASSING, ...DEV_REFUSED].map((f) => path.join(DEV, f));
  const r = await runMaskbench(DEV, { warmUp: false, files, tokenizer: tok });
  const m = byFile(r);
  assert.equal(r.summary.schemas, files.length);
  for (const f of DEV_PASSING) assert.equal(m.get(f)!.status, 'passing', `${f}: ${JSON.stringify(m.get(f))}`);
  for (const f of DEV_REFUSED) {
    const x = m.get(f)!;
    assert.ok(x.status === 'compileError' || x.status === 'passing', `${f}: ${JSON.stringify(x)}`);
    if (x.status === 'compileError') assert.match(x.error!, /^(SCHEMA|LIMIT): /);
  }
  // Independent check of the verdicts: the same schema compiled again, each instance matched as
  // bytes (no tokenizer), must give the status the token-by-token run gave.
  const engine = anankeSchemaEngine();
  for (const f of DEV_PASSING) {
    const mb = loadMaskbenchFile(path.join(DEV, f));
    const c = engine.compile(mb.schema, tok, withLimits());
    const valid = (text: string) => c.grammar.matches(text) && (c.postCheck === undefined || c.postCheck(text));
    for (const t of mb.tests) assert.equal(valid(t.text), t.valid, `${f}: ${t.text}`);
  }
  assert.equal(r.summary.invalidationError, 0);
  assert.equal(r.summary.crash, 0);
});

test('maskbench: the engine limits bound a pathological mask: at the first mask a compile error, later a timeout', async () => {
  // A real limit too small for the first mask: the schema is refused with the limit named. (Without
  // walks shared with the grammars earlier tests compiled: taking a shared walk needs no lexer step.)
  const r = await runMaskbench(FIXTURES, { warmUp: false, tokenizer: tok, filter: 'enum', limits: { maxLexerStepsPerMask: 1, sharedPlanBytes: 0 } });
  assert.equal(r.results[0]!.status, 'compileError');
  assert.match(r.results[0]!.error!, /^LIMIT: .*maxLexerStepsPerMask/);
  // A LIMIT raised by a later mask (here from the 5th mask of each instance) ends the schema as a timeout.
  const limited: SchemaEngine = {
    name: 'limited',
    compile(schema, tokenizer, limits) {
      const cg = anyJson.compile(schema, tokenizer, limits).grammar;
      const wrapped = Object.create(cg) as CompiledGrammar;
      wrapped.matcher = () => {
        const m = cg.matcher();
        let calls = 0;
        const inner = m.computeMask.bind(m);
        m.computeMask = (bits: Uint32Array) => {
          if (++calls > 4) throw new EngineError('LIMIT', 'a mask computation needed more than limits.maxLexerStepsPerMask (5) new lexer transitions');
          inner(bits);
        };
        return m;
      };
      return { grammar: wrapped };
    },
  };
  const t = await runMaskbench(FIXTURES, { warmUp: false, engine: limited, tokenizer: tok, filter: 'enum' });
  assert.equal(t.results[0]!.status, 'timeout');
  assert.match(t.results[0]!.error!, /^test 0: LIMIT: /);
  assert.equal(t.results[0]!.tokens, 4);
});

test('maskbench --peer: XGrammar stuck in one long WebAssembly call is stopped at the budget and reported as a timeout', needsData(DEV), async () => {
  // XGrammar spends tens of seconds compiling this schema in a single call.
  const files = [path.join(DEV, 'Github_medium---o70337.json'), path.join(FIXTURES, 'synthetic-enum-object.json')];
  const r = await runMaskbench(DEV, { warmUp: false, files, tokenizer: tok, peer: true, budgetMs: 1 });
  const stuck = r.results[0]!.peer!;
  assert.equal(stuck.status, 'timeout');
  assert.match(stuck.error!, /inside one XGrammar call .*worker stopped/);
  // A fresh worker takes the next schema.
  const next = r.results[1]!.peer!;
  assert.ok(next.status === 'timeout' || next.status === 'passing', JSON.stringify(next));
  assert.equal(r.summary.peer!.schemas, 2);
});

test('maskbench --peer: XGrammar runs each batch of schemas after ours, and every readable schema gets its result, the last file unreadable', async () => {
  const bad = path.join(FIXTURES, 'not-a-maskbench-file.json');
  const good = listMaskbenchFiles(FIXTURES).filter((f) => f !== bad);
  const r = await runMaskbench(FIXTURES, { warmUp: false, files: [...good, bad], tokenizer: tok, peer: true });
  assert.deepEqual(r.summary.skipped.map((s) => s.file), ['not-a-maskbench-file.json']);
  assert.equal(r.results.length, good.length);
  for (const x of r.results) assert.ok(x.peer !== undefined, `${x.file} has XGrammar's result`);
  assert.equal(r.summary.peer!.schemas, good.length);
});

test('maskbench --peer: with the warm-up on, each engine runs warm-up schemas again before each batch, and the summary says how many', async () => {
  const files = ['synthetic-enum-object.json', 'synthetic-numbers.json'].map((f) => path.join(FIXTURES, f));
  const r = await runMaskbench(FIXTURES, { files, tokenizer: tok, peer: true, peerBatch: 1 });
  const c = r.summary.comparison!;
  assert.equal(c.schemas, 2);
  assert.deepEqual([c.batch, c.rewarm], [1, 8]);
  for (const x of r.results) assert.equal(x.peer!.status, 'passing', JSON.stringify(x.peer));
  // Without the warm-up there is nothing to run again.
  const off = await runMaskbench(FIXTURES, { files, tokenizer: tok, peer: true, warmUp: false });
  assert.equal(off.summary.comparison!.rewarm, 0);
});

// ---- Post-checks and order-only validation errors (test/fixtures/maskbench-checks). ----

const CHECKS = path.join(ROOT, 'test/fixtures/maskbench-checks');

test('maskbench: a post-checked schema passes only when the post-check refuses exactly the invalid instances the grammar accepts', async () => {
  const r = await runMaskbench(CHECKS, { warmUp: false, tokenizer: tok, filter: 'post-check' });
  const x = r.results[0]!;
  assert.equal(x.status, 'passing', JSON.stringify(x));
  assert.deepEqual(x.postChecks, ['oneOf at #/properties/id', 'not at #/properties/meta', 'uniqueItems at #/properties/tags']);
  // Repeated tags, both oneOf branches, the negated meta: the grammar accepts them, the post-check does not.
  assert.equal(x.postCheckRejections, 3);
  assert.deepEqual([r.summary.postChecked, r.summary.postCheckRejections, r.summary.invalidationError], [1, 3, 0]);
  // The same schema without its post-check: those three are accepted, an invalidation error.
  const noPost: SchemaEngine = {
    name: 'no-post',
    compile: (schema, tokenizer, limits) => ({ grammar: anankeSchemaEngine().compile(schema, tokenizer, limits).grammar }),
  };
  const n = await runMaskbench(CHECKS, { warmUp: false, engine: noPost, tokenizer: tok, filter: 'post-check' });
  assert.equal(n.results[0]!.status, 'invalidationError');
  assert.deepEqual(n.results[0]!.failures!.map((f) => f.test), [2, 3, 4]);
});

test('maskbench: a valid instance refused only for its key order is an order-only validation error', async () => {
  const r = await runMaskbench(CHECKS, { warmUp: false, tokenizer: tok, filter: 'property-order' });
  const x = r.results[0]!;
  assert.equal(x.status, 'validationError');
  assert.equal(x.orderOnly, true);
  assert.deepEqual(x.failures!.map((f) => [f.test, f.orderOnly]), [[1, true], [2, true]]);
  assert.deepEqual([r.summary.validationError, r.summary.validationErrorOrderOnly], [1, 1]);
  // A grammar that refuses the instances' content (here: `name` must be empty) is not order-only,
  // though instance 1's keys are out of order too.
  const stricter: SchemaEngine = {
    name: 'stricter',
    compile: (schema, tokenizer, limits) => {
      const s = structuredClone(schema) as { properties: { name: Record<string, unknown> } };
      s.properties.name['maxLength'] = 0;
      return anankeSchemaEngine().compile(s, tokenizer, limits);
    },
  };
  const c = await runMaskbench(CHECKS, { warmUp: false, engine: stricter, tokenizer: tok, filter: 'property-order' });
  const y = c.results[0]!;
  assert.equal(y.status, 'validationError');
  assert.equal(y.orderOnly, undefined);
  assert.deepEqual(y.failures!.map((f) => [f.test, f.orderOnly]), [[0, undefined], [1, undefined], [2, undefined]]);
  assert.equal(c.summary.validationErrorOrderOnly, 0);
  // An engine that gives no key order (a fixed grammar) never calls an error order-only.
  const only = larkSchemaEngine('one-doc', 'start: "{\\"name\\": \\"x\\", \\"size\\": {\\"w\\": 1, \\"h\\": 2}}"');
  const o = await runMaskbench(CHECKS, { warmUp: false, engine: only, tokenizer: tok, filter: 'property-order' });
  assert.equal(o.results[0]!.orderOnly, undefined);
});

test('reorderKeys: listed keys first in their order, the others after as written, nested by key and index; number text kept', () => {
  const raw = parseRawJson('{"z": 1.0, "b": [{"y": 1, "x": 2}], "a": 1e-05, "q": {"n": 0}}');
  const order: KeyOrder = { keys: ['a', 'b'], inner: new Map<string | number, KeyOrder>([['b', { inner: new Map([[0, { keys: ['x', 'y'], inner: new Map() }]]) }]]) };
  assert.equal(pythonDumps(reorderKeys(raw, order)), '{"a": 1e-05, "b": [{"x": 2, "y": 1}], "z": 1.0, "q": {"n": 0}}');
  assert.equal(pythonDumps(reorderKeys(raw, undefined)), '{"z": 1.0, "b": [{"y": 1, "x": 2}], "a": 1e-05, "q": {"n": 0}}');
});
