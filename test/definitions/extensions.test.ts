// zeebe: and govflow: extensions as they land in the model, and parse-level diagnostics.
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { compile } from '../../definitions/index.ts';
import type { ProcessModel } from '../../definitions/model.ts';

const fixture = (name: string) => readFileSync(new URL(`../fixtures/bpmn/${name}.bpmn`, import.meta.url));

async function model(xml: string | Uint8Array): Promise<ProcessModel> {
  const result = await compile(xml);
  if (!result.ok) throw new Error(JSON.stringify(result.diagnostics, null, 2));
  return result.model;
}

const NS =
  'xmlns:bpmn="http://www.omg.org/spec/BPMN/20100524/MODEL" xmlns:zeebe="http://camunda.org/schema/zeebe/1.0" xmlns:govflow="http://govflow.dev/schema/1.0"';
const wrap = (body: string, processAttrs = 'id="p" isExecutable="true"') =>
  `<?xml version="1.0" encoding="UTF-8"?>\n<bpmn:definitions ${NS} id="d">\n  <bpmn:process ${processAttrs}>\n${body}\n  </bpmn:process>\n</bpmn:definitions>\n`;
const straight = `    <bpmn:startEvent id="start" />
    <bpmn:endEvent id="end" />
    <bpmn:sequenceFlow id="f1" sourceRef="start" targetRef="end" />`;

describe('extensions in the model', () => {
  it('maps zeebe:ioMapping; a source without "=" is a static string', async () => {
    const m = await model(fixture('io-mapping-invalid.valid'));
    expect(m.elements.review.inputs).toEqual([{ source: 'parcel', target: 'parcelId' }]);
    expect(m.elements.review.outputs).toEqual([{ source: '"clerk"', target: 'reviewedBy' }]);
  });

  it('reads govflow:decisions, assignee and retries', async () => {
    const decisions = (await model(fixture('user-task-decisions-invalid.valid'))).elements.review;
    expect(decisions.kind === 'userTask' && decisions.decisions).toEqual(['approve', 'reject', 'return']);
    const assigned = (await model(fixture('user-task-unassigned.valid'))).elements.review;
    expect(assigned).toMatchObject({
      kind: 'userTask',
      assignee: 'alice',
      candidateGroups: [],
      decisions: ['approve', 'reject'],
    });
    const retried = (await model(fixture('service-task-retries-invalid.valid'))).elements.transfer;
    expect(retried).toMatchObject({ kind: 'serviceTask', taskType: 'x', retries: 5 });
  });

  it('splits comma-separated candidate groups', async () => {
    const body = `    <bpmn:startEvent id="start" />
    <bpmn:userTask id="t"><bpmn:extensionElements><zeebe:assignmentDefinition candidateGroups="tax, land-registry ,," /></bpmn:extensionElements></bpmn:userTask>
    <bpmn:endEvent id="end" />
    <bpmn:sequenceFlow id="f1" sourceRef="start" targetRef="t" />
    <bpmn:sequenceFlow id="f2" sourceRef="t" targetRef="end" />`;
    expect((await model(wrap(body))).elements.t).toMatchObject({ candidateGroups: ['tax', 'land-registry'] });
  });
});

describe('parse diagnostics', () => {
  it('reports an unknown BPMN element with its id and line', async () => {
    const result = await compile(wrap(`${straight}\n    <bpmn:fooTask id="odd" />`));
    expect(result.ok).toBe(false);
    expect(result.diagnostics).toContainEqual(
      expect.objectContaining({ code: 'unknown-element', elementId: 'odd', line: 7, column: 5 }),
    );
  });

  it('reports unknown attributes in known namespaces, ignores foreign ones', async () => {
    const body = straight.replace(
      '<bpmn:endEvent id="end" />',
      '<bpmn:endEvent id="end" zeebe:colour="red" modeler:x="1" xmlns:modeler="http://camunda.org/schema/modeler/1.0" />',
    );
    const result = await compile(wrap(body));
    expect(result.diagnostics).toEqual([
      expect.objectContaining({ code: 'unknown-attribute', severity: 'error', elementId: 'end', line: 5 }),
    ]);
  });

  it('keeps foreign extension elements without diagnostics', async () => {
    const body = straight.replace(
      '<bpmn:startEvent id="start" />',
      '<bpmn:startEvent id="start"><bpmn:extensionElements><camunda:properties xmlns:camunda="http://camunda.org/schema/1.0/bpmn" /></bpmn:extensionElements></bpmn:startEvent>',
    );
    const result = await compile(wrap(body));
    expect(result).toMatchObject({ ok: true, diagnostics: [] });
  });

  it('reports an unknown govflow element', async () => {
    const body = straight.replace(
      '<bpmn:startEvent id="start" />',
      '<bpmn:startEvent id="start"><bpmn:extensionElements><govflow:formFeld id="x" /></bpmn:extensionElements></bpmn:startEvent>',
    );
    const result = await compile(wrap(body));
    expect(result.diagnostics.map((d) => d.code)).toEqual(['unknown-element']);
  });

  it('compiles the only executable process of several, rejects ambiguity', async () => {
    const two = (a: string, b: string) =>
      wrap(straight, `id="a" isExecutable="${a}"`).replace(
        '</bpmn:definitions>',
        `<bpmn:process id="b" isExecutable="${b}">${straight.replaceAll('"start"', '"s2"').replaceAll('"end"', '"e2"').replace('"f1"', '"f2"')}</bpmn:process></bpmn:definitions>`,
      );
    expect((await model(two('false', 'true'))).key).toBe('b');
    const ambiguous = await compile(two('true', 'true'));
    expect(ambiguous.diagnostics.map((d) => d.code)).toEqual(['ambiguous-process']);
    const none = await compile(`<bpmn:definitions ${NS} id="d"/>`);
    expect(none.diagnostics.map((d) => d.code)).toEqual(['no-process']);
  });

  it('warns, but compiles, a single process not marked executable', async () => {
    const result = await compile(wrap(straight, 'id="p"'));
    expect(result.ok).toBe(true);
    expect(result.diagnostics).toEqual([
      expect.objectContaining({ code: 'process-not-executable', severity: 'warning' }),
    ]);
  });

  it('reports a start event with an unsupported trigger, naming the trigger', async () => {
    const body = straight.replace(
      '<bpmn:startEvent id="start" />',
      '<bpmn:startEvent id="start"><bpmn:conditionalEventDefinition /></bpmn:startEvent>',
    );
    const result = await compile(wrap(body));
    expect(result.diagnostics).toEqual([
      expect.objectContaining({ code: 'unsupported-element', elementId: 'start', line: 4 }),
    ]);
    expect(result.diagnostics[0].message).toContain('a conditional trigger; here only none, message, timer');
  });

  it('accepts and ignores message flows between pools', async () => {
    const collaboration = `<bpmn:collaboration id="c"><bpmn:participant id="us" processRef="p" /><bpmn:participant id="them" /><bpmn:messageFlow id="mf" sourceRef="them" targetRef="start" /></bpmn:collaboration>`;
    const result = await compile(
      wrap(straight).replace('<bpmn:process', `${collaboration}\n  <bpmn:process`),
    );
    expect(result).toMatchObject({ ok: true, diagnostics: [] });
  });
});
