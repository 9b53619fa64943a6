// Chaincode entry point, fabric-samples style: the contracts this chaincode serves.
import { GovflowContract } from './govflow-contract.ts';

export type { ApprovalRule, RuleDecision, RuleEvaluation, RuleFact } from './approval-rule.ts';
export { canonicalJson, sha256Hex } from './canonical.ts';
export type { DecisionOutcome, DecisionVersion } from './decision-registry.ts';
export type { DefinitionRecord } from './definition-registry.ts';
export { GovflowContract } from './govflow-contract.ts';
export { REGISTRY_OWNERS } from './registries.ts';
export type { ChainHead, StepInput, StepRecord, TrailProblem } from './step-record.ts';
export { describeRecord, shortTx, stepRecordHash, verifyRecords } from './step-record.ts';

export const contracts = [GovflowContract];
