import { readdirSync, readFileSync } from 'node:fs';
import { compile } from './definitions/index.ts';
const dir = 'test/fixtures/bpmn/';
for (const f of readdirSync(dir).sort()) {
  const r = await compile(readFileSync(dir + f));
  console.log(f, r.ok, r.diagnostics.map((d) => `${d.severity[0]}:${d.code}@${d.elementId}:${d.line}:${d.column}`).join(' '));
  if (f.includes('invalid.') ) for (const d of r.diagnostics) console.log('     ', d.message);
}
