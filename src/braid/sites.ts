/**
 * Where each program grammar declares names, and where a function body and an import's module
 * specifier are (docs/braid.md, "Emission"). Braid reads the shipped grammars (grammars/*.lark) by
 * rule and terminal names, so these tables are the contract between Braid and the grammars;
 * test/braid/sites.test.ts checks every rule named here exists and every site is found.
 *
 * A site is an occurrence of the language's identifier terminal that declares a name of a kind:
 * - `after`: the identifier right after one of these literals, in any rule (`function f`, `class C`).
 * - `rules` (+ `alone`): every occurrence in rules whose names match (alone: only in alternatives
 *   made of that one symbol, e.g. the `NAME` of Python's `single_target: NAME | primary "." NAME`).
 * - `clone`: in `parents`, the rule `child` and the rules of `family` below it are copied for this
 *   kind, so a rule shared by two kinds (TypeScript's binding patterns: variables and parameters)
 *   gets one copy per kind.
 * Where a grammar cannot tell two kinds apart (Python's `def` in a class or not), a site lists
 * both kinds: its names must fit either style during decoding, and the post-generation check
 * tells them apart exactly.
 */
import type { IdentifierKind } from '../core/index.ts';
import type { ProgramLanguage } from '../engine/index.ts';

export interface AfterSite { kinds: IdentifierKind[]; after: string[]; rules?: RegExp }
/**
 * `shape`: where a site lists two kinds that the language tells apart by the name alone (Python:
 * at module level Clew reads an UPPER_CASE name as a constant, any other as a variable), the names
 * of that shape belong to the kind: when the kind has no rule its shape stands in for one, so the
 * site is still restricted exactly (variable style ∪ names of the constant shape).
 */
export interface RuleSite { kinds: IdentifierKind[]; rules: RegExp; alone?: boolean; lexeme?: string; shape?: Partial<Record<IdentifierKind, string>> }
/**
 * `patterns`: the copies are binding patterns whose grammar also reads references (Rust): the
 * copies' alternatives that are one identifier beside `referenceMarker` (a struct pattern's field
 * name: `IDENT | TUPLE_INDEX`) name a field and stay free, and in `pathRule`'s copy a bare path
 * (`expr_path` alone: `None`, a constant) is offered only with two segments or more (`E::A`), so a
 * lone name can only be read as the binding.
 */
export interface CloneSite { kinds: IdentifierKind[]; parents: RegExp; child: string; family: string[]; lexeme?: string; patterns?: { referenceMarker: string; pathRule: string; path: string } }
export type Site = ({ type: 'after' } & AfterSite) | ({ type: 'rules' } & RuleSite) | ({ type: 'clone' } & CloneSite);

export type ModuleQuote = 'string' | 'dotted' | 'path' | 'crate';

export interface LanguageSites {
  /** The identifier terminal (references and declarations alike). */
  identifier: string;
  sites: Site[];
  /** The rule of a function body, by what the function is (Python: `async def` bodies differ). */
  body: (fn: { async: boolean; kind: 'function' | 'method' }) => string;
  /**
   * The terminal of an import's module specifier, and its form: `string` (TypeScript: a quoted
   * module, relative paths always allowed), `path` (Go: a quoted import path), `dotted` (Python: a
   * dotted module name, `import a.b` / `from a.b import`), `crate` (Rust: the first segment of a
   * `use` path or an `extern crate`). emit.ts restricts each form in its own way.
   */
  moduleSpecifier?: { terminal: string; quote: ModuleQuote };
}

const TS_BINDING = ['binding_target', 'object_binding', 'binding_property', 'array_binding', 'binding_element'];

const TYPESCRIPT: LanguageSites = {
  identifier: 'IDENT',
  sites: [
    { type: 'after', kinds: ['function'], after: ['function', '*'], rules: /^(function_decl|function_signature|default_declaration|function_expr)$/ },
    { type: 'after', kinds: ['type'], after: ['class', 'interface', 'enum'] },
    { type: 'after', kinds: ['type'], after: ['type'], rules: /^type_alias$/ },
    { type: 'rules', kinds: ['variable', 'constant'], rules: /^(definite_declarator|ambient_declarator)$/ },
    { type: 'after', kinds: ['variable', 'constant'], after: ['using_kind', ','], rules: /^var_decl$/ },
    { type: 'clone', kinds: ['variable', 'constant'], parents: /^(declarator)$/, child: 'binding_target', family: TS_BINDING },
    { type: 'clone', kinds: ['parameter'], parents: /^(param|catch_clause)$/, child: 'binding_target', family: TS_BINDING },
    { type: 'rules', kinds: ['parameter'], rules: /^arrow_params$/, alone: true },
    { type: 'clone', kinds: ['method'], parents: /^(method_head|method_head_nb)$/, child: 'class_key', family: ['class_key', 'property_key'], lexeme: 'IDENTIFIER_NAME' },
    { type: 'clone', kinds: ['field'], parents: /^(field_head|field_head_nb)$/, child: 'class_key', family: ['class_key', 'property_key'], lexeme: 'IDENTIFIER_NAME' },
  ],
  body: () => 'block',
  moduleSpecifier: { terminal: 'STRING', quote: 'string' },
};

const PYTHON: LanguageSites = {
  identifier: 'NAME',
  sites: [
    { type: 'after', kinds: ['function', 'method'], after: ['def'] },
    { type: 'after', kinds: ['type'], after: ['class'] },
    { type: 'after', kinds: ['type'], after: ['type'], rules: /^type_alias$/ },
    { type: 'rules', kinds: ['variable', 'constant'], rules: /^single_target(_y|_aw)?$/, alone: true, shape: { constant: '[A-Z][A-Z0-9_]*' } },
    { type: 'after', kinds: ['variable'], after: ['as'], rules: /^(except|except_star)_/ },
    { type: 'rules', kinds: ['parameter'], rules: /^(param_no_default|param_with_default|param|kwargs_param|lambda_plain|lambda_plain_no_slash|lambda_default|lambda_param)$/ },
    { type: 'after', kinds: ['parameter'], after: ['*', '**'], rules: /^(star_params|lambda_star_params)$/ },
  ],
  body: (fn) => (fn.async ? 'block_a' : 'block_f'),
  moduleSpecifier: { terminal: 'NAME', quote: 'dotted' },
};

const GO: LanguageSites = {
  identifier: 'IDENT',
  sites: [
    { type: 'after', kinds: ['function', 'method'], after: ['FUNC_W', 'params'], rules: /^func_decl$/ },
    { type: 'rules', kinds: ['type'], rules: /^type_spec$/ },
    // ident_list serves variables, constants, parameters, fields and type parameters: one copy each.
    { type: 'clone', kinds: ['variable'], parents: /^(var_spec|simple_stmt|simple_nb|comm_head)$/, child: 'ident_list', family: ['ident_list'] },
    { type: 'clone', kinds: ['constant'], parents: /^(first_const_spec|const_spec)$/, child: 'ident_list', family: ['ident_list'] },
    { type: 'clone', kinds: ['parameter'], parents: /^param_group$/, child: 'ident_list', family: ['ident_list'] },
    { type: 'clone', kinds: ['field'], parents: /^field_decl$/, child: 'ident_list', family: ['ident_list'] },
  ],
  body: () => 'block',
  moduleSpecifier: { terminal: 'IMPORT_PATH', quote: 'path' },
};

const RUST_PATTERN = ['pattern', 'pattern_no_top_alt', 'pattern_no_range', 'pattern_list', 'struct_pattern_fields', 'struct_pattern_field'];
const RUST_BINDINGS = { referenceMarker: 'TUPLE_INDEX', pathRule: 'pattern_no_range', path: 'expr_path' };

const RUST: LanguageSites = {
  identifier: 'IDENT',
  sites: [
    { type: 'after', kinds: ['function', 'method'], after: ['fn'], rules: /^function$/ },
    { type: 'after', kinds: ['type'], after: ['struct', 'enum', 'union', 'trait', 'type'] },
    { type: 'after', kinds: ['constant'], after: ['const', 'mut', 'static'], rules: /^(const_item|static_item)$/ },
    { type: 'rules', kinds: ['field'], rules: /^field$/ },
    // Binding patterns: `let` (variables), fn and closure parameters; match arms, `if let` and
    // `for` patterns are left free (Clew counts `let` bindings and parameters).
    { type: 'clone', kinds: ['variable'], parents: /^let_stmt$/, child: 'pattern_no_top_alt', family: RUST_PATTERN, patterns: RUST_BINDINGS },
    { type: 'clone', kinds: ['parameter'], parents: /^(fn_param|closure_param)$/, child: 'pattern_no_top_alt', family: RUST_PATTERN, patterns: RUST_BINDINGS },
  ],
  body: () => 'block',
  moduleSpecifier: { terminal: 'IDENT', quote: 'crate' },
};

export const SITES: Record<ProgramLanguage, LanguageSites> = {
  typescript: TYPESCRIPT,
  javascript: TYPESCRIPT,
  python: PYTHON,
  go: GO,
  rust: RUST,
};
