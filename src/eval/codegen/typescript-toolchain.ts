/**
 * TypeScript candidates. With the `typescript` package (a development dependency of Ananke, or the
 * user's own): its parser says whether a candidate parses, its checker counts type errors under
 * the codebase's tsconfig.json, and every file of the copy is compiled to JavaScript for Node to
 * run the test. Without it, Node ≥ 22.6 runs the test from source (`--experimental-strip-types`),
 * tree-sitter parses, and type errors are not measured. Node 20 has neither, so there the tests
 * need the package: the report says so.
 */
import fs from 'node:fs';
import { createRequire } from 'node:module';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import type * as TS from 'typescript';
import { runProcess } from './run-process.ts';
import { testEnv, treeSitterParses, type TestOutcome, type Toolchain } from './toolchain.ts';
import type { Sandbox } from './sandbox.ts';

type TypeScript = typeof TS;

/** The `typescript` package as Ananke's own install, then the current folder's project, resolve it. */
function loadTypeScript(): TypeScript | undefined {
  for (const from of [import.meta.url, pathToFileURL(path.join(process.cwd(), 'package.json')).href]) {
    try {
      return createRequire(from)('typescript') as TypeScript;
    } catch {
      // not resolvable from there
    }
  }
  return undefined;
}

/** Node runs TypeScript by erasing types from 22.6 on. */
function nodeStripsTypes(): boolean {
  const [major = 0, minor = 0] = process.versions.node.split('.').map(Number);
  return major > 22 || (major === 22 && minor >= 6);
}

/** When the codebase has no tsconfig.json: strict, modern ES modules, `.ts` import paths. */
const DEFAULT_OPTIONS = {
  strict: true, target: 'ES2022', module: 'NodeNext', moduleResolution: 'NodeNext', allowImportingTsExtensions: true, lib: ['ES2022'], types: [],
};

function sourceFiles(dir: string, out: string[] = []): string[] {
  for (const e of fs.readdirSync(dir, { withFileTypes: true })) {
    const p = path.join(dir, e.name);
    if (e.isDirectory()) sourceFiles(p, out);
    else if (e.isFile() && /\.m?ts$/.test(e.name) && !/\.d\.m?ts$/.test(e.name)) out.push(p);
  }
  return out;
}

const jsOf = (file: string): string => file.replace(/\.(m?)ts$/, '.$1js');

export function typescriptToolchain(): Toolchain {
  const ts = loadTypeScript();
  const strip = nodeStripsTypes();
  const node = `Node ${process.versions.node}`;
  // Parsed library files (lib.es2022.d.ts …) are the same for every candidate: parse them once.
  const libCache = new Map<string, TS.SourceFile>();
  const transpile = (source: string, fileName: string): TS.TranspileOutput => ts!.transpileModule(source, {
    fileName, reportDiagnostics: true,
    compilerOptions: { module: ts!.ModuleKind.ESNext, target: ts!.ScriptTarget.ES2022, rewriteRelativeImportExtensions: true },
  });
  const compilerOptions = (box: Sandbox): TS.CompilerOptions => {
    const file = path.join(box.codebase, 'tsconfig.json');
    const raw = fs.existsSync(file) ? ts!.readConfigFile(file, ts!.sys.readFile).config as { compilerOptions?: object } | undefined : undefined;
    const parsed = ts!.convertCompilerOptionsFromJson(raw?.compilerOptions ?? DEFAULT_OPTIONS, box.codebase);
    return { ...parsed.options, noEmit: true, skipLibCheck: true };
  };
  return {
    language: 'typescript',
    info: {
      parser: ts ? `TypeScript ${ts.version}` : 'tree-sitter-typescript',
      typeChecker: ts ? `TypeScript ${ts.version} (the codebase's tsconfig.json)` : null,
      testRunner: ts ? `${node} (compiled with TypeScript ${ts.version})` : strip ? `${node} --experimental-strip-types` : null,
      notes: ts ? [] : [
        `the typescript package is not installed: TypeScript type errors are not counted and parsing falls back to tree-sitter (npm install typescript)${strip ? '' : `; ${node} cannot run TypeScript either (Node ≥ 22.6 can), so TypeScript tests are not run`}`,
      ],
    },
    prepare(box: Sandbox): void {
      if (!ts) return;
      for (const f of sourceFiles(box.root)) fs.writeFileSync(jsOf(f), transpile(fs.readFileSync(f, 'utf8'), f).outputText);
    },
    async writeCandidate(box: Sandbox, source: string): Promise<boolean> {
      box.write(source);
      if (!ts) return treeSitterParses('typescript', source);
      const out = transpile(source, box.targetFile);
      fs.writeFileSync(jsOf(box.targetFile), out.outputText);
      return (out.diagnostics ?? []).every((d) => d.category !== ts.DiagnosticCategory.Error);
    },
    typeErrors(box: Sandbox): number | null {
      if (!ts) return null;
      const options = compilerOptions(box);
      const host = ts.createCompilerHost(options);
      const read = host.getSourceFile.bind(host);
      host.getSourceFile = (fileName, languageVersion, onError, fresh) => {
        if (fileName.startsWith(box.root)) return read(fileName, languageVersion, onError, fresh);
        const key = `${fileName}\0${typeof languageVersion === 'object' ? languageVersion.languageVersion : languageVersion}`;
        let sf = libCache.get(key);
        if (!sf) {
          sf = read(fileName, languageVersion, onError, fresh);
          if (sf) libCache.set(key, sf);
        }
        return sf;
      };
      const program = ts.createProgram([box.targetFile], options, host);
      const diagnostics = [...program.getGlobalDiagnostics(), ...program.getSemanticDiagnostics()];
      return diagnostics.filter((d) => d.category === ts.DiagnosticCategory.Error).length;
    },
    runTest(box: Sandbox, timeoutMs: number): TestOutcome {
      const compiled = /\.m?ts$/.test(box.test);
      let args: string[];
      if (!compiled) args = ['--test', box.test];
      else if (ts) args = ['--test', jsOf(box.test)];
      else if (strip) args = ['--experimental-strip-types', '--no-warnings', '--test', box.test];
      else return { status: 'not_run', output: `${node} cannot run TypeScript and the typescript package is not installed` };
      const r = runProcess(process.execPath, args, { cwd: path.dirname(box.test), timeoutMs, env: testEnv() });
      return { status: r.timedOut ? 'timeout' : r.status === 0 ? 'passed' : 'failed', output: r.output };
    },
  };
}
