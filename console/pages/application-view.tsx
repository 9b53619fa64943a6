// The parts of an application's page: where it stands in plain words, what it asks of the
// applicant, its open steps and incidents, and its ledger trail. The live section is re-rendered
// as a whole when the application's events stream says something happened.

import type { Claims } from '../../api/auth.ts';
import type { FormField, ProcessModel } from '../../definitions/model.ts';
import type { Incident, OpenTask } from '../../workflows/state.ts';
import type { AwaitedEvent } from '../../workflows/waits.ts';
import { FormFields } from '../form-fields.tsx';
import { formatTime, type Lang, t, tOf } from '../i18n.ts';
import { Csrf, IslandData } from '../layout.tsx';
import type { DiagramMarks } from '../marks.ts';
import { IncidentList } from './application-lists.tsx';

export interface ApplicationView {
  id: string;
  processKey?: string;
  version?: number;
  status: string;
  submittedBy?: string;
  startedAt: string;
  endedAt?: string;
  openTasks: OpenTask[];
  incidents: Incident[];
  awaiting?: AwaitedEvent[];
  variables?: Record<string, unknown>;
}

export interface TrailRecord {
  seq: number;
  elementId: string;
  elementInstanceId: string;
  elementName?: string;
  actor: string;
  decision: string;
  txId: string;
  blockNumber?: number;
  timestamp: string;
}

export interface LiveProps {
  lang: Lang;
  csrf: string;
  user: Claims;
  application: ApplicationView;
  model?: ProcessModel;
  trail: TrailRecord[];
  marks: DiagramMarks;
}

const nameOf = (model: ProcessModel | undefined, id: string) => model?.elements[id]?.name ?? id;

/** A message wait the signed-in user may answer, with the fields its message declares. */
export interface Request {
  wait: AwaitedEvent;
  fields: FormField[];
}

export function requestsFor(user: Claims, application: ApplicationView, model?: ProcessModel): Request[] {
  const requests: Request[] = [];
  for (const wait of application.awaiting ?? []) {
    if (wait.type !== 'message' || !wait.correlationKey) continue;
    const element = model?.elements[wait.elementId];
    const trigger = element && 'trigger' in element ? element.trigger : undefined;
    if (trigger?.type !== 'message') continue;
    const mayAnswer = (trigger.publishers ?? []).some((p) =>
      user.role === 'applicant'
        ? p === 'applicant'
        : p === user.role || user.groups.some((g) => p === `${user.role}:${g}`),
    );
    if (mayAnswer) requests.push({ wait, fields: trigger.payload ?? [] });
  }
  return requests;
}

function PlainStatus({
  lang,
  application,
  model,
}: {
  lang: Lang;
  application: ApplicationView;
  model?: ProcessModel;
}) {
  const { status } = application;
  if (status === 'running') {
    const steps = application.openTasks.map((task) => task.name ?? task.elementId);
    const waits = (application.awaiting ?? []).map((w) => nameOf(model, w.elementId));
    return (
      <p class={`plain status-${status}`} role="status">
        {steps.length > 0
          ? `${t(lang, 'plain_running')}${steps.join('、')}`
          : waits.length > 0
            ? `${t(lang, 'plain_waiting')}${waits.join('、')}`
            : t(lang, 'plain_running').replace(/[:：]\s*$/, '')}
      </p>
    );
  }
  return (
    <p class={`plain status-${status}`} role="status">
      {t(lang, `plain_${status}` as 'plain_completed')}
    </p>
  );
}

export function LiveSection(props: LiveProps) {
  const { lang, application, model, trail, user } = props;
  const requests = requestsFor(user, application, model);
  const mayRetry = user.role === 'clerk' || user.role === 'auditor';
  return (
    <>
      <p>
        <span class={`badge status-${application.status}`}>{tOf(lang, 'status', application.status)}</span>{' '}
        <span class="muted">
          {t(lang, 'started')} {formatTime(lang, application.startedAt)}
          {application.endedAt ? ` · ${t(lang, 'ended')} ${formatTime(lang, application.endedAt)}` : ''}
        </span>
      </p>
      <PlainStatus lang={lang} application={application} model={model} />
      {requests.length > 0 ? (
        <section aria-labelledby="requests-title">
          <h2 id="requests-title">{t(lang, 'requests')}</h2>
          {requests.map(({ wait, fields }) => (
            <form
              method="post"
              action={`/console/applications/${application.id}/answer`}
              class="stack request"
            >
              <Csrf value={props.csrf} />
              <input type="hidden" name="_subscription" value={wait.subscriptionId} />
              <h3>{nameOf(model, wait.elementId)}</h3>
              <FormFields fields={fields} lang={lang} />
              <button type="submit">{t(lang, 'answer')}</button>
            </form>
          ))}
        </section>
      ) : null}
      {application.openTasks.length > 0 ? (
        <section aria-labelledby="open-title">
          <h2 id="open-title">{t(lang, 'openTasks')}</h2>
          <ul>
            {application.openTasks.map((task) => (
              <li>
                {user.role === 'clerk' ? (
                  <a href={`/console/tasks/${task.id}`}>{task.name ?? task.elementId}</a>
                ) : (
                  (task.name ?? task.elementId)
                )}
                {task.assignee ? (
                  <span class="muted">
                    {' '}
                    · {t(lang, 'assignee')} {task.assignee}
                  </span>
                ) : null}
              </li>
            ))}
          </ul>
        </section>
      ) : null}
      <IncidentList
        lang={lang}
        csrf={props.csrf}
        mayRetry={mayRetry}
        incidents={application.incidents.map((i) => ({
          ...i,
          applicationId: application.id,
          where: nameOf(model, i.elementId),
        }))}
      />
      <section aria-labelledby="trail-title">
        <h2 id="trail-title">{t(lang, 'trail')}</h2>
        {trail.length === 0 ? (
          <p>{t(lang, 'noRecords')}</p>
        ) : (
          <div class="scroll">
            <table class="trail">
              <thead>
                <tr>
                  <th scope="col">#</th>
                  <th scope="col">{t(lang, 'step')}</th>
                  <th scope="col">{t(lang, 'actor')}</th>
                  <th scope="col">{t(lang, 'decision')}</th>
                  <th scope="col">{t(lang, 'txId')}</th>
                  <th scope="col">{t(lang, 'block')}</th>
                  <th scope="col">{t(lang, 'time')}</th>
                </tr>
              </thead>
              <tbody>
                {trail.map((r) => (
                  <tr data-element={r.elementId}>
                    <td>{r.seq}</td>
                    <td>{r.elementName ?? nameOf(model, r.elementId)}</td>
                    <td>{r.actor}</td>
                    <td>{r.decision}</td>
                    <td>
                      <code title={r.txId}>{r.txId.slice(0, 12)}</code>
                    </td>
                    <td>{r.blockNumber ?? ''}</td>
                    <td>{formatTime(lang, r.timestamp)}</td>
                  </tr>
                ))}
              </tbody>
            </table>
          </div>
        )}
      </section>
      <IslandData id="gf-live-marks" value={props.marks} />
    </>
  );
}
