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
    const value = data[field.id];
    if (value === undefined || value === null || value === '') {
      if (field.required) errors.push({ field: field.id, message: `${field.label ?? field.id} is required` });
      continue;
    }
    const ok =
      field.type === 'number'
        ? typeof value === 'number' && Number.isFinite(value)
        : field.type === 'boolean'
          ? typeof value === 'boolean'
          : field.type === 'date'
            ? typeof value === 'string' && ISO_DATE.test(value)
            : typeof value === 'string';
    if (!ok) errors.push({ field: field.id, message: `${field.label ?? field.id} must be a ${field.type}` });
  }
  return errors;
}
