// The checks of a Fabric receipt, one transaction (Entry) at a time, each reporting the first
// record or registration that fails it (fabric-receipt.ts runs them; README.md lists them).
import { canonicalJson } from './canonical.ts';
import { definitionCited, invalid, notChecked, recordInvalid, valid } from './checks.ts';
import { blockHeaderBytes } from './der.ts';
import { verifyEcdsa } from './ecdsa.ts';
import { toHex } from './encoding.ts';
import {
  type Block,
  blockDataHash,
  dataFramingProblem,
  ENDORSER_TRANSACTION,
  type EndorserTransaction,
  ordererSignatures,
  VALID,
  validationCode,
  writtenText,
} from './fabric-block.ts';
import type { FabricReceipt, FabricTxRef } from './fabric-receipt.ts';
import { type FabricTrust, identityKey, identityProblem } from './fabric-trust.ts';
import { concatBytes } from './protobuf.ts';
import { chainProblem, definitionKey, stepKey } from './records.ts';
import type { Check, StepRecord } from './types.ts';

/** One transaction the receipt relies on, with what it is there for. */
export interface Entry {
  ref: FabricTxRef;
  record?: StepRecord;
  block?: Block;
  tx?: EndorserTransaction;
  problem?: string;
}

/** An invalid check naming the entry's record, or the definition registration. */
function entryInvalid(check: string, entry: Entry, what: string): Check {
  if (entry.record) {
    const c = recordInvalid(check, entry.record, '');
    return { ...c, detail: `${c.detail.trimEnd()}: ${what}` };
  }
  return invalid(check, `definition registration tx ${entry.ref.txId}: ${what}`, { txId: entry.ref.txId });
}

function firstProblem(
  check: string,
  entries: Entry[],
  problem: (e: Entry) => string | null,
  ok: string,
): Check {
  for (const entry of entries) {
    const what = entry.problem ?? problem(entry);
    if (what) return entryInvalid(check, entry, what);
  }
  return valid(check, ok);
}

async function firstProblemAsync(
  check: string,
  entries: Entry[],
  problem: (e: Entry) => Promise<string | null>,
  ok: string,
): Promise<Check> {
  const found = await Promise.all(entries.map((e) => (e.problem ? e.problem : problem(e))));
  const index = found.findIndex((f) => f !== null);
  if (index < 0) return valid(check, ok);
  return entryInvalid(check, entries[index], found[index] as string);
}

export function checkChain(receipt: FabricReceipt): Check {
  const records = receipt.records.map((r) => r.record);
  if (records.length === 0) return invalid('records-chained', 'the receipt holds no records');
  const problem = chainProblem(receipt.applicationId, records);
  if (problem) return recordInvalid('records-chained', records[problem.index], problem.what);
  return valid(
    'records-chained',
    `${records.length} records, seq 1..${records.length}, hashes and links recomputed`,
  );
}

export function checkDataHashes(entries: Entry[]): Check {
  const seen = new Set<Block>();
  return firstProblem(
    'block-data-hash',
    entries,
    ({ block, ref }) => {
      if (!block || seen.has(block)) return null;
      seen.add(block);
      const framing = dataFramingProblem(block);
      if (framing) return `block ${ref.blockNumber}'s data is malformed (${framing})`;
      if (toHex(blockDataHash(block)) !== toHex(block.dataHash))
        return `block ${ref.blockNumber}'s data does not hash to its header's data hash`;
      return null;
    },
    `${new Set(entries.map((e) => e.ref.blockNumber)).size} blocks: data hashed to their headers' data hash`,
  );
}

export async function checkOrdererSignatures(entries: Entry[], trust: FabricTrust): Promise<Check> {
  const byBlock = new Map<Block, Promise<string | null>>();
  return firstProblemAsync(
    'orderer-signatures',
    entries,
    (entry) => {
      const { block, tx } = entry;
      if (!block || !tx) return Promise.resolve(null);
      let result = byBlock.get(block);
      if (!result) {
        result = blockSignatureProblem(block, trust, tx.timestamp);
        byBlock.set(block, result);
      }
      return result.then((p) => (p ? `block ${entry.ref.blockNumber}: ${p}` : null));
    },
    'every block is signed by an orderer of the channel',
  );
}

async function blockSignatureProblem(block: Block, trust: FabricTrust, at: Date): Promise<string | null> {
  let signatures: ReturnType<typeof ordererSignatures>;
  try {
    signatures = ordererSignatures(block, blockHeaderBytes(block.number, block.previousHash, block.dataHash));
  } catch (err) {
    return `its signature metadata does not decode (${(err as Error).message})`;
  }
  if (signatures.length === 0) return 'it carries no orderer signature';
  for (const sig of signatures) {
    const who = await identityProblem(trust, sig.signer, 'orderer', at);
    if (who) return `its signer: ${who}`;
    const key = identityKey(sig.signer);
    if (!key || !(await verifyEcdsa(key, sig.signature, sig.signed)))
      return `the signature of ${sig.signer.mspId} does not verify over the block header`;
  }
  return null;
}

export function checkValidity(entries: Entry[], trust: FabricTrust): Check {
  return firstProblem(
    'transactions-valid',
    entries,
    ({ tx, block, ref }) => {
      if (!tx || !block) return null;
      if (tx.txId !== ref.txId)
        return `the block's transaction ${ref.txIndex} is ${tx.txId}, not ${ref.txId}`;
      if (tx.type !== ENDORSER_TRANSACTION) return `is not an endorser transaction (type ${tx.type})`;
      if (tx.channel !== trust.channel) return `is on channel ${tx.channel}, not ${trust.channel}`;
      if (tx.chaincode !== trust.chaincode)
        return `invokes chaincode ${tx.chaincode}, not ${trust.chaincode}`;
      const code = validationCode(block, ref.txIndex);
      if (code !== VALID) return `the peer flagged its transaction invalid (validation code ${code})`;
      return null;
    },
    `every transaction is an endorser transaction of ${trust.chaincode} on ${trust.channel}, flagged VALID`,
  );
}

export async function checkCreators(entries: Entry[], trust: FabricTrust): Promise<Check> {
  return firstProblemAsync(
    'creator-signatures',
    entries,
    async ({ tx }) => {
      if (!tx) return null;
      if (tx.creator.mspId !== trust.engineMspId)
        return `was submitted by ${tx.creator.mspId}, not the engine (${trust.engineMspId})`;
      const who = await identityProblem(trust, tx.creator, null, tx.timestamp);
      if (who) return `its submitter: ${who}`;
      const key = identityKey(tx.creator);
      if (!key || !(await verifyEcdsa(key, tx.signature, tx.payload)))
        return `its submitter's signature does not verify`;
      return null;
    },
    `every transaction is signed by a member of ${trust.engineMspId}`,
  );
}

export async function checkEndorsements(entries: Entry[], trust: FabricTrust): Promise<Check> {
  return firstProblemAsync(
    'endorsements',
    entries,
    async ({ tx }) => {
      if (!tx) return null;
      if (tx.endorsements.length === 0) return 'carries no endorsement';
      for (const [i, e] of tx.endorsements.entries()) {
        const who = await identityProblem(trust, e.endorser, 'peer', tx.timestamp);
        if (who) return `endorsement ${i}: ${who}`;
        const key = identityKey(e.endorser);
        const signed = concatBytes([tx.proposalResponsePayload, e.endorser.raw]);
        if (!key || !(await verifyEcdsa(key, e.signature, signed)))
          return `endorsement ${i} by ${e.endorser.mspId}: the signature does not verify`;
      }
      return null;
    },
    'every endorsement is signed by a peer of its organisation over the transaction’s results',
  );
}

/** Registry names of the facts the transaction read (composite keys U+0000 fact U+0000 <registry> …). */
function registriesRead(tx: EndorserTransaction, chaincode: string): Set<string> {
  const out = new Set<string>();
  for (const ns of tx.namespaces)
    if (ns.namespace === chaincode)
      for (const key of ns.reads) if (key.startsWith('\u0000fact\u0000')) out.add(key.split('\u0000')[2]);
  return out;
}

export async function checkPolicy(entries: Entry[], trust: FabricTrust): Promise<Check> {
  let rules = 0;
  const check = await firstProblemAsync(
    'endorsement-policy',
    entries,
    async ({ tx, record }) => {
      if (!tx) return null;
      const required = new Set([trust.engineMspId]);
      // A decision the contract took needs every organisation whose facts it read.
      if (record && /^(contract|decision):/.test(String(record.actor))) {
        rules++;
        for (const registry of registriesRead(tx, trust.chaincode)) {
          const owner = trust.registryOwners[registry];
          if (!owner)
            return `read facts of registry ${registry}, which has no owner in the pinned configuration`;
          required.add(owner);
        }
      }
      const endorsed = new Set(tx.endorsements.map((e) => e.endorser.mspId));
      const missing = [...required].filter((m) => !endorsed.has(m));
      if (missing.length > 0)
        return `lacks an endorsement by ${missing.join(', ')} (endorsed by ${[...endorsed].join(', ') || 'none'})`;
      return null;
    },
    '',
  );
  if (check.status === 'valid')
    check.detail = `every transaction endorsed by ${trust.engineMspId}; ${rules} contract decisions also by the owners of the facts they read`;
  return check;
}

export function checkWritten(entries: Entry[], trust: FabricTrust): Check {
  return firstProblem(
    'records-in-transactions',
    entries,
    ({ tx, record }) => {
      if (!tx || !record) return null;
      if (record.txId !== tx.txId) return `comes with transaction ${tx.txId}, not its own ${record.txId}`;
      const key = stepKey(record.applicationId, record.elementInstanceId);
      const write = tx.namespaces
        .filter((ns) => ns.namespace === trust.chaincode)
        .flatMap((ns) => ns.writes)
        .find((w) => w.key === key);
      if (!write || write.isDelete) return 'is not among its transaction’s writes under its step key';
      if (writtenText(write.value) !== canonicalJson(record))
        return 'differs from the value its transaction wrote';
      return null;
    },
    'each record is the value its transaction wrote under its step key',
  );
}

export function checkDefinition(receipt: FabricReceipt, entries: Entry[], trust: FabricTrust): Check {
  const def = receipt.definition;
  const citing = receipt.records.filter((r) => r.record.definitionHash !== undefined);
  if (!def) {
    if (citing.length === 0) return notChecked('definition', 'no record names a definition');
    return recordInvalid(
      'definition',
      citing[0].record,
      'names a definition, but the receipt has no registration',
    );
  }
  const entry = entries[entries.length - 1];
  const fail = (why: string) => invalid('definition', why, { txId: def.registration.txId });
  const write = entry.tx?.namespaces
    .filter((ns) => ns.namespace === trust.chaincode)
    .flatMap((ns) => ns.writes)
    .find((w) => w.key === definitionKey(def.key, def.version));
  let stored: Record<string, unknown> | undefined;
  try {
    stored = write && !write.isDelete ? JSON.parse(writtenText(write.value) ?? '') : undefined;
  } catch {}
  if (!stored) return fail(`tx ${def.registration.txId} does not register ${def.key} v${def.version}`);
  for (const field of ['key', 'version', 'hash', 'modelHash'] as const)
    if (stored[field] !== def[field])
      return fail(`the registration's ${field} is ${stored[field]}, the receipt says ${def[field]}`);
  return definitionCited(receipt.records, def, def.registration.txId);
}
