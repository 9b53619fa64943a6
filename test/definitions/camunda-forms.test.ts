// Camunda 8 forms (form-js schemas embedded as zeebe:userTaskForm) read as govflow form fields:
// the mapping of each component type, and the compiled model and diagnostics of models using them.
import { existsSync, readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { embeddedFormFields, embeddedForms } from '../../definitions/camunda-form-refs.ts';
import { readCamundaForm } from '../../definitions/camunda-forms.ts';
import { validateForm } from '../../definitions/forms.ts';
import { compile } from '../../definitions/index.ts';
import { Locator } from '../../definitions/locate.ts';
import type { ProcessModel } from '../../definitions/model.ts';
import { parseBpmn } from '../../definitions/parse.ts';

const read = (...components: unknown[]) => readCamundaForm(JSON.stringify({ components }));

describe('readCamundaForm', () => {
  it('maps text fields with their length limits and pattern', () => {
    const form = read(
      {
        type: 'textfield',
        key: 'parcel',
        label: 'Parcel',
        validate: {
          required: true,
          minLength: 3,
          maxLength: '12',
          pattern: '^P-',
          patternErrorMessage: 'Use P-…',
        },
      },
      { type: 'textarea', key: 'notes', validate: { maxLength: 500 } },
      { type: 'textfield', key: 'mail', validate: { validationType: 'email' } },
      { type: 'textfield', key: 'phone', validate: { validationType: 'phone' } },
    );
    expect(form.problems).toEqual([]);
    expect(form.skipped).toEqual([]);
    expect(form.fields).toEqual([
      {
        id: 'parcel',
        label: 'Parcel',
        type: 'string',
        required: true,
        minLength: 3,
        maxLength: 12,
        pattern: '^P-',
        patternMessage: 'Use P-…',
      },
      { id: 'notes', type: 'string', required: false, maxLength: 500 },
      expect.objectContaining({
        id: 'mail',
        pattern: expect.any(String),
        patternMessage: expect.any(String),
      }),
      expect.objectContaining({
        id: 'phone',
        pattern: expect.any(String),
        patternMessage: expect.any(String),
      }),
    ]);
    const [, , mail, phone] = form.fields;
    expect(validateForm([mail, phone], { mail: 'a@b.org', phone: '+4930664040900' })).toEqual([]);
    expect(validateForm([mail, phone], { mail: 'a@', phone: '030 1234' }).map((e) => e.field)).toEqual([
      'mail',
      'phone',
    ]);
  });

  it('maps numbers, checkboxes and dates', () => {
    const form = read(
      { type: 'number', key: 'price', validate: { min: 0, max: '1000000' } },
      { type: 'number', key: 'code', serializeToString: true },
      { type: 'checkbox', key: 'agree', validate: { required: true } },
      { type: 'checkbox', key: 'newsletter' },
      { type: 'datetime', key: 'born', subtype: 'date' },
      { type: 'datetime', key: 'due', subtype: 'datetime' },
      { type: 'datetime', key: 'at', subtype: 'time' },
    );
    expect(form.fields).toEqual([
      { id: 'price', type: 'number', required: false, min: 0, max: 1000000 },
      { id: 'code', type: 'string', required: false },
      // as in form-js, a required checkbox must be ticked
      { id: 'agree', type: 'boolean', required: true, options: [true] },
      { id: 'newsletter', type: 'boolean', required: false },
      { id: 'born', type: 'date', required: false },
      { id: 'due', type: 'date', required: false },
      { id: 'at', type: 'string', required: false },
    ]);
  });

  it('maps selects, radios, checklists and taglists with their static options', () => {
    const values = (...v: unknown[]) => v.map((value) => ({ label: String(value), value }));
    const form = read(
      { type: 'select', key: 'district', values: values('north', 'south'), validate: { required: true } },
      { type: 'radio', key: 'rooms', values: values(1, 2, 3) },
      { type: 'select', key: 'office', valuesKey: 'offices' },
      { type: 'checklist', key: 'documents', values: values('deed', 'id') },
      { type: 'taglist', key: 'tags', valuesExpression: '=tagList' },
      { type: 'radio', key: 'mixed', values: values('a', 1) },
    );
    expect(form.fields).toEqual([
      { id: 'district', type: 'string', required: true, options: ['north', 'south'] },
      { id: 'rooms', type: 'number', required: false, options: [1, 2, 3] },
      { id: 'office', type: 'string', required: false },
      { id: 'documents', type: 'array', required: false, options: ['deed', 'id'] },
      { id: 'tags', type: 'array', required: false },
    ]);
    expect(form.skipped).toEqual([
      { component: 'office', type: 'select', reason: expect.stringContaining('valuesKey') },
      { component: 'tags', type: 'taglist', reason: expect.stringContaining('valuesExpression') },
      { component: 'mixed', type: 'radio', reason: expect.stringContaining('mix value types') },
    ]);
  });

  it('leaves out presentational, disabled and read-only components', () => {
    const form = read(
      ...['text', 'html', 'image', 'spacer', 'separator', 'button'].map((type, i) => ({ type, id: `c${i}` })),
      { type: 'textfield', key: 'shown', disabled: true },
      { type: 'textfield', key: 'fixed', readonly: true },
      { type: 'textfield', key: 'name' },
    );
    expect(form.fields.map((f) => f.id)).toEqual(['name']);
    expect(form.skipped).toEqual([]);
  });

  it('does not require what a condition may hide or make read-only', () => {
    const form = read(
      { type: 'textfield', key: 'a', validate: { required: true }, conditional: { hide: '=b' } },
      { type: 'textfield', key: 'b', validate: { required: true }, readonly: '=locked' },
    );
    expect(form.fields.map((f) => f.required)).toEqual([false, false]);
    expect(form.skipped.map((s) => s.component)).toEqual(['a', 'b']);
  });

  it('reads the fields of groups, nested under their path; dotted keys stay as they are', () => {
    const form = read({
      type: 'group',
      components: [
        { type: 'textfield', key: 'owner.name' },
        { type: 'group', path: 'address', components: [{ type: 'textfield', key: 'city' }] },
      ],
    });
    expect(form.fields.map((f) => f.id)).toEqual(['owner.name', 'address.city']);
  });

  it('skips, with a reason, what govflow cannot check', () => {
    const form = read(
      { type: 'filepicker', key: 'scan', id: 'Field_scan' },
      { type: 'expression', key: 'total', expression: '=a + b' },
      { type: 'dynamiclist', path: 'heirs', components: [{ type: 'textfield', key: 'name' }] },
      { type: 'signature', key: 'sig' },
      { type: 'textfield', id: 'Field_nokey' },
      { type: 'number', key: 'age', validate: { min: '=minimumAge' } },
      'not a component',
    );
    expect(form.fields).toEqual([{ id: 'age', type: 'number', required: false }]);
    expect(form.skipped).toEqual([
      { component: 'scan', type: 'filepicker', reason: expect.stringContaining('files') },
      { component: 'total', type: 'expression', reason: expect.stringContaining('computed') },
      { component: 'heirs', type: 'dynamiclist', reason: expect.stringContaining('each item') },
      { component: 'sig', type: 'signature', reason: expect.stringContaining('does not know') },
      { component: 'Field_nokey', type: 'textfield', reason: expect.stringContaining('no key') },
      { component: 'age', type: 'number', reason: expect.stringContaining('"=minimumAge"') },
      { component: '(no id)', type: '(none)', reason: 'it has no type' },
    ]);
  });

  it('reports what makes a schema unusable', () => {
    // where the parser says where, the problem carries the offset
    expect(readCamundaForm('{ "components": [], }').problems).toEqual([
      { message: expect.stringMatching(/^is not valid JSON: /), offset: 20 },
    ]);
    expect(readCamundaForm('').problems).toEqual([
      { message: expect.stringMatching(/^is not valid JSON: /), offset: undefined },
    ]);
    expect(readCamundaForm('[]').problems).toEqual([{ message: expect.stringContaining('"components"') }]);
    const duplicate = read(
      { type: 'textfield', key: 'a' },
      { type: 'group', components: [{ type: 'number', key: 'a', disabled: true }] },
      { type: 'textfield', key: 'b', validate: { pattern: '([a-z' } },
    );
    expect(duplicate.problems.map((p) => p.message)).toEqual([
      'uses the key "a" for more than one component',
      expect.stringMatching(/^gives field "b" an invalid pattern: /),
    ]);
  });
});

const NS =
  'xmlns:bpmn="http://www.omg.org/spec/BPMN/20100524/MODEL" xmlns:zeebe="http://camunda.org/schema/zeebe/1.0" xmlns:govflow="http://govflow.dev/schema/1.0"';
const FORM = JSON.stringify(
  {
    components: [
      { type: 'text', id: 'Field_intro', text: 'Check the deed' },
      { type: 'textfield', key: 'parcel', label: 'Parcel', validate: { required: true, maxLength: 20 } },
      { type: 'number', key: 'price', label: 'Price', validate: { min: 1 } },
      { type: 'select', key: 'district', values: [{ label: 'North', value: 'north' }] },
    ],
  },
  null,
  2,
);

/** A start event and a user task, each with the extension elements given, and forms in the process. */
function model(forms: Record<string, string>, task: string, start = '') {
  const embedded = Object.entries(forms)
    .map(([id, body]) => `      <zeebe:userTaskForm id="${id}">${body}</zeebe:userTaskForm>`)
    .join('\n');
  return `<?xml version="1.0" encoding="UTF-8"?>
<bpmn:definitions ${NS} id="d">
  <bpmn:process id="p" isExecutable="true">
    <bpmn:extensionElements>
${embedded}
    </bpmn:extensionElements>
    <bpmn:startEvent id="start"><bpmn:extensionElements>${start}</bpmn:extensionElements></bpmn:startEvent>
    <bpmn:userTask id="review"><bpmn:extensionElements><zeebe:assignmentDefinition candidateGroups="clerks" />${task}</bpmn:extensionElements></bpmn:userTask>
    <bpmn:endEvent id="end" />
    <bpmn:sequenceFlow id="f1" sourceRef="start" targetRef="review" />
    <bpmn:sequenceFlow id="f2" sourceRef="review" targetRef="end" />
  </bpmn:process>
</bpmn:definitions>
`;
}
const uses = (id: string) => `<zeebe:formDefinition formKey="camunda-forms:bpmn:${id}" />`;

async function compiled(xml: string): Promise<ProcessModel> {
  const result = await compile(xml);
  if (!result.ok) throw new Error(JSON.stringify(result.diagnostics, null, 2));
  return result.model;
}

describe('compiling a model with an embedded Camunda form', () => {
  it('gives the user task and the start event the fields of their forms', async () => {
    const m = await compiled(model({ f_task: FORM, f_start: FORM }, uses('f_task'), uses('f_start')));
    const fields = [
      { id: 'parcel', label: 'Parcel', type: 'string', required: true, maxLength: 20 },
      { id: 'price', label: 'Price', type: 'number', required: false, min: 1 },
      { id: 'district', type: 'string', required: false, options: ['north'] },
    ];
    expect(m.elements.review).toMatchObject({ kind: 'userTask', form: fields });
    expect(m.elements.start).toMatchObject({ kind: 'startEvent', form: fields });
    const task = m.elements.review;
    if (task.kind !== 'userTask') throw new Error('not a user task');
    expect(validateForm(task.form, { parcel: 'P-1', price: 10, district: 'north' })).toEqual([]);
    expect(validateForm(task.form, { price: 0, district: 'east' })).toEqual([
      { field: 'parcel', message: 'Parcel is required' },
      { field: 'price', message: 'Price must be at least 1' },
      { field: 'district', message: 'district must be "north"' },
    ]);
  });

  it('reports invalid JSON at the form, on the line of the mistake', async () => {
    const result = await compile(
      model({ f: '{\n  "components": [\n    { "type": "textfield", }\n  ]\n}' }, uses('f')),
    );
    expect(result.ok).toBe(false);
    const [error] = result.diagnostics.filter((d) => d.code === 'camunda-form-invalid');
    expect(error).toMatchObject({ severity: 'error', elementId: 'f' });
    expect(error.message).toMatch(/^Camunda form "f" \(used by "review"\) is not valid JSON: /);
    // the form's tag is on line 5, its third line of JSON on line 7
    expect(error.line).toBe(7);
  });

  it('reports duplicate keys, a missing form and fields given twice', async () => {
    const twice = JSON.stringify({
      components: [
        { type: 'textfield', key: 'a' },
        { type: 'number', key: 'a' },
      ],
    });
    const duplicate = await compile(model({ f: twice }, uses('f')));
    expect(duplicate.diagnostics).toContainEqual(
      expect.objectContaining({
        code: 'camunda-form-invalid',
        elementId: 'f',
        line: 5,
        message: 'Camunda form "f" (used by "review") uses the key "a" for more than one component',
      }),
    );
    const both = await compile(
      model({ f: FORM }, `${uses('f')}<govflow:formField id="parcel" type="string" />`),
    );
    expect(both.diagnostics).toContainEqual(
      expect.objectContaining({
        code: 'camunda-form-invalid',
        elementId: 'review',
        message: expect.stringContaining('both'),
      }),
    );
    const two = await compile(
      model({ f: FORM }, '<zeebe:formDefinition formKey="camunda-forms:bpmn:f" formId="f" />'),
    );
    expect(two.diagnostics).toContainEqual(
      expect.objectContaining({
        code: 'camunda-form-invalid',
        message: expect.stringContaining('formKey and formId'),
      }),
    );
  });

  it('warns that linked and external forms, unused forms and skipped components are not checked', async () => {
    const withUpload = JSON.stringify({ components: [{ type: 'filepicker', key: 'scan' }] });
    const result = await compile(
      model(
        { spare: FORM, upload: withUpload },
        '<zeebe:formDefinition formId="deployed-form" />',
        uses('upload'),
      ),
    );
    expect(result.ok).toBe(true);
    const warnings = result.diagnostics.filter((d) => d.code === 'unsupported-feature');
    expect(warnings.map((d) => [d.severity, d.elementId])).toEqual([
      ['warning', 'spare'],
      ['warning', 'upload'],
      ['warning', 'review'],
    ]);
    expect(warnings.map((d) => d.message)).toEqual([
      expect.stringContaining('which no user task or start event uses'),
      expect.stringContaining('component "scan" (filepicker) is not checked'),
      expect.stringMatching(/"review" uses Camunda form "deployed-form" \(formId\).*not checked/),
    ]);
    const external = await compile(
      model({}, '<zeebe:formDefinition externalReference="https://forms.example/x" />'),
    );
    expect(external.diagnostics).toContainEqual(
      expect.objectContaining({
        severity: 'warning',
        elementId: 'review',
        message: expect.stringContaining('not checked'),
      }),
    );
  });
});

const corpus = new URL('../../../shared/corpus/miwg/', import.meta.url);

describe.skipIf(!existsSync(corpus))('Camunda forms of the MIWG corpus', () => {
  it('C.9.0: the form of process customer_onboarding_en, which no task uses', async () => {
    const text = readFileSync(new URL('C.9.0.bpmn', corpus), 'utf8');
    const { definitions } = await parseBpmn(text, new Locator(text));
    const process = definitions?.rootElements.find((e: { id?: string }) => e.id === 'customer_onboarding_en');
    const form = embeddedForms(process).get('userTaskForm_0khiqpl');
    if (!form) throw new Error('form userTaskForm_0khiqpl not found');
    const { fields, skipped, problems } = embeddedFormFields(form);
    expect(problems).toEqual([]);
    expect(skipped).toEqual([]);
    // the instructions (text) and the disabled risksText are not input
    expect(fields).toEqual([
      { id: 'applicationNumber', label: 'Application Number', type: 'string', required: false },
      { id: 'applicantName', label: 'Applicant', type: 'string', required: false },
      { id: 'age', label: 'Current Age', type: 'number', required: false },
      { id: 'employment', label: 'Employment', type: 'string', required: false },
      { id: 'category', label: 'Category', type: 'string', required: false },
      { id: 'priceIndication', label: 'Price indication', type: 'string', required: false },
      { id: 'approved', label: 'Approved', type: 'boolean', required: false },
    ]);
    const result = await compile(text);
    expect(result.diagnostics).toContainEqual(
      expect.objectContaining({
        code: 'unsupported-feature',
        severity: 'warning',
        elementId: 'userTaskForm_0khiqpl',
      }),
    );
  });

  it('C.9.2: the user task deciding on the application gets its form', async () => {
    const m = await compiled(readFileSync(new URL('C.9.2.bpmn', corpus), 'utf8'));
    const task = m.elements.UserTask_DecideOnApplication;
    expect(task.kind === 'userTask' && task.form.map((f) => [f.id, f.type])).toEqual([
      ['applicationNumber', 'string'],
      ['applicantName', 'string'],
      ['age', 'number'],
      ['employment', 'string'],
      ['category', 'string'],
      ['priceIndication', 'string'],
      ['approved', 'boolean'],
    ]);
  });

  it('C.8.1: the vacation approval radio is required and limited to its options', async () => {
    const m = await compiled(readFileSync(new URL('C.8.1.bpmn', corpus), 'utf8'));
    expect(m.elements['_79523269-7444-4b01-90e9-e23957a9d020']).toMatchObject({
      kind: 'userTask',
      form: [
        {
          id: 'Vacation Approval',
          label: 'Vacation Approval',
          type: 'string',
          required: true,
          options: ['Approved', 'Refused'],
        },
        { id: 'Reason', label: 'Reason', type: 'string', required: false },
      ],
    });
  });
});
