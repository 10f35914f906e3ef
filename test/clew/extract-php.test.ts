import { describe, it, before } from 'node:test';
import assert from 'node:assert/strict';
import { extractPhp } from '../../src/clew/languages/php.ts';
import { fixtureExtractor, findFunction as fn, assertKeepsFunctionsBeforeCuts, deepSum, assertFunctionNames, assertRobustOnRecombination } from '../helpers/clew-fixtures.ts';
import type { ExtractedFacts } from '../../src/clew/languages/types.ts';

const extract = fixtureExtractor('php', extractPhp);

describe('PHP extractor on UserRepository.php', () => {
  let facts: ExtractedFacts;
  before(async () => { facts = await extract('UserRepository.php'); });

  it('reads typed, defaulted, variadic and promoted constructor parameters', () => {
    const ctor = fn(facts, 'UserRepository.__construct');
    assert.equal(ctor.kind, 'constructor');
    assert.deepEqual(ctor.params, [
      { name: 'pdo', type: '\\PDO' },
      { name: 'table', type: 'string', default: 'self::TABLE', optional: true },
      { name: 'loggers', type: 'Logger', variadic: true },
    ]);
    const all = fn(facts, 'UserRepository.all');
    assert.deepEqual(all.params, [
      { name: 'limit', type: 'int|string', default: 'APP_PAGE_SIZE', optional: true },
      { name: 'columns', type: 'string', variadic: true },
    ]);
    assert.equal(all.generator, true);
    assert.deepEqual(fn(facts, 'UserRepository.purge').params, [{ name: 'ids', type: 'array' }, { name: 'reason' }]);
  });

  it('reads return types, visibility, static, attributes and doc blocks', () => {
    const find = fn(facts, 'UserRepository.find');
    assert.equal(find.returnType, '?User');
    assert.equal(find.visibility, 'public');
    assert.deepEqual(find.decorators, ['Pure']);
    assert.equal(find.doc, 'Finds one user by id.');
    assert.equal(find.line, 45);
    const norm = fn(facts, 'UserRepository.normalize');
    assert.equal(norm.static, true);
    assert.equal(norm.visibility, 'private');
    assert.equal(norm.exported, false);
    assert.equal(fn(facts, 'UserRepository.purge').visibility, 'protected');
    assert.equal(fn(facts, 'App\\Repository.user_repository').kind, 'function');
  });

  it('records classes, interfaces, traits and enums with bases, fields and members', () => {
    const repo = facts.types.find((t) => t.name === 'UserRepository');
    assert.ok(repo);
    assert.equal(repo.container, 'App\\Repository');
    assert.deepEqual(repo.bases, ['BaseRepository', 'Repository', 'CountableContract', 'LogsQueries']);
    assert.deepEqual(repo.fields, [
      { name: 'cache', type: 'array', line: 29 },
      { name: 'logger', type: '?Logger', line: 30 },
      { name: 'instances', type: 'int', line: 31 },
      { name: 'pdo', type: '\\PDO', line: 34 },
      { name: 'table', type: 'string', line: 35 },
    ]);
    assert.equal(repo.doc, 'Stores users in a PDO database.');
    assert.deepEqual(facts.types.find((t) => t.name === 'Auditable')?.bases, ['\\Stringable']);
    assert.equal(facts.types.find((t) => t.name === 'LogsQueries')?.kind, 'trait');
    const role = facts.types.find((t) => t.name === 'Role');
    assert.equal(role?.kind, 'enum');
    assert.deepEqual(role?.members, ['Admin', 'Member']);
    assert.deepEqual(role?.methods, ['label(): string', 'jsonSerialize(): mixed']);
  });

  it('reads use clauses (grouped, aliased, function) and require_once', () => {
    assert.deepEqual(facts.imports.slice(0, 4).map((i) => ({ module: i.module, names: i.names })), [
      { module: 'App\\Entity', names: [{ name: 'User' }] },
      { module: 'App\\Contracts', names: [{ name: 'Repository' }, { name: 'Countable', alias: 'CountableContract' }] },
      { module: 'Psr\\Log', names: [{ name: 'LoggerInterface', alias: 'Logger' }] },
      { module: 'App\\Support', names: [{ name: 'now' }] },
    ]);
    assert.equal(facts.imports[4]?.module, "__DIR__ . '/../bootstrap.php'");
    assert.equal(facts.imports[4]?.line, 12);
  });

  it('finds not-implemented throws as holes with the enclosing signature', () => {
    assert.deepEqual(facts.holes.map((h) => [h.kind, h.line, h.enclosing?.signature]), [
      ['not_implemented', 77, 'UserRepository.archive(user: User, at: \\DateTimeInterface = null): void'],
      ['todo', 82, 'UserRepository.purge(ids: array, reason)'],
    ]);
  });

  it('lists constants from const and define(), typed bindings in scopes', () => {
    const consts = facts.identifiers.filter((i) => i.kind === 'constant').map((i) => i.name);
    assert.deepEqual(consts, ['APP_PAGE_SIZE', 'DEFAULT_ROLE', 'TABLE', 'MAX_BATCH']);
    const scope = facts.scopes.find((s) => s.function === 'UserRepository.find');
    assert.ok(scope);
    assert.deepEqual(scope.bindings.slice(0, 4), [
      { name: 'id', type: 'int', kind: 'parameter' },
      { name: 'withRoles', type: 'bool', kind: 'parameter' },
      { name: 'stmt', kind: 'local' },
      { name: 'row', kind: 'local' },
    ]);
    assert.ok(scope.bindings.some((b) => b.kind === 'local' && b.name === 'e' && b.type === '\\PDOException'));
    assert.ok(facts.scopes.find((s) => s.function === 'UserRepository.all')?.bindings.some((b) => b.kind === 'local' && b.name === 'row'));
    assert.ok(scope.bindings.some((b) => b.kind === 'field' && b.name === 'this->logger' && b.type === '?Logger'));
    assert.ok(scope.bindings.some((b) => b.kind === 'import' && b.name === 'CountableContract'));
    assert.ok(scope.bindings.some((b) => b.kind === 'module' && b.name === 'APP_PAGE_SIZE'));
    assert.deepEqual(facts.exports.map((e) => e.name), ['APP_PAGE_SIZE', 'DEFAULT_ROLE', 'UserRepository', 'Auditable', 'LogsQueries', 'Role', 'user_repository']);
  });

  it('counts try/catch, throws, nullable returns and annotated parameters', () => {
    assert.equal(facts.signals['error.try'], 1);
    assert.equal(facts.signals['error.throw'], 3);
    assert.equal(facts.signals['error.option'], 1);
    assert.equal(facts.signals['types.param_annotated'], 14);
    assert.equal(facts.signals['types.param_unannotated'], 1);
    assert.equal(facts.signals['types.any'], 1);
  });
});

describe('PHP extractor on a file with syntax errors', () => {
  it('keeps the class, all three methods and the hole', async () => {
    const facts = await extract('broken.php');
    assert.deepEqual(facts.functions.map((f) => f.name), ['ok', 'broken', 'later']);
    assert.deepEqual(fn(facts, 'Half.ok').params, [{ name: 'a', type: 'int' }, { name: 'b', type: 'string', default: "'x'", optional: true }]);
    assert.equal(facts.holes[0]?.enclosing?.name, 'Half.later');
    assert.deepEqual(facts.imports.map((i) => i.module), ['App\\Entity']);
  });
});

describe('PHP extractor on truncated input', () => {
  it('never throws and keeps the functions that end before the cut', async () => {
    await assertKeepsFunctionsBeforeCuts('php', extractPhp, 'UserRepository.php');
  });
});

describe('PHP extractor on a pathologically deep tree', () => {
  it('does not overflow the stack on a 20,000-term expression and still sees the function', async () => {
    const terms = deepSum(20000);
    await assertFunctionNames('php', extractPhp, `<?php function total() { $x = ${terms}; }\n`, ['total']);
  });
});

describe('PHP extractor on recombined fragments (property)', () => {
  it('never throws, whatever pieces of real code are spliced together', async () => {
    await assertRobustOnRecombination('php', extractPhp, 'UserRepository.php', '<?php\n');
  });
});
