// Every FEEL expression in the model is parsed now, so a typo fails the deployment instead
// of an application months later.
import { type CompileContext, is } from '../context.ts';
import { refer } from '../diagnostic.ts';
import {
  candidateGroupsOf,
  dueDateOf,
  expressionBody,
  extensionsOf,
  ioMappingsOf,
  multiInstanceOf,
  scriptOf,
} from '../extensions.ts';
import { feelSyntaxError, stripFeel } from '../feel.ts';
import type { ModdleElement } from '../moddle-types.ts';
import type { Diagnostic } from '../model.ts';
import { isExpression } from '../timers.ts';
import { correlationKeyOf, timerOf } from '../triggers.ts';

interface Expression {
  owner: ModdleElement;
  what: string;
  text: string;
}

export function feelSyntax(ctx: CompileContext): Diagnostic[] {
  const found: Diagnostic[] = [];
  const checked = new Map<string, string | undefined>(); // a shared message's key is listed once per event
  for (const { owner, what, text } of expressions(ctx)) {
    if (!checked.has(text)) checked.set(text, feelSyntaxError(text));
    const error = checked.get(text);
    if (!error) continue;
    const shown = text.length > 200 ? `${text.slice(0, 200)}…` : text;
    found.push(ctx.diagnostic('feel-syntax', `${what} is not valid FEEL (${error}): ${shown}`, owner));
  }
  return found;
}

function expressions(ctx: CompileContext): Expression[] {
  const list: Expression[] = [];
  for (const flow of ctx.flows) {
    if (flow.conditionExpression) {
      list.push({
        owner: flow,
        what: `The condition of sequence flow "${flow.id}"`,
        text: expressionBody(flow.conditionExpression) ?? '',
      });
    }
  }
  for (const node of ctx.nodes) {
    for (const { direction, source, mapping } of ioMappingsOf(node)) {
      if (source)
        list.push({
          owner: node,
          what: `The ${direction} mapping to "${mapping.target}" of ${refer(node)}`,
          text: source,
        });
    }
    for (const rule of extensionsOf(node, 'govflow:ApprovalRule')) {
      const of = `of approval rule "${rule.id ?? ''}" on ${refer(node)}`;
      if (rule.approveWhen)
        list.push({
          owner: node,
          what: `The approveWhen condition ${of}`,
          text: expressionBody(rule.approveWhen) ?? '',
        });
      if (rule.rejectWhen)
        list.push({
          owner: node,
          what: `The rejectWhen condition ${of}`,
          text: expressionBody(rule.rejectWhen) ?? '',
        });
      for (const fact of rule.facts ?? []) {
        if (fact.key?.trim())
          list.push({ owner: node, what: `The key of fact "${fact.name}" ${of}`, text: stripFeel(fact.key) });
      }
    }
    list.push(...eventAndTaskExpressions(node));
    if (is(node, 'bpmn:UserTask') && node.extensionElements) {
      // assignee may be an expression (`=applicant.clerk`): check it when it is one
      const { assignee } = candidateGroupsOf(node);
      if (assignee?.startsWith('=')) {
        list.push({
          owner: node,
          what: `The assignee expression of ${refer(node)}`,
          text: stripFeel(assignee),
        });
      }
    }
  }
  return list;
}

/** Timers, correlation keys, due dates, multi-instance and script expressions (IR v2). */
function eventAndTaskExpressions(owner: ModdleElement): Expression[] {
  const list: Expression[] = [];
  const add = (what: string, text: string | undefined) => {
    if (text !== undefined) list.push({ owner, what: `${what} of ${refer(owner)}`, text });
  };
  const timer = timerOf(owner);
  if (timer && isExpression(timer.raw)) add(`The timer ${timer.kind}`, stripFeel(timer.raw));
  add('The message correlation key', correlationKeyOf(owner));
  const due = dueDateOf(owner);
  if (due && isExpression(due.raw)) add('The due date', due.feel);
  const multi = multiInstanceOf(owner);
  if (multi) {
    add('The multi-instance input collection', multi.inputCollection);
    add('The multi-instance output element', multi.outputElement);
    add('The multi-instance completion condition', multi.completionCondition);
  }
  if (is(owner, 'bpmn:ScriptTask')) add('The script expression', scriptOf(owner).expression);
  return list;
}
