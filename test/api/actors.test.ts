// Typed actors through the real API and engine: no token can name a user that reads as the
// contract or an event, and the trail says what kind of actor took each step.
import { describe, expect, it } from 'vitest';
import { signToken } from '../../api/auth.ts';
import { bpmn, catchEvent, chain, end, start, timer, userTask } from '../support/bpmn-builder.ts';
import { JWT_SECRET, tokens, useHarness } from '../support/harness.ts';
import { start as apply, complete, deploy, ended, trail } from '../support/scenarios.ts';

const h = useHarness();

describe('typed actors', () => {
  it('refuses a token whose sub contains ":" with 401, saying why', async () => {
    for (const [role, sub] of [
      ['clerk', 'contract:x'],
      ['applicant', 'user:zhang.wei'],
    ] as const) {
      const token = await signToken(JWT_SECRET, { sub, role, groups: ['clerks'] });
      const res = await h.request('GET', '/tasks?group=clerks', { token });
      expect(res.status).toBe(401);
      const body = (await res.json()) as { detail: string };
      expect(body.detail).toContain(`the token's sub "${sub}" contains ':'`);
    }
    // the same token with a plain sub is let in
    const res = await h.request('GET', '/tasks?group=clerks', { token: await tokens.clerk(['clerks']) });
    expect(res.status).toBe(200);
  });

  it('records the applicant and the clerk as user:<sub>, a timer as timer, the engine as engine', async () => {
    await deploy(
      h,
      bpmn(
        'typed-actors',
        start('s'),
        userTask('approve', 'clerks', { decisions: 'approve,reject' }),
        catchEvent('wait', timer('duration', 'PT1S')),
        end('e'),
        ...chain('s', 'approve', 'wait', 'e'),
      ),
    );
    const id = await apply(h, 'typed-actors', {}, 'zhang.wei');
    await complete(h, id, 'approve', 'approve');
    const done = await ended(h, id);
    expect(done.variables).toMatchObject({ decidedBy: 'user:lin.clerk' });
    expect((await trail(h, id)).map((r) => [r.elementId, r.actor])).toEqual([
      ['s', 'user:zhang.wei'],
      ['approve', 'user:lin.clerk'],
      ['wait', 'timer'],
      ['e', 'engine'],
    ]);
  });
});
