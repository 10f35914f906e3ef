import type { Node } from 'web-tree-sitter';
import type { BindingFact, FunctionFact, ParamFact, ScopeFact, TypeFact } from '../../core/index.ts';
import { addIdentifier, qualifiedName, signatureText } from './common.ts';
import type { ExtractedFacts } from './types.ts';

/** What the Kotlin, Swift, PHP and Zig walkers collect while reading, for finishScopes. */
export interface ScopeTracking {
  /** Top-level names, visible in every scope that does not shadow them. */
  readonly moduleBindings: BindingFact[];
  /** The type whose method or initializer each scope is. */
  readonly typeOfScope: Map<ScopeFact, TypeFact>;
  /** Methods in declaration order; their signatures go into TypeFact.methods once bodies are read. */
  readonly methodOwners: { type: TypeFact; fn: FunctionFact }[];
}

/**
 * Opens the scope of a function: its parameters bound and recorded as identifiers; a method's scope
 * remembers its type (finishScopes binds the fields there).
 */
export function functionScope(out: ExtractedFacts, t: ScopeTracking, fact: FunctionFact, params: readonly ParamFact[], node: Node, type: TypeFact | undefined): ScopeFact {
  const bindings: BindingFact[] = [];
  for (const p of params) {
    bindings.push(p.type !== undefined ? { name: p.name, type: p.type, kind: 'parameter' } : { name: p.name, kind: 'parameter' });
    addIdentifier(out.identifiers, p.name, 'parameter', node);
  }
  const scope: ScopeFact = { function: qualifiedName(fact), line: fact.line, bindings };
  out.scopes.push(scope);
  if (type) t.typeOfScope.set(scope, type);
  return scope;
}

/**
 * Completes the facts once the file is read: every method's signature goes into its type, every
 * method scope binds its type's fields (under the name `fieldName` gives, `this->x` in PHP, or not
 * at all when it returns null), and every scope sees the module names it does not shadow.
 */
export function finishScopes(
  out: ExtractedFacts,
  t: ScopeTracking,
  fieldName: (scope: ScopeFact, type: TypeFact) => ((field: string) => string) | null = () => (f) => f,
): ExtractedFacts {
  for (const m of t.methodOwners) m.type.methods.push(signatureText({ ...m.fn, container: undefined }));
  for (const scope of out.scopes) {
    const type = t.typeOfScope.get(scope);
    const name = type ? fieldName(scope, type) : null;
    if (type && name) {
      for (const f of type.fields) scope.bindings.push(f.type !== undefined ? { name: name(f.name), type: f.type, kind: 'field' } : { name: name(f.name), kind: 'field' });
    }
    // Module names a parameter or local shadows are not visible.
    for (const b of t.moduleBindings) if (!scope.bindings.some((x) => x.name === b.name)) scope.bindings.push(b);
  }
  return out;
}
