// A Camunda form embedded in the process (zeebe:userTaskForm, used through zeebe:formDefinition
// formKey="camunda-forms:bpmn:<id>") is what the API and the workflow check submitted data
// against, so it must exist, be a readable form-js schema and leave no doubt which fields apply.
import { type EmbeddedForm, formReferenceOf } from '../camunda-form-refs.ts';
import { type CompileContext, is } from '../context.ts';
import { described, refer } from '../diagnostic.ts';
import { extensionsOf } from '../extensions.ts';
import type { SourcePosition } from '../locate.ts';
import type { ModdleElement } from '../moddle-types.ts';
import type { Diagnostic } from '../model.ts';

const RULE = 'camunda-form-invalid';

export function camundaFormInvalid(ctx: CompileContext): Diagnostic[] {
  const found: Diagnostic[] = [];
  const forms = ctx.embeddedForms;
  const users = new Map<string, ModdleElement[]>();
  for (const node of ctx.nodes) {
    const reference = formReferenceOf(node);
    if (!reference) continue;
    const report = (message: string) => found.push(ctx.diagnostic(RULE, message, node));
    if (!is(node, 'bpmn:UserTask') && !is(node, 'bpmn:StartEvent')) {
      report(`${described(node)} has a zeebe:formDefinition; forms belong on user tasks and start events`);
      continue;
    }
    if (reference.kind === 'invalid') {
      report(`The zeebe:formDefinition of ${refer(node)} ${reference.problem}`);
      continue;
    }
    if (reference.kind !== 'embedded') continue;
    if (extensionsOf(node, 'govflow:FormField').length > 0)
      report(
        `${described(node)} has both govflow:formField fields and Camunda form "${reference.formId}"; keep one of them`,
      );
    if (!forms.has(reference.formId)) {
      report(
        `${described(node)} uses Camunda form "${reference.formId}", which process "${ctx.process.id}" does not embed (no zeebe:userTaskForm with that id)`,
      );
      continue;
    }
    users.set(reference.formId, [...(users.get(reference.formId) ?? []), node]);
  }
  // a form nobody uses is not read: unsupported-feature says it is ignored
  for (const [formId, nodes] of users) {
    const { form, read } = forms.get(formId) as EmbeddedForm;
    const usedBy = nodes.map(refer).join(', ');
    for (const problem of read.problems) {
      found.push(
        ctx.diagnostic(RULE, `Camunda form "${formId}" (used by ${usedBy}) ${problem.message}`, form, {
          position: problem.offset === undefined ? undefined : positionInBody(ctx, form, problem.offset),
        }),
      );
    }
  }
  return found;
}

/**
 * Where an offset into the form's schema text lies in the XML: the line is exact, the column
 * only where the line holds no character references (`&lt;`).
 */
function positionInBody(
  ctx: CompileContext,
  form: ModdleElement,
  offset: number,
): SourcePosition | undefined {
  const tag = ctx.locator.element(form.id);
  const open = tag && ctx.locator.find('>', tag.offset);
  if (!open || typeof form.body !== 'string') return undefined;
  const before = form.body.slice(0, offset);
  const lines = before.split('\n');
  const column = lines.length === 1 ? open.column + 1 + before.length : lines[lines.length - 1].length + 1;
  return ctx.locator.position(open.line + lines.length - 1, column);
}
