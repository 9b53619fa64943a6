// govflow:formField defines what an applicant or clerk must submit; the API and the workflow
// validate input against it, so its shape must be sound.
import { type CompileContext, is } from '../context.ts';
import { refer } from '../diagnostic.ts';
import { extensionsOf } from '../extensions.ts';
import type { ModdleElement } from '../moddle-types.ts';
import type { Diagnostic } from '../model.ts';

export const FIELD_TYPES = ['string', 'number', 'boolean', 'date', 'array'] as const;

export function formFieldInvalid(ctx: CompileContext): Diagnostic[] {
  const found: Diagnostic[] = [];
  for (const node of ctx.nodes) {
    const fields = extensionsOf(node, 'govflow:FormField');
    const start = ctx.locator.element(node.id)?.offset ?? 0;
    const positions = fields.length > 0 ? ctx.locator.tags('formField', start, fields.length) : [];
    const seen = new Set<string>();
    fields.forEach((field, index) => {
      const report = (message: string) =>
        found.push(ctx.diagnostic('form-field-invalid', message, node, { position: positions[index] }));
      if (index === 0 && !is(node, 'bpmn:StartEvent') && !is(node, 'bpmn:UserTask')) {
        report(`${refer(node)} is a ${node.$type}; form fields belong on start events and user tasks`);
      }
      for (const problem of fieldProblems(field, seen))
        report(`Form field "${field.id ?? ''}" of ${refer(node)} ${problem}`);
    });
  }
  return [...found, ...eventDeclarationProblems(ctx)];
}

/** A publisher entry of govflow:publishers: who may publish a message or signal through the API. */
const PUBLISHER = /^(applicant|engine|clerk|department|clerk:[^\s:,]+|department:[^\s:,]+)$/;

/** govflow:payloadField and govflow:publishers on bpmn:message and bpmn:signal. */
function eventDeclarationProblems(ctx: CompileContext): Diagnostic[] {
  const found: Diagnostic[] = [];
  const roots: ModdleElement[] = Array.isArray(ctx.definitions.rootElements)
    ? ctx.definitions.rootElements
    : [];
  for (const event of roots) {
    if (!is(event, 'bpmn:Message') && !is(event, 'bpmn:Signal')) continue;
    const what = `${is(event, 'bpmn:Message') ? 'Message' : 'Signal'} "${event.name ?? event.id}"`;
    const seen = new Set<string>();
    for (const field of extensionsOf(event, 'govflow:PayloadField')) {
      for (const problem of fieldProblems(field, seen))
        found.push(
          ctx.diagnostic(
            'form-field-invalid',
            `Payload field "${field.id ?? ''}" of ${what} ${problem}`,
            event,
          ),
        );
    }
    if (typeof event.publishers !== 'string') continue;
    const entries = event.publishers.split(',').map((entry: string) => entry.trim());
    for (const entry of entries.filter((e: string) => !PUBLISHER.test(e))) {
      found.push(
        ctx.diagnostic(
          'form-field-invalid',
          `${what} has govflow:publishers entry "${entry}"; use applicant, engine, clerk[:group] or department[:MSP id]`,
          event,
        ),
      );
    }
  }
  return found;
}

function fieldProblems(field: ModdleElement, seen: Set<string>): string[] {
  const problems: string[] = [];
  const id = String(field.id ?? '').trim();
  if (!id) problems.push('has no id');
  else if (seen.has(id)) problems.push('is declared twice');
  seen.add(id);
  if (field.type !== undefined && !(FIELD_TYPES as readonly string[]).includes(field.type)) {
    problems.push(`has type "${field.type}"; use one of ${FIELD_TYPES.join(', ')}`);
  }
  if (field.required !== undefined && field.required !== 'true' && field.required !== 'false') {
    problems.push(`has required="${field.required}"; use true or false`);
  }
  for (const bound of ['minItems', 'maxItems'] as const) {
    const value = field[bound];
    if (value === undefined) continue;
    if (!/^\s*\d+\s*$/.test(String(value))) problems.push(`has ${bound}="${value}"; use a whole number`);
    else if (field.type !== 'array') problems.push(`has ${bound} but is not of type array`);
  }
  const min = Number(field.minItems);
  if (field.minItems !== undefined && field.maxItems !== undefined && min > Number(field.maxItems))
    problems.push(`has minItems above maxItems`);
  return problems;
}
