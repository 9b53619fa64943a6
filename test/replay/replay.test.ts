// Recorded histories of the shipped models and the scenarios, replayed on the current engine:
// an engine change that would break applications already running fails here.
// Re-record (after an intended, versioned change) with `npm run record-histories`.
import { readdirSync, readFileSync } from 'node:fs';
import proto from '@temporalio/proto';
import { Worker } from '@temporalio/worker';
import { describe, expect, it } from 'vitest';
import { workflowBundle } from '../support/harness.ts';

const dir = new URL('./histories/', import.meta.url);
const files = readdirSync(dir)
  .filter((f) => f.endsWith('.json'))
  .sort();

describe('replaying recorded histories', () => {
  it('has histories of the shipped models to replay', () => {
    const keys = new Set(files.map((f) => f.split('.')[0]));
    expect([...keys]).toEqual(
      expect.arrayContaining(['property-registration', 'business-setup', 'identity-verification']),
    );
  });

  it.each(files)('%s replays without nondeterminism', async (file) => {
    const { workflowId, history } = JSON.parse(readFileSync(new URL(file, dir), 'utf8'));
    const decoded = proto.temporal.api.history.v1.History.decode(Buffer.from(history, 'base64'));
    await Worker.runReplayHistory({ workflowBundle: await workflowBundle() }, decoded, workflowId);
  });
});
