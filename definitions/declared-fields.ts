// Fields declared in the model: a start or task form (govflow:formField) and what a message or
// signal may carry (govflow:payloadField), plus who may publish a message or signal.
import { compact, type Draft } from './draft.ts';
import { extensionsOf, splitList } from './extensions.ts';
import type { ModdleElement } from './moddle-types.ts';

/** A whole number attribute (`minItems="1"`), or undefined when absent or not a number. */
function count(value: unknown): number | undefined {
  if (typeof value !== 'string' || !/^\s*\d+\s*$/.test(value)) return undefined;
  return Number.parseInt(value, 10);
}

/** govflow:formField / govflow:payloadField elements of type `type` -> form fields of the model. */
export function declaredFields(node: ModdleElement, type: string): Draft[] {
  return extensionsOf(node, type).map((field) =>
    compact({
      id: String(field.id).trim(),
      label: field.label?.trim() || undefined,
      type: field.type ?? 'string',
      required: field.required === 'true',
      minItems: count(field.minItems),
      maxItems: count(field.maxItems),
    }),
  );
}

/**
 * What the process model says about who may publish a message or signal and what it carries:
 * publishers only when `govflow:publishers` is given, the payload always (empty: nothing).
 */
export function eventDeclarations(event: ModdleElement | undefined): Draft {
  if (!event) return { payload: [] };
  const publishers = typeof event.publishers === 'string' ? splitList(event.publishers) : undefined;
  return compact({ publishers, payload: declaredFields(event, 'govflow:PayloadField') });
}
