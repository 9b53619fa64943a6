// govflow:publishers and govflow:payloadField on bpmn:message / bpmn:signal, and list bounds on
// form fields: compiled into the process model, and checked at deploy time.
import { describe, expect, it } from 'vitest';
import { compile } from '../../definitions/index.ts';
import * as b from '../support/bpmn-builder.ts';

const catching = (trigger: string, startForm = '') =>
  b
    .bpmn('p', b.start('s'), b.catchEvent('c', trigger), b.end('e'), ...b.chain('s', 'c', 'e'))
    .replace('<bpmn:startEvent id="s">', `<bpmn:startEvent id="s">${startForm}`);

describe('event declarations', () => {
  it('compiles who may publish and what a message carries', async () => {
    const result = await compile(
      catching(
        b.message('paid', '=k', {
          publishers: 'department:TaxBureauMSP, clerk:tax',
          payload: { amount: 'number' },
        }),
      ),
    );
    if (!result.ok) throw new Error(JSON.stringify(result.diagnostics));
    expect(result.model.elements.c).toMatchObject({
      trigger: {
        type: 'message',
        messageName: 'paid',
        publishers: ['department:TaxBureauMSP', 'clerk:tax'],
        payload: [{ id: 'amount', type: 'number', required: false }],
      },
    });
  });

  it('a message declaring nothing carries nothing, and names no publishers (the default applies)', async () => {
    const result = await compile(catching(b.message('paid', '=k')));
    if (!result.ok) throw new Error(JSON.stringify(result.diagnostics));
    expect(result.model.elements.c).toMatchObject({ trigger: { payload: [] } });
    expect((result.model.elements.c as { trigger: object }).trigger).not.toHaveProperty('publishers');
  });

  it('refuses an unknown publisher, a payload field of an unknown type, and bad list bounds', async () => {
    const bad = catching(
      b.signal('recall', {
        publishers: 'department:MarketRegulationMSP,everyone',
        payload: { why: 'string' },
      }),
      '<bpmn:extensionElements><govflow:formField id="names" type="array" minItems="x" /><govflow:formField id="n" type="number" maxItems="2" /></bpmn:extensionElements>',
    ).replace('type="string" />', 'type="list" />');
    const result = await compile(bad);
    expect(result.ok).toBe(false);
    expect(result.diagnostics.map((d) => d.message)).toEqual(
      expect.arrayContaining([
        'Signal "recall" has govflow:publishers entry "everyone"; use applicant, engine, clerk[:group] or department[:MSP id]',
        'Payload field "why" of Signal "recall" has type "list"; use one of string, number, boolean, date, array',
        expect.stringContaining('has minItems="x"; use a whole number'),
        expect.stringContaining('has maxItems but is not of type array'),
      ]),
    );
  });
});
