// moddle tree -> ProcessModel. Runs only after validation found no errors, so it may assume
// that every element is supported and every reference resolves.
import { buildElement } from './build-element.ts';
import { type CompileContext, noneStartEvents } from './context.ts';
import { compact, type Draft, nameOf } from './draft.ts';
import { expressionBody } from './extensions.ts';
import { IR_VERSION } from './model.ts';

export interface ModelIdentity {
  hash: string;
  version: number;
}

/** The model before its zod check (index.ts parses it). */
export function buildModel(ctx: CompileContext, identity: ModelIdentity): unknown {
  const elements: Record<string, Draft> = {};
  for (const node of ctx.nodes) elements[node.id as string] = buildElement(ctx, node);
  const flows: Record<string, Draft> = {};
  for (const flow of ctx.flows) {
    const condition = flow.conditionExpression ? expressionBody(flow.conditionExpression) : undefined;
    flows[flow.id as string] = compact({
      id: flow.id as string,
      name: nameOf(flow),
      source: flow.sourceRef.id,
      target: flow.targetRef.id,
      condition,
    });
  }
  return compact({
    irVersion: IR_VERSION,
    key: ctx.process.id,
    name: nameOf(ctx.process),
    version: identity.version,
    hash: identity.hash,
    startEventId: noneStartEvents(ctx)[0]?.id,
    elements,
    flows,
  });
}
