// Anything this version cannot run is named precisely, so a designer knows what to remove.
import { type CompileContext, hasEventDefinitions, is } from '../context.ts';
import { refer } from '../diagnostic.ts';
import type { ModdleElement } from '../moddle-types.ts';
import type { Diagnostic } from '../model.ts';

const SUPPORTED_NODES = new Set([
  'bpmn:StartEvent',
  'bpmn:EndEvent',
  'bpmn:UserTask',
  'bpmn:ServiceTask',
  'bpmn:ExclusiveGateway',
  'bpmn:ParallelGateway',
]);
/** Artifacts carry no execution semantics; groups are as harmless as annotations. */
const SUPPORTED_ARTIFACTS = new Set(['bpmn:TextAnnotation', 'bpmn:Association', 'bpmn:Group']);

export function unsupportedElement(ctx: CompileContext): Diagnostic[] {
  const found: Diagnostic[] = [];
  for (const node of ctx.nodes) {
    if (!SUPPORTED_NODES.has(node.$type)) {
      found.push(
        ctx.diagnostic(
          'unsupported-element',
          `${refer(node)} is a ${node.$type}, which this version does not support`,
          node,
        ),
      );
    } else if ((is(node, 'bpmn:StartEvent') || is(node, 'bpmn:EndEvent')) && hasEventDefinitions(node)) {
      const kinds = node.eventDefinitions.map((d: ModdleElement) => d.$type).join(', ');
      const what = is(node, 'bpmn:StartEvent') ? 'start' : 'end';
      found.push(
        ctx.diagnostic(
          'unsupported-element',
          `${node.$type} ${refer(node)} has ${kinds}; only plain (none) ${what} events are supported`,
          node,
        ),
      );
    }
  }
  for (const artifact of ctx.process.artifacts ?? []) {
    if (!SUPPORTED_ARTIFACTS.has(artifact.$type)) {
      found.push(
        ctx.diagnostic(
          'unsupported-element',
          `${refer(artifact)} is a ${artifact.$type}, which this version does not support`,
          artifact,
        ),
      );
    }
  }
  for (const root of ctx.definitions.rootElements ?? []) {
    for (const messageFlow of is(root, 'bpmn:Collaboration') ? (root.messageFlows ?? []) : []) {
      found.push(
        ctx.diagnostic(
          'unsupported-element',
          `Message flow ${refer(messageFlow)} is not supported: only a single pool runs`,
          messageFlow,
        ),
      );
    }
  }
  return found;
}
