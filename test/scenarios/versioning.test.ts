// Deploying v2 leaves running v1 applications on v1; new ones start on v2.
import { describe, expect, it } from 'vitest';
import * as b from '../support/bpmn-builder.ts';
import { useHarness } from '../support/harness.ts';
import { complete, deploy, ended, path, start, taskOpen, view } from '../support/scenarios.ts';

const h = useHarness();

describe('versioning', () => {
  it('a running application stays on the version it started with', async () => {
    const v1 = await deploy(
      h,
      b.bpmn('permit', b.start('s'), b.userTask('review'), b.end('e'), ...b.chain('s', 'review', 'e')),
    );
    const old = await start(h, 'permit');
    await taskOpen(h, old, 'review');

    const v2 = await deploy(
      h,
      b.bpmn(
        'permit',
        b.start('s'),
        b.userTask('review'),
        b.scriptTask('stamp', '="v2"', 'stampedBy'),
        b.end('e'),
        ...b.chain('s', 'review', 'stamp', 'e'),
      ),
    );
    expect([v1.version, v2.version]).toEqual([1, 2]);
    const fresh = await start(h, 'permit');

    expect(await view(h, old)).toMatchObject({ version: 1 });
    expect(await view(h, fresh)).toMatchObject({ version: 2 });
    await complete(h, old, 'review');
    await complete(h, fresh, 'review');
    await ended(h, old);
    await ended(h, fresh);
    expect(await path(h, old)).toEqual(['s', 'review', 'e']);
    expect(await path(h, fresh)).toEqual(['s', 'review', 'stamp', 'e']);
  });
});
