// Concurrent writers: in one process (MVCC conflicts, re-simulated) and in two processes sharing
// the ledger directory (the API and the worker do exactly that).
import { afterEach, describe, expect, it } from 'vitest';
import { EmbeddedLedger } from '../../ledger/embedded/index.ts';
import { MvccConflictError } from '../../ledger/embedded/world-state.ts';
import { ENGINE, openTemp, spawnChildWriter, step, tempLedgerDir } from './helpers.ts';

const open: EmbeddedLedger[] = [];
afterEach(async () => {
  await Promise.all(open.splice(0).map((l) => l.close()));
});

function expectSoundChain(records: { seq: number; prevHash: string; hash: string }[], count: number) {
  expect(records.map((r) => r.seq)).toEqual(Array.from({ length: count }, (_, i) => i + 1));
  expect(records.map((r) => r.prevHash)).toEqual(records.map((_, i) => (i === 0 ? '' : records[i - 1].hash)));
}

describe('concurrent writes', () => {
  it('ten parallel steps of one application all land, numbered 1..10 and chained', async () => {
    const { ledger } = await openTemp();
    open.push(ledger);
    const results = await Promise.all(
      Array.from({ length: 10 }, (_, i) => ledger.recordStep(step('app-1', i + 1), ENGINE)),
    );
    expect(results.every((r) => !r.duplicate)).toBe(true);
    expect(new Set(results.map((r) => r.record.seq))).toEqual(new Set([1, 2, 3, 4, 5, 6, 7, 8, 9, 10]));
    const trail = (await ledger.trail('app-1')).map((e) => e.record);
    expectSoundChain(trail, 10);
    expect(await ledger.verify('app-1')).toEqual({ valid: true, records: 10, problems: [] });
  });

  it('the same step submitted in parallel is written once; the others see it as a duplicate', async () => {
    const { ledger } = await openTemp();
    open.push(ledger);
    const results = await Promise.all(
      Array.from({ length: 5 }, () => ledger.recordStep(step('app-1', 1), ENGINE)),
    );
    expect(results.filter((r) => !r.duplicate)).toHaveLength(1);
    expect(new Set(results.map((r) => r.record.hash)).size).toBe(1);
    expect(await ledger.trail('app-1')).toHaveLength(1);
  });

  it('reports MVCC_READ_CONFLICT when retries are exhausted, and applies nothing for the loser', async () => {
    const dir = tempLedgerDir();
    const ledger = await EmbeddedLedger.open(dir, { maxAttempts: 1 });
    open.push(ledger);
    const results = await Promise.allSettled(
      [1, 2, 3].map((n) => ledger.recordStep(step('app-1', n), ENGINE)),
    );
    const failed = results.filter((r) => r.status === 'rejected') as PromiseRejectedResult[];
    expect(failed.length).toBeGreaterThan(0);
    expect(failed[0].reason).toBeInstanceOf(MvccConflictError);
    expect(String(failed[0].reason.message)).toMatch(/MVCC_READ_CONFLICT/);
    const trail = (await ledger.trail('app-1')).map((e) => e.record);
    expect(trail).toHaveLength(3 - failed.length);
    expectSoundChain(trail, trail.length);
    expect((await ledger.verifyAll()).valid).toBe(true);
  });

  it('two processes writing the same ledger directory lose nothing', async () => {
    const dir = tempLedgerDir();
    const ledger = await EmbeddedLedger.open(dir);
    open.push(ledger);
    const child = spawnChildWriter(dir, 'app-child', 50);
    await child.opened;

    for (let n = 1; n <= 50; n++) await ledger.recordStep(step('app-parent', n), ENGINE);
    expect(await child.exited, child.output()).toBe(0);

    // This process catches up with the child's blocks before reading.
    for (const app of ['app-parent', 'app-child']) {
      const trail = await ledger.trail(app);
      expectSoundChain(
        trail.map((e) => e.record),
        50,
      );
      expect(await ledger.verify(app)).toEqual({ valid: true, records: 50, problems: [] });
    }
    const all = await ledger.verifyAll();
    expect(all.problems).toEqual([]);

    // Both processes' blocks form one chain: 100 blocks numbered 1..100 after the genesis block.
    const reopened = await EmbeddedLedger.open(dir);
    open.push(reopened);
    const numbers = [...(await reopened.trail('app-parent')), ...(await reopened.trail('app-child'))]
      .map((e) => e.blockNumber)
      .sort((a, b) => a! - b!);
    expect(numbers).toEqual(Array.from({ length: 100 }, (_, i) => i + 1));
    const parentBlocks = (await reopened.trail('app-parent')).map((e) => e.blockNumber!);
    const interleaved = parentBlocks.some((b, i) => i > 0 && b !== parentBlocks[i - 1] + 1);
    expect(interleaved, 'the two processes did not write at the same time').toBe(true);
  });
});
