import { readdirSync, readFileSync } from 'node:fs';
import { compile } from './definitions/index.ts';
const dir = '/work/shared/corpus/miwg/';
for (const f of readdirSync(dir).filter((f) => f.endsWith('.bpmn'))) {
  const t0 = performance.now();
  const r = await compile(readFileSync(dir + f));
  const codes: Record<string, number> = {};
  for (const d of r.diagnostics) codes[d.code] = (codes[d.code] ?? 0) + 1;
  console.log(f, r.ok, (performance.now() - t0).toFixed(0) + 'ms', JSON.stringify(codes));
  for (const d of r.diagnostics.filter((d) => !['unsupported-element', 'dead-end', 'unreachable-element'].includes(d.code)).slice(0, 6)) console.log('   ', d.code, d.elementId, d.line, d.message);
}
