/**
 * Fact extraction for C++: the C-family extractor (c.ts) plus namespaces, classes with access
 * sections and bases, templates, `using`, and exceptions.
 *
 * Containers are namespaces and classes, dotted (`acme::detail::Box` → `acme.detail.Box`); an
 * out-of-line definition `T Box<T>::get(…)` gets container `Box` (after the enclosing
 * namespaces), and is merged with the in-class declaration (defaults, `static`, access, doc).
 * Members are `private` in a class and `public` in a struct until an access specifier says
 * otherwise. Anything in an anonymous namespace, and `static` free functions, are not exported.
 * `[[attributes]]` are the decorators. Template parameters come from the enclosing
 * `template <…>`. `using namespace std;` is a wildcard import of `std`; `using std::string;`
 * imports `string` from `std`; `using A = B;` is a type alias.
 */
import type { Node } from 'web-tree-sitter';
import type { TypeFact } from '../../core/index.ts';
import { SIGNAL, bump } from '../signals.ts';
import { C_INTERESTING, CFamilyExtractor, declSpecifiers, declaratorName, derivedText, joinType, readParams } from './c.ts';
import { NOT_IMPLEMENTED_RE, addIdentifier, makeHole, oneLine } from './common.ts';
import { treeSource } from './doc-above.ts';
import type { ExtractedFacts, LanguageExtractor } from './types.ts';

const CPP_INTERESTING = [
  ...C_INTERESTING, 'namespace_definition', 'class_specifier', 'access_specifier', 'using_declaration',
  'alias_declaration', 'throw_statement', 'try_statement', 'co_await_expression', 'for_range_loop', 'catch_clause',
];

/** `Box<T>::get` → [`Box`, `get`]; template arguments are dropped from the scope. */
function splitQualified(text: string): string[] {
  let depth = 0;
  let clean = '';
  for (const ch of text) {
    if (ch === '<') depth++;
    else if (ch === '>') depth = Math.max(0, depth - 1);
    else if (depth === 0 && !/\s/.test(ch)) clean += ch;
  }
  return clean.split('::').filter((s) => s.length > 0);
}

/** The first string literal among a call's arguments (`std::logic_error("not implemented")`). */
function firstStringArg(e: Node | null): string | undefined {
  if (!e) return undefined;
  if (e.type === 'string_literal' || e.type === 'raw_string_literal') return e.text;
  const args = e.childForFieldName('arguments') ?? e.namedChildren.find((c) => c?.type === 'argument_list' || c?.type === 'initializer_list') ?? null;
  if (!args) return undefined;
  for (const a of args.namedChildren) if (a && (a.type === 'string_literal' || a.type === 'raw_string_literal' || a.type === 'concatenated_string')) return a.text;
  return undefined;
}

class CppExtractor extends CFamilyExtractor {
  constructor(source: string) {
    super(source, CPP_INTERESTING);
  }

  protected override visit(node: Node): void {
    switch (node.type) {
      case 'namespace_definition': return this.namespace(node);
      case 'access_specifier': return this.access(node);
      case 'using_declaration': return this.using(node);
      case 'alias_declaration': return this.alias(node);
      case 'throw_statement': return this.throwStmt(node);
      case 'try_statement': bump(this.facts.signals, SIGNAL.TRY); return;
      case 'co_await_expression': bump(this.facts.signals, SIGNAL.AWAIT); return;
      case 'for_range_loop': return this.rangeFor(node);
      case 'catch_clause': return this.catchClause(node);
      default: super.visit(node);
    }
  }

  /** `for (const auto& [k, v] : m)` / `for (T x : xs)`: the loop variable is a local. */
  private rangeFor(node: Node): void {
    const scope = this.innerFn()?.scope;
    const d = node.childForFieldName('declarator');
    const nameNode = declaratorName(d);
    if (!scope || !d || !nameNode || nameNode.type !== 'identifier') return;
    const base = declSpecifiers(node).base;
    const type = base !== undefined && !/\bauto\b/.test(base) ? joinType(base, derivedText(d, nameNode)) : undefined;
    addIdentifier(this.facts.identifiers, nameNode.text, 'variable', nameNode);
    scope.bindings.push(type !== undefined ? { name: nameNode.text, type, kind: 'local' } : { name: nameNode.text, kind: 'local' });
  }

  /** `catch (const std::exception& e)`: `e` is a local of the enclosing function. */
  private catchClause(node: Node): void {
    const scope = this.innerFn()?.scope;
    if (!scope) return;
    for (const p of readParams(node.childForFieldName('parameters'))) {
      if (p.name === '_' || p.name === '...') continue;
      scope.bindings.push(p.type !== undefined ? { name: p.name, type: p.type, kind: 'local' } : { name: p.name, kind: 'local' });
    }
  }

  private namespace(node: Node): void {
    const n = node.childForFieldName('name');
    if (!node.childForFieldName('body')) return;
    if (n) this.stack.push({ end: node.endIndex, name: splitQualified(n.text).join('.') });
    else this.stack.push({ end: node.endIndex, internal: true });
  }

  private access(node: Node): void {
    // Access specifiers also appear in base clauses (`: public Base`); only body ones open a section.
    if (node.parent?.type !== 'field_declaration_list') return;
    const member = this.memberOf();
    if (!member) return;
    const t = node.text.replace(/:$/, '').trim();
    member.access = t === 'private' ? 'private' : t === 'protected' ? 'protected' : 'public';
  }

  private using(node: Node): void {
    let target: Node | null = null;
    let ns = false;
    for (let i = 0; i < node.childCount; i++) {
      const c = node.child(i);
      if (!c) continue;
      if (c.type === 'namespace') ns = true;
      else if (c.isNamed) target = c;
    }
    if (!target) return;
    const parts = splitQualified(target.text);
    const line = node.startPosition.row + 1;
    if (ns) {
      this.facts.imports.push({ module: parts.join('::'), names: [], wildcard: true, line });
    } else if (parts.length > 1) {
      const name = parts[parts.length - 1]!;
      this.facts.imports.push({ module: parts.slice(0, -1).join('::'), names: [{ name }], wildcard: false, line });
      if (!this.innerFn()) this.moduleBindings.push({ name, kind: 'import' });
    }
  }

  private alias(node: Node): void {
    const n = node.childForFieldName('name');
    if (!n) return;
    const fact = this.newType(node, n.text, 'type_alias');
    const t = node.childForFieldName('type');
    if (t) fact.aliasOf = oneLine(t.text);
  }

  private throwStmt(node: Node): void {
    bump(this.facts.signals, SIGNAL.THROW);
    const msg = firstStringArg(node.namedChild(0));
    if (msg !== undefined && NOT_IMPLEMENTED_RE.test(msg)) {
      this.facts.holes.push(makeHole('not_implemented', node, node.text.replace(/;\s*$/, ''), this.innerFn()?.fn));
    }
  }

  protected override templateParams(node: Node): string[] {
    const p = node.parent;
    if (p?.type !== 'template_declaration') return [];
    const list = p.childForFieldName('parameters');
    if (!list) return [];
    const out: string[] = [];
    for (const c of list.namedChildren) if (c) out.push(oneLine(c.text));
    return out;
  }

  protected override outerNode(node: Node): Node {
    const p = node.parent;
    return p?.type === 'template_declaration' ? p : node;
  }

  protected override splitName(nameNode: Node): { name: string; container?: string } {
    if (nameNode.type !== 'qualified_identifier') return { name: oneLine(nameNode.text) };
    const parts = splitQualified(nameNode.text);
    const name = parts.pop() ?? nameNode.text;
    return parts.length > 0 ? { name, container: parts.join('.') } : { name };
  }

  protected override specifierFrame(node: Node, fact: TypeFact): void {
    for (const c of node.namedChildren) {
      if (c?.type !== 'base_class_clause') continue;
      for (const b of c.namedChildren) if (b && b.type !== 'access_specifier' && b.type !== 'virtual') fact.bases.push(oneLine(b.text));
    }
    this.stack.push({ end: node.endIndex, name: fact.name, type: fact, access: node.type === 'class_specifier' ? 'private' : 'public' });
  }

  protected override returnSignals(returnType: string | undefined): void {
    if (returnType === undefined) return;
    if (/^(const\s+)?(std::)?optional</.test(returnType)) bump(this.facts.signals, SIGNAL.OPTION_RETURN);
    else if (/^(const\s+)?((std|absl|tl)::)?(expected|StatusOr|Result)</.test(returnType)) bump(this.facts.signals, SIGNAL.RESULT_RETURN);
  }
}

export const extractCpp: LanguageExtractor = (root: Node, source: string): ExtractedFacts => new CppExtractor(treeSource(root, source)).run(root);
