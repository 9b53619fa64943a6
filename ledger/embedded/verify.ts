// Checks the embedded ledger as stored on disk, read fresh (never from a process's memory):
// the block chain (numbers, links, data and header hashes, the ledger's signatures with the
// configured ledger key — never a key read from the data directory — the genesis config and
// every transaction's creator signature), then one application's records (hash, prevHash chain,
// seq) as the contract's VerifyTrail does. Never throws on garbage.
import { createPublicKey, type KeyObject } from 'node:crypto';
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import {
  type ChainHead,
  describeRecord,
  type StepRecord,
  shortTx,
  verifyRecords,
} from '../../chaincode/src/step-record.ts';
import { checkpointProblems } from '../anchors/verify-checkpoints.ts';
import { ledgerKeyFile, loadPrivateKey } from '../keys.ts';
import type { VerifyProblem, VerifyReport } from '../types.ts';
import {
  BLOCKS_FILE,
  type Block,
  dataHashOf,
  headerHashOf,
  signatureValid,
  type TxRecord,
} from './block-store.ts';
import { VerifiedChain } from './chain.ts';
import { privateStoreProblems, privateWritesOf, type RecordedPrivateWrite } from './verify-private.ts';

interface Step {
  applicationId: string;
  elementInstanceId: string;
}

/** Splits a composite key the way the stub builds them: U+0000 type U+0000 attr U+0000 ... */
function splitKey(key: string): { type: string; attributes: string[] } | null {
  if (typeof key !== 'string' || !key.startsWith('\u0000')) return null;
  const parts = key.slice(1).split('\u0000');
  parts.pop();
  return { type: parts[0], attributes: parts.slice(1) };
}

/**
 * The steps a block writes, named from the stored record when it parses (so a changed key still
 * names the record it held) and from the key otherwise; `recordTxId` when the record names a tx.
 */
function stepsOf(txs: TxRecord[]): (Step & { recordTxId?: string; keyApplicationId: string })[] {
  return txs.flatMap((tx) =>
    (Array.isArray(tx?.writes) ? tx.writes : []).flatMap(({ key, value }) => {
      const k = splitKey(key);
      if (k?.type !== 'step') return [];
      let record: Partial<StepRecord> = {};
      try {
        record = (JSON.parse(String(value)) ?? {}) as Partial<StepRecord>;
      } catch {
        // unreadable record: named from its key
      }
      const text = (v: unknown, fallback: string) => (typeof v === 'string' ? v : fallback);
      return [
        {
          applicationId: text(record.applicationId, k.attributes[0]),
          elementInstanceId: text(record.elementInstanceId, k.attributes[1]),
          recordTxId: typeof record.txId === 'string' ? record.txId : undefined,
          keyApplicationId: k.attributes[0],
        },
      ];
    }),
  );
}

/** Applications a block concerns: keys of its step records and chain heads, and the records' own names. */
function applicationsOf(txs: TxRecord[]): Set<string> {
  const apps = new Set<string>();
  for (const step of stepsOf(txs)) apps.add(step.applicationId).add(step.keyApplicationId);
  for (const tx of txs) {
    for (const { key } of Array.isArray(tx?.writes) ? tx.writes : []) {
      const k = splitKey(key);
      if (k?.type === 'head') apps.add(k.attributes[0]);
    }
  }
  return apps;
}

/** Best effort naming of a line that no longer parses: the tx id and step it mentions. */
function nameGarbage(text: string): Partial<VerifyProblem> & { label: string } {
  const txId = (/"txId":"([0-9a-f]{64})"/.exec(text) ?? /\\"txId\\":\\"([0-9a-f]{64})\\"/.exec(text))?.[1];
  const step =
    /\\u0000step\\u0000(.*?)\\u0000(.*?)\\u0000/.exec(text) ??
    /\\"applicationId\\":\\"(.*?)\\".*?\\"elementInstanceId\\":\\"(.*?)\\"/.exec(text);
  const label = [txId && `tx ${shortTx(txId)}`, step && `step ${step[1]}/${step[2]}`]
    .filter(Boolean)
    .join(', ');
  return { txId, elementInstanceId: step?.[2], label: label ? ` (${label})` : '' };
}

/**
 * Verifies the block file and, when `applicationId` is given, that application's records.
 * Problems local to one block (data, header, signature) are reported for the applications the
 * block writes, or for all when it writes none (facts, definitions); chain breaks for everyone.
 */
export function verifyLedgerFiles(
  dir: string,
  applicationId?: string,
  options: { ledgerKey?: KeyObject } = {},
): VerifyReport {
  const problems: VerifyProblem[] = [];
  const file = join(dir, BLOCKS_FILE);
  const text = existsSync(file) ? readFileSync(file, 'utf8') : '';
  const lines = text.split('\n');
  lines.pop(); // '' after the last newline, or an unterminated tail a crash left (repaired on next open)
  const publicKey = !options.ledgerKey
    ? pinnedLedgerKey()
    : options.ledgerKey.type === 'public'
      ? options.ledgerKey
      : createPublicKey(options.ledgerKey);
  if (!publicKey) {
    problems.push({
      message: `no ledger key is configured (${ledgerKeyFile()}): the ledger's signatures cannot be checked`,
    });
  }
  if (lines.length === 0)
    problems.push({ message: `${BLOCKS_FILE} is empty or missing: there is no ledger here` });
  // Genesis config and tx signatures are checked against the keys of a genesis block the
  // pinned key signed; duplicates against every tx seen before.
  const chain = publicKey ? new VerifiedChain(publicKey) : null;
  let blockProblems = 0;

  const steps = new Map<string, { record: unknown; txId: string; blockNumber: number }>();
  let head: unknown = null;
  let previous: Block | null = null;
  let afterGarbage = false;
  const privateWrites: RecordedPrivateWrite[] = [];

  lines.forEach((line, index) => {
    if (line.trim() === '') return;
    let block: Block;
    try {
      block = JSON.parse(line) as Block;
      if (!Number.isInteger(block.number) || !Array.isArray(block.txs) || typeof block.hash !== 'string') {
        throw new Error('not a block');
      }
    } catch {
      const named = nameGarbage(line);
      problems.push({
        message: `line ${index + 1}${named.label}: not a readable block — the file was altered or corrupted`,
        txId: named.txId,
        elementInstanceId: named.elementInstanceId,
      });
      afterGarbage = true;
      return;
    }

    const steps_ = stepsOf(block.txs);
    const txLabel = block.txs.map((tx) => `tx ${shortTx(tx?.txId)}`).join(', ');
    const stepLabel = steps_
      .map((s) => `, step ${s.applicationId}/${s.elementInstanceId}`)
      .concat(
        steps_
          .filter((s) => s.recordTxId && !block.txs.some((tx) => tx?.txId === s.recordTxId))
          .map((s) => `, record names tx ${shortTx(s.recordTxId)}`),
      )
      .join('');
    const name = `block ${block.number} (${txLabel || 'no tx'}${stepLabel})`;
    const apps = applicationsOf(block.txs);
    const concerned = applicationId === undefined || apps.size === 0 || apps.has(applicationId);
    const local = (what: string) => {
      blockProblems++;
      if (concerned) {
        problems.push({
          message: `${name}: ${what}`,
          blockNumber: block.number,
          txId: block.txs[0]?.txId,
          elementInstanceId: steps_[0]?.elementInstanceId,
        });
      }
    };

    if (!afterGarbage) {
      const expected = previous ? previous.number + 1 : 0;
      if (block.number !== expected) {
        problems.push({
          message: `${name}: number out of sequence, expected ${expected} — blocks were removed, reordered or inserted`,
          blockNumber: block.number,
        });
      }
      if (block.prevHash !== (previous?.hash ?? '')) {
        problems.push({
          message: `${name}: previous-block hash does not match — the chain is broken`,
          blockNumber: block.number,
        });
      }
    }
    afterGarbage = false;
    if (dataHashOf(block.txs) !== block.dataHash) local('data hash mismatch — stored content was altered');
    if (headerHashOf(block) !== block.hash) local('header hash mismatch — the block header was altered');
    const genesis = chain && block.number === 0 && !chain.config ? chain.genesisProblem(block) : null;
    if (genesis) local(genesis);
    else if (publicKey && !signatureValid(block.hash, block.signature, publicKey)) {
      local(`ledger signature invalid — not signed by the configured ledger key ${chain?.ledgerFingerprint}`);
    } else if (chain && block.number > 0) {
      const txProblem = chain.config
        ? block.txs.map((tx, i) => ({ i, p: chain.txProblem(tx) })).find((t) => t.p)
        : { i: 0, p: 'no genesis block: transaction signatures cannot be checked' };
      if (txProblem) local(`tx ${txProblem.i} (${shortTx(block.txs[txProblem.i]?.txId)}): ${txProblem.p}`);
      else chain.applyConfigUpdates(block);
    }
    // The tree is over the transactions on disk, so checkpoints are compared with what is there.
    if (chain && block.number === 0 && !chain.config && !genesis) chain.accept(block, 0, 0);
    else chain?.addLeaves(block, 0, 0);
    previous = block;
    privateWrites.push(...privateWritesOf(block));

    if (applicationId === undefined) return;
    for (const tx of block.txs) {
      if (!tx?.valid || !Array.isArray(tx.writes)) continue;
      for (const { key, value } of tx.writes) {
        const k = splitKey(key);
        if (k?.attributes[0] !== applicationId) continue;
        if (k.type === 'step')
          steps.set(k.attributes[1], { record: value, txId: tx.txId, blockNumber: block.number });
        if (k.type === 'head') head = value;
      }
    }
  });

  // Private data concerns facts, not one application: reported to everyone, like fact blocks.
  problems.push(...privateStoreProblems(dir, privateWrites));
  // Checkpoints signed for more, or other, transactions than the blocks hold: reported to everyone.
  // A root that no longer matches is explained by a block already reported (to its applications).
  if (chain?.config && publicKey) {
    problems.push(...checkpointProblems(dir, chain.tree, publicKey, { roots: blockProblems === 0 }));
  }
  if (applicationId === undefined) return { valid: problems.length === 0, records: 0, problems };
  return recordProblems(applicationId, steps, head, problems);
}

/** The configured ledger key (public half), or null when none is configured on this machine. */
function pinnedLedgerKey(): KeyObject | null {
  const file = ledgerKeyFile();
  return existsSync(file) ? createPublicKey(loadPrivateKey(file)) : null;
}

/** The application's records as found on disk, checked like the contract's VerifyTrail. */
function recordProblems(
  applicationId: string,
  steps: Map<string, { record: unknown; txId: string; blockNumber: number }>,
  headText: unknown,
  problems: VerifyProblem[],
): VerifyReport {
  const stored: { keyElementInstanceId: string; record: StepRecord }[] = [];
  const blockOf = new Map<string, number>();
  for (const [elementInstanceId, { record: text, txId, blockNumber }] of steps) {
    let record: StepRecord;
    try {
      record = JSON.parse(String(text)) as StepRecord;
    } catch {
      problems.push({
        message: `record ${applicationId}/${elementInstanceId} (block ${blockNumber}, tx ${shortTx(txId)}): not valid JSON — content was altered`,
        blockNumber,
        txId,
        elementInstanceId,
      });
      continue;
    }
    if (record.txId !== txId) {
      problems.push({
        message: `${describeRecord(record)}: written by tx ${shortTx(txId)} in block ${blockNumber} but names another tx — content was altered`,
        blockNumber,
        txId,
        elementInstanceId,
      });
    }
    blockOf.set(record.txId, blockNumber);
    stored.push({ keyElementInstanceId: elementInstanceId, record });
  }
  let head: ChainHead | null = null;
  try {
    head = headText === null ? null : (JSON.parse(String(headText)) as ChainHead);
  } catch {
    problems.push({
      message: `application ${applicationId}: chain head is not valid JSON — content was altered`,
    });
  }
  for (const p of verifyRecords(applicationId, stored, head)) {
    problems.push({ ...p, blockNumber: p.txId ? blockOf.get(p.txId) : undefined });
  }
  return { valid: problems.length === 0, records: stored.length, problems };
}
