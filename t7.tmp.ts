import { readFileSync } from 'node:fs';
import { compileJsonSchema } from './src/engine/schema/index.ts';
import { compile } from './src/engine/matcher/compiled.ts';
import { byteTokenizer } from './src/engine/matcher/byte-tokenizer.ts';
const dir = '/work/shared/data/maskbench-dev/';
const byFile = new Map<string, { valid: boolean; text: string }[]>();
for (const line of readFileSync(dir + 'serialized.jsonl', 'utf8').split('\n')) {
  if (!line) continue;
  const r = JSON.parse(line);
  if (!byFile.has(r.file)) byFile.set(r.file, []);
  byFile.get(r.file)!.push(r);
}
let pass = 0, ce = 0, fp = 0, fn = 0, crash = 0;
const errs = new Map<string, number>();
const t0 = Date.now();
for (const [file, insts] of byFile) {
  const d = JSON.parse(readFileSync(dir + file, 'utf8'));
  let cg;
  try { cg = compile(compileJsonSchema(d.schema), byteTokenizer()); } catch (e: any) { ce++; const k = String(e.message).replace(/at #[^:]*/, '').replace(/".*?"/g, '""').slice(0, 70); errs.set(k, (errs.get(k) ?? 0) + 1); if (!(e.code)) { crash++; console.log('CRASH', file, e.stack?.slice(0, 300)); } continue; }
  let ok = true;
  for (const i of insts) {
    let m: boolean;
    try { m = cg.matches(i.text); } catch (e: any) { console.log('MATCH ERR', file, e.message); m = false; }
    if (m && !i.valid) { fp++; ok = false; console.log('FP', file, i.text.slice(0, 200)); }
    if (!m && i.valid) { fn++; ok = false; console.log("FN", file, cg.check(i.text).message?.slice(0, 200)); }
  }
  if (ok) pass++;
}
console.log({ schemas: byFile.size, pass, ce, fp, fn, crash, ms: Date.now() - t0 });
console.log([...errs].sort((a, b) => b[1] - a[1]).slice(0, 15).map(([k, v]) => v + ' ' + k).join('\n'));
