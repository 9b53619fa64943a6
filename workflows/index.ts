// Workflow bundle entry: everything the worker registers.
export { applicationWorkflow } from './application.ts';
export { messageMailboxWorkflow } from './message-mailbox.ts';
export { messageProbeWorkflow, signalProbeWorkflow } from './message-probe.ts';
