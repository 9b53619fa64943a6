// govflow:formField forms as plain HTML forms: one control per field with its errors beside it,
// and the posted values turned back into the typed data the API checks (it decides validity).
import type { FormField } from '../definitions/model.ts';
import { type Lang, t } from './i18n.ts';

export interface FieldError {
  field: string;
  message: string;
}

/** The field an API error names: `data.parcel` or `parcel` both belong to `parcel`. */
function errorsOf(errors: FieldError[], id: string): FieldError[] {
  return errors.filter(
    (e) => e.field === id || e.field === `data.${id}` || e.field.startsWith(`data.${id}.`),
  );
}

const controlId = (id: string) => `f-${id.replace(/[^A-Za-z0-9_-]/g, '-')}`;

export function FormFields({
  fields,
  lang,
  values = {},
  errors = [],
}: {
  fields: FormField[];
  lang: Lang;
  values?: Record<string, string | string[]>;
  errors?: FieldError[];
}) {
  return (
    <>
      {fields.map((field) => {
        const id = controlId(field.id);
        const own = errorsOf(errors, field.id);
        const label = field.label ?? field.id;
        const describedBy = own.length > 0 ? `${id}-error` : undefined;
        const value = values[field.id];
        const text = Array.isArray(value) ? value.join('\n') : (value ?? '');
        return (
          <div class={own.length > 0 ? 'field invalid' : 'field'}>
            {field.type === 'array' && field.options ? (
              <fieldset aria-describedby={describedBy}>
                <legend>
                  {label}
                  {field.required ? <span class="req"> ({t(lang, 'required')})</span> : null}
                </legend>
                {field.options.map((option, i) => (
                  <label class="check" for={`${id}-${i}`}>
                    <input
                      type="checkbox"
                      id={`${id}-${i}`}
                      name={field.id}
                      value={String(option)}
                      checked={Array.isArray(value) && value.includes(String(option))}
                    />{' '}
                    {String(option)}
                  </label>
                ))}
              </fieldset>
            ) : field.type === 'boolean' ? (
              <label class="check" for={id}>
                <input type="checkbox" id={id} name={field.id} value="true" checked={text === 'true'} />{' '}
                {label}
              </label>
            ) : (
              <>
                <label for={id}>
                  {label}
                  {field.required ? <span class="req"> ({t(lang, 'required')})</span> : null}
                </label>
                {field.type === 'array' ? (
                  <textarea id={id} name={field.id} rows={3} aria-describedby={describedBy}>
                    {text}
                  </textarea>
                ) : (
                  <input
                    id={id}
                    name={field.id}
                    type={field.type === 'number' ? 'number' : field.type === 'date' ? 'date' : 'text'}
                    step={field.type === 'number' ? 'any' : undefined}
                    value={text}
                    aria-invalid={own.length > 0 ? 'true' : undefined}
                    aria-describedby={describedBy}
                  />
                )}
              </>
            )}
            {own.length > 0 ? (
              <p class="field-error" id={`${id}-error`}>
                {own.map((e) => e.message).join('; ')}
              </p>
            ) : null}
          </div>
        );
      })}
    </>
  );
}

/** What the browser posted for the fields, as typed data; empty optional fields are left out. */
export function dataFromForm(fields: FormField[], form: Record<string, string | File | (string | File)[]>) {
  const data: Record<string, unknown> = {};
  const raw: Record<string, string | string[]> = {};
  for (const field of fields) {
    const posted = form[field.id];
    const texts = (Array.isArray(posted) ? posted : posted === undefined ? [] : [posted]).filter(
      (v): v is string => typeof v === 'string',
    );
    raw[field.id] = field.type === 'array' ? texts : (texts[0] ?? '');
    let value: unknown;
    if (field.type === 'array') {
      const items = field.options ? texts : texts.flatMap((v) => v.split(/\r?\n/)).map((v) => v.trim());
      value = items.filter((v) => v !== '');
      if ((value as string[]).length === 0 && !field.required) continue;
    } else if (field.type === 'boolean') {
      value = texts[0] === 'true';
    } else {
      const text = (texts[0] ?? '').trim();
      if (text === '') continue; // the API names a missing required field
      value = field.type === 'number' && Number.isFinite(Number(text)) ? Number(text) : text;
    }
    setPath(data, field.id, value);
  }
  return { data, raw };
}

function setPath(target: Record<string, unknown>, path: string, value: unknown): void {
  const parts = path.split('.');
  let at = target;
  for (const part of parts.slice(0, -1)) {
    if (typeof at[part] !== 'object' || at[part] === null) at[part] = {};
    at = at[part] as Record<string, unknown>;
  }
  at[parts.at(-1)!] = value;
}

/** A Camunda form for the form island: its schema, the input its data is posted in, where it draws. */
export function CamundaFormBody({ schema }: { schema: unknown }) {
  const json = JSON.stringify(schema).replace(/</g, '\\u003c');
  return (
    <>
      <script type="application/json" class="gf-form-schema" dangerouslySetInnerHTML={{ __html: json }} />
      <input type="hidden" name="data" value="" />
      <div class="gf-form-body" />
    </>
  );
}

/** The data a Camunda form posted (JSON in `data`); anything else is no data, which the API names. */
export function camundaFormData(text: unknown): Record<string, unknown> {
  try {
    const value = JSON.parse(typeof text === 'string' && text ? text : '{}');
    return value && typeof value === 'object' && !Array.isArray(value) ? value : {};
  } catch {
    return {};
  }
}
