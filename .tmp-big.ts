import { compile } from './definitions/index.ts';
const n = Number(process.argv[2] ?? 10000);
let body = '<bpmn:startEvent id="start" />';
let prev = 'start';
for (let i = 0; i < n; i++) {
  body += `<bpmn:userTask id="t${i}" name="Task ${i}"><bpmn:extensionElements><zeebe:assignmentDefinition candidateGroups="g" /></bpmn:extensionElements></bpmn:userTask><bpmn:sequenceFlow id="f${i}" sourceRef="${prev}" targetRef="t${i}" />\n`;
  prev = `t${i}`;
}
body += `<bpmn:endEvent id="end" /><bpmn:sequenceFlow id="fend" sourceRef="${prev}" targetRef="end" />`;
const xml = `<bpmn:definitions xmlns:bpmn="http://www.omg.org/spec/BPMN/20100524/MODEL" xmlns:zeebe="http://camunda.org/schema/zeebe/1.0" id="d"><bpmn:process id="p" isExecutable="true">${body}</bpmn:process></bpmn:definitions>`;
const t0 = performance.now();
const r = await compile(xml);
console.log((xml.length / 1e6).toFixed(2), 'MB', r.ok, r.diagnostics.length, (performance.now() - t0).toFixed(0), 'ms');
const bad = xml.replaceAll('candidateGroups="g"', '');
const t1 = performance.now();
const r2 = await compile(bad);
console.log('all-bad', r2.ok, r2.diagnostics.length, (performance.now() - t1).toFixed(0), 'ms');
