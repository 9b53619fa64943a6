// Which department a service task belongs to, by the prefix of its type (`land-registry.transfer-title`),
// and the task queue its jobs go to: one per department, served only by that department's worker,
// which writes facts under that department's identity. Pure, so the workflow bundle can use it.

/** Task-type prefixes of the departments that run their own jobs, and their organisations (MSP ids). */
export const DEPARTMENT_OF_PREFIX: Readonly<Record<string, string>> = Object.freeze({
  'land-registry': 'LandRegistryMSP',
  'tax-bureau': 'TaxBureauMSP',
  'market-regulation': 'MarketRegulationMSP',
});

/** The MSP id of the department a task type belongs to; undefined: the engine's own worker runs it. */
export function departmentOfTaskType(taskType: string): string | undefined {
  const prefix = taskType.split('.')[0];
  return Object.hasOwn(DEPARTMENT_OF_PREFIX, prefix) ? DEPARTMENT_OF_PREFIX[prefix] : undefined;
}

/** A department's task queue beside the engine's: `govflow` -> `govflow-dept-LandRegistryMSP`. */
export function departmentTaskQueue(engineTaskQueue: string, mspId: string): string {
  return `${engineTaskQueue}-dept-${mspId}`;
}

/** Marks histories in which department jobs are scheduled on their department's task queue. */
export const DEPARTMENT_QUEUES_PATCH = 'department-task-queues';
