import { readFileSync, readdirSync } from 'node:fs';
import { compile } from '../definitions/index.ts';
const files = process.argv.slice(2);
for (const f of files) {
  const r = await compile(readFileSync(f));
  const ds = r.diagnostics.map((d) => `  ${d.severity[0]} ${d.code} ${d.elementId ?? ''}@${d.line ?? ''}:${d.column ?? ''} ${d.message.slice(0, 160)}`);
  console.log(`${f.split('/').pop()}: ${r.ok ? 'ok' : 'REJECTED'}\n${ds.join('\n')}`);
}
