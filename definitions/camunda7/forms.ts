// Camunda 7 generated forms (camunda:formData) become govflow:formField declarations, which the
// API and the engine validate submissions against. Field types map to govflow's four; what
// govflow does not check (enum values, default values, constraints other than required) is
// listed in the element's warning.
import { is } from '../context.ts';
import { trimmed } from '../draft.ts';
import { extensionsOf } from '../extensions.ts';
import type { ModdleElement } from '../moddle-types.ts';
import { type Converter, quote } from './converter.ts';

const FIELD_TYPES: Record<string, 'string' | 'number' | 'boolean' | 'date'> = {
  string: 'string',
  long: 'number',
  integer: 'number',
  short: 'number',
  double: 'number',
  boolean: 'boolean',
  date: 'date',
  enum: 'string',
};

export function convertForm(c: Converter, node: ModdleElement): void {
  if (!is(node, 'bpmn:StartEvent') && !is(node, 'bpmn:UserTask')) return;
  const forms = c.takeChildren(node, 'formData');
  if (forms.length === 0) return;
  if (extensionsOf(node, 'govflow:FormField').length > 0) {
    for (const form of forms)
      c.note(node, `${form.$type} ignored: the element already declares govflow:formField fields`);
    return;
  }
  for (const form of forms) {
    if (trimmed(form.businessKey))
      c.note(
        node,
        `${form.$type} businessKey=${quote(form.businessKey)} ignored: govflow has no business key`,
      );
    for (const child of c.children(form)) {
      if (child.$type.endsWith(':formField')) convertField(c, node, child);
      else c.note(node, `${child.$type} in ${form.$type} ignored`);
    }
  }
}

function convertField(c: Converter, node: ModdleElement, field: ModdleElement): void {
  const id = trimmed(field.id);
  if (!id) {
    c.note(node, `${field.$type} without an id ignored`);
    return;
  }
  const written = trimmed(field.type) ?? 'string';
  const type = FIELD_TYPES[written];
  const ignored: string[] = [];
  if (!type) ignored.push(`its type "${written}" (checked as a string)`);
  if (written === 'enum') {
    const values = c.children(field, 'value').map((v) => trimmed(v.id) ?? '?');
    ignored.push(`its enum values (${values.join(', ') || 'none'}), so any string is accepted`);
  }
  if (trimmed(field.defaultValue) !== undefined)
    ignored.push(`its default value ${quote(field.defaultValue)}`);
  if (trimmed(field.datePattern)) ignored.push(`its date pattern (govflow dates are ISO 8601)`);
  let required = false;
  for (const validation of c.children(field, 'validation')) {
    for (const constraint of c.children(validation, 'constraint')) {
      const name = trimmed(constraint.name) ?? '?';
      if (name === 'required' && trimmed(constraint.config) !== 'false') required = true;
      else if (name !== 'required') ignored.push(`its ${name} constraint`);
    }
  }
  if (c.children(field, 'properties').length > 0) ignored.push('its properties');
  const declared = c.create('govflow:FormField', {
    id,
    ...(trimmed(field.label) ? { label: trimmed(field.label) } : {}),
    type: type ?? 'string',
    required: String(required),
  });
  c.addExtension(node, declared);
  const extra = ignored.length > 0 ? `, ignoring ${ignored.join(', ')}` : '';
  c.note(
    node,
    `${field.$type} ${id} (${written}) → govflow:formField ${id} (${type ?? 'string'}${required ? ', required' : ''})${extra}`,
  );
}
