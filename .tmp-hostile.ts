import { compile } from './definitions/index.ts';
const head = '<bpmn:definitions xmlns:bpmn="http://www.omg.org/spec/BPMN/20100524/MODEL" xmlns:govflow="http://govflow.dev/schema/1.0" id="d"><bpmn:process id="p" isExecutable="true">';
const tail = '</bpmn:process></bpmn:definitions>';
const fill = (unit: (i: number) => string, bytes: number) => { let s = ''; for (let i = 0; s.length < bytes; i++) s += unit(i); return s; };
const cases: Record<string, string> = {
  'lax 32KB unknown multi-line': head + fill(() => '<bpmn:x/>\n', 31 * 1024) + tail,
  'lax 32KB unknown single': head + fill(() => '<bpmn:x/>', 31 * 1024) + tail,
  '5MB unknown attrs spaced': head + fill((i) => `<bpmn:task id="t${i}" foo = "1"/>\n`, 4.9e6) + tail,
  '5MB unresolved flows': head + fill((i) => `<bpmn:sequenceFlow id="f${i}" sourceRef="a${i}" targetRef="b${i}"/>\n`, 4.9e6) + tail,
  '5MB start events': head + fill((i) => `<bpmn:startEvent id="s${i}"/>`, 4.9e6) + tail,
  '5MB flat tasks w/ rules': head + fill((i) => `<bpmn:userTask id="t${i}"><bpmn:extensionElements><govflow:approvalRule/></bpmn:extensionElements></bpmn:userTask>`, 4.9e6) + tail,
  '5MB comment': head + '<!--' + 'x'.repeat(4.9e6) + '-->' + tail,
  '5MB unclosed tag': head + '<bpmn:task ' + 'a'.repeat(4.9e6),
  '5MB lt': '<'.repeat(4.9e6),
  '5MB ids': fill((i) => ` id="${i}"`, 4.9e6),
  '5MB feel': head + `<bpmn:startEvent id="s"/><bpmn:exclusiveGateway id="g"/><bpmn:endEvent id="e"/><bpmn:sequenceFlow id="f0" sourceRef="s" targetRef="g"/><bpmn:sequenceFlow id="f" sourceRef="g" targetRef="e"><bpmn:conditionExpression>${'('.repeat(60000)}</bpmn:conditionExpression></bpmn:sequenceFlow>` + tail,
  'deep feel': head + `<bpmn:startEvent id="s"/><bpmn:exclusiveGateway id="g"/><bpmn:endEvent id="e"/><bpmn:sequenceFlow id="f0" sourceRef="s" targetRef="g"/><bpmn:sequenceFlow id="f" sourceRef="g" targetRef="e"><bpmn:conditionExpression>${'('.repeat(16000)}1${')'.repeat(16000)}</bpmn:conditionExpression></bpmn:sequenceFlow>` + tail,
};
for (const [label, xml] of Object.entries(cases)) {
  const t = performance.now();
  const r = await compile(xml);
  const codes = [...new Set(r.diagnostics.map((d) => d.code))].join(',');
  console.log(label.padEnd(30), (xml.length / 1e6).toFixed(2) + 'MB', r.ok, r.diagnostics.length, codes.slice(0, 100), (performance.now() - t).toFixed(0) + 'ms');
}
