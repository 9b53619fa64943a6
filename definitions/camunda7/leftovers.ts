// Every camunda:* attribute and extension element no conversion step took is named: a warning
// when ignoring it leaves the process behaving the same, an error when it would not (code that
// would no longer run, a variable no longer set, a restriction no longer enforced).
import type { ModdleElement } from '../moddle-types.ts';
import { type Converter, localName, quote, UNTRANSLATABLE } from './converter.ts';

const TRANSACTION = 'a Camunda 7 transaction boundary; govflow records every step durably anyway';
const FORM = 'an external form, which govflow does not check (declare govflow:formField fields for that)';

/** Safe to ignore: why. */
const IGNORED: Record<string, string> = {
  asyncBefore: TRANSACTION,
  asyncAfter: TRANSACTION,
  async: TRANSACTION,
  exclusive: 'job exclusivity; govflow runs one step of an application at a time',
  jobPriority: 'job priorities are not used',
  taskPriority: 'external task priorities are not used',
  priority: 'task priorities are not used',
  failedJobRetryTimeCycle: 'retry timing applies to jobs only',
  formKey: FORM,
  formRef: FORM,
  formRefBinding: FORM,
  formRefVersion: FORM,
  formHandlerClass: FORM,
  followUpDate: 'follow-up dates are not used',
  versionTag: 'a Camunda 7 deployment setting',
  historyTimeToLive: 'a Camunda 7 history setting; the ledger trail is kept',
  isStartableInTasklist: 'a Camunda 7 Tasklist setting',
  calledElementBinding: 'the latest deployed version of the called process is used',
  calledElementVersion: 'the latest deployed version of the called process is used',
  calledElementVersionTag: 'the latest deployed version of the called process is used',
  calledElementTenantId: 'govflow has no tenants',
  properties: 'static properties for Camunda 7 plugins',
  errorMessage: 'error messages are not passed on',
};

/** Would change what the process does: why. */
const REFUSED: Record<string, string> = {
  executionListener: 'its listener code would no longer run',
  taskListener: 'its listener code would no longer run',
  connector:
    'Camunda Connect connectors do not run in govflow; implement a handler and name it in zeebe:taskDefinition',
  class: 'its Java code would no longer run',
  delegateExpression: 'its delegate would no longer run',
  expression: 'its expression would no longer run',
  initiator: 'the variable holding the starting user would not be set',
  candidateStarterGroups: 'govflow cannot restrict who starts the process this way',
  candidateStarterUsers: 'govflow cannot restrict who starts the process this way',
  potentialStarter: 'govflow cannot restrict who starts the process this way',
  errorCodeVariable: 'the variable would not be set when the error is caught',
  errorMessageVariable: 'the variable would not be set when the error is caught',
  escalationCodeVariable: 'the variable would not be set when the escalation is caught',
  decisionRef: 'Camunda 7 decision references are not converted; call the decision with zeebe:calledDecision',
  caseRef: 'CMMN cases are not run by govflow',
  variableMappingClass: 'its variable mapping code would no longer run',
  variableMappingDelegateExpression: 'its variable mapping code would no longer run',
  errorEventDefinition: 'its mapping of external task errors to BPMN errors would not apply',
  resource: 'external script resources are not run by govflow',
};

/** Reports what is left on `holder` (the element itself, or its loop or event definition). */
export function reportLeftovers(c: Converter, owner: ModdleElement, holder: ModdleElement): void {
  const on = holder === owner ? '' : ` on its ${localName(holder)}`;
  for (const attribute of c.untaken(holder)) {
    c.markTaken(holder, attribute.name);
    const written = `${attribute.name}=${quote(attribute.value)}${on}`;
    const refused = REFUSED[attribute.local];
    if (refused)
      c.error(
        UNTRANSLATABLE,
        owner,
        `${written} has no govflow equivalent: ${refused}`,
        c.attributePosition(owner, attribute.name),
      );
    else c.note(owner, `${written} ignored: ${IGNORED[attribute.local] ?? 'it has no govflow equivalent'}`);
  }
  for (const child of c.untakenChildren(holder)) {
    c.takeChildren(holder, localName(child));
    const refused = REFUSED[localName(child)];
    if (refused)
      c.error(
        UNTRANSLATABLE,
        owner,
        `${child.$type}${on} has no govflow equivalent: ${refused}`,
        c.childPosition(owner, child),
      );
    else
      c.note(
        owner,
        `${child.$type}${on} ignored: ${IGNORED[localName(child)] ?? 'it has no govflow equivalent'}`,
      );
  }
}
