import { existsSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { byteTokenizer, compile, parseLark, programGrammarText } from '../../src/engine/index.ts';
import { corpora, spread } from './corpora.ts';

/** Where the speed tools keep their texts unless told otherwise. */
export const DEFAULT_SPEED_SNAPSHOT = '/tmp/ananke-grammar-speed-texts.json';

/**
 * The texts the speed tools (grammar-speed.ts, lockstep-ab.ts) walk, per language: the selection
 * bench/grammars.ts makes (accepted files of at most 16 KB of each corpus, 40 spread over it),
 * frozen in `snapshot` on the first run so that A/B runs read the same texts while the corpora and
 * the repository change. Languages whose corpus is not installed are absent.
 */
export function speedTexts(root: string, snapshot: string): Record<string, string[]> {
  if (existsSync(snapshot)) return JSON.parse(readFileSync(snapshot, 'utf8')) as Record<string, string[]>;
  const out: Record<string, string[]> = {};
  for (const corpus of corpora(root)) {
    if (corpus.lang === 'javascript') continue;
    const cg = compile(parseLark(programGrammarText(corpus.lang)), byteTokenizer());
    const accepted: string[] = [];
    for (const f of corpus.files) {
      if (statSync(f).size > 16 * 1024) continue;
      let t: string;
      try {
        t = new TextDecoder('utf-8', { fatal: true }).decode(readFileSync(f));
      } catch {
        continue;
      }
      try {
        if (cg.check(t).accepted) accepted.push(t);
      } catch {
        /* limit */
      }
    }
    out[corpus.lang] = spread(accepted, 40);
  }
  writeFileSync(snapshot, JSON.stringify(out));
  return out;
}
