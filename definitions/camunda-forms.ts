// Camunda 8 forms (form-js schemas, as Camunda Modeler embeds them in a process) read as govflow
// form fields, so that the API and the workflow check submitted data against them as they do
// against govflow:formField. Only what can be checked without running the form is kept: literal
// validation limits and static options; a FEEL limit or a dynamic option list is not checked.
import { trimmed } from './draft.ts';
import type { FormField } from './model.ts';

export interface SkippedComponent {
  /** The component's key (with its group path), or its id when it has none. */
  component: string;
  type: string;
  reason: string;
}

export interface CamundaForm {
  fields: FormField[];
  /** Input components, or parts of them, whose data govflow does not check. */
  skipped: SkippedComponent[];
  /** What makes the schema unusable, phrased to follow `Camunda form "x" `. */
  problems: FormProblem[];
}

export interface FormProblem {
  message: string;
  /** Where in the schema text the problem is, when known (invalid JSON). */
  offset?: number;
}

/** Components that show something but take no input. */
const PRESENTATIONAL = new Set([
  'text',
  'html',
  'image',
  'spacer',
  'separator',
  'button',
  'table',
  'documentPreview',
  'iframe',
]);

/** Why an input component is skipped, by type. */
const NOT_REPRESENTABLE: Record<string, string> = {
  filepicker: 'it uploads files, which govflow forms do not take',
  expression: 'its value is computed by the form (FEEL), not entered',
  dynamiclist: 'it repeats its components for each item of a list, which govflow form fields cannot describe',
};

// form-js checks these formats with its own patterns; these accept the same shapes, more loosely
const EMAIL = {
  pattern: "^[A-Za-z0-9.!#$%&'*+/=?^_`{|}~-]+@[A-Za-z0-9-]+(\\.[A-Za-z0-9-]+)*$",
  message: 'not a valid email address',
};
const PHONE = {
  pattern: '^(\\+|00)[1-9][0-9]{5,22}$',
  message: 'not an international phone number (like +4930664040900)',
};

type Json = Record<string, unknown>;

interface Walk {
  fields: FormField[];
  skipped: SkippedComponent[];
  problems: FormProblem[];
  keys: Set<string>;
}

/** The input fields of a form-js schema (JSON text). */
export function readCamundaForm(text: string): CamundaForm {
  let schema: unknown;
  try {
    schema = JSON.parse(text);
  } catch (error) {
    const message = error instanceof Error ? error.message : String(error);
    const at = /at position (\d+)/.exec(message);
    return {
      fields: [],
      skipped: [],
      problems: [{ message: `is not valid JSON: ${message}`, offset: at ? Number(at[1]) : undefined }],
    };
  }
  if (!isObject(schema) || !Array.isArray(schema.components)) {
    return { fields: [], skipped: [], problems: [{ message: 'is not a form: it has no "components" list' }] };
  }
  const walk: Walk = { fields: [], skipped: [], problems: [], keys: new Set() };
  visitAll(schema.components, '', walk);
  return { fields: walk.fields, skipped: walk.skipped, problems: walk.problems };
}

function visitAll(components: unknown, path: string, walk: Walk): void {
  if (!Array.isArray(components)) return;
  for (const component of components) visit(component, path, walk);
}

function visit(component: unknown, path: string, walk: Walk): void {
  if (!isObject(component) || typeof component.type !== 'string') {
    const id = isObject(component) && typeof component.id === 'string' ? component.id : '(no id)';
    walk.skipped.push({ component: id, type: '(none)', reason: 'it has no type' });
    return;
  }
  const type = component.type;
  const key = trimmed(component.key);
  const id = key === undefined ? undefined : `${path}${key}`;
  const name = id ?? trimmed(component.id) ?? '(no key)';
  if (type === 'group' || type === 'dynamiclist') {
    // a group's `path` nests its children's data under it, as dotted keys do
    const nested = trimmed(component.path);
    if (nested !== undefined) claim(`${path}${nested}`, walk);
    if (type === 'group') visitAll(component.components, nested ? `${path}${nested}.` : path, walk);
    else walk.skipped.push({ component: nested ?? name, type, reason: NOT_REPRESENTABLE[type] });
    return;
  }
  if (PRESENTATIONAL.has(type)) return;
  if (id !== undefined) claim(id, walk);
  // shown for information only: the form submits nothing the user typed
  if (component.disabled === true || component.readonly === true) return;
  const reason = NOT_REPRESENTABLE[type];
  if (reason) {
    walk.skipped.push({ component: name, type, reason });
    return;
  }
  const input = inputOf(type, component);
  if (!input) {
    walk.skipped.push({ component: name, type, reason: 'govflow does not know this component type' });
    return;
  }
  if (id === undefined) {
    walk.skipped.push({ component: name, type, reason: 'it has no key, so its value is not submitted' });
    return;
  }
  const note = (reason: string) => walk.skipped.push({ component: id, type, reason });
  if ('mixed' in input) {
    note('its options mix value types, which a govflow form field cannot describe');
    return;
  }
  const validate = isObject(component.validate) ? component.validate : {};
  const field: FormField = { id, type: input.type, required: validate.required === true };
  const label = trimmed(component.label);
  if (label) field.label = label;
  // a field hidden or made read-only by a condition submits nothing then: required cannot hold
  const hidden = isObject(component.conditional) && trimmed(component.conditional.hide) !== undefined;
  if (field.required && (hidden || typeof component.readonly === 'string')) {
    field.required = false;
    note('it is required only while the form shows it (a FEEL condition); not enforced');
  }
  if (input.options) field.options = input.options;
  else if (input.dynamic)
    note('its options come from process data (valuesKey or valuesExpression); not checked');
  // form-js rejects an unchecked required checkbox
  if (type === 'checkbox' && field.required) field.options = [true];
  limits(type, validate, field, note, walk);
  walk.fields.push(field);
}

type Input = { type: FormField['type']; options?: FormField['options']; dynamic?: boolean } | { mixed: true };

function inputOf(type: string, component: Json): Input | undefined {
  switch (type) {
    case 'textfield':
    case 'textarea':
      return { type: 'string' };
    case 'number':
      // serializeToString submits the number as text
      return { type: component.serializeToString === true ? 'string' : 'number' };
    case 'checkbox':
      return { type: 'boolean' };
    case 'datetime':
      // a date-time value starts with its date; a time alone is text
      return { type: component.subtype === 'time' ? 'string' : 'date' };
    case 'select':
    case 'radio':
    case 'checklist':
    case 'taglist': {
      const list = type === 'checklist' || type === 'taglist';
      if (!Array.isArray(component.values)) return { type: list ? 'array' : 'string', dynamic: true };
      const options = component.values
        .map((option) => (isObject(option) ? option.value : undefined))
        .filter((value): value is string | number | boolean =>
          ['string', 'number', 'boolean'].includes(typeof value),
        );
      const kinds = new Set(options.map((value) => typeof value));
      if (kinds.size > 1) return { mixed: true };
      if (list) return { type: 'array', options };
      const kind = [...kinds][0];
      return { type: kind === 'number' ? 'number' : kind === 'boolean' ? 'boolean' : 'string', options };
    }
    default:
      return undefined;
  }
}

/** validate.min/max, minLength/maxLength and pattern, where given literally. */
function limits(
  type: string,
  validate: Json,
  field: FormField,
  note: (reason: string) => void,
  walk: Walk,
): void {
  const literal = (property: string, integer: boolean): number | undefined => {
    const raw = validate[property];
    if (raw === undefined || raw === null || raw === '') return undefined;
    const value = typeof raw === 'string' && !raw.trim().startsWith('=') ? Number(raw) : raw;
    if (typeof value === 'number' && Number.isFinite(value) && (!integer || Number.isInteger(value)))
      return value;
    note(
      `its ${property} ${typeof raw === 'string' ? `"${raw}"` : String(raw)} is not a literal number; not checked`,
    );
    return undefined;
  };
  if (field.type === 'number') {
    field.min = literal('min', false);
    field.max = literal('max', false);
  }
  if (type === 'textfield' || type === 'textarea') {
    field.minLength = literal('minLength', true);
    field.maxLength = literal('maxLength', true);
    const format =
      validate.validationType === 'email' ? EMAIL : validate.validationType === 'phone' ? PHONE : undefined;
    const pattern = format?.pattern ?? trimmed(validate.pattern);
    if (pattern !== undefined) {
      try {
        new RegExp(pattern);
        field.pattern = pattern;
        const message = format?.message ?? trimmed(validate.patternErrorMessage);
        if (message) field.patternMessage = message;
      } catch (error) {
        walk.problems.push({
          message: `gives field "${field.id}" an invalid pattern: ${error instanceof Error ? error.message : String(error)}`,
        });
      }
    }
  }
  for (const property of ['min', 'max', 'minLength', 'maxLength'] as const)
    if (field[property] === undefined) delete field[property];
}

/** Each key names one value of the submitted data: a second component with it would overwrite the first. */
function claim(key: string, walk: Walk): void {
  if (walk.keys.has(key))
    walk.problems.push({ message: `uses the key "${key}" for more than one component` });
  walk.keys.add(key);
}

function isObject(value: unknown): value is Json {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}
