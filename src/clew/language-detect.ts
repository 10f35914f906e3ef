/** Which language a file is written in: by extension, then by `#!` line for extensionless scripts. */
import type { Language } from '../core/index.ts';

const BY_EXTENSION: Readonly<Record<string, Language>> = {
  ts: 'typescript', mts: 'typescript', cts: 'typescript', tsx: 'tsx',
  js: 'javascript', mjs: 'javascript', cjs: 'javascript', jsx: 'javascript',
  py: 'python', pyi: 'python', pyw: 'python',
  rs: 'rust', go: 'go', java: 'java',
  c: 'c', h: 'c',
  cc: 'cpp', cpp: 'cpp', cxx: 'cpp', 'c++': 'cpp', hh: 'cpp', hpp: 'cpp', hxx: 'cpp', 'h++': 'cpp', ipp: 'cpp',
  cs: 'csharp', rb: 'ruby', rake: 'ruby', gemspec: 'ruby', php: 'php', phtml: 'php',
  kt: 'kotlin', kts: 'kotlin', swift: 'swift', zig: 'zig',
};

/** Well-known extensionless file names. */
const BY_NAME: Readonly<Record<string, Language>> = {
  Rakefile: 'ruby', Gemfile: 'ruby', Guardfile: 'ruby', Podfile: 'ruby', Vagrantfile: 'ruby', Brewfile: 'ruby',
};

/** Interpreter names in `#!` lines. */
const BY_INTERPRETER: readonly [RegExp, Language][] = [
  [/^python[0-9.]*$/, 'python'],
  [/^(node|nodejs|bun|deno)$/, 'javascript'],
  [/^(ts-node|tsx)$/, 'typescript'],
  [/^(ruby|jruby)[0-9.]*$/, 'ruby'],
  [/^php[0-9.]*$/, 'php'],
];

/** The language a path's extension or name implies, if any. */
export function languageFromPath(path: string): Language | undefined {
  const base = path.slice(path.lastIndexOf('/') + 1);
  const byName = BY_NAME[base];
  if (byName) return byName;
  const dot = base.lastIndexOf('.');
  if (dot <= 0) return undefined;
  return BY_EXTENSION[base.slice(dot + 1).toLowerCase()];
}

/** Whether a path has no extension, so its `#!` line is worth reading. */
export function mayHaveShebang(path: string): boolean {
  const base = path.slice(path.lastIndexOf('/') + 1);
  return base.lastIndexOf('.') <= 0;
}

/** The language of a `#!` line: `#!/usr/bin/env python3`, `#!/usr/bin/node`, `#!/usr/bin/env -S deno run`. */
export function languageFromShebang(head: string): Language | undefined {
  if (!head.startsWith('#!')) return undefined;
  const line = head.slice(2, head.indexOf('\n') < 0 ? head.length : head.indexOf('\n')).trim();
  const words = line.split(/\s+/);
  let prog = words[0]!.slice(words[0]!.lastIndexOf('/') + 1);
  if (prog === 'env') {
    const rest = words.slice(1).filter((w) => !w.startsWith('-') && !w.includes('='));
    prog = rest[0] ?? '';
  }
  for (const [re, lang] of BY_INTERPRETER) if (re.test(prog)) return lang;
  return undefined;
}

/** Language by extension, else by shebang when `head` (the file's first bytes) is given. */
export function detectLanguage(path: string, head?: string): Language | undefined {
  return languageFromPath(path) ?? (head !== undefined && mayHaveShebang(path) ? languageFromShebang(head) : undefined);
}
