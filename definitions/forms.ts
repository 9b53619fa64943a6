// Form data checks shared by the API (start forms) and the workflow (task forms).
// Kept free of imports so the workflow bundle stays small and deterministic.
import type { FormField } from './model.ts';

export interface FieldError {
  field: string;
  message: string;
}

const ISO_DATE = /^\d{4}-\d{2}-\d{2}/;

export function validateForm(fields: readonly FormField[], data: Record<string, unknown>): FieldError[] {
  const errors: FieldError[] = [];
  for (const field of fields) {
    const name = field.label ?? field.id;
    const value = valueAt(data, field.id);
    if (Array.isArray(value) && field.type === 'array' && tooFew(field, value)) {
      // an empty list is not "missing" when the form bounds its length: say what it must hold
      errors.push({ field: field.id, message: `${name} must hold at least ${field.minItems} item(s)` });
      continue;
    }
    if (isEmpty(field, value)) {
      if (field.required) errors.push({ field: field.id, message: `${name} is required` });
      continue;
    }
    if (!hasType(field, value)) {
      const what = field.type === 'array' ? 'list' : field.type;
      errors.push({ field: field.id, message: `${name} must be a ${what}` });
      continue;
    }
    for (const message of constraintProblems(field, name, value)) errors.push({ field: field.id, message });
  }
  return errors;
}

const tooFew = (field: FormField, value: unknown[]) =>
  field.minItems !== undefined && value.length < field.minItems;

function isEmpty(field: FormField, value: unknown): boolean {
  if (value === undefined || value === null || value === '') return true;
  return field.type === 'array' && Array.isArray(value) && value.length === 0;
}

/** The value at a field's id; a dotted id not present as such is a path into nested objects. */
function valueAt(data: Record<string, unknown>, id: string): unknown {
  if (Object.hasOwn(data, id)) return data[id];
  if (!id.includes('.')) return undefined;
  let current: unknown = data;
  for (const part of id.split('.')) {
    if (typeof current !== 'object' || current === null || Array.isArray(current)) return undefined;
    current = Object.hasOwn(current, part) ? (current as Record<string, unknown>)[part] : undefined;
  }
  return current;
}

function hasType(field: FormField, value: unknown): boolean {
  switch (field.type) {
    case 'number':
      return typeof value === 'number' && Number.isFinite(value);
    case 'boolean':
      return typeof value === 'boolean';
    case 'date':
      return typeof value === 'string' && ISO_DATE.test(value);
    case 'array':
      return Array.isArray(value);
    default:
      return typeof value === 'string';
  }
}

/** The bounds, pattern and options the value breaks, in words. */
function constraintProblems(field: FormField, name: string, value: unknown): string[] {
  const problems: string[] = [];
  if (typeof value === 'number') {
    if (field.min !== undefined && value < field.min) problems.push(`${name} must be at least ${field.min}`);
    if (field.max !== undefined && value > field.max) problems.push(`${name} must be at most ${field.max}`);
  }
  if (typeof value === 'string') {
    const length = value.trim().length;
    if (field.minLength !== undefined && length < field.minLength)
      problems.push(`${name} must be at least ${field.minLength} characters long`);
    if (field.maxLength !== undefined && length > field.maxLength)
      problems.push(`${name} must be at most ${field.maxLength} characters long`);
    if (field.pattern !== undefined && !matches(field.pattern, value))
      problems.push(
        field.patternMessage
          ? `${name}: ${field.patternMessage}`
          : `${name} must match the pattern ${field.pattern}`,
      );
  }
  if (Array.isArray(value) && field.maxItems !== undefined && value.length > field.maxItems)
    problems.push(`${name} must hold at most ${field.maxItems} item(s)`);
  if (field.options) {
    const allowed = field.options;
    const list = allowed.map((option) => JSON.stringify(option)).join(', ');
    if (Array.isArray(value)) {
      const stray = value.filter((item) => !allowed.includes(item as never));
      if (stray.length > 0)
        problems.push(
          `${name} may only hold ${list}, not ${stray.map((item) => JSON.stringify(item)).join(', ')}`,
        );
    } else if (!allowed.includes(value as never)) {
      problems.push(allowed.length === 1 ? `${name} must be ${list}` : `${name} must be one of ${list}`);
    }
  }
  return problems;
}

/** The compiler checks every pattern; one that fails here anyway checks nothing rather than failing the task. */
function matches(pattern: string, value: string): boolean {
  try {
    return new RegExp(pattern).test(value);
  } catch {
    return true;
  }
}
