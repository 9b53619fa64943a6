// Where a model refers to Camunda 8 forms: `zeebe:formDefinition` on a user task or start event,
// and `zeebe:userTaskForm` (a form embedded in the process). Read in one place so the rules and
// the model builder agree on which form an element uses.
import { type CamundaForm, readCamundaForm } from './camunda-forms.ts';
import type { CompileContext } from './context.ts';
import { trimmed } from './draft.ts';
import { extensionOf, extensionsOf } from './extensions.ts';
import type { ModdleElement } from './moddle-types.ts';
import type { FormField } from './model.ts';

/** How Camunda Modeler refers to a form embedded in the process: `camunda-forms:bpmn:<id>`. */
export const EMBEDDED_FORM_PREFIX = 'camunda-forms:bpmn:';

export type FormReference =
  /** A form embedded in the process (zeebe:userTaskForm). */
  | { kind: 'embedded'; formId: string }
  /** A form deployed on its own (formId). */
  | { kind: 'linked'; formId: string }
  /** A form elsewhere, by URL or key (externalReference). */
  | { kind: 'external'; reference: string }
  /** A formKey for a custom task list, not an embedded form. */
  | { kind: 'custom'; formKey: string }
  | { kind: 'invalid'; problem: string };

const REFERENCE_ATTRIBUTES = ['formKey', 'formId', 'externalReference'] as const;

/** The form an element's zeebe:formDefinition names, if it has one. */
export function formReferenceOf(node: ModdleElement): FormReference | undefined {
  const definition = extensionOf(node, 'zeebe:FormDefinition');
  if (!definition) return undefined;
  const given = REFERENCE_ATTRIBUTES.filter((a) => typeof definition[a] === 'string' && definition[a].trim());
  if (given.length === 0)
    return { kind: 'invalid', problem: 'names no form; give formKey, formId or externalReference' };
  if (given.length > 1) return { kind: 'invalid', problem: `sets ${given.join(' and ')}; give only one` };
  const value: string = definition[given[0]].trim();
  if (given[0] === 'formId') return { kind: 'linked', formId: value };
  if (given[0] === 'externalReference') return { kind: 'external', reference: value };
  if (value.startsWith(EMBEDDED_FORM_PREFIX))
    return { kind: 'embedded', formId: value.slice(EMBEDDED_FORM_PREFIX.length) };
  return { kind: 'custom', formKey: value };
}

/** The forms embedded in a process, by id. */
export function embeddedForms(process: ModdleElement): Map<string, ModdleElement> {
  const forms = new Map<string, ModdleElement>();
  for (const form of extensionsOf(process, 'zeebe:UserTaskForm')) {
    const id = trimmed(form.id);
    if (id && !forms.has(id)) forms.set(id, form);
  }
  return forms;
}

/** The schema of an embedded form, read into fields. */
export function embeddedFormFields(form: ModdleElement): CamundaForm {
  return readCamundaForm(typeof form.body === 'string' ? form.body : '');
}

export interface EmbeddedForm {
  /** The zeebe:userTaskForm. */
  form: ModdleElement;
  /** Its schema read into fields (on first use: a form nothing uses is not read). */
  readonly read: CamundaForm;
}

/** The forms embedded in a process, by id, as CompileContext.embeddedForms holds them. */
export function embeddedFormIndex(process: ModdleElement): Map<string, EmbeddedForm> {
  const index = new Map<string, EmbeddedForm>();
  for (const [id, form] of embeddedForms(process)) {
    let read: CamundaForm | undefined;
    index.set(id, {
      form,
      get read() {
        read ??= embeddedFormFields(form);
        return read;
      },
    });
  }
  return index;
}

/** The fields of the embedded form an element uses; undefined when it uses none (or none that exists). */
export function camundaFormFieldsOf(ctx: CompileContext, node: ModdleElement): FormField[] | undefined {
  const reference = formReferenceOf(node);
  // forms are embedded in the process, whatever sub-process the element sits in
  return reference?.kind === 'embedded' ? ctx.embeddedForms.get(reference.formId)?.read.fields : undefined;
}
