import { compile } from '../definitions/index.ts';
const NS = 'xmlns:bpmn="http://www.omg.org/spec/BPMN/20100524/MODEL" xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance"';
const wrap = (b: string) => `<?xml version="1.0"?>\n<bpmn:definitions ${NS} id="d"><bpmn:process id="p" isExecutable="true">\n${b}\n</bpmn:process></bpmn:definitions>`;
const n = Number(process.argv[2] ?? 20000);
// fan: gateway with default + n bare flows, each from task t (condition on one)
const fan = ['<bpmn:startEvent id="s"/>', '<bpmn:manualTask id="t"/>', '<bpmn:endEvent id="e"/>', '<bpmn:sequenceFlow id="f0" sourceRef="s" targetRef="t"/>',
  '<bpmn:sequenceFlow id="c" sourceRef="t" targetRef="e"><bpmn:conditionExpression xsi:type="bpmn:tFormalExpression">=x</bpmn:conditionExpression></bpmn:sequenceFlow>',
  ...Array.from({ length: n }, (_, i) => `<bpmn:sequenceFlow id="f${i + 1}" sourceRef="t" targetRef="e"/>`)].join('\n');
const chain = ['<bpmn:startEvent id="s"/>', ...Array.from({ length: n }, (_, i) => `<bpmn:manualTask id="t${i}"/>`), '<bpmn:endEvent id="e"/>',
  '<bpmn:sequenceFlow id="f" sourceRef="s" targetRef="t0"/>', ...Array.from({ length: n - 1 }, (_, i) => `<bpmn:sequenceFlow id="f${i}" sourceRef="t${i}" targetRef="t${i + 1}"/>`), `<bpmn:sequenceFlow id="fe" sourceRef="t${n - 1}" targetRef="e"/>`].join('\n');
for (const [name, body] of [['fan', fan], ['chain', chain]] as const) {
  const xml = wrap(body);
  const s = performance.now();
  const r = await compile(xml);
  console.log(name, (xml.length / 1e6).toFixed(1), 'MB', (performance.now() - s).toFixed(0), 'ms', r.ok, r.diagnostics.length, [...new Set(r.diagnostics.map((d) => d.code))].join(','));
}
const { Locator } = await import('../definitions/locate.ts');
const { parseBpmn } = await import('../definitions/parse.ts');
const { selectProcess } = await import('../definitions/select.ts');
const { createContext } = await import('../definitions/context.ts');
const { RULES } = await import('../definitions/rules/index.ts');
const { bpmnlint } = await import('../definitions/lint/bpmnlint.ts');
const xml = wrap(chain);
let t = performance.now();
const locator = new Locator(xml); const parsed = await parseBpmn(xml, locator);
console.log('parse', (performance.now() - t).toFixed(0)); t = performance.now();
const ctx = createContext(locator, parsed.definitions!, selectProcess(parsed.definitions!, locator).process!, parsed.unresolved);
const ours = Object.values(RULES).flatMap((r) => r(ctx));
console.log('rules', (performance.now() - t).toFixed(0)); t = performance.now();
await bpmnlint(ctx, ours);
console.log('bpmnlint', (performance.now() - t).toFixed(0));
