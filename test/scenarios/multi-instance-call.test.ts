// A multi-instance call activity: each instance maps its inputs after its item is set, and the
// child application gets those variables, as in Camunda 8.
import { beforeAll, describe, expect, it } from 'vitest';
import * as b from '../support/bpmn-builder.ts';
import { useHarness } from '../support/harness.ts';
import { deploy, ended, start } from '../support/scenarios.ts';

const h = useHarness();
beforeAll(() =>
  deploy(
    h,
    b.bpmn(
      'greet-one',
      b.start('s'),
      b.scriptTask('greet', '="hi " + who', 'greeting'),
      b.end('e'),
      ...b.chain('s', 'greet', 'e'),
    ),
  ),
);

describe('multi-instance call activity with input mappings', () => {
  // Zeebe applies a multi-instance activity's input mappings to each inner instance, after the
  // input element is set, and the child of a call activity gets those mapped variables. Here the
  // mappings run once, before any `item` exists, in a scope the per-item child never sees
  // (workflows/activity-runner.ts: runActivity applies `inputs` to the body scope, runCallActivity
  // passes only the instance scope's own vars when the element has inputs).
  it('maps each item into the child through zeebe:input', async () => {
    await deploy(
      h,
      b.bpmn(
        'greet-all',
        b.start('s'),
        b.callActivity('each', 'greet-one', {
          inputs: { who: '=item' },
          multi: {
            collection: '=["a", "b"]',
            element: 'item',
            outputCollection: 'greetings',
            outputElement: '=greeting',
          },
        }),
        b.end('e'),
        ...b.chain('s', 'each', 'e'),
      ),
    );
    const id = await start(h, 'greet-all');
    const app = await ended(h, id);
    expect(app.variables?.greetings).toEqual(['hi a', 'hi b']);
  });

  it('works without input mappings: the child sees the input element among all variables', async () => {
    await deploy(
      h,
      b.bpmn(
        'greet-all-plain',
        b.start('s'),
        b.callActivity('each', 'greet-one', {
          multi: {
            collection: '=["a", "b"]',
            element: 'who',
            outputCollection: 'greetings',
            outputElement: '=greeting',
          },
        }),
        b.end('e'),
        ...b.chain('s', 'each', 'e'),
      ),
    );
    const id = await start(h, 'greet-all-plain');
    const app = await ended(h, id);
    expect(app.variables?.greetings).toEqual(['hi a', 'hi b']);
  });
});
