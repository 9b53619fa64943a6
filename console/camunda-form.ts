// The Camunda form (form-js schema) a user task or start event embeds (zeebe:userTaskForm), read
// from the deployed XML so the form island can render it as Camunda Tasklist does. The API still
// checks the submitted data against the fields the compiler read from the same schema.
import { embeddedForms, formReferenceOf } from '../definitions/camunda-form-refs.ts';
import { Locator } from '../definitions/locate.ts';
import type { ModdleElement } from '../definitions/moddle-types.ts';
import { parseBpmn } from '../definitions/parse.ts';
import type { ConsoleApi } from './api.ts';

function find(node: ModdleElement, id: string): ModdleElement | undefined {
  for (const child of (node.flowElements ?? []) as ModdleElement[]) {
    if (child.id === id) return child;
    const inner = find(child, id);
    if (inner) return inner;
  }
  return undefined;
}

/** The Camunda form an element of a deployed version embeds, read through the API. */
export async function camundaFormOf(
  api: ConsoleApi,
  processKey: string,
  version: number | undefined,
  elementId: string,
): Promise<unknown | undefined> {
  const xml = await api.text(`/definitions/${encodeURIComponent(processKey)}/xml?version=${version ?? ''}`);
  return xml.ok ? embeddedFormSchema(xml.body, elementId) : undefined;
}

export async function embeddedFormSchema(xml: string, elementId: string): Promise<unknown | undefined> {
  const { definitions } = await parseBpmn(xml, new Locator(xml));
  for (const process of (definitions?.rootElements ?? []) as ModdleElement[]) {
    if (process.$type !== 'bpmn:Process') continue;
    const element = find(process, elementId);
    if (!element) continue;
    const reference = formReferenceOf(element);
    if (reference?.kind !== 'embedded') return undefined;
    const body = embeddedForms(process).get(reference.formId)?.body;
    try {
      return typeof body === 'string' ? JSON.parse(body) : undefined;
    } catch {
      return undefined; // the compiler refused such a model; nothing to render
    }
  }
  return undefined;
}
