import { readFileSync } from 'node:fs';
import { BpmnModdle } from 'bpmn-moddle';
const m = new BpmnModdle();
for (const f of process.argv.slice(2)) {
  const t = readFileSync(f, 'utf8');
  try { const r: any = await m.fromXML(t, 'bpmn:Definitions', { lax: false }); console.log(f.split('/').pop(), 'strict ok', r.warnings.length); }
  catch (e: any) { console.log(f.split('/').pop(), 'strict threw', e.message.slice(0, 150)); }
}
