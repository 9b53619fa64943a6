// What the diagram island marks on an application's (or a process's) diagram: completed steps,
// the active ones, incidents, and the sequence flows the application took between them.
import type { ProcessModel } from '../definitions/model.ts';
import { TASK_ACTIONS } from '../workflows/state.ts';

export interface DiagramMarks {
  completed: string[];
  active: string[];
  incidents: string[];
  taken: string[];
  errors?: { elementId: string; message: string }[];
  counts?: Record<string, { active?: number; completed?: number; incidents?: number }>;
}

/** Records that hand a task around rather than finish a step. */
export const HAND_OVERS = new Set<string>(TASK_ACTIONS);

/**
 * Recorded steps are completed; open tasks, waits and incidents are where tokens stand. Elements
 * the ledger has no record of (gateways, plain events) count as passed when a flow reaches them
 * from a passed element and leaves them towards one, so the path shows without gaps.
 */
export function applicationMarks(
  model: ProcessModel | undefined,
  state: { recorded: string[]; active: string[]; incidents: string[] },
): DiagramMarks {
  const completed = new Set(state.recorded.filter((id) => !state.active.includes(id)));
  const active = new Set(state.active);
  const visited = new Set([...state.recorded, ...state.active, ...state.incidents]);
  const flows = Object.values(model?.flows ?? {});
  for (let changed = true; changed; ) {
    changed = false;
    for (const [id, element] of Object.entries(model?.elements ?? {})) {
      if (visited.has(id)) continue;
      const reached = element.incoming.some((f) => visited.has(model!.flows[f]?.source ?? ''));
      const left = element.outgoing.some((f) => visited.has(model!.flows[f]?.target ?? ''));
      if (reached && left) {
        visited.add(id);
        completed.add(id);
        changed = true;
      }
    }
  }
  return {
    completed: [...completed],
    active: [...active],
    incidents: [...new Set(state.incidents)],
    taken: flows.filter((f) => visited.has(f.source) && visited.has(f.target)).map((f) => f.id),
  };
}
