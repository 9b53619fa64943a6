// Activities that write a workflow step to the ledger. Idempotent: the contract keys every record
// by (application id, element instance id), so a retry after a crash returns the first record.
import { ApplicationFailure } from '@temporalio/activity';
import { namesRead } from '../definitions/feel.ts';
import type { ApprovalRule } from '../definitions/model.ts';
import { ContractError } from '../ledger/errors.ts';
import { canonicalJson, sha256Hex } from '../ledger/hash.ts';
import type { Ledger, LedgerIdentity } from '../ledger/types.ts';

export interface StepArgs {
  applicationId: string;
  elementId: string;
  elementInstanceId: string;
  elementName?: string;
  definitionKey: string;
  definitionHash: string;
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
      await delayIfAsked(args.elementId);
      const { data, ...step } = args;
      const { record, duplicate } = await submit(() =>
        ledger.recordStep({ ...step, dataHash: sha256Hex(canonicalJson(data)) }, ENGINE_IDENTITY),
      );
      crashAfterRecordIfAsked(args.elementId);
      return { txId: record.txId, hash: record.hash, seq: record.seq, duplicate };
    },

    async evaluateRule(args: StepArgs & { rule: ApprovalRule; variables: Record<string, unknown> }) {
      const variables = variablesRuleReads(args.rule, args.variables);
      const { record, duplicate, evaluation } = await submit(() =>
        ledger.evaluateRule({ ...args, variables }, ENGINE_IDENTITY),
      );
      crashAfterRecordIfAsked(args.elementId);
      return { ...evaluation, txId: record.txId, hash: record.hash, duplicate };
    },

    async evaluateDecision(args: StepArgs & { decisionId: string; variables: Record<string, unknown> }) {
      const { record, duplicate, outcome } = await submit(() =>
        ledger.evaluateDecision(args, ENGINE_IDENTITY),
      );
      crashAfterRecordIfAsked(args.elementId);
      return { ...outcome, txId: record.txId, hash: record.hash, duplicate };
    },
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
 * element's steps, so an event can be made to arrive while a step is being recorded.
 */
async function delayIfAsked(elementId: string): Promise<void> {
  const [target, ms] = (process.env.GOVFLOW_DELAY_RECORD ?? '').split(':');
  if (target === elementId) await new Promise((resolve) => setTimeout(resolve, Number(ms)));
}
