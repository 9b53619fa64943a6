// What survives on disk: a restart loses nothing, a half-written block is repaired, and a changed
// byte in a stored record is reported by verify, naming the record, while the rest stays readable.
import { appendFileSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { EmbeddedLedger } from '../../ledger/embedded/index.ts';
import type { StepRecord } from '../../ledger/types.ts';
import { ENGINE, LAND_REGISTRY, step, tempLedgerDir } from './helpers.ts';

const open: EmbeddedLedger[] = [];
afterEach(async () => {
  await Promise.all(open.splice(0).map((l) => l.close()));
});

async function openAt(dir: string) {
  const ledger = await EmbeddedLedger.open(dir);
  open.push(ledger);
  return ledger;
}

async function fill(ledger: EmbeddedLedger, app: string, count: number): Promise<StepRecord[]> {
  const records: StepRecord[] = [];
  for (let n = 1; n <= count; n++) records.push((await ledger.recordStep(step(app, n), ENGINE)).record);
  return records;
}

const blocksFile = (dir: string) => join(dir, 'blocks.jsonl');

describe('durability', () => {
  it('a restart loses nothing: trails, facts, history and the chain continue', async () => {
    const dir = tempLedgerDir();
    const first = await openAt(dir);
    const records = await fill(first, 'app-1', 3);
    await first.putFact('land-title', 'P-1', { status: 'registered' }, LAND_REGISTRY);
    await first.putFact('land-title', 'P-1', { status: 'seized' }, LAND_REGISTRY);
    await first.close();

    const second = await openAt(dir);
    expect((await second.trail('app-1')).map((e) => e.record)).toEqual(records);
    expect(await second.getFact('land-title', 'P-1')).toEqual({ status: 'seized' });
    expect((await second.factHistory('land-title', 'P-1')).map((h) => h.value)).toEqual([
      { status: 'seized' },
      { status: 'registered' },
    ]);
    const next = await second.recordStep(step('app-1', 4), ENGINE);
    expect(next.record).toMatchObject({ seq: 4, prevHash: records[2].hash });
    expect(await second.recordStep(step('app-1', 2), ENGINE)).toEqual({
      record: records[1],
      duplicate: true,
    });
    expect(await second.verify('app-1')).toEqual({ valid: true, records: 4, problems: [] });
  });

  it('repairs a block half-written by a crash: reopen works and verify is valid', async () => {
    const dir = tempLedgerDir();
    const first = await openAt(dir);
    await fill(first, 'app-1', 2);
    await first.close();
    const sound = statSync(blocksFile(dir)).size;
    const lines = readFileSync(blocksFile(dir), 'utf8').split('\n');
    appendFileSync(blocksFile(dir), lines[1].slice(0, Math.floor(lines[1].length / 2))); // no newline

    expect((await EmbeddedLedger.verifyFiles(dir, 'app-1')).valid).toBe(true); // an unfinished tail is not tampering
    const second = await openAt(dir);
    expect(statSync(blocksFile(dir)).size).toBe(sound);
    const third = await second.recordStep(step('app-1', 3), ENGINE);
    expect(third.record.seq).toBe(3);
    expect(await second.verify('app-1')).toEqual({ valid: true, records: 3, problems: [] });
    expect((await second.verifyAll()).valid).toBe(true);
  });

  it('one changed byte in a record: verify names the record; other applications stay readable and valid', async () => {
    const dir = tempLedgerDir();
    const ledger = await openAt(dir);
    const tampered = (await fill(ledger, 'app-1', 3))[1];
    const other = await fill(ledger, 'app-2', 2);

    const lines = readFileSync(blocksFile(dir), 'utf8').split('\n');
    const index = lines.findIndex((l) => l.includes(tampered.txId) && l.includes('app-1'));
    const at = lines[index].indexOf('lin.clerk'); // inside the stored record (its actor)
    lines[index] = `${lines[index].slice(0, at)}lin.clerc${lines[index].slice(at + 9)}`;
    writeFileSync(blocksFile(dir), lines.join('\n'));

    const report = await ledger.verify('app-1');
    expect(report.valid).toBe(false);
    expect(report.records).toBe(3);
    const record = report.problems.find((p) => /hash mismatch — record content was altered/.test(p.message));
    expect(record).toMatchObject({ txId: tampered.txId, elementInstanceId: tampered.elementInstanceId });
    expect(record!.message).toContain(
      `record app-1/${tampered.elementInstanceId} (seq 2, tx ${tampered.txId.slice(0, 12)}`,
    );
    const block = report.problems.find((p) => /data hash mismatch/.test(p.message))!;
    expect(block.message).toMatch(
      new RegExp(
        `^block \\d+ \\(tx ${tampered.txId.slice(0, 12)}…, step app-1/${tampered.elementInstanceId}\\): data hash mismatch`,
      ),
    );

    expect(await ledger.verify('app-2')).toEqual({ valid: true, records: 2, problems: [] });
    // The running process applied the block before it was altered: it still serves what was committed.
    expect((await ledger.trail('app-2')).map((e) => e.record)).toEqual(other);
    expect((await ledger.trail('app-1'))[1].record.actor).toBe('user:lin.clerk');
    // A ledger whose files fail the checks does not open: the altered block is named.
    const blockNumber = Number(/^block (\d+)/.exec(block.message)![1]);
    await expect(openAt(dir)).rejects.toThrow(
      new RegExp(`does not open: block ${blockNumber}: data hash mismatch — stored content was altered`),
    );
  });

  it('any single changed byte of a record block makes verify invalid, naming the application and tx', async () => {
    const dir = tempLedgerDir();
    const ledger = await openAt(dir);
    const target = (await fill(ledger, 'app-1', 3))[1];
    await ledger.close();
    const original = readFileSync(blocksFile(dir), 'utf8');
    const lines = original.split('\n');
    const index = lines.findIndex((l) => l.includes(`"txId":"${target.txId}"`));
    for (let at = 0; at < lines[index].length; at += 3) {
      const line = lines[index];
      const changed = `${line.slice(0, at)}${line[at] === 'x' ? 'y' : 'x'}${line.slice(at + 1)}`;
      writeFileSync(
        blocksFile(dir),
        [...lines.slice(0, index), changed, ...lines.slice(index + 1)].join('\n'),
      );
      const report = await EmbeddedLedger.verifyFiles(dir, 'app-1');
      const text = report.problems.map((p) => JSON.stringify(p)).join('\n');
      expect(report.valid, `byte ${at} of block line: ${line.slice(Math.max(0, at - 20), at + 20)}`).toBe(
        false,
      );
      expect(text, `byte ${at}`).toContain('app-1');
      expect(text, `byte ${at}`).toContain(target.txId.slice(0, 8));
    }
    writeFileSync(blocksFile(dir), original);
    expect((await EmbeddedLedger.verifyFiles(dir, 'app-1')).valid).toBe(true);
  });

  it('a line that no longer parses is reported by line, with the step it held; the ledger does not open', async () => {
    const dir = tempLedgerDir();
    const ledger = await openAt(dir);
    const target = (await fill(ledger, 'app-1', 2))[1];
    const other = await fill(ledger, 'app-2', 1);
    await ledger.close();
    const lines = readFileSync(blocksFile(dir), 'utf8').split('\n');
    const index = lines.findIndex((l) => l.includes(`"txId":"${target.txId}"`));
    lines[index] = `#${lines[index].slice(1)}`;
    writeFileSync(blocksFile(dir), lines.join('\n'));

    const report = await EmbeddedLedger.verifyFiles(dir, 'app-1');
    expect(report.valid).toBe(false);
    expect(report.problems[0].message).toBe(
      `line ${index + 1} (tx ${target.txId.slice(0, 12)}…, step app-1/${target.elementInstanceId}): not a readable block — the file was altered or corrupted`,
    );
    const offset = Buffer.byteLength(
      lines
        .slice(0, index)
        .map((l) => `${l}\n`)
        .join(''),
    );
    await expect(openAt(dir)).rejects.toThrow(
      `does not open: blocks.jsonl at byte ${offset}, after block ${index - 1}: not a readable block`,
    );
    lines[index] = `{${lines[index].slice(1)}`;
    writeFileSync(blocksFile(dir), lines.join('\n'));
    const restored = await openAt(dir);
    expect((await restored.trail('app-2')).map((e) => e.record)).toEqual(other);
  });

  it('verify survives garbage: random bytes, blank lines, a missing file', async () => {
    const dir = tempLedgerDir();
    expect(await EmbeddedLedger.verifyFiles(dir, 'app-1')).toMatchObject({
      valid: false,
      records: 0,
      problems: [{ message: 'blocks.jsonl is empty or missing: there is no ledger here' }],
    });
    const ledger = await openAt(dir);
    await fill(ledger, 'app-1', 1);
    appendFileSync(blocksFile(dir), '\u0000\u00ff{"number":"x"}\n\n[1,2]\n');
    const report = await ledger.verify('app-1');
    expect(report.valid).toBe(false);
    expect(report.problems.map((p) => p.message)).toEqual([
      expect.stringMatching(/^line 3: not a readable block/),
      expect.stringMatching(/^line 5: not a readable block/),
    ]);
    // Lines appended by someone else that fail the checks are not served: every call says why.
    await expect(ledger.trail('app-1')).rejects.toThrow(
      /failed its checks and serves nothing: blocks\.jsonl at byte \d+, after block 1: not a readable block/,
    );
    await expect(ledger.recordStep(step('app-1', 2), ENGINE)).rejects.toThrow(/failed its checks/);
  });
});
