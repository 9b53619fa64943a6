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
      assignCaseNo: 'scriptTask',
      documentsMerge: 'exclusiveGateway',
      checkDocuments: 'serviceTask',
      documentsComplete: 'exclusiveGateway',
      requestDocuments: 'intermediateThrowEvent',
      awaitDocuments: 'eventBasedGateway',
      documentsSupplied: 'intermediateCatchEvent',
      deadlinePassed: 'intermediateCatchEvent',
      withdrawn: 'endEvent',
      review: 'userTask',
      reviewOverdue: 'boundaryEvent',
      superviseReview: 'userTask',
      escalationHandled: 'endEvent',
      approved: 'exclusiveGateway',
      rejected: 'endEvent',
      taxAndPayment: 'parallelGateway',
      assessTax: 'serviceTask',
      paymentConfirmed: 'intermediateCatchEvent',
      taxSettled: 'parallelGateway',
      paymentsMerge: 'exclusiveGateway',
      sumPayments: 'scriptTask',
      paidInFull: 'exclusiveGateway',
      balancePaid: 'intermediateCatchEvent',
      transfer: 'serviceTask',
      issueCertificate: 'serviceTask',
      completed: 'endEvent',
    });
    const edges = Object.values(model.flows).map((f) => `${f.source}->${f.target}`);
    expect(edges).toEqual([
      'submitted->assignCaseNo',
      'assignCaseNo->documentsMerge',
      'documentsMerge->checkDocuments',
      'checkDocuments->documentsComplete',
      'documentsComplete->review',
      'documentsComplete->requestDocuments',
      'requestDocuments->awaitDocuments',
      'awaitDocuments->documentsSupplied',
      'awaitDocuments->deadlinePassed',
      'documentsSupplied->documentsMerge',
      'deadlinePassed->withdrawn',
      'review->approved',
      'reviewOverdue->superviseReview',
      'superviseReview->escalationHandled',
      'approved->taxAndPayment',
      'approved->rejected',
      'taxAndPayment->assessTax',
      'taxAndPayment->paymentConfirmed',
      'assessTax->taxSettled',
      'paymentConfirmed->taxSettled',
      'taxSettled->paymentsMerge',
      'paymentsMerge->sumPayments',
      'sumPayments->paidInFull',
      'paidInFull->transfer',
      'paidInFull->balancePaid',
      'balancePaid->paymentsMerge',
      'transfer->issueCertificate',
      'issueCertificate->completed',
    ]);
    expect(model.flows.toTaxAndPayment).toEqual({
      id: 'toTaxAndPayment',
      name: 'Approved',
      source: 'approved',
      target: 'taxAndPayment',
      condition: 'decision = "approve"',
    });
    expect(model.elements.approved).toMatchObject({
      defaultFlow: 'toRejected',
      incoming: ['toDecision'],
      outgoing: ['toTaxAndPayment', 'toRejected'],
    });
    expect(model.elements.documentsComplete).toMatchObject({ defaultFlow: 'toRequestDocuments' });
    expect(model.flows.toReview.condition).toBe('documentsComplete = true');
    expect(model.elements.assignCaseNo).toMatchObject({
      resultVariable: 'caseNo',
      expression: '"PR-" + parcel + "-" + replace(string(now()), "[^0-9]", "")',
    });
    expect(model.elements.checkDocuments).toMatchObject({
      taskType: 'land-registry.check-documents',
      retries: 3,
      headers: { required: 'deed,seller-id,buyer-id' },
    });
    expect(model.elements.assessTax).toMatchObject({
      taskType: 'tax-bureau.assess-deed-tax',
      headers: { rate: '0.03' },
    });
    expect(model.elements.transfer).toMatchObject({ taskType: 'land-registry.transfer-title', retries: 3 });
    expect(model.elements.issueCertificate).toMatchObject({ taskType: 'land-registry.issue-certificate' });
    expect(model.elements.completed).toMatchObject({ name: 'Title transferred', outcome: 'completed' });
    expect(model.elements.rejected).toMatchObject({ name: 'Application rejected', outcome: 'rejected' });
    expect(model.elements.withdrawn).toMatchObject({ name: 'Application withdrawn', outcome: 'rejected' });
    expect(model.elements.escalationHandled).toMatchObject({ outcome: 'completed' });
    const reviewLine = source
      .toString('utf8')
      .split('\n')
      .findIndex((l) => l.includes('<bpmn:userTask id="review"'));
    expect(model.elements.review.line).toBe(reviewLine + 1);
  });

  it('waits for the documents and the payment by message, correlated by case number, and for timers', async () => {
    const { model } = await compiled();
    const trigger = (id: string) => (model.elements[id] as { trigger?: unknown }).trigger;
    expect(trigger('documentsSupplied')).toEqual({
      type: 'message',
      messageName: 'documents-supplied',
      correlationKey: 'caseNo',
      publishers: ['applicant', 'clerk:land-registry'],
      payload: [
        { id: 'suppliedDocuments', label: 'Documents supplied', type: 'array', required: true, minItems: 1 },
      ],
    });
    const payment = {
      type: 'message',
      messageName: 'payment-confirmed',
      correlationKey: 'caseNo',
      publishers: ['department:TaxBureauMSP'],
      payload: [
        { id: 'amountPaid', label: 'Amount paid (CNY)', type: 'number', required: true },
        { id: 'paymentRef', label: 'Payment reference', type: 'string', required: false },
      ],
    };
    expect(trigger('paymentConfirmed')).toEqual(payment);
    // A short payment waits for the balance: the same message, declared the same way.
    expect(trigger('balancePaid')).toEqual(payment);
    expect(model.flows.toTransfer.condition).toBe('totalPaid >= deedTax');
    expect(model.elements.paidInFull).toMatchObject({ defaultFlow: 'toAwaitBalance' });
    expect(trigger('deadlinePassed')).toEqual({
      type: 'timer',
      timer: {
        kind: 'duration',
        expression: 'if documentsDeadline = null then "P30D" else documentsDeadline',
      },
    });
    expect(model.elements.reviewOverdue).toMatchObject({
      attachedTo: 'review',
      interrupting: false,
      trigger: {
        type: 'timer',
        timer: { kind: 'duration', expression: 'if reviewSla = null then "P2D" else reviewSla' },
      },
    });
    expect(model.elements.review.boundaryEvents).toEqual(['reviewOverdue']);
    expect(model.elements.superviseReview).toMatchObject({
      candidateGroups: ['land-registry-supervisors'],
      decisions: ['acknowledged'],
    });
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
      // The seller is the applicant: person keys compared, never a typed name.
      approveWhen:
        'title != null and title.ownerKey != null and title.ownerKey = applicant.personKey and title.status = "registered" and (encumbrance = null or encumbrance.active = false) and price > 0',
      rejectWhen:
        'title = null or title.status != "registered" or (title.ownerKey != null and title.ownerKey != applicant.personKey)',
    });
  });

  it('carries the application form of the start event', async () => {
    const { model } = await compiled();
    const start = model.elements.submitted;
    if (start.kind !== 'startEvent') throw new Error('submitted is not a start event');
    expect(start.form).toEqual([
      { id: 'parcel', label: 'Parcel number', type: 'string', required: true },
      {
        id: 'seller',
        label: 'Seller (as on the deed; the owner is the applicant)',
        type: 'string',
        required: false,
      },
      { id: 'buyer', label: 'Buyer', type: 'string', required: true },
      { id: 'buyerIdNumber', label: "Buyer's ID number", type: 'string', required: true },
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
    const edited = await compile(source.toString('utf8').replace('"Title transferred"', '"Title recorded"'));
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
