// Activities that write a workflow step to the ledger, and the check of the model a workflow runs
// against the ledger's registration. Idempotent: the contract keys every record by (application
// id, element instance id), and a retry after a crash sends the same input (the data hash is
// canonical, no clock is part of it), so it gets the first record back.
import { ApplicationFailure } from '@temporalio/activity';
import { namesRead } from '../definitions/feel.ts';
import type { ApprovalRule, ProcessModel } from '../definitions/model.ts';
import { ContractError } from '../ledger/errors.ts';
import { canonicalJson, sha256Hex } from '../ledger/hash.ts';
import { modelHash } from '../ledger/model-hash.ts';
import type { Ledger, LedgerIdentity } from '../ledger/types.ts';

export interface StepArgs {
  applicationId: string;
  elementId: string;
  elementInstanceId: string;
  elementName?: string;
  definitionKey: string;
  definitionVersion: number;
  definitionHash: string;
}

/** What the workflow runs: its definition as registered, and the compiled model it was given. */
export interface CheckDefinitionArgs {
  definitionKey: string;
  definitionVersion: number;
  definitionHash: string;
  model: ProcessModel;
}

export interface RecordStepArgs extends StepArgs {
  actor: string;
  decision: string;
  /** Variables or form data involved; only their hash reaches the ledger. */
  data: Record<string, unknown>;
}

export interface RecordedStep {
  txId: string;
  hash: string;
  seq: number;
  duplicate: boolean;
}

/** The engine's own identity on the ledger. */
export const ENGINE_IDENTITY: LedgerIdentity = { mspId: 'GovflowMSP', id: 'govflow-engine' };

export function ledgerStepActivities(ledger: Ledger) {
  return {
    async recordStep(args: RecordStepArgs): Promise<RecordedStep> {
      await delayIfAsked(args);
      const { data, ...step } = args;
      const { record, duplicate } = await submit(() =>
        ledger.recordStep({ ...step, dataHash: sha256Hex(canonicalJson(data)) }, ENGINE_IDENTITY),
      );
      crashAfterRecordIfAsked(args.elementId);
      return { txId: record.txId, hash: record.hash, seq: record.seq, duplicate };
    },

    /** The contract decides by the rule registered for the element; only what it reads is sent. */
    async evaluateRule(args: StepArgs & { variables: Record<string, unknown> }) {
      const registered = await ledger.definitionRecord(args.definitionKey, args.definitionVersion);
      const rule = registered?.rules?.[args.elementId];
      // Without a registered rule the contract refuses the step, naming what is missing.
      const variables = rule ? variablesRuleReads(rule, args.variables) : {};
      const { record, duplicate, evaluation } = await submit(() =>
        ledger.evaluateRule({ ...stepOf(args), variables }, ENGINE_IDENTITY),
      );
      crashAfterRecordIfAsked(args.elementId);
      return { ...evaluation, txId: record.txId, hash: record.hash, duplicate };
    },

    async evaluateDecision(args: StepArgs & { decisionId: string; variables: Record<string, unknown> }) {
      const { record, duplicate, outcome } = await submit(() =>
        ledger.evaluateDecision(
          { ...stepOf(args), decisionId: args.decisionId, variables: args.variables },
          ENGINE_IDENTITY,
        ),
      );
      crashAfterRecordIfAsked(args.elementId);
      return { ...outcome, txId: record.txId, hash: record.hash, duplicate };
    },
  };
}

/**
 * Checks the model a workflow was given against the ledger's registration of its definition: the
 * XML hash and the hash of the compiled model. A model changed after deployment (a stored file
 * edited) fails for good, naming both hashes, before it decides or records anything.
 */
export function definitionCheckActivities(ledger: Ledger) {
  return {
    async checkDefinition(args: CheckDefinitionArgs): Promise<{ modelHash: string }> {
      const { definitionKey: key, definitionVersion: version, definitionHash } = args;
      const runs = modelHash(args.model);
      const registered = await ledger.definitionRecord(key, version);
      const name = `definition ${key} v${version}`;
      if (!registered || registered.kind === 'decisions')
        throw mismatch(`${name} is not registered on the ledger; the model given cannot be checked`);
      if (registered.hash !== definitionHash || registered.modelHash !== runs) {
        throw mismatch(
          `${name}: the model this application was given is not the one the ledger registered — it has model hash ${runs} and XML hash ${definitionHash}, the ledger has model hash ${registered.modelHash ?? '(none)'} and XML hash ${registered.hash}; the stored model was changed after deployment`,
        );
      }
      return { modelHash: runs };
    },
  };
}

function mismatch(message: string) {
  return ApplicationFailure.nonRetryable(message, 'DefinitionMismatch');
}

/** The step's identity as the contract takes it: no other field of the activity's arguments. */
function stepOf(args: StepArgs): StepArgs {
  const { applicationId, elementId, elementInstanceId, elementName } = args;
  const { definitionKey, definitionVersion, definitionHash } = args;
  return {
    applicationId,
    elementId,
    elementInstanceId,
    elementName,
    definitionKey,
    definitionVersion,
    definitionHash,
  };
}

/**
 * Only the variables the rule's expressions read go to the contract: the rest of the application
 * (names, documents, ID numbers) has no business in a transaction other organisations endorse.
 * Facts are left out too; the contract reads them from the registries.
 */
export function variablesRuleReads(
  rule: ApprovalRule,
  variables: Record<string, unknown>,
): Record<string, unknown> {
  const factNames = new Set(rule.facts.map((fact) => fact.name));
  const expressions = [...rule.facts.map((fact) => fact.key), rule.approveWhen];
  if (rule.rejectWhen) expressions.push(rule.rejectWhen);
  const read = namesRead(expressions, Object.keys(variables));
  return Object.fromEntries(
    Object.entries(variables).filter(([name]) => read.has(name) && !factNames.has(name)),
  );
}

/** Contract errors about the input itself will not heal by retrying: fail the activity for good. */
async function submit<T>(call: () => Promise<T>): Promise<T> {
  try {
    return await call();
  } catch (err) {
    // Details a peer cannot serve yet may arrive: that one is retried like any ledger failure.
    if (err instanceof ContractError && err.code !== 'DETAILS_UNAVAILABLE')
      throw ApplicationFailure.nonRetryable(err.message, 'ContractError');
    throw err;
  }
}

/**
 * Fault injection for the crash-recovery test: GOVFLOW_CRASH_AFTER_RECORD=<elementId> kills the
 * worker right after the ledger committed a step and before Temporal hears the activity finished.
 */
function crashAfterRecordIfAsked(elementId: string): void {
  if (process.env.GOVFLOW_CRASH_AFTER_RECORD === elementId) process.kill(process.pid, 'SIGKILL');
}

/**
 * Fault injection for race tests: GOVFLOW_DELAY_RECORD=<elementId>:<ms> holds the recording of that
 * element's steps, so an event can be made to arrive while a step is being recorded;
 * `<elementId>/claimed` (or unclaimed, assigned) holds only the records of those task actions.
 */
async function delayIfAsked({ elementId, elementInstanceId }: RecordStepArgs): Promise<void> {
  const [target, ms] = (process.env.GOVFLOW_DELAY_RECORD ?? '').split(':');
  const action = /\/(claimed|unclaimed|assigned)#\d+$/.exec(elementInstanceId)?.[1];
  if (target === elementId || (action && target === `${elementId}/${action}`))
    await new Promise((resolve) => setTimeout(resolve, Number(ms)));
}
