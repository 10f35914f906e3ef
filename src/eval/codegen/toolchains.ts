/** The toolchain of each language eval tasks may be written in. */
import { AnankeError, type Language } from '../../core/index.ts';
import { pythonToolchain } from './python-toolchain.ts';
import type { EvalLanguage, Toolchain } from './toolchain.ts';
import { typescriptToolchain } from './typescript-toolchain.ts';

const made = new Map<EvalLanguage, Toolchain>();

/** Made once per process: finding the tools spawns processes. */
export function toolchainFor(language: Language): Toolchain {
  if (language !== 'typescript' && language !== 'python') {
    throw new AnankeError('UNSUPPORTED', `eval tasks are TypeScript or Python (their tests run through Node or python3); this target is ${language}`);
  }
  let t = made.get(language);
  if (!t) made.set(language, (t = language === 'typescript' ? typescriptToolchain() : pythonToolchain()));
  return t;
}
