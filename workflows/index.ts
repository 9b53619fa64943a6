// Workflow bundle entry: everything the worker registers.
export { applicationWorkflow } from './application.ts';
