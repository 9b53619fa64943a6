// moddle tree -> ProcessModel. Runs only after validation found no errors, so it may assume
// that every element is supported and every reference resolves.
import { type CompileContext, is, startEvents } from './context.ts';
import {
  candidateGroupsOf,
  DEFAULT_RETRIES,
  decisionsOf,
  expressionBody,
  extensionOf,
  extensionsOf,
  ioMappingsOf,
} from './extensions.ts';
import { stripFeel } from './feel.ts';
import type { ModdleElement } from './moddle-types.ts';
import { IR_VERSION } from './model.ts';

/** Part of a model under construction; zod checks the whole in index.ts. */
type Draft = Record<string, unknown>;

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
    startEventId: startEvents(ctx)[0]?.id,
    elements,
    flows,
  });
}

function buildElement(ctx: CompileContext, node: ModdleElement): Draft {
  const id = node.id as string;
  const mappings = ioMappingsOf(node);
  const base = compact({
    id,
    name: nameOf(node),
    incoming: (ctx.incoming.get(id) ?? []).map((f) => f.id as string),
    outgoing: (ctx.outgoing.get(id) ?? []).map((f) => f.id as string),
    line: ctx.locator.element(id)?.line,
    inputs: mappings.filter((m) => m.direction === 'input').map(({ source, target }) => ({ source, target })),
    outputs: mappings
      .filter((m) => m.direction === 'output')
      .map(({ source, target }) => ({ source, target })),
  });
  switch (node.$type) {
    case 'bpmn:StartEvent':
      return { ...base, kind: 'startEvent', form: formOf(node) };
    case 'bpmn:EndEvent':
      return { ...base, kind: 'endEvent', outcome: node.outcome === 'rejected' ? 'rejected' : 'completed' };
    case 'bpmn:UserTask': {
      const { groups, assignee } = candidateGroupsOf(node);
      const decisions = decisionsOf(node);
      return compact({
        ...base,
        kind: 'userTask',
        candidateGroups: groups,
        assignee,
        form: formOf(node),
        decisions,
        rule: ruleOf(node),
      });
    }
    case 'bpmn:ServiceTask': {
      const definition = extensionOf(node, 'zeebe:TaskDefinition');
      const retries =
        definition?.retries === undefined ? DEFAULT_RETRIES : Number.parseInt(definition.retries, 10);
      return compact({
        ...base,
        kind: 'serviceTask',
        taskType: definition?.type?.trim(),
        retries,
        rule: ruleOf(node),
      });
    }
    case 'bpmn:ExclusiveGateway':
      return compact({ ...base, kind: 'exclusiveGateway', defaultFlow: node.default?.id });
    case 'bpmn:ParallelGateway':
      return { ...base, kind: 'parallelGateway' };
    default:
      throw new Error(`buildElement reached unsupported ${node.$type} "${id}" after validation`);
  }
}

function formOf(node: ModdleElement): Draft[] {
  return extensionsOf(node, 'govflow:FormField').map((field) =>
    compact({
      id: String(field.id).trim(),
      label: field.label?.trim() || undefined,
      type: field.type ?? 'string',
      required: field.required === 'true',
    }),
  );
}

function ruleOf(node: ModdleElement): Draft | undefined {
  if (!is(node, 'bpmn:UserTask') && !is(node, 'bpmn:ServiceTask')) return undefined;
  const rule = extensionOf(node, 'govflow:ApprovalRule');
  if (!rule) return undefined;
  return compact({
    id: String(rule.id).trim(),
    facts: (rule.facts ?? []).map((fact: ModdleElement) => ({
      name: String(fact.name).trim(),
      registry: String(fact.registry).trim(),
      key: stripFeel(fact.key),
    })),
    approveWhen: expressionBody(rule.approveWhen) ?? '',
    rejectWhen: rule.rejectWhen ? expressionBody(rule.rejectWhen) : undefined,
  });
}

function nameOf(element: ModdleElement): string | undefined {
  return typeof element.name === 'string' && element.name.trim() ? element.name.trim() : undefined;
}

/** Drops undefined properties so the JSON model carries no empty keys. */
function compact<T extends object>(value: T): T {
  return Object.fromEntries(Object.entries(value).filter(([, v]) => v !== undefined)) as T;
}
