/**
 * XGrammar (@mlc-ai/web-xgrammar, WebAssembly) as a peer engine, driven with our Tokenizer and our
 * mask layout. Used ONLY by benchmarks (speed ratios against a field engine in the same process)
 * and differential tests; nothing in the engine's production path imports this file.
 *
 * Loading: the package declares `"type": "module"` but its lib/index.js is a UMD bundle that calls
 * `require` and reads `__filename`, so Node refuses both `import` and `require` of it. The shim
 * below evaluates the file's text as CommonJS with a real `require`, and exposes the module's
 * internal embind binding so masks can be read synchronously (the public getNextTokenBitmask is
 * async and copies twice).
 *
 * Vocabulary: XGrammar wants each token as an encoded string plus a vocab type. We pass every
 * non-special token's exact bytes written with the GPT-2 byte↔unicode table and type BYTE_LEVEL,
 * which XGrammar decodes back to the same bytes whatever the tokenizer's own kind (byte-level BPE
 * or SentencePiece): the two engines see identical token bytes. Special tokens are passed as ""
 * (XGrammar's marker for special), and the EOS ids as its stop tokens.
 *
 * Masks: XGrammar's bitmask is bit i of 32-bit word i >> 5 = token i allowed, the same layout as
 * Matcher.computeMask.
 */
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname } from 'node:path';
import { AnankeError } from '../../core/index.ts';
import { EngineError, type Tokenizer, byteLevelEncode } from '../../engine/index.ts';

// ---- Minimal typing of the parts of web-xgrammar used here (the package's types are loose). ----
interface EmbindVector {
  delete(): void;
}
interface XgMatcherHandle {
  GetNextTokenBitmask(vocabSize: number): EmbindVector;
  AcceptToken(id: number, verbose: boolean): boolean;
  IsTerminated(): boolean;
  Reset(): void;
  Rollback(n: number): void;
  delete(): void;
}
interface XgDisposable {
  dispose(): void;
}
interface XgMatcher extends XgDisposable {
  handle: XgMatcherHandle;
}
interface XgCompiledGrammar extends XgDisposable {}
interface XgCompiler extends XgDisposable {
  compileJSONSchema(
    schema: string,
    anyWhitespace?: boolean,
    indent?: number,
    separators?: [string, string],
    strictMode?: boolean,
    maxWhitespaceCnt?: number,
  ): Promise<XgCompiledGrammar>;
  compileGrammar(grammar: string, rootRule?: string): Promise<XgCompiledGrammar>;
  compileBuiltinJSONGrammar(): Promise<XgCompiledGrammar>;
}
interface XgModule {
  TokenizerInfo: {
    createTokenizerInfo(vocab: string[], vocabType: string, prependSpace: boolean, vocabSize: number, stopTokenIds: number[]): Promise<XgDisposable>;
  };
  GrammarCompiler: { createGrammarCompiler(info: XgDisposable, cacheEnabled?: boolean): Promise<XgCompiler> };
  GrammarMatcher: { createGrammarMatcher(g: XgCompiledGrammar, stopTokens?: number[], terminateWithoutStop?: boolean): Promise<XgMatcher> };
  __binding(): { vecIntToView(v: EmbindVector): Int32Array };
}

let modulePromise: Promise<XgModule> | undefined;
/** The last line XGrammar printed to stderr (its error message before an abort). */
let lastError = '';

/** The peer is an optional peer dependency of Ananke: where it is installed, or a clear error. */
export function resolveXGrammar(): string {
  try {
    return createRequire(import.meta.url).resolve('@mlc-ai/web-xgrammar');
  } catch {
    throw new AnankeError('UNSUPPORTED', `the XGrammar peer engine is the optional package @mlc-ai/web-xgrammar, which is not installed: run \`npm install @mlc-ai/web-xgrammar@${XGRAMMAR_VERSION}\` beside Ananke`);
  }
}

/** The version the loader shim below was written against. */
export const XGRAMMAR_VERSION = '0.1.27';

/** Loads web-xgrammar once per process (see the file comment for why this is not an import). */
export function loadXGrammar(): Promise<XgModule> {
  modulePromise ??= (async () => {
    const file = resolveXGrammar();
    const marker = 'exports.default = index;';
    const init = 'binding = await Module();';
    const src = readFileSync(file, 'utf8');
    if (!src.includes(marker) || !src.includes(init)) {
      throw new EngineError('STATE', `${file}: unexpected web-xgrammar build (the loader shim expects version ${XGRAMMAR_VERSION})`);
    }
    // Expose the binding, and route the module's stderr (where its C++ errors go before it
    // aborts the call) into lastError so compile errors can say what was wrong.
    const patched = src
      .replace(marker, `${marker} exports.__binding = () => binding;`)
      .replace(init, 'binding = await Module(__xgModuleArg);');
    const moduleArg = {
      print: (): void => {},
      printErr: (line: string): void => {
        if (line !== 'Aborted()') lastError = line;
      },
    };
    const mod: { exports: Record<string, unknown> } = { exports: {} };
    const run = new Function('exports', 'module', 'require', '__filename', '__dirname', '__xgModuleArg', patched) as (
      e: object, m: object, r: NodeRequire, f: string, d: string, a: object) => void;
    run(mod.exports, mod, createRequire(file), file, dirname(file), moduleArg);
    const xg = mod.exports as unknown as XgModule;
    // The binding is created lazily by the first async call; make one so __binding() is set.
    const probe = await xg.TokenizerInfo.createTokenizerInfo([], 'raw', false, 0, []);
    probe.dispose();
    return xg;
  })();
  return modulePromise;
}

export interface PeerMatcher {
  /** Writes the allowed next tokens into bits (length ceil(vocabSize / 32)); EOS set when accepting. */
  fillNextTokenBitmask(bits: Uint32Array): void;
  acceptToken(id: number): boolean;
  /** True once a stop token has been accepted. */
  isTerminated(): boolean;
  reset(): void;
  rollback(n: number): void;
  dispose(): void;
}

export interface PeerGrammar {
  matcher(): Promise<PeerMatcher>;
  dispose(): void;
}

export interface JsonSchemaOptions {
  /** Allow any whitespace between JSON elements (default true). */
  anyWhitespace?: boolean;
  /** -1 (default): no fixed indentation, the layout compact JSON needs. */
  indent?: number;
  /** Enforced separators [comma, colon] (default: XGrammar's, `", "` and `": "` for indent -1). */
  separators?: [string, string];
  /**
   * XGrammar's strict mode forbids properties and items the schema does not name (as if
   * additionalProperties / unevaluatedItems were false). Default false: JSON Schema semantics.
   */
  strictMode?: boolean;
}

export interface XGrammarPeer {
  readonly vocabSize: number;
  compileEbnf(text: string, root?: string): Promise<PeerGrammar>;
  compileJsonSchema(schema: string | object, options?: JsonSchemaOptions): Promise<PeerGrammar>;
  compileBuiltinJson(): Promise<PeerGrammar>;
  dispose(): void;
}

/** Sets up XGrammar's tokenizer info and compiler for our tokenizer (≈0.1–0.3 s for 150k tokens). */
export async function createXGrammarPeer(tok: Tokenizer): Promise<XGrammarPeer> {
  const xg = await loadXGrammar();
  const binding = xg.__binding();
  const vocab: string[] = new Array<string>(tok.vocabSize);
  for (let id = 0; id < tok.vocabSize; id++) {
    vocab[id] = tok.isSpecial[id] ? '' : byteLevelEncode(tok.bytes.subarray(tok.offsets[id]!, tok.offsets[id + 1]!));
  }
  const info = await xg.TokenizerInfo.createTokenizerInfo(vocab, 'byte_level', false, tok.vocabSize, [...tok.eosTokens]);
  const compiler = await xg.GrammarCompiler.createGrammarCompiler(info, false);
  const vocabSize = tok.vocabSize;
  const words = (vocabSize + 31) >>> 5;

  const wrap = (compiled: XgCompiledGrammar): PeerGrammar => ({
    async matcher(): Promise<PeerMatcher> {
      const m = await xg.GrammarMatcher.createGrammarMatcher(compiled);
      const h = m.handle;
      return {
        fillNextTokenBitmask(bits: Uint32Array): void {
          if (bits.length < words) throw new EngineError('STATE', `mask has ${bits.length} words, needs ${words}`);
          const vec = h.GetNextTokenBitmask(vocabSize);
          try {
            const view = binding.vecIntToView(vec);
            bits.set(new Uint32Array(view.buffer, view.byteOffset, words));
          } finally {
            vec.delete();
          }
        },
        acceptToken: (id: number) => h.AcceptToken(id, false),
        isTerminated: () => h.IsTerminated(),
        reset: () => h.Reset(),
        rollback: (n: number) => h.Rollback(n),
        dispose: () => m.dispose(),
      };
    },
    dispose: () => compiled.dispose(),
  });

  // A C++ error makes the WebAssembly module abort the call (it stays usable for later calls, but
  // may leak the memory of the failed one): keep that in mind for runs with many compile errors.
  const guard = async (what: string, f: () => Promise<XgCompiledGrammar>): Promise<PeerGrammar> => {
    lastError = '';
    try {
      return wrap(await f());
    } catch (e) {
      if (e instanceof EngineError) throw e;
      const msg = lastError.replace(/^\[FATAL\] \S+: /, '') || (e instanceof Error ? e.message : String(e));
      throw new EngineError(what === 'schema' ? 'SCHEMA' : 'GRAMMAR', `xgrammar rejected the ${what}: ${msg}`);
    }
  };

  return {
    vocabSize,
    compileEbnf: (text, root = 'root') => guard('grammar', () => compiler.compileGrammar(text, root)),
    compileJsonSchema: (schema, o = {}) =>
      guard('schema', () =>
        compiler.compileJSONSchema(
          typeof schema === 'string' ? schema : JSON.stringify(schema),
          o.anyWhitespace ?? true,
          o.indent ?? -1,
          o.separators,
          o.strictMode ?? false,
        ),
      ),
    compileBuiltinJson: () => guard('grammar', () => compiler.compileBuiltinJSONGrammar()),
    dispose(): void {
      compiler.dispose();
      info.dispose();
    },
  };
}
