import { compile } from '../definitions/index.ts';
const NS = 'xmlns:bpmn="http://www.omg.org/spec/BPMN/20100524/MODEL"';
const xml = `<?xml version="1.0" encoding="UTF-8"?>\n<bpmn:definitions ${NS} id="d">\n  <bpmn:process id="p" isExecutable="true">\n<bpmn:startEvent id="start" />
<bpmn:parallelGateway id="fork" />
<bpmn:parallelGateway id="both" />
<bpmn:endEvent id="e1" />
<bpmn:endEvent id="e2" />
<bpmn:sequenceFlow id="f1" sourceRef="start" targetRef="fork" />
<bpmn:sequenceFlow id="f2" sourceRef="fork" targetRef="both" />
<bpmn:sequenceFlow id="f3" sourceRef="fork" targetRef="both" name="second" />
<bpmn:sequenceFlow id="f4" sourceRef="both" targetRef="e1" />
<bpmn:sequenceFlow id="f5" sourceRef="both" targetRef="e2" />
</bpmn:process></bpmn:definitions>`;
console.log((await compile(xml)).diagnostics);
