import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { compile } from '../../definitions/index.ts';
import { ProcessModel } from '../../definitions/model.ts';

const source = readFileSync(new URL('../../definitions/property-registration.bpmn', import.meta.url));

async function compiled() {
  const result = await compile(source);
  if (!result.ok) throw new Error(JSON.stringify(result.diagnostics, null, 2));
  return result;
}

describe('property-registration.bpmn', () => {
  it('compiles without diagnostics into a valid process model', async () => {
    const { model, diagnostics } = await compiled();
    expect(diagnostics).toEqual([]);
    expect(ProcessModel.parse(model)).toEqual(model);
    expect(model).toMatchObject({
      irVersion: 2,
      key: 'property-registration',
      name: 'Property registration',
      version: 1,
      startEventId: 'submitted',
    });
  });

  it('has exactly the expected elements and flows', async () => {
    const { model } = await compiled();
    const kinds = Object.fromEntries(Object.values(model.elements).map((e) => [e.id, e.kind]));
    expect(kinds).toEqual({
      submitted: 'startEvent',
      review: 'userTask',
      approved: 'exclusiveGateway',
      transfer: 'serviceTask',
      completed: 'endEvent',
      rejected: 'endEvent',
    });
    expect(Object.values(model.flows)).toEqual([
      { id: 'toReview', source: 'submitted', target: 'review' },
      { id: 'toDecision', source: 'review', target: 'approved' },
      {
        id: 'toTransfer',
        name: 'Approved',
        source: 'approved',
        target: 'transfer',
        condition: 'decision = "approve"',
      },
      { id: 'toRejected', name: 'Otherwise', source: 'approved', target: 'rejected' },
      { id: 'toCompleted', source: 'transfer', target: 'completed' },
    ]);
    expect(model.elements.approved).toMatchObject({
      defaultFlow: 'toRejected',
      incoming: ['toDecision'],
      outgoing: ['toTransfer', 'toRejected'],
    });
    expect(model.elements.transfer).toMatchObject({ taskType: 'land-registry.transfer-title', retries: 3 });
    expect(model.elements.completed).toMatchObject({ name: 'Title transferred', outcome: 'completed' });
    expect(model.elements.rejected).toMatchObject({ name: 'Application rejected', outcome: 'rejected' });
    expect(model.elements.review.line).toBe(14);
  });

  it('carries the review task assignment and approval rule', async () => {
    const { model } = await compiled();
    const review = model.elements.review;
    if (review.kind !== 'userTask') throw new Error('review is not a user task');
    expect(review.candidateGroups).toEqual(['land-registry']);
    expect(review.decisions).toEqual(['approve', 'reject']);
    expect(review.form).toEqual([]);
    expect(review.rule).toEqual({
      id: 'title-clear',
      facts: [
        { name: 'title', registry: 'land-title', key: 'parcel' },
        { name: 'encumbrance', registry: 'encumbrance', key: 'parcel' },
      ],
      approveWhen:
        'title != null and title.owner = seller and title.status = "registered" and (encumbrance = null or encumbrance.active = false) and price > 0',
      rejectWhen: 'title = null or title.owner != seller or title.status != "registered"',
    });
  });

  it('carries the application form of the start event', async () => {
    const { model } = await compiled();
    const start = model.elements.submitted;
    if (start.kind !== 'startEvent') throw new Error('submitted is not a start event');
    expect(start.form).toEqual([
      { id: 'parcel', label: 'Parcel number', type: 'string', required: true },
      { id: 'seller', label: 'Seller', type: 'string', required: true },
      { id: 'buyer', label: 'Buyer', type: 'string', required: true },
      { id: 'price', label: 'Price', type: 'number', required: true },
    ]);
  });

  it('hashes the exact source bytes, the same for string and bytes input', async () => {
    const expected = createHash('sha256').update(source).digest('hex');
    const first = await compiled();
    const again = await compile(source.toString('utf8'), { version: 7 });
    expect(first.model.hash).toBe(expected);
    expect(again.ok && again.model.hash).toBe(expected);
    expect(again.ok && again.model.version).toBe(7);
    const edited = await compile(source.toString('utf8').replace('Title transferred', 'Title recorded'));
    expect(edited.ok && edited.model.hash).not.toBe(expected);
  });

  it('has a diagram shape or edge for every element and flow (opens in Camunda Modeler)', async () => {
    const { model } = await compiled();
    const text = source.toString('utf8');
    for (const id of [...Object.keys(model.elements), ...Object.keys(model.flows)]) {
      expect(text, id).toMatch(
        new RegExp(`<bpmndi:BPMN(Shape|Edge) id="${id}_di" bpmnElement="${id}"[\\s>]`),
      );
    }
    expect(text).toContain('modeler:executionPlatform="Camunda Cloud"');
  });
});
