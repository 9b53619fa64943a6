// Camunda 7 models (definitions/camunda7/): each camunda:* attribute and extension element
// converted to its zeebe:/govflow: equivalent or reported, JUEL and XPath conditions in FEEL
// (the translation itself: camunda7-expressions.test.ts), and the MIWG corpus's Camunda 7
// models C.1.0 and C.1.1 compiling.
// biome-ignore-all lint/suspicious/noTemplateCurlyInString: the strings are JUEL (Camunda 7), not templates
import { existsSync, readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { type CompileResult, compile, type Diagnostic } from '../../definitions/index.ts';

const C7 = 'http://camunda.org/schema/1.0/bpmn';
/** A model in the Camunda 7 dialect; `prefix` binds the namespace under any name. */
const c7 = (body: string, { prefix = 'camunda', ns = C7, defs = '' } = {}) =>
  `<?xml version="1.0" encoding="UTF-8"?>
<bpmn:definitions xmlns:bpmn="http://www.omg.org/spec/BPMN/20100524/MODEL" xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance" xmlns:${prefix}="${ns}" id="d"${defs}>
  <bpmn:process id="p" isExecutable="true">
    <bpmn:startEvent id="start" />
    ${body.replaceAll('camunda:', `${prefix}:`)}
    <bpmn:endEvent id="end" />
  </bpmn:process>
</bpmn:definitions>`;
/** start -> the element `id` -> end. */
const around = (id: string) =>
  `<bpmn:sequenceFlow id="in" sourceRef="start" targetRef="${id}" /><bpmn:sequenceFlow id="out" sourceRef="${id}" targetRef="end" />`;

async function compiled(xml: string): Promise<Extract<CompileResult, { ok: true }>> {
  const result = await compile(xml);
  if (!result.ok) throw new Error(JSON.stringify(result.diagnostics, null, 2));
  return result;
}
const errors = (result: CompileResult) => result.diagnostics.filter((d) => d.severity === 'error');
const converted = (result: CompileResult, elementId: string) =>
  result.diagnostics.find((d) => d.code === 'camunda7-converted' && d.elementId === elementId);

describe('Camunda 7 service tasks', () => {
  it.each([
    ['camunda:delegateExpression="${archiveService}"', 'archiveService'],
    ['camunda:delegateExpression="#{beans.archive}"', 'beans.archive'],
    ['camunda:class="org.example.ArchiveDelegate"', 'org.example.ArchiveDelegate'],
    ['camunda:type="external" camunda:topic="archive"', 'archive'],
    ['camunda:expression="${archive.store(execution, invoice)}"', 'archive.store'],
  ])('%s becomes a zeebe:taskDefinition of type %s', async (attributes, taskType) => {
    const result = await compiled(c7(`<bpmn:serviceTask id="t" ${attributes} />${around('t')}`));
    expect(result.model.elements.t).toMatchObject({ kind: 'serviceTask', taskType, retries: 3 });
    expect(converted(result, 't')).toMatchObject({ severity: 'warning', line: 5, column: 5 });
    expect(converted(result, 't')?.message).toContain(`→ zeebe:taskDefinition type "${taskType}"`);
  });

  it('turns static field injections into task headers and retry cycles into retries', async () => {
    const result = await compiled(
      c7(`<bpmn:sendTask id="t" camunda:class="Mailer" camunda:asyncBefore="true"><bpmn:extensionElements>
      <camunda:field name="subject" stringValue="Invoice" />
      <camunda:field name="body"><camunda:string> Hello </camunda:string></camunda:field>
      <camunda:field name="to"><camunda:expression>\${customer.mail}</camunda:expression></camunda:field>
      <camunda:failedJobRetryTimeCycle>R5/PT10M</camunda:failedJobRetryTimeCycle>
    </bpmn:extensionElements></bpmn:sendTask>${around('t')}`),
    );
    expect(result.model.elements.t).toMatchObject({
      kind: 'sendTask',
      taskType: 'Mailer',
      retries: 5,
      headers: { subject: 'Invoice', body: 'Hello' },
    });
    const message = converted(result, 't')?.message ?? '';
    expect(message).toContain('camunda:field to ignored: its value "${customer.mail}" is an expression');
    expect(message).toContain('camunda:asyncBefore="true" ignored: a Camunda 7 transaction boundary');
    expect(message).toContain('retries 5 (the wait between tries is not kept)');
  });

  it('runs a message throw event whose message definition names the delegate', async () => {
    const result = await compiled(
      c7(
        `<bpmn:intermediateThrowEvent id="t"><bpmn:messageEventDefinition camunda:delegateExpression="\${notifier}" /></bpmn:intermediateThrowEvent>${around('t')}`,
      ),
    );
    expect(result.model.elements.t).toMatchObject({
      kind: 'intermediateThrowEvent',
      job: { taskType: 'notifier' },
    });
  });

  it('keeps a zeebe:taskDefinition the model already has', async () => {
    const xml = c7(
      `<bpmn:serviceTask id="t" camunda:type="external" camunda:topic="old"><bpmn:extensionElements><zeebe:taskDefinition type="new" /></bpmn:extensionElements></bpmn:serviceTask>${around('t')}`,
    ).replace('id="d"', 'xmlns:zeebe="http://camunda.org/schema/zeebe/1.0" id="d"');
    const result = await compiled(xml);
    expect(result.model.elements.t).toMatchObject({ taskType: 'new' });
    expect(converted(result, 't')?.message).toContain(
      'camunda:topic="old" ignored: the element already has zeebe:taskDefinition type "new"',
    );
  });

  it.each([
    [
      'camunda:delegateExpression="${factory.create(invoice)}"',
      'camunda7-expression-untranslatable',
      'it calls the method factory.create(...)',
    ],
    [
      'camunda:expression="Hello ${name}"',
      'camunda7-expression-untranslatable',
      'it mixes text with expressions',
    ],
    ['camunda:type="mail"', 'camunda7-untranslatable', 'is a Camunda 7 built-in task type'],
    ['camunda:type="external"', 'camunda7-untranslatable', 'has no camunda:topic'],
  ])('refuses %s', async (attributes, code, reason) => {
    const result = await compile(c7(`<bpmn:serviceTask id="t" ${attributes} />${around('t')}`));
    expect(result.ok).toBe(false);
    expect(errors(result)).toEqual([expect.objectContaining({ code, elementId: 't', line: 5 })]);
    expect(errors(result)[0].message).toContain(reason);
  });

  it('refuses a connector and listeners: their code would not run', async () => {
    const result = await compile(
      c7(`<bpmn:serviceTask id="t"><bpmn:extensionElements>
      <camunda:connector><camunda:connectorId>http-connector</camunda:connectorId></camunda:connector>
      <camunda:executionListener class="Audit" event="start" />
    </bpmn:extensionElements></bpmn:serviceTask>${around('t')}`),
    );
    expect(errors(result).map((d) => [d.code, d.line])).toEqual([
      ['service-task-type-missing', 5],
      ['camunda7-untranslatable', 6],
      ['camunda7-untranslatable', 7],
    ]);
  });
});

describe('Camunda 7 user tasks', () => {
  it('converts assignee, candidates and due date; assignee expressions become FEEL', async () => {
    const result = await compiled(
      c7(
        `<bpmn:userTask id="t" camunda:assignee="\${approver}" camunda:candidateGroups="accounting, audit" camunda:candidateUsers="ann,bob" camunda:dueDate="\${invoice.due}" camunda:formKey="embedded:app:forms/approve.html" />${around('t')}`,
      ),
    );
    expect(result.model.elements.t).toMatchObject({
      kind: 'userTask',
      assigneeExpression: 'approver',
      candidateGroups: ['accounting', 'audit'],
      candidateUsers: ['ann', 'bob'],
      dueDate: 'invoice.due',
    });
    expect(result.model.elements.t).not.toHaveProperty('assignee');
    const message = converted(result, 't')?.message ?? '';
    expect(message).toContain(
      'camunda:assignee="${approver}" → zeebe:assignmentDefinition assignee="=approver"',
    );
    expect(message).toContain('camunda:formKey="embedded:app:forms/approve.html" ignored: an external form');
  });

  it('resolves the prefix through xmlns, also the old Activiti namespace', async () => {
    const xml = c7(`<bpmn:userTask id="t" camunda:assignee="demo" />${around('t')}`, {
      prefix: 'act',
      ns: 'http://activiti.org/bpmn',
    });
    expect(xml).toContain('act:assignee="demo"');
    expect((await compiled(xml)).model.elements.t).toMatchObject({ assignee: 'demo' });
  });

  it('turns generated form fields into govflow form fields', async () => {
    const result = await compiled(
      c7(`<bpmn:userTask id="t" camunda:candidateGroups="clerks"><bpmn:extensionElements><camunda:formData>
      <camunda:formField id="amount" label="Amount" type="long"><camunda:validation><camunda:constraint name="required" /><camunda:constraint name="min" config="1" /></camunda:validation></camunda:formField>
      <camunda:formField id="approved" type="boolean" />
      <camunda:formField id="due" type="date" />
      <camunda:formField id="level" type="enum" defaultValue="low"><camunda:value id="low" name="Low" /><camunda:value id="high" name="High" /></camunda:formField>
      <camunda:formField id="note" />
    </camunda:formData></bpmn:extensionElements></bpmn:userTask>${around('t')}`),
    );
    expect(result.model.elements.t).toMatchObject({
      form: [
        { id: 'amount', label: 'Amount', type: 'number', required: true },
        { id: 'approved', type: 'boolean', required: false },
        { id: 'due', type: 'date', required: false },
        { id: 'level', type: 'string', required: false },
        { id: 'note', type: 'string', required: false },
      ],
    });
    const message = converted(result, 't')?.message ?? '';
    expect(message).toContain(
      'camunda:formField amount (long) → govflow:formField amount (number, required), ignoring its min constraint',
    );
    expect(message).toContain(
      'ignoring its enum values (low, high), so any string is accepted, its default value "low"',
    );
  });

  it('FEEL-checks an assignee expression at compile time, as written in the zeebe: dialect too', async () => {
    const zeebe = (assignee: string) =>
      c7(
        `<bpmn:userTask id="t"><bpmn:extensionElements><zeebe:assignmentDefinition assignee="${assignee}" /></bpmn:extensionElements></bpmn:userTask>${around('t')}`,
        { prefix: 'zeebe', ns: 'http://camunda.org/schema/zeebe/1.0' },
      );
    expect((await compiled(zeebe('=reviewer.id'))).model.elements.t).toMatchObject({
      assigneeExpression: 'reviewer.id',
    });
    const bad = await compile(zeebe('=reviewer +'));
    expect(errors(bad)).toEqual([expect.objectContaining({ code: 'feel-syntax', elementId: 't' })]);
    expect(errors(bad)[0].message).toContain('The assignee expression of "t" is not valid FEEL');
  });

  it('leaves candidate group expressions to the unsupported-feature rule', async () => {
    const result = await compile(
      c7(`<bpmn:userTask id="t" camunda:candidateGroups="\${groups}" />${around('t')}`),
    );
    expect(errors(result).map((d) => d.code)).toEqual(['unsupported-feature']);
  });
});

describe('Camunda 7 variables, call activities, loops and timers', () => {
  it('maps camunda:inputOutput to zeebe:ioMapping', async () => {
    const result = await compiled(
      c7(`<bpmn:serviceTask id="t" camunda:class="X"><bpmn:extensionElements><camunda:inputOutput>
      <camunda:inputParameter name="fixed">plain text</camunda:inputParameter>
      <camunda:inputParameter name="computed">\${amount * 2}</camunda:inputParameter>
      <camunda:inputParameter name="nothing" />
      <camunda:inputParameter name="items"><camunda:list><camunda:value>a</camunda:value><camunda:value>\${b}</camunda:value></camunda:list></camunda:inputParameter>
      <camunda:inputParameter name="context"><camunda:map><camunda:entry key="k">\${v}</camunda:entry></camunda:map></camunda:inputParameter>
      <camunda:outputParameter name="result">\${answer}</camunda:outputParameter>
    </camunda:inputOutput></bpmn:extensionElements></bpmn:serviceTask>${around('t')}`),
    );
    expect(result.model.elements.t).toMatchObject({
      inputs: [
        { target: 'fixed', source: '"plain text"' },
        { target: 'computed', source: 'amount * 2' },
        { target: 'nothing', source: 'null' },
        { target: 'items', source: '["a", b]' },
        { target: 'context', source: '{"k": v}' },
      ],
      outputs: [{ target: 'result', source: 'answer' }],
    });
  });

  it('refuses a script-valued parameter', async () => {
    const result = await compile(
      c7(`<bpmn:serviceTask id="t" camunda:class="X"><bpmn:extensionElements><camunda:inputOutput>
      <camunda:inputParameter name="s"><camunda:script scriptFormat="groovy">x + 1</camunda:script></camunda:inputParameter>
    </camunda:inputOutput></bpmn:extensionElements></bpmn:serviceTask>${around('t')}`),
    );
    expect(errors(result)).toEqual([
      expect.objectContaining({ code: 'camunda7-expression-untranslatable', elementId: 't', line: 6 }),
    ]);
    expect(errors(result)[0].message).toContain(
      'camunda:inputParameter s has no FEEL translation: its value is a groovy script',
    );
  });

  it('maps a call activity with camunda:in and camunda:out', async () => {
    const result = await compiled(
      c7(`<bpmn:callActivity id="t" calledElement="child" camunda:calledElementBinding="latest"><bpmn:extensionElements>
      <camunda:in source="invoice" target="doc" />
      <camunda:in sourceExpression="\${amount + 1}" target="limit" />
      <camunda:in businessKey="\${execution.processBusinessKey}" />
      <camunda:out source="verdict" target="decision" />
    </bpmn:extensionElements></bpmn:callActivity>${around('t')}`),
    );
    expect(result.model.elements.t).toMatchObject({
      kind: 'callActivity',
      calledProcessKey: 'child',
      propagateAllChildVariables: true,
      inputs: [
        { source: 'invoice', target: 'doc' },
        { source: 'amount + 1', target: 'limit' },
      ],
      outputs: [{ source: 'verdict', target: 'decision' }],
    });
    expect(converted(result, 't')?.message).toContain(
      'camunda:in businessKey="${execution.processBusinessKey}" ignored',
    );
  });

  it('copies nothing back from a call activity without camunda:out', async () => {
    const result = await compiled(c7(`<bpmn:callActivity id="t" calledElement="child" />${around('t')}`));
    expect(result.model.elements.t).toMatchObject({ propagateAllChildVariables: false });
  });

  it('maps multi-instance collections and completion conditions, with Camunda 8 counter names', async () => {
    const result = await compiled(
      c7(`<bpmn:userTask id="t" camunda:candidateGroups="clerks"><bpmn:multiInstanceLoopCharacteristics camunda:collection="reviewers" camunda:elementVariable="reviewer">
      <bpmn:completionCondition xsi:type="bpmn:tFormalExpression">\${nrOfCompletedInstances &gt;= 2}</bpmn:completionCondition>
    </bpmn:multiInstanceLoopCharacteristics></bpmn:userTask>${around('t')}`),
    );
    expect(result.model.elements.t).toMatchObject({
      multiInstance: {
        inputCollection: 'reviewers',
        inputElement: 'reviewer',
        completionCondition: 'numberOfCompletedInstances >= 2',
      },
    });
  });

  it('translates timer expressions and keeps ISO literals', async () => {
    const result = await compiled(
      c7(`<bpmn:intermediateCatchEvent id="t"><bpmn:timerEventDefinition><bpmn:timeDuration xsi:type="bpmn:tFormalExpression">\${waitFor}</bpmn:timeDuration></bpmn:timerEventDefinition></bpmn:intermediateCatchEvent>
      <bpmn:intermediateCatchEvent id="u"><bpmn:timerEventDefinition><bpmn:timeDuration xsi:type="bpmn:tFormalExpression">PT5M</bpmn:timeDuration></bpmn:timerEventDefinition></bpmn:intermediateCatchEvent>
      <bpmn:sequenceFlow id="in" sourceRef="start" targetRef="t" /><bpmn:sequenceFlow id="mid" sourceRef="t" targetRef="u" /><bpmn:sequenceFlow id="out" sourceRef="u" targetRef="end" />`),
    );
    expect(result.model.elements.t).toMatchObject({
      trigger: { type: 'timer', timer: { expression: 'waitFor' } },
    });
    expect(result.model.elements.u).toMatchObject({
      trigger: { type: 'timer', timer: { expression: '"PT5M"' } },
    });
    expect(converted(result, 'u')).toBeUndefined();
  });
});

describe('Camunda 7 conditions', () => {
  const gateway = (yes: string, no: string, language = '') =>
    `<bpmn:exclusiveGateway id="g" />
    <bpmn:sequenceFlow id="in" sourceRef="start" targetRef="g" />
    <bpmn:sequenceFlow id="yes" sourceRef="g" targetRef="end"><bpmn:conditionExpression xsi:type="bpmn:tFormalExpression"${language}>${yes}</bpmn:conditionExpression></bpmn:sequenceFlow>
    <bpmn:sequenceFlow id="no" sourceRef="g" targetRef="end"><bpmn:conditionExpression xsi:type="bpmn:tFormalExpression">${no}</bpmn:conditionExpression></bpmn:sequenceFlow>`;
  const conditions = (result: { model: { flows: Record<string, { condition?: string }> } }) => [
    result.model.flows.yes.condition,
    result.model.flows.no.condition,
  ];

  it('translates JUEL conditions, one warning per flow', async () => {
    const result = await compiled(c7(gateway('${amount &gt; 1000 &amp;&amp; !urgent}', '${empty amount}')));
    expect(conditions(result)).toEqual([
      'amount > 1000 and not(urgent)',
      '(if amount = null or amount = "" or amount = [] or amount = {} then true else false)',
    ]);
    const warning = converted(result, 'yes') as Diagnostic;
    expect(warning).toMatchObject({ severity: 'warning', elementId: 'yes', line: 7, column: 5 });
    expect(warning.message).toBe(
      'Sequence flow "yes" was converted from Camunda 7: condition "${amount > 1000 && !urgent}" → FEEL `=amount > 1000 and not(urgent)`',
    );
  });

  it('translates XPath conditions when the definitions or the flow say XPath', async () => {
    const defs = ' expressionLanguage="http://www.w3.org/1999/XPath"';
    const onDefinitions = await compiled(
      c7(gateway("bpmn:getDataObject('ok')", "not(bpmn:getDataObject('ok'))"), { defs }),
    );
    expect(conditions(onDefinitions)).toEqual(['ok', 'not(ok)']);
    const onFlow = await compiled(
      c7(gateway("bpmn:getDataObject('ok')", '=not(ok)', ' language="http://www.w3.org/1999/XPath"')),
    );
    expect(conditions(onFlow)).toEqual(['ok', 'not(ok)']);
  });

  it('reads other conditions as FEEL (XPath is only the BPMN default, not declared)', async () => {
    const result = await compiled(c7(gateway('ok = true', 'ok = false')));
    expect(conditions(result)).toEqual(['ok = true', 'ok = false']);
  });

  it('reports an untranslatable condition once, naming the flow and the JUEL text', async () => {
    const result = await compile(c7(gateway("${execution.getVariable('ok')}", '${!ok}')));
    expect(errors(result)).toEqual([
      expect.objectContaining({ code: 'camunda7-expression-untranslatable', elementId: 'yes', line: 7 }),
    ]);
    expect(errors(result)[0].message).toBe(
      `Sequence flow "yes": the condition "\${execution.getVariable('ok')}" has no FEEL translation: it calls the method execution.getVariable(...)`,
    );
  });

  it('refuses script conditions', async () => {
    const result = await compile(c7(gateway('ok == true', '${!ok}', ' language="groovy"')));
    expect(errors(result)[0]).toMatchObject({ code: 'camunda7-expression-untranslatable', elementId: 'yes' });
    expect(errors(result)[0].message).toContain('it is a script in groovy');
  });
});

describe('what Camunda 7 conversion leaves alone or reports', () => {
  it('does not touch a model without a Camunda 7 namespace', async () => {
    const xml = c7(`<bpmn:userTask id="t" camunda:assignee="\${approver}" />${around('t')}`, {
      ns: 'http://example.org/other',
    });
    const result = await compiled(xml);
    expect(result.diagnostics.some((d) => d.code.startsWith('camunda7'))).toBe(false);
    expect(result.model.elements.t).not.toHaveProperty('assigneeExpression');
  });

  it('names every camunda:* attribute and element it does not translate', async () => {
    const result = await compile(
      c7(`<bpmn:userTask id="t" camunda:assignee="demo" camunda:priority="50" camunda:fancy="x"><bpmn:extensionElements><camunda:properties><camunda:property name="a" value="b" /></camunda:properties><camunda:taskListener event="create" class="Notify" /></bpmn:extensionElements></bpmn:userTask>
      <bpmn:startEvent id="s2" camunda:initiator="starter" />${around('t')}`).replace(
        'id="p" isExecutable="true"',
        'id="p" isExecutable="true" camunda:historyTimeToLive="180" camunda:candidateStarterGroups="clerks"',
      ),
    );
    const message = converted(result, 't')?.message ?? '';
    expect(message).toContain('camunda:priority="50" ignored: task priorities are not used');
    expect(message).toContain('camunda:fancy="x" ignored: it has no govflow equivalent');
    expect(message).toContain('camunda:properties ignored: static properties');
    expect(converted(result, 'p')?.message).toContain('camunda:historyTimeToLive="180" ignored');
    expect(
      errors(result)
        .filter((d) => d.code === 'camunda7-untranslatable')
        .map((d) => [d.elementId, d.message]),
    ).toEqual([
      [
        'p',
        'Process "p": camunda:candidateStarterGroups="clerks" has no govflow equivalent: govflow cannot restrict who starts the process this way',
      ],
      [
        't',
        'User task "t": camunda:taskListener has no govflow equivalent: its listener code would no longer run',
      ],
      [
        's2',
        'Start event "s2": camunda:initiator="starter" has no govflow equivalent: the variable holding the starting user would not be set',
      ],
    ]);
  });
});

const corpus = new URL('../../../shared/corpus/miwg/', import.meta.url);

describe.skipIf(!existsSync(corpus))('the MIWG Camunda 7 models', () => {
  it.each(['C.1.0.bpmn', 'C.1.1.bpmn'])('%s compiles, its JUEL or XPath conditions in FEEL', async (file) => {
    const result = await compiled(readFileSync(new URL(file, corpus), 'utf8'));
    const { elements, flows } = result.model;
    expect(flows.invoiceApproved.condition).toBe('approved');
    expect(flows.invoiceNotApproved.condition).toBe('not(approved)');
    expect(flows.reviewSuccessful.condition).toBe('clarified = "yes"');
    expect(flows.reviewNotSuccessful.condition).toBe('clarified = "no"');
    expect(elements.approveInvoice).toMatchObject({ kind: 'userTask', assigneeExpression: 'approver' });
    expect(elements.assignApprover).toMatchObject({ assignee: 'demo' });
    expect(elements.prepareBankTransfer).toMatchObject({ candidateGroups: ['accounting'] });
    expect(elements.archiveInvoice).toMatchObject({
      kind: 'serviceTask',
      taskType: 'archiveService',
      headers: { text0: 'Hello World', text3: 'Hello World', text4: '<p>Hello World</p><br>' },
    });
    const warnings = result.diagnostics.filter((d) => d.code === 'camunda7-converted');
    expect(warnings.map((d) => d.elementId).sort()).toEqual(
      [
        'StartEvent_1',
        'approveInvoice',
        'archiveInvoice',
        'assignApprover',
        'invoiceApproved',
        'invoiceNotApproved',
        'prepareBankTransfer',
        'reviewInvoice',
        'reviewNotSuccessful',
        'reviewSuccessful',
      ].sort(),
    );
    for (const warning of warnings)
      expect(warning).toMatchObject({ severity: 'warning', line: expect.any(Number) });
  });
});
