/**
 * The printer's law: printing constraints and compiling the text gives the same constraints back.
 * Checked on Clew's real output (files of this repository and the mixed fixture), on Ariadne text
 * (print(compile(x)) compiles to compile(x)), and on generated constraints of every rule type.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import fc from 'fast-check';
import {
  describeRule, LANGUAGES, type CodePattern, type Constraint, type LanguagePattern, type ParamSpec, type Provenance, type Rule,
} from '../../src/core/index.ts';
import { deriveConstraints, extractFile, extractRepo } from '../../src/clew/index.ts';
import { compileAriadneSource, printAriadne } from '../../src/ariadne/index.ts';
import { ROOT } from '../helpers/cli.ts';
import { MIXED_FIXTURE } from '../helpers/mixed-repo.ts';
import { compile, MEM_ROOT, shown } from './helpers.ts';

const NO_FILES = { read: () => ({ missing: true as const }) };

/** Prints, compiles back, and checks: equal constraints; those without provenance get the printed block's. */
function roundTrip(cs: readonly Constraint[], label: string): string {
  const text = printAriadne(cs, { header: label });
  const r = compileAriadneSource(text, { file: 'printed.ariadne', cwd: MEM_ROOT, host: NO_FILES });
  assert.equal(r.diagnostics.length, 0, `${label}:\n${shown(r)}\n--- text:\n${text}`);
  assert.equal(r.constraints.length, cs.length);
  r.constraints.forEach((back, i) => {
    const orig = cs[i]!;
    if (orig.provenance) {
      assert.deepEqual(back, orig, `${label}: ${orig.id}`);
    } else {
      const { provenance, ...rest } = back;
      assert.equal(provenance?.file, 'printed.ariadne');
      assert.deepEqual(rest, orig, `${label}: ${orig.id}`);
    }
  });
  // Printing is stable: the text of the compiled constraints is the text itself.
  assert.equal(printAriadne(r.constraints.map((c, i) => (cs[i]!.provenance ? c : stripProvenance(c))), { header: label }), text);
  return text;
}

function stripProvenance(c: Constraint): Constraint {
  const { provenance: _, ...rest } = c;
  return rest;
}

test('Clew\'s constraints of this repository\'s sources and of the mixed fixture print and compile back unchanged', async () => {
  const r = await extractRepo(['src/core', 'src/ariadne', path.relative(ROOT, MIXED_FIXTURE)], { cwd: ROOT, cache: false, jobs: 0 });
  const types = new Set(r.constraints.map((c) => c.rule.type));
  for (const t of ['naming', 'forbidden_pattern', 'allowed_imports', 'module_boundary', 'test_expectation', 'error_handling', 'type_discipline']) {
    assert.ok(types.has(t as Rule['type']), `the sample has no ${t} constraint`);
  }
  const text = roundTrip(r.constraints, 'extract of src/core, src/ariadne and the mixed fixture');
  assert.match(text, /naming: \{ kind: \.Function, style: \.CamelCase, language: \.TypeScript \}/);
});

test('Clew\'s constraints of single files (extractFile) round-trip too', async () => {
  const files = ['src/ariadne/parser.ts', 'src/core/constraint.ts', 'test/fixtures/repos/mixed/tools/migrate.py'];
  const facts = [];
  for (const f of files) facts.push(await extractFile(f, fs.readFileSync(path.join(ROOT, f), 'utf8'), f.endsWith('.py') ? 'python' : 'typescript'));
  const cs = deriveConstraints({ root: ROOT, files: facts } as Parameters<typeof deriveConstraints>[0], { minEvidence: 1 });
  assert.ok(cs.length >= 5, `${cs.length} constraints`);
  roundTrip(cs, 'three files');
});

const UPSTREAM_AND_OWN = `module shop.rules
constraint money {
  signature: async fn charge(amount: Money, card?: Card) -> Promise<Receipt>
  priority: 80
}
constraint secure { requires: authentication, input_validation; forbid: eval, exec; severity: .Error }
constraint schema { json_schema: { type: "object", properties: { "total-cents": { type: "integer", minimum: -0 } } } }
constraint grammar { grammar: """
    start: item+
    item: /[a-z]+/ "\\n"
    """ }
constraint text { regex: "a\\tb\\u{1}c\\"", confidence: 0.5, kind: .Operational }
`;

test('print(compile(x)) compiles to compile(x)', () => {
  const first = compile(UPSTREAM_AND_OWN);
  assert.deepEqual(first.diagnostics, [], shown(first));
  roundTrip(first.constraints, 'compiled text');
  assert.ok(Object.is((first.constraints.find((c) => c.id === 'shop.rules.schema')!.rule as { schema: { properties: Record<string, { minimum: number }> } }).schema.properties['total-cents']!.minimum, -0));
});

// ---- generated constraints of every rule type ----

const text = fc.oneof(
  { weight: 3, arbitrary: fc.string({ maxLength: 12 }) },
  { weight: 2, arbitrary: fc.string({ maxLength: 12, unit: 'binary' }) },
  { weight: 2, arbitrary: fc.array(fc.constantFrom('a', 'Z', '_', ' ', '\t', '\n', '\r', '"', '"""', '\\', '\\d', '{', '}', '--', '//', '#', '$', 'é', '\u0000', '\ud800', '😀'), { maxLength: 10 }).map((xs) => xs.join('')) },
);
const nonEmpty = text.filter((s) => s.length > 0);
const names = fc.array(text, { minLength: 1, maxLength: 4 });
const lang = fc.constantFrom(...LANGUAGES);
const opt = <T>(a: fc.Arbitrary<T>): fc.Arbitrary<T | undefined> => fc.option(a, { nil: undefined });
const num = fc.oneof(fc.integer({ min: -1000, max: 1000 }), fc.double({ noNaN: true, noDefaultInfinity: true }));
const nat = fc.nat({ max: 100_000 });

/** Builds an object leaving out the keys whose value is undefined (as the compiler does). */
function defined<T extends object>(o: T): T {
  return Object.fromEntries(Object.entries(o).filter(([, v]) => v !== undefined)) as T;
}

const param: fc.Arbitrary<ParamSpec> = fc.record({ name: text, type: opt(text), optional: opt(fc.boolean()), variadic: opt(fc.boolean()) }).map(defined);
const pattern: fc.Arbitrary<CodePattern> = fc.oneof(
  fc.record({
    match: fc.constant('call' as const), callee: text,
    argument: opt(fc.record({ index: opt(fc.nat({ max: 9 })), shape: fc.constantFrom('any' as const, 'not_constant' as const, 'built' as const) }).map(defined)),
    keyword: opt(text), unless: opt(text),
  }).map(defined),
  fc.record({ match: fc.constant('built_string' as const), text }),
  fc.record({ match: fc.constant('string_assignment' as const), name: text }),
  fc.record({ match: fc.constant('property_assignment' as const), property: text }),
  fc.record({ match: fc.constant('identifier' as const), name: text }),
  fc.record({ match: fc.constant('text' as const), regex: text, what: text }),
);
const finding = fc.constantFrom('eval' as const, 'dynamic_function' as const, 'shell_injection' as const, 'sql_injection' as const, 'hardcoded_secret' as const, 'unsafe_deserialization' as const, 'inner_html' as const);

const rule: fc.Arbitrary<Rule> = fc.oneof(
  fc.record({ type: fc.constant('signature' as const), name: text, params: fc.array(param, { maxLength: 3 }), returnType: opt(text), async: opt(fc.boolean()) }).map(defined),
  fc.record({
    type: fc.constant('naming' as const),
    identifierKind: fc.constantFrom('function' as const, 'method' as const, 'variable' as const, 'constant' as const, 'type' as const, 'file' as const, 'parameter' as const, 'field' as const),
    style: fc.constantFrom('camelCase' as const, 'PascalCase' as const, 'snake_case' as const, 'SCREAMING_SNAKE_CASE' as const, 'kebab-case' as const, 'lowercase' as const),
    language: opt(lang), visibility: opt(fc.constantFrom('exported' as const, 'unexported' as const)),
  }).map(defined),
  fc.record({ type: fc.constant('forbidden_identifiers' as const), names }),
  fc.record({ type: fc.constant('forbidden_calls' as const), calls: names, finding: opt(finding) }).map(defined),
  fc.record({ type: fc.constant('forbidden_pattern' as const), finding, patterns: fc.array(fc.record({ languages: fc.array(lang, { maxLength: 3 }), pattern }) as fc.Arbitrary<LanguagePattern>, { minLength: 1, maxLength: 3 }) }),
  fc.record({ type: fc.constant('allowed_imports' as const), modules: fc.array(text, { maxLength: 3 }), language: opt(lang) }).map(defined),
  fc.record({ type: fc.constant('forbidden_imports' as const), modules: names }),
  fc.record({ type: fc.constant('module_boundary' as const), from: text, mayImport: fc.array(text, { maxLength: 3 }) }),
  fc.record({ type: fc.constant('expected_type' as const), expected: text, bindings: fc.array(fc.record({ name: text, type: opt(text) }).map(defined), { maxLength: 3 }) }),
  fc.record({ type: fc.constant('type_discipline' as const), practice: fc.constantFrom('no_any' as const, 'annotate_params' as const, 'annotate_returns' as const), language: lang }),
  fc.record({ type: fc.constant('json_schema' as const), schema: fc.oneof(fc.boolean(), fc.dictionary(text, fc.jsonValue({ maxDepth: 3 }), { maxKeys: 4 })) }),
  fc.record({ type: fc.constant('regex' as const), pattern: text }),
  fc.record({ type: fc.constant('grammar' as const), grammar: text, format: fc.constantFrom('lark' as const, 'gbnf' as const) }),
  fc.record({ type: fc.constant('length' as const), minChars: opt(nat), maxChars: opt(nat), maxLines: opt(nat) }).map(defined)
    .filter((r) => r.minChars === undefined || r.maxChars === undefined || r.minChars <= r.maxChars),
  fc.record({ type: fc.constant('error_handling' as const), style: fc.constantFrom('exceptions' as const, 'result_type' as const, 'error_return' as const, 'option_type' as const), language: lang }),
  fc.record({ type: fc.constant('async_style' as const), style: fc.constantFrom('async_await' as const, 'promises' as const, 'callbacks' as const, 'goroutines' as const, 'sync' as const), language: lang }),
  fc.record({ type: fc.constant('test_expectation' as const), subject: text, framework: text, assertion: text }),
  fc.record({ type: fc.constant('precondition' as const), expression: text }),
  fc.record({ type: fc.constant('postcondition' as const), expression: text }),
);

const location: fc.Arbitrary<Provenance> = fc.record({ file: text, line: fc.integer({ min: 1, max: 1e6 }), column: fc.nat({ max: 500 }) });

const constraint: fc.Arbitrary<Constraint> = fc.record({
  id: nonEmpty,
  kind: fc.constantFrom('syntactic' as const, 'type_safety' as const, 'semantic' as const, 'architectural' as const, 'operational' as const, 'security' as const),
  severity: fc.constantFrom('error' as const, 'warning' as const, 'info' as const, 'hint' as const),
  priority: num,
  confidence: fc.double({ min: 0, max: 1, noNaN: true }),
  source: fc.constantFrom('ast_pattern' as const, 'type_system' as const, 'control_flow' as const, 'data_flow' as const, 'test_mining' as const, 'documentation' as const, 'user_defined' as const, 'llm_analysis' as const),
  provenance: opt(location),
  evidence: opt(fc.record({ matching: nat, total: nat, examples: opt(fc.array(location, { maxLength: 3 })) }).map(defined)),
  rule,
}).map((c) => plain(defined({ ...c, description: describeRule(c.rule) })) as Constraint);

/** A deep copy with ordinary prototypes (fast-check's records have none), keeping -0 and "__proto__" keys. */
function plain(x: unknown): unknown {
  if (Array.isArray(x)) return x.map(plain);
  if (x === null || typeof x !== 'object') return x;
  const out = {};
  for (const [k, v] of Object.entries(x)) Object.defineProperty(out, k, { value: plain(v), enumerable: true, writable: true, configurable: true });
  return out;
}

test('generated constraints of every rule type print and compile back unchanged', () => {
  fc.assert(fc.property(fc.uniqueArray(constraint, { selector: (c) => c.id, maxLength: 6 }), (cs) => {
    roundTrip(cs, 'generated');
  }), { numRuns: 400 });
});
