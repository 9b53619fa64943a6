// /console/tasks/:id: one task with the application's data, the rule's reasons, the form, the
// decisions as buttons and a comment; claim, unclaim and (supervisors) assign. Each action is the
// API's POST /tasks/:id/<action>; its refusal is shown with the API's status.
import { Hono } from 'hono';
import type { ContentfulStatusCode } from 'hono/utils/http-status';
import type { Claims } from '../../api/auth.ts';
import type { FormField } from '../../definitions/model.ts';
import { applicationIdOfTask, type OpenTask } from '../../workflows/state.ts';
import { type ApiAnswer, type ApiFetch, ConsoleApi } from '../api.ts';
import { camundaFormOf } from '../camunda-form.ts';
import {
  CamundaFormBody,
  camundaFormData,
  dataFromForm,
  type FieldError,
  FormFields,
} from '../form-fields.tsx';
import { formatTime, type Lang, t } from '../i18n.ts';
import { Csrf, ProblemNotice } from '../layout.tsx';
import { type ConsoleContext, forRoles, refused, render } from '../render.tsx';
import type { ConsoleEnv } from '../session.ts';
import type { ApplicationView } from './application-view.tsx';
import { slaOf } from './tasks.tsx';

const fieldsOf = (task: OpenTask): FormField[] =>
  task.formFields.map((f) => ({ ...f, type: f.type as FormField['type'] }));

/** The task and its application; with `form`, also the Camunda form it embeds (the XML parsed). */
async function loadTask(c: ConsoleContext, fetchApi: ApiFetch, taskId: string, { form = true } = {}) {
  const applicationId = applicationIdOfTask(taskId);
  if (!applicationId) return { status: 404 as const };
  const answer = await ConsoleApi.of(c, fetchApi).get<ApplicationView>(
    `/applications/${encodeURIComponent(applicationId)}`,
  );
  if (!answer.ok) return { answer };
  const task = answer.body.openTasks.find((open) => open.id === taskId);
  const { processKey, version } = answer.body;
  const camundaForm =
    form && task && processKey
      ? await camundaFormOf(ConsoleApi.of(c, fetchApi), processKey, version, task.elementId)
      : undefined;
  return { answer, application: answer.body, task, camundaForm };
}

/** Who holds the task and what the signed-in clerk may do about it; kept live on the page. */
function ClaimSection({
  lang,
  csrf,
  task,
  user,
}: {
  lang: Lang;
  csrf: string;
  task: OpenTask;
  user: Claims;
}) {
  const mine = task.assignee === user.sub;
  const supervises = (user.supervises ?? []).some((g) => task.candidateGroups.includes(g));
  return (
    <>
      <h2 id="claim-title">{t(lang, 'assignee')}</h2>
      <p data-assignee={task.assignee ?? ''}>{task.assignee ?? t(lang, 'nobody')}</p>
      {!task.assignee ? (
        <form method="post" action={`/console/tasks/${task.id}/claim`} class="inline">
          <Csrf value={csrf} />
          <button type="submit">{t(lang, 'claim')}</button>
        </form>
      ) : mine || supervises ? (
        <form method="post" action={`/console/tasks/${task.id}/unclaim`} class="inline">
          <Csrf value={csrf} />
          <button type="submit">{t(lang, 'unclaim')}</button>
        </form>
      ) : null}
      {supervises ? (
        <form method="post" action={`/console/tasks/${task.id}/assign`} class="inline">
          <Csrf value={csrf} />
          <label for="assign-user">{t(lang, 'assignTo')}</label>{' '}
          <input id="assign-user" name="user" required /> <button type="submit">{t(lang, 'assign')}</button>
        </form>
      ) : null}
    </>
  );
}

function TaskPage(props: {
  c: ConsoleContext;
  task: OpenTask;
  application: ApplicationView;
  /** The Camunda form the task embeds: rendered by the form island instead of plain fields. */
  camundaForm?: unknown;
  values?: Record<string, string | string[]>;
  errors?: FieldError[];
  problem?: ApiAnswer<unknown>;
}) {
  const { c, task, application } = props;
  const lang: Lang = c.get('lang');
  const user = c.get('user')!;
  const csrf = c.get('csrf');
  const sla = slaOf(task.dueDate);
  const variables = Object.entries(application.variables ?? {}).filter(([key]) => key !== 'applicant');
  return (
    <>
      {props.problem ? (
        <ProblemNotice
          title={`${props.problem.status} ${props.problem.problem?.title ?? ''}`}
          detail={props.problem.problem?.detail}
        />
      ) : null}
      <p>
        <a href={`/console/applications/${application.id}`}>{application.id}</a> · {application.processKey} ·{' '}
        {t(lang, 'group')} {task.candidateGroups.join(', ')} · {t(lang, 'created')}{' '}
        {formatTime(lang, task.createdAt)}
        {task.dueDate ? ` · ${t(lang, 'due')} ${formatTime(lang, task.dueDate)}` : ''}{' '}
        {sla ? <span class={`badge sla-${sla}`}>{t(lang, sla)}</span> : null}
      </p>
      <section
        aria-labelledby="claim-title"
        class="claim"
        data-live-src={`/console/tasks/${task.id}/claim-section`}
        data-live-events={`/console/applications/${application.id}/events`}
      >
        <ClaimSection lang={lang} csrf={csrf} task={task} user={user} />
      </section>
      {task.ruleReasons?.length ? (
        <section aria-labelledby="reasons-title">
          <h2 id="reasons-title">{t(lang, 'ruleReasons')}</h2>
          <ul>
            {task.ruleReasons.map((reason) => (
              <li>{reason}</li>
            ))}
          </ul>
        </section>
      ) : null}
      <section aria-labelledby="data-title">
        <h2 id="data-title">{t(lang, 'applicationData')}</h2>
        <dl class="data">
          {variables.map(([key, value]) => (
            <>
              <dt>{key}</dt>
              <dd>{typeof value === 'string' ? value : JSON.stringify(value)}</dd>
            </>
          ))}
        </dl>
      </section>
      <section aria-labelledby="decide-title">
        <h2 id="decide-title">{t(lang, 'decide')}</h2>
        <form
          method="post"
          action={`/console/tasks/${task.id}/complete`}
          class="stack"
          novalidate
          data-camunda-form={props.camundaForm ? 'true' : undefined}
        >
          <Csrf value={csrf} />
          {props.camundaForm ? (
            <CamundaFormBody schema={props.camundaForm} />
          ) : (
            <FormFields fields={fieldsOf(task)} lang={lang} values={props.values} errors={props.errors} />
          )}
          <label for="comment">{t(lang, 'comment')}</label>
          <textarea id="comment" name="comment" rows={3} maxlength={4000} />
          <div class="decisions">
            {task.decisions.map((decision) => (
              <button type="submit" name="decision" value={decision} class={`decision decision-${decision}`}>
                {decision}
              </button>
            ))}
          </div>
        </form>
      </section>
    </>
  );
}

export function taskPages(fetchApi: ApiFetch) {
  const app = new Hono<ConsoleEnv>();

  const show = async (
    c: ConsoleContext,
    extra: {
      values?: Record<string, string | string[]>;
      errors?: FieldError[];
      problem?: ApiAnswer<unknown>;
    } = {},
  ) => {
    const lang = c.get('lang');
    const loaded = await loadTask(c, fetchApi, c.req.param('id') ?? '');
    if ('status' in loaded)
      return render(c, t(lang, 'task'), <ProblemNotice title="404" detail={t(lang, 'taskGone')} />, {
        status: 404,
      });
    if (!loaded.application) return refused(c, t(lang, 'task'), loaded.answer);
    if (!loaded.task) {
      const status = (extra.problem?.status ?? 404) as ContentfulStatusCode;
      return render(
        c,
        t(lang, 'task'),
        <>
          <ProblemNotice
            title={String(status)}
            detail={extra.problem?.problem?.detail ?? t(lang, 'taskGone')}
          />
          <p>
            <a href={`/console/applications/${loaded.application.id}`}>{loaded.application.id}</a>
          </p>
        </>,
        { status },
      );
    }
    const status = (extra.problem?.status ?? 200) as ContentfulStatusCode;
    return render(
      c,
      loaded.task.name ?? loaded.task.elementId,
      <TaskPage
        c={c}
        task={loaded.task}
        application={loaded.application}
        camundaForm={loaded.camundaForm}
        {...extra}
      />,
      { status, islands: loaded.camundaForm ? ['form', 'live'] : ['live'] },
    );
  };

  app.get('/:id', (c) => forRoles(c, ['clerk'], 'tasks') ?? show(c));

  app.get('/:id/claim-section', async (c) => {
    const denied = forRoles(c, ['clerk'], 'tasks');
    if (denied) return denied;
    const lang = c.get('lang');
    const loaded = await loadTask(c, fetchApi, c.req.param('id'), { form: false });
    if (!('task' in loaded) || !loaded.task) return c.html(<p role="status">{t(lang, 'taskGone')}</p>);
    return c.html(<ClaimSection lang={lang} csrf={c.get('csrf')} task={loaded.task} user={c.get('user')!} />);
  });

  for (const action of ['claim', 'unclaim', 'assign'] as const) {
    app.post(`/:id/${action}`, async (c) => {
      const denied = forRoles(c, ['clerk'], 'tasks');
      if (denied) return denied;
      const form = await c.req.parseBody();
      const body = action === 'assign' ? { user: String(form.user ?? '').trim() } : {};
      const answer = await ConsoleApi.of(c, fetchApi).send(
        'POST',
        `/tasks/${encodeURIComponent(c.req.param('id'))}/${action}`,
        body,
      );
      if (!answer.ok) return show(c, { problem: answer });
      return c.redirect(`/console/tasks/${c.req.param('id')}`, 303);
    });
  }

  app.post('/:id/complete', async (c) => {
    const denied = forRoles(c, ['clerk'], 'tasks');
    if (denied) return denied;
    const lang = c.get('lang');
    const loaded = await loadTask(c, fetchApi, c.req.param('id'));
    if (!('task' in loaded) || !loaded.task) return show(c);
    const form = await c.req.parseBody({ all: true });
    // A Camunda form posts its data as JSON (the form island); plain fields post one by one.
    const { data, raw } =
      typeof form.data === 'string' && loaded.camundaForm
        ? { data: camundaFormData(form.data), raw: {} }
        : dataFromForm(fieldsOf(loaded.task), form);
    const comment = typeof form.comment === 'string' && form.comment.trim() ? form.comment.trim() : undefined;
    const answer = await ConsoleApi.of(c, fetchApi).send<{ txId: string }>(
      'POST',
      `/tasks/${encodeURIComponent(loaded.task.id)}/complete`,
      {
        decision: String(form.decision ?? ''),
        ...(comment ? { comment } : {}),
        ...(Object.keys(data).length > 0 ? { data } : {}),
      },
    );
    if (!answer.ok) return show(c, { values: raw, errors: answer.problem?.errors ?? [], problem: answer });
    return render(
      c,
      t(lang, 'taskDone'),
      <p role="status">
        {t(lang, 'taskDone')}: {String(form.decision)} · {t(lang, 'txId')} <code>{answer.body.txId}</code> ·{' '}
        <a href={`/console/applications/${loaded.application!.id}`}>{loaded.application!.id}</a> ·{' '}
        <a href="/console/tasks">{t(lang, 'tasks')}</a>
      </p>,
    );
  });

  return app;
}
