// Chaincode events of the embedded ledger: commits of any process sharing the directory are
// delivered in commit order; a consumer resumes from its checkpoint file with none missed and
// none repeated; an abort or closing the ledger ends the stream.
import { existsSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { canonicalJson } from '../../chaincode/src/canonical.ts';
import { compileDecisions } from '../../definitions/dmn/index.ts';
import {
  checkpointOf,
  FileCheckpointer,
  formatCursor,
  InMemoryCheckpointer,
  parseCursor,
} from '../../ledger/checkpointer.ts';
import { CheckpointMismatchError, EmbeddedLedger } from '../../ledger/embedded/index.ts';
import type { EventsOptions, LedgerEvent } from '../../ledger/types.ts';
import { ENGINE, LAND_REGISTRY, registerProcess, spawnChildWriter, step, tempLedgerDir } from './helpers.ts';

const open: EmbeddedLedger[] = [];
const controllers: AbortController[] = [];
afterEach(async () => {
  for (const c of controllers.splice(0)) c.abort();
  await Promise.all(open.splice(0).map((l) => l.close()));
});

async function openLedger(dir: string): Promise<EmbeddedLedger> {
  const ledger = await EmbeddedLedger.open(dir);
  open.push(ledger);
  return ledger;
}

/** A fresh ledger and a second instance on the same directory, as the API and the worker hold. */
async function twoInstances() {
  const dir = tempLedgerDir();
  return { dir, writer: await openLedger(dir), reader: await openLedger(dir) };
}

/** Collects events into `seen` until `count` arrived, failing after `timeoutMs`. */
function follow(ledger: EmbeddedLedger, options: EventsOptions = {}) {
  const controller = new AbortController();
  controllers.push(controller);
  const seen: LedgerEvent[] = [];
  const done = (async () => {
    for await (const event of ledger.events({ ...options, signal: controller.signal })) seen.push(event);
  })();
  const until = async (count: number, timeoutMs = 5_000) => {
    const deadline = Date.now() + timeoutMs;
    while (seen.length < count) {
      if (Date.now() > deadline) throw new Error(`saw ${seen.length} of ${count} events`);
      await new Promise((r) => setTimeout(r, 5));
    }
    return seen;
  };
  return { seen, done, until, stop: () => controller.abort() };
}

const steps = (events: LedgerEvent[]) =>
  events
    .filter((e) => e.name === 'StepRecorded')
    .map(
      (e) =>
        `${(e.payload as { applicationId: string }).applicationId}/${(e.payload as { seq: number }).seq}`,
    );

describe('ledger events', () => {
  it('delivers commits of another instance on the same directory, in order, within 250 ms', async () => {
    const { writer, reader } = await twoInstances();
    const stream = follow(reader);
    const first = await writer.recordStep(step('app-1', 1), ENGINE);
    const [event] = await stream.until(1);
    expect(event).toEqual({
      name: 'StepRecorded',
      payload: {
        applicationId: 'app-1',
        elementInstanceId: 'task-1#1',
        seq: 1,
        hash: first.record.hash,
        txId: first.record.txId,
      },
      txId: first.record.txId,
      blockNumber: 1, // block 0 is the genesis (config) block
      txIndex: 0,
      eventIndex: 0,
      timestamp: first.record.timestamp,
    });

    const latencies: number[] = [];
    for (let n = 2; n <= 6; n++) {
      await writer.recordStep(step('app-1', n), ENGINE);
      const committed = performance.now();
      await stream.until(n);
      latencies.push(performance.now() - committed);
    }
    expect(Math.max(...latencies)).toBeLessThan(250);
    expect(steps(stream.seen)).toEqual([1, 2, 3, 4, 5, 6].map((n) => `app-1/${n}`));
    expect(stream.seen.map((e) => e.blockNumber)).toEqual([1, 2, 3, 4, 5, 6]);
  });

  it('follows a writer in another process', async () => {
    const dir = tempLedgerDir();
    const reader = await openLedger(dir);
    const stream = follow(reader);
    const child = spawnChildWriter(dir, 'app-child', 20);
    await stream.until(20, 30_000);
    expect(await child.exited, child.output()).toBe(0);
    expect(steps(stream.seen)).toEqual(Array.from({ length: 20 }, (_, i) => `app-child/${i + 1}`));
  });

  it('emits exactly one event for every transaction that writes, and none for a retried step', async () => {
    const { writer, reader } = await twoInstances();
    const dmn = await compileDecisions(
      readFileSync(new URL('../fixtures/dmn/risk-check.dmn', import.meta.url)),
    );
    if (!dmn.ok) throw new Error(JSON.stringify(dmn.diagnostics));
    const stream = follow(reader);

    await writer.recordStep(step('app-1', 1), ENGINE);
    await writer.recordStep(step('app-1', 1), ENGINE); // a retry: nothing written, no event
    await writer.putFact('land-title', 'P-1', { status: 'registered', area: 120 }, LAND_REGISTRY);
    const rule = {
      id: 'title-clear',
      facts: [{ name: 'title', registry: 'land-title', key: 'parcel' }],
      approveWhen: 'title.status = "registered"',
    };
    const p = await registerProcess(writer, 'p', {
      rules: { review: rule },
      decisionCalls: { check: 'risk_check' },
    });
    await writer.evaluateRule(
      {
        applicationId: 'app-1',
        elementId: 'review',
        elementInstanceId: 'review#2',
        ...p,
        variables: { parcel: 'P-1' },
      },
      ENGINE,
    );
    await writer.registerDecisions(
      { key: dmn.graph.id, version: 1, hash: dmn.hash, deployer: 'dana', graph: dmn.graph },
      ENGINE,
    );
    await writer.evaluateDecision(
      {
        applicationId: 'app-1',
        elementId: 'check',
        elementInstanceId: 'check#3',
        ...p,
        decisionId: 'risk_check',
        variables: {
          employment: 'employed',
          category: 'Compact Car',
          priceIndication: 20000,
          score: 700,
          age: 40,
        },
      },
      ENGINE,
    );

    const events = await stream.until(6);
    expect(events.map((e) => e.name)).toEqual([
      'StepRecorded',
      'FactPut',
      'DefinitionRegistered',
      'StepRecorded',
      'DefinitionRegistered',
      'StepRecorded',
    ]);
    expect(steps(events)).toEqual(['app-1/1', 'app-1/2', 'app-1/3']);
    expect(events[1].payload).toEqual({ registry: 'land-title', key: 'P-1', txId: events[1].txId });

    // The block file agrees: one block per write (after the genesis block), each with exactly one event.
    const blocks = readFileSync(join(writer.dir, 'blocks.jsonl'), 'utf8').trim().split('\n').slice(1);
    const txs = blocks.flatMap((line) => JSON.parse(line).txs as { valid: boolean; events: unknown[] }[]);
    expect(txs).toHaveLength(6);
    expect(txs.every((tx) => tx.valid && tx.events.length === 1)).toBe(true);
  });

  it('starts after a checkpoint, from the start, or from now', async () => {
    const { writer, reader } = await twoInstances();
    for (let n = 1; n <= 4; n++) await writer.recordStep(step('app-1', n), ENGINE);

    const all = await follow(reader).until(4);
    const fromSecond = follow(reader, { after: checkpointOf(all[1]) });
    const byCursor = follow(reader, { after: parseCursor(formatCursor(all[2])) });
    const byBlock = follow(reader, { after: { blockNumber: 1 } });
    const byTxId = follow(reader, { after: { blockNumber: 2, txId: all[1].txId } });
    const fromNow = follow(reader, { from: 'now' });
    await new Promise((r) => setTimeout(r, 300)); // let "now" be taken before the next commit
    await writer.recordStep(step('app-1', 5), ENGINE);

    expect(steps(await fromSecond.until(3))).toEqual(['app-1/3', 'app-1/4', 'app-1/5']);
    expect(steps(await byCursor.until(2))).toEqual(['app-1/4', 'app-1/5']);
    expect(steps(await byBlock.until(4))).toEqual(['app-1/2', 'app-1/3', 'app-1/4', 'app-1/5']);
    expect(steps(await byTxId.until(3))).toEqual(['app-1/3', 'app-1/4', 'app-1/5']);
    expect(steps(await fromNow.until(1))).toEqual(['app-1/5']);
    await new Promise((r) => setTimeout(r, 200));
    expect(fromNow.seen).toHaveLength(1);
    expect(fromSecond.seen).toHaveLength(3);
  });

  it('refuses a checkpoint whose transaction is not in this ledger', async () => {
    const { writer, reader } = await twoInstances();
    await writer.recordStep(step('app-1', 1), ENGINE);
    const iterate = async () => {
      for await (const _ of reader.events({ after: { blockNumber: 1, txIndex: 0, txId: 'f'.repeat(64) } }));
    };
    await expect(iterate()).rejects.toThrow(CheckpointMismatchError);
  });

  it('an abort ends a waiting stream at once; closing the ledger ends its streams', async () => {
    const { writer, reader } = await twoInstances();
    await writer.recordStep(step('app-1', 1), ENGINE);
    const stream = follow(reader);
    await stream.until(1);
    const aborted = performance.now();
    stream.stop();
    await stream.done;
    expect(performance.now() - aborted).toBeLessThan(100);

    const other = follow(writer);
    await other.until(1);
    await writer.close();
    await other.done; // ends although its own signal was never aborted
    await writer.close(); // closing twice is harmless
    open.splice(open.indexOf(writer), 1);

    // An already aborted signal yields nothing.
    const controller = new AbortController();
    controller.abort();
    const seen: LedgerEvent[] = [];
    for await (const e of reader.events({ signal: controller.signal })) seen.push(e);
    expect(seen).toEqual([]);
  });
});

describe('FileCheckpointer', () => {
  /**
   * A consumer that handles each event, then checkpoints it; `stopAfter` events into a run it
   * stops as a restarted process would: the next run opens the file afresh.
   */
  async function consume(ledger: EmbeddedLedger, file: string, handled: string[], stopAfter: number) {
    const checkpointer = await FileCheckpointer.open(file);
    const controller = new AbortController();
    controllers.push(controller);
    let count = 0;
    for await (const event of ledger.events({ after: checkpointer.checkpoint, signal: controller.signal })) {
      handled.push(`${formatCursor(event)} ${steps([event])[0]}`);
      await checkpointer.checkpointEvent(event);
      if (++count === stopAfter) controller.abort();
    }
    return checkpointer.checkpoint;
  }

  it('a consumer restarted mid-stream resumes with no event missed and none repeated', async () => {
    const { dir, writer, reader } = await twoInstances();
    const file = join(dir, '..', 'consumer', 'checkpoint.json');
    // Commits keep arriving while the consumer stops and starts again.
    const writing = (async () => {
      for (let n = 1; n <= 30; n++) {
        await writer.recordStep(step('app-1', n), ENGINE);
        if (n % 5 === 0) await new Promise((r) => setTimeout(r, 20));
      }
    })();
    const handled: string[] = [];
    let last = await consume(reader, file, handled, 7);
    expect(last).toMatchObject({ blockNumber: 7, txIndex: 0, eventIndex: 0 });
    expect(JSON.parse(readFileSync(file, 'utf8'))).toEqual(last);
    last = await consume(reader, file, handled, 11);
    await writing;
    last = await consume(reader, file, handled, 30 - 18);
    expect(last).toMatchObject({ blockNumber: 30 });

    expect(handled.map((h) => h.split(' ')[1])).toEqual(
      Array.from({ length: 30 }, (_, i) => `app-1/${i + 1}`),
    );
    expect(new Set(handled).size).toBe(30);
    // Only the checkpoint is left: every temporary file was renamed into place.
    expect(readdirSync(join(dir, '..', 'consumer'))).toEqual(['checkpoint.json']);
  });

  it('starts fresh without a file, refuses a corrupt one, and keeps the last good one on failure', async () => {
    const dir = join(tempLedgerDir(), '..', 'cp');
    const file = join(dir, 'checkpoint.json');
    const checkpointer = await FileCheckpointer.open(file);
    expect(checkpointer.checkpoint).toBeUndefined();
    expect(existsSync(file)).toBe(false);
    const event: LedgerEvent = {
      name: 'StepRecorded',
      payload: {},
      txId: 'a'.repeat(64),
      blockNumber: 3,
      txIndex: 0,
      eventIndex: 0,
      timestamp: new Date(0).toISOString(),
    };
    await Promise.all([1, 2, 3].map((b) => checkpointer.checkpointEvent({ ...event, blockNumber: b })));
    expect((await FileCheckpointer.open(file)).checkpoint).toEqual({
      ...checkpointOf(event),
      blockNumber: 3,
    });
    await checkpointer.checkpointPosition({ blockNumber: 9 });
    expect((await FileCheckpointer.open(file)).checkpoint).toEqual({ blockNumber: 9 });
    await expect(checkpointer.checkpointPosition({ blockNumber: -1 })).rejects.toThrow(
      /not an event checkpoint/,
    );

    writeFileSync(file, '{"blockNumber": 3, "txIndex":');
    await expect(FileCheckpointer.open(file)).rejects.toThrow(/does not hold an event checkpoint/);
  });

  it('cursors and the in-memory checkpointer', async () => {
    expect(parseCursor('12.0.0')).toEqual({ blockNumber: 12, txIndex: 0, eventIndex: 0 });
    expect(parseCursor('12')).toEqual({ blockNumber: 12 });
    expect(parseCursor('12.1')).toEqual({ blockNumber: 12, txIndex: 1 });
    for (const bad of ['', 'x', '1.2.3.4', '-1', '1e3', '1..2']) expect(parseCursor(bad)).toBeUndefined();
    const memory = new InMemoryCheckpointer();
    await memory.checkpointEvent({
      name: 'x',
      payload: null,
      txId: 't',
      blockNumber: 1,
      txIndex: 0,
      eventIndex: 0,
      timestamp: '',
    });
    expect(memory.checkpoint).toEqual({ blockNumber: 1, txIndex: 0, eventIndex: 0, txId: 't' });
    expect(canonicalJson(memory.checkpoint)).toBe('{"blockNumber":1,"eventIndex":0,"txId":"t","txIndex":0}');
  });
});
