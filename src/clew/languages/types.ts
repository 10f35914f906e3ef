import type { Node } from 'web-tree-sitter';
import type {
  ExportFact, FunctionFact, HoleFact, IdentifierFact, ImportFact, ScopeFact, StyleSignals, TypeFact,
} from '../../core/index.ts';

/** What a language extractor finds in one syntax tree. */
export interface ExtractedFacts {
  functions: FunctionFact[];
  types: TypeFact[];
  imports: ImportFact[];
  exports: ExportFact[];
  scopes: ScopeFact[];
  /** Code-level holes (`unimplemented!()`, `raise NotImplementedError`, `throw new Error("not implemented")`).
   *  TODO/FIXME comments are found for every language by extract-file.ts. */
  holes: HoleFact[];
  /** Variables, constants, fields, parameters, for naming conventions. */
  identifiers: IdentifierFact[];
  /** Counts keyed by the names in ../signals.ts. */
  signals: StyleSignals;
}

/** One per language, in src/clew/languages/<language>.ts, registered in registry.ts. */
export type LanguageExtractor = (root: Node, source: string) => ExtractedFacts;
