import { runJsts } from './src/engine/eval/jsts.ts';
const t0 = Date.now();
const r = runJsts('/work/shared/data/json-schema-test-suite/tests/draft2020-12');
console.log(JSON.stringify(r.required), JSON.stringify(r.optional), (Date.now()-t0)+'ms');
for (const c of r.cases) if (c.outcome === 'false-positive') console.log('FP', c.id, c.description);
const errs = new Map<string, number>();
for (const c of r.cases) if (c.error) { const k = c.error.replace(/at #[^:]*/, '').slice(0, 90); errs.set(k, (errs.get(k) ?? 0) + 1); }
console.log([...errs].sort((a,b)=>b[1]-a[1]).slice(0, 40).map(([k,v])=>v+' '+k).join('\n'));
