// Gateways: exclusive (no match -> incident), inclusive fork/join, event-based; multi-instance; compensation.
import { describe, expect, it } from 'vitest';
import * as b from '../support/bpmn-builder.ts';
import { useHarness } from '../support/harness.ts';
import {
  complete,
  deploy,
  ended,
  path,
  publish,
  start,
  taskOpen,
  view,
  waitUntil,
} from '../support/scenarios.ts';

const h = useHarness();

describe('gateways', () => {
  it('an exclusive gateway with no matching flow and no default is an incident', async () => {
    await deploy(
      h,
      b.bpmn(
        'xor-none',
        b.start('s'),
        b.xor('route'),
        b.end('a'),
        b.end('b'),
        b.flow('s', 'route'),
        b.flow('route', 'a', '=kind = "a"'),
        b.flow('route', 'b', '=kind = "b"'),
      ),
    );
    const id = await start(h, 'xor-none', { kind: 'c' });
    const app = await waitUntil(h, id, 'an incident', (a) => a.incidents.length > 0);
    expect(app.incidents[0]).toMatchObject({ elementId: 'route' });
  });

  it("a gateway's only outgoing flow is taken only when its condition holds; false is an incident", async () => {
    for (const [gateway, key] of [
      [b.xor('route'), 'xor-single'],
      [b.or('route'), 'or-single'],
    ]) {
      await deploy(
        h,
        b.bpmn(
          key,
          b.start('s'),
          gateway,
          b.end('a'),
          b.flow('s', 'route'),
          b.flow('route', 'a', '=approved = true'),
        ),
      );
      const refused = await start(h, key, { approved: false });
      const stuck = await waitUntil(h, refused, 'an incident', (a) => a.incidents.length > 0);
      expect(stuck.incidents[0]).toMatchObject({ elementId: 'route' });
      expect(stuck.status).toBe('incident');
      const approved = await start(h, key, { approved: true });
      expect((await ended(h, approved)).status).toBe('completed');
    }
  });

  it('an inclusive gateway forks on every true condition and its join waits for exactly those', async () => {
    await deploy(
      h,
      b.bpmn(
        'inclusive',
        b.start('s'),
        b.or('fork', 'fork-none'),
        b.userTask('tax'),
        b.userTask('insurance'),
        b.userTask('seal'),
        b.manualTask('none'),
        b.or('join'),
        b.end('e'),
        b.flow('s', 'fork'),
        b.flow('fork', 'tax', '=needsTax'),
        b.flow('fork', 'insurance', '=needsInsurance'),
        b.flow('fork', 'seal', '=needsSeal'),
        b.flow('fork', 'none', undefined, 'fork-none'),
        ...['tax', 'insurance', 'seal', 'none'].map((t) => b.flow(t, 'join')),
        b.flow('join', 'e'),
      ),
    );
    const id = await start(h, 'inclusive', { needsTax: true, needsInsurance: false, needsSeal: true });
    await waitUntil(h, id, 'two tasks', (a) => a.openTasks.length === 2);
    expect((await view(h, id)).openTasks.map((t) => t.elementId).sort()).toEqual(['seal', 'tax']);
    await complete(h, id, 'tax');
    await new Promise((r) => setTimeout(r, 500));
    expect((await view(h, id)).status).toBe('running'); // the join still waits for seal
    await complete(h, id, 'seal');
    await ended(h, id);
    expect((await path(h, id)).filter((s) => s === 'e')).toHaveLength(1);
  });

  it('an event-based gateway takes whichever event comes first', async () => {
    await deploy(
      h,
      b.bpmn(
        'race',
        b.start('s'),
        b.eventGateway('wait'),
        b.catchEvent('answered', b.message('documents', '=caseNo')),
        b.catchEvent('deadline', b.timer('duration', 'PT30S')),
        b.end('continued'),
        b.end('withdrawn', '', { outcome: 'rejected' }),
        ...b.chain('s', 'wait', 'answered', 'continued'),
        ...b.chain('wait', 'deadline', 'withdrawn'),
      ),
    );
    const answered = await start(h, 'race', { caseNo: 'G-1' });
    await waitUntil(h, answered, 'running', (a) => a.status === 'running');
    await publish(h, 'documents', 'G-1');
    expect((await ended(h, answered)).status).toBe('completed');
    expect(await path(h, answered)).toEqual(['s', 'answered', 'continued']);
  });
});

describe('multi-instance', () => {
  it('parallel over a collection, collecting outputs in order', async () => {
    await deploy(
      h,
      b.bpmn(
        'mi-parallel',
        b.start('s'),
        b.scriptTask('greet', '="ok:" + shareholder', 'verdict', {
          multi: {
            collection: '=shareholders',
            element: 'shareholder',
            outputCollection: 'verdicts',
            outputElement: '=verdict',
          },
        }),
        b.end('e'),
        ...b.chain('s', 'greet', 'e'),
      ),
    );
    const id = await start(h, 'mi-parallel', { shareholders: ['Ann', 'Bo', 'Cy'] });
    expect((await ended(h, id)).variables).toMatchObject({ verdicts: ['ok:Ann', 'ok:Bo', 'ok:Cy'] });
  });

  it('sequential user tasks stop early when the completion condition holds', async () => {
    await deploy(
      h,
      b.bpmn(
        'mi-sequential',
        b.start('s'),
        b.userTask('sign', 'clerks', {
          multi: {
            collection: '=signers',
            element: 'signer',
            sequential: true,
            completion: '=numberOfCompletedInstances >= 2',
          },
        }),
        b.end('e'),
        ...b.chain('s', 'sign', 'e'),
      ),
    );
    const id = await start(h, 'mi-sequential', { signers: ['a', 'b', 'c'] });
    await complete(h, id, 'sign');
    await complete(h, id, 'sign');
    await ended(h, id);
    expect((await path(h, id)).filter((s) => s === 'sign')).toHaveLength(2);
  });
});

describe('compensation', () => {
  it('a compensation throw undoes completed activities, newest first', async () => {
    await deploy(
      h,
      b.bpmn(
        'compensation',
        b.start('s'),
        b.scriptTask('reserve', '="reserved"', 'reservation'),
        b.boundary('undoReserve', 'reserve', b.compensate()),
        b.scriptTask('cancelReservation', '="released"', 'reservation', { compensationHandler: true }),
        b.association('undoReserve', 'cancelReservation'),
        b.scriptTask('charge', '="charged"', 'payment'),
        b.boundary('undoCharge', 'charge', b.compensate()),
        b.scriptTask('refund', '="refunded"', 'payment', { compensationHandler: true }),
        b.association('undoCharge', 'refund'),
        b.throwEvent('undo', b.compensate()),
        b.end('e'),
        ...b.chain('s', 'reserve', 'charge', 'undo', 'e'),
      ),
    );
    const id = await start(h, 'compensation');
    const app = await ended(h, id);
    expect(app.variables).toMatchObject({ reservation: 'released', payment: 'refunded' });
    expect(await path(h, id)).toEqual(['s', 'reserve', 'charge', 'refund', 'cancelReservation', 'undo', 'e']);
  });
});

void taskOpen;
