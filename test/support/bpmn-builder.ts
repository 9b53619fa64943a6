// Small BPMN models for scenario tests, written the way Camunda Modeler writes them (zeebe
// dialect), minus the diagram. `bpmn()` collects the message/error/escalation/signal definitions
// the elements refer to.

const definitions = new Map<string, string>();
const esc = (s: string) =>
  s.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;');

export type Trigger = string;

export function bpmn(processId: string, ...content: string[]): string {
  const defs = [...definitions.values()].join('\n  ');
  definitions.clear();
  return `<?xml version="1.0" encoding="UTF-8"?>
<bpmn:definitions xmlns:bpmn="http://www.omg.org/spec/BPMN/20100524/MODEL" xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance" xmlns:zeebe="http://camunda.org/schema/zeebe/1.0" xmlns:govflow="http://govflow.dev/schema/1.0" id="defs_${processId}" targetNamespace="http://govflow.dev/test">
  ${defs}
  <bpmn:process id="${processId}" isExecutable="true">
    ${content.join('\n    ')}
  </bpmn:process>
</bpmn:definitions>`;
}

// ---- triggers (event definitions) ----

export const timer = (kind: 'duration' | 'date' | 'cycle', value: string): Trigger => {
  const tag = kind === 'duration' ? 'timeDuration' : kind === 'date' ? 'timeDate' : 'timeCycle';
  return `<bpmn:timerEventDefinition><bpmn:${tag} xsi:type="bpmn:tFormalExpression">${esc(value)}</bpmn:${tag}></bpmn:timerEventDefinition>`;
};

/** What a message or signal declares: the variables it carries (name -> type) and who may publish it. */
export interface EventDeclarations {
  payload?: Record<string, 'string' | 'number' | 'boolean' | 'date' | 'array'>;
  publishers?: string;
}

const payloadFields = (payload: EventDeclarations['payload'] = {}) =>
  Object.entries(payload)
    .map(([id, type]) => `<govflow:payloadField id="${esc(id)}" type="${type}" />`)
    .join('');

const publishersAttr = (publishers?: string) =>
  publishers === undefined ? '' : ` govflow:publishers="${esc(publishers)}"`;

export const message = (name: string, correlationKey?: string, declares: EventDeclarations = {}): Trigger => {
  const id = `Msg_${name.replace(/\W/g, '_')}`;
  const inner = `${correlationKey ? `<zeebe:subscription correlationKey="${esc(correlationKey)}" />` : ''}${payloadFields(declares.payload)}`;
  const ext = inner ? `<bpmn:extensionElements>${inner}</bpmn:extensionElements>` : '';
  definitions.set(
    id,
    `<bpmn:message id="${id}" name="${esc(name)}"${publishersAttr(declares.publishers)}>${ext}</bpmn:message>`,
  );
  return `<bpmn:messageEventDefinition messageRef="${id}" />`;
};

export const error = (code: string): Trigger => {
  const id = `Err_${code.replace(/\W/g, '_')}`;
  definitions.set(id, `<bpmn:error id="${id}" name="${esc(code)}" errorCode="${esc(code)}" />`);
  return `<bpmn:errorEventDefinition errorRef="${id}" />`;
};

export const escalation = (code: string): Trigger => {
  const id = `Esc_${code.replace(/\W/g, '_')}`;
  definitions.set(id, `<bpmn:escalation id="${id}" name="${esc(code)}" escalationCode="${esc(code)}" />`);
  return `<bpmn:escalationEventDefinition escalationRef="${id}" />`;
};

export const signal = (name: string, declares: EventDeclarations = {}): Trigger => {
  const id = `Sig_${name.replace(/\W/g, '_')}`;
  const fields = payloadFields(declares.payload);
  definitions.set(
    id,
    `<bpmn:signal id="${id}" name="${esc(name)}"${publishersAttr(declares.publishers)}>${fields ? `<bpmn:extensionElements>${fields}</bpmn:extensionElements>` : ''}</bpmn:signal>`,
  );
  return `<bpmn:signalEventDefinition signalRef="${id}" />`;
};

export const link = (name: string): Trigger => `<bpmn:linkEventDefinition name="${esc(name)}" />`;
export const terminate = (): Trigger => '<bpmn:terminateEventDefinition />';
export const compensate = (activity?: string): Trigger =>
  `<bpmn:compensateEventDefinition${activity ? ` activityRef="${activity}"` : ''} />`;

// ---- events ----

export const start = (id: string, trigger = '', opts: { interrupting?: boolean } = {}) =>
  `<bpmn:startEvent id="${id}"${opts.interrupting === false ? ' isInterrupting="false"' : ''}>${trigger}</bpmn:startEvent>`;

export const end = (id: string, trigger = '', opts: { outcome?: 'rejected' } = {}) =>
  `<bpmn:endEvent id="${id}"${opts.outcome ? ` govflow:outcome="${opts.outcome}"` : ''}>${trigger}</bpmn:endEvent>`;

export const catchEvent = (id: string, trigger: Trigger) =>
  `<bpmn:intermediateCatchEvent id="${id}">${trigger}</bpmn:intermediateCatchEvent>`;

export const throwEvent = (id: string, trigger = '') =>
  `<bpmn:intermediateThrowEvent id="${id}">${trigger}</bpmn:intermediateThrowEvent>`;

export const boundary = (
  id: string,
  attachedTo: string,
  trigger: Trigger,
  opts: { interrupting?: boolean } = {},
) =>
  `<bpmn:boundaryEvent id="${id}" attachedToRef="${attachedTo}"${opts.interrupting === false ? ' cancelActivity="false"' : ''}>${trigger}</bpmn:boundaryEvent>`;

// ---- activities ----

interface ActivityOptions {
  inputs?: Record<string, string>;
  outputs?: Record<string, string>;
  multi?: {
    collection: string;
    element?: string;
    outputCollection?: string;
    outputElement?: string;
    sequential?: boolean;
    completion?: string;
  };
  compensationHandler?: boolean;
}

/**
 * An activity element: `inner` (its zeebe definition) and the IO mappings as extension elements,
 * then its loop characteristics, then `children` (a sub-process's elements).
 */
function activity(
  tag: string,
  id: string,
  opts: ActivityOptions,
  { inner = '', attrs = '', children = '' } = {},
): string {
  const io =
    opts.inputs || opts.outputs
      ? `<zeebe:ioMapping>${Object.entries(opts.inputs ?? {})
          .map(([target, source]) => `<zeebe:input source="${esc(source)}" target="${target}" />`)
          .join('')}${Object.entries(opts.outputs ?? {})
          .map(([target, source]) => `<zeebe:output source="${esc(source)}" target="${target}" />`)
          .join('')}</zeebe:ioMapping>`
      : '';
  const body = inner + io;
  const ext = body ? `<bpmn:extensionElements>${body}</bpmn:extensionElements>` : '';
  const m = opts.multi;
  const loop = m
    ? `<bpmn:multiInstanceLoopCharacteristics${m.sequential ? ' isSequential="true"' : ''}><bpmn:extensionElements><zeebe:loopCharacteristics inputCollection="${esc(m.collection)}"${m.element ? ` inputElement="${m.element}"` : ''}${m.outputCollection ? ` outputCollection="${m.outputCollection}"` : ''}${m.outputElement ? ` outputElement="${esc(m.outputElement)}"` : ''} /></bpmn:extensionElements>${m.completion ? `<bpmn:completionCondition xsi:type="bpmn:tFormalExpression">${esc(m.completion)}</bpmn:completionCondition>` : ''}</bpmn:multiInstanceLoopCharacteristics>`
    : '';
  const compensation = opts.compensationHandler ? ' isForCompensation="true"' : '';
  return `<bpmn:${tag} id="${id}"${attrs}${compensation}>${ext}${loop}${children}</bpmn:${tag}>`;
}

export const userTask = (
  id: string,
  groups = 'clerks',
  opts: ActivityOptions & { decisions?: string } = {},
) =>
  activity('userTask', id, opts, {
    inner: `<zeebe:assignmentDefinition candidateGroups="${groups}" />`,
    attrs: opts.decisions ? ` govflow:decisions="${opts.decisions}"` : '',
  });

export const serviceTask = (id: string, type: string, opts: ActivityOptions & { retries?: number } = {}) =>
  activity('serviceTask', id, opts, {
    inner: `<zeebe:taskDefinition type="${type}" retries="${opts.retries ?? 1}" />`,
  });

/** A business rule task calling a DMN decision (`zeebe:calledDecision`). */
export const decisionTask = (
  id: string,
  decisionId: string,
  resultVariable: string,
  opts: ActivityOptions = {},
) =>
  activity('businessRuleTask', id, opts, {
    inner: `<zeebe:calledDecision decisionId="${decisionId}" resultVariable="${resultVariable}" />`,
  });

export const sendTask = (id: string, type: string) =>
  `<bpmn:sendTask id="${id}"><bpmn:extensionElements><zeebe:taskDefinition type="${type}" retries="1" /></bpmn:extensionElements></bpmn:sendTask>`;

export const scriptTask = (
  id: string,
  expression: string,
  resultVariable: string,
  opts: ActivityOptions = {},
) =>
  activity('scriptTask', id, opts, {
    inner: `<zeebe:script expression="${esc(expression)}" resultVariable="${resultVariable}" />`,
  });

export const manualTask = (id: string, opts: ActivityOptions = {}) => activity('manualTask', id, opts);

export const receiveTask = (
  id: string,
  messageName: string,
  correlationKey: string,
  declares: EventDeclarations = {},
) => {
  const ref = message(messageName, correlationKey, declares).match(/messageRef="([^"]+)"/)![1];
  return `<bpmn:receiveTask id="${id}" messageRef="${ref}" />`;
};

export const subProcess = (
  id: string,
  children: string[],
  opts: ActivityOptions & { eventSub?: boolean } = {},
) =>
  activity('subProcess', id, opts, {
    attrs: opts.eventSub ? ' triggeredByEvent="true"' : '',
    children: `\n      ${children.join('\n      ')}\n    `,
  });

export const callActivity = (
  id: string,
  processId: string,
  opts: ActivityOptions & { propagateAll?: boolean } = {},
) => {
  const propagate = opts.propagateAll === false ? ' propagateAllChildVariables="false"' : '';
  return activity('callActivity', id, opts, {
    inner: `<zeebe:calledElement processId="${processId}"${propagate} />`,
  });
};

// ---- gateways and flows ----

export const xor = (id: string, defaultFlow?: string) =>
  `<bpmn:exclusiveGateway id="${id}"${defaultFlow ? ` default="${defaultFlow}"` : ''} />`;
export const or = (id: string, defaultFlow?: string) =>
  `<bpmn:inclusiveGateway id="${id}"${defaultFlow ? ` default="${defaultFlow}"` : ''} />`;
export const and = (id: string) => `<bpmn:parallelGateway id="${id}" />`;
export const eventGateway = (id: string) => `<bpmn:eventBasedGateway id="${id}" />`;

/** A sequence flow `from->to` (its id), with an optional FEEL condition. */
export const flow = (from: string, to: string, condition?: string, id = `${from}-${to}`) =>
  condition
    ? `<bpmn:sequenceFlow id="${id}" sourceRef="${from}" targetRef="${to}"><bpmn:conditionExpression xsi:type="bpmn:tFormalExpression">${esc(condition)}</bpmn:conditionExpression></bpmn:sequenceFlow>`
    : `<bpmn:sequenceFlow id="${id}" sourceRef="${from}" targetRef="${to}" />`;

/** A chain of flows a->b->c... */
export const chain = (...ids: string[]) => ids.slice(1).map((to, i) => flow(ids[i], to));

/** The association from a compensation boundary event to its handler. */
export const association = (from: string, to: string) =>
  `<bpmn:association id="${from}-${to}" associationDirection="One" sourceRef="${from}" targetRef="${to}" />`;
