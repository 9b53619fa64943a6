// Applicants: /console/services lists the deployed processes; /console/services/:key is the start
// form, submitted to POST /applications with the API's errors shown beside their fields.
import { Hono } from 'hono';
import type { ContentfulStatusCode } from 'hono/utils/http-status';
import type { DefinitionSummary } from '../../api/definition-store.ts';
import type { FormField, ProcessModel } from '../../definitions/model.ts';
import { type ApiFetch, ConsoleApi } from '../api.ts';
import { camundaFormOf } from '../camunda-form.ts';
import {
  CamundaFormBody,
  camundaFormData,
  dataFromForm,
  type FieldError,
  FormFields,
} from '../form-fields.tsx';
import { type Lang, t } from '../i18n.ts';
import { Csrf, ProblemNotice } from '../layout.tsx';
import { type ConsoleContext, forRoles, refused, render } from '../render.tsx';
import type { ConsoleEnv } from '../session.ts';

type Definition = DefinitionSummary & { kind: string; model: ProcessModel };

function startForm(model: ProcessModel): FormField[] {
  const start = model.startEventId ? model.elements[model.startEventId] : undefined;
  return start && 'form' in start ? start.form : [];
}

function StartForm(props: {
  c: ConsoleContext;
  definition: Definition;
  /** The Camunda form the start event embeds: drawn by the form island instead of plain fields. */
  camundaForm?: unknown;
  values?: Record<string, string | string[]>;
  errors?: FieldError[];
  problem?: { title: string; detail?: string };
}) {
  const lang: Lang = props.c.get('lang');
  const { definition } = props;
  return (
    <>
      <p>
        {t(lang, 'version')} {definition.version}
      </p>
      {props.problem ? <ProblemNotice title={props.problem.title} detail={props.problem.detail} /> : null}
      <form method="post" class="stack" novalidate data-camunda-form={props.camundaForm ? 'true' : undefined}>
        <Csrf value={props.c.get('csrf')} />
        {props.camundaForm ? (
          <CamundaFormBody schema={props.camundaForm} />
        ) : (
          <FormFields
            fields={startForm(definition.model)}
            lang={lang}
            values={props.values}
            errors={props.errors}
          />
        )}
        <button type="submit">{t(lang, 'startService')}</button>
      </form>
    </>
  );
}

export function servicePages(fetchApi: ApiFetch) {
  const app = new Hono<ConsoleEnv>();

  app.get('/', async (c) => {
    const denied = forRoles(c, ['applicant'], 'services');
    if (denied) return denied;
    const lang = c.get('lang');
    const answer = await ConsoleApi.of(c, fetchApi).get<DefinitionSummary[]>('/definitions');
    if (!answer.ok) return refused(c, t(lang, 'services'), answer);
    const processes = answer.body.filter((d) => (d as { kind?: string }).kind === 'process');
    return render(
      c,
      t(lang, 'services'),
      processes.length === 0 ? (
        <p>{t(lang, 'noServices')}</p>
      ) : (
        <ul class="cards">
          {processes.map((d) => (
            <li>
              <a href={`/console/services/${encodeURIComponent(d.key)}`}>{d.name ?? d.key}</a>
              <span class="muted">
                {' '}
                · {t(lang, 'version')} {d.version}
              </span>
            </li>
          ))}
        </ul>
      ),
    );
  });

  const load = async (c: ConsoleContext) => {
    const key = encodeURIComponent(c.req.param('key') ?? '');
    const api = ConsoleApi.of(c, fetchApi);
    const answer = await api.get<Definition>(`/definitions/${key}`);
    const { startEventId } = answer.ok ? answer.body.model : {};
    const camundaForm =
      answer.ok && startEventId
        ? await camundaFormOf(api, answer.body.key, answer.body.version, startEventId)
        : undefined;
    return { answer, camundaForm };
  };

  app.get('/:key', async (c) => {
    const denied = forRoles(c, ['applicant'], 'services');
    if (denied) return denied;
    const { answer, camundaForm } = await load(c);
    if (!answer.ok) return refused(c, t(c.get('lang'), 'services'), answer);
    const definition = answer.body;
    return render(
      c,
      definition.name ?? definition.key,
      <StartForm c={c} definition={definition} camundaForm={camundaForm} />,
      { islands: camundaForm ? ['form'] : [] },
    );
  });

  app.post('/:key', async (c) => {
    const denied = forRoles(c, ['applicant'], 'services');
    if (denied) return denied;
    const lang = c.get('lang');
    const { answer, camundaForm } = await load(c);
    if (!answer.ok) return refused(c, t(lang, 'services'), answer);
    const definition = answer.body;
    const form = await c.req.parseBody({ all: true });
    // A Camunda form posts its data as JSON (the form island); plain fields post one by one.
    const { data, raw } = camundaForm
      ? { data: camundaFormData(form.data), raw: {} }
      : dataFromForm(startForm(definition.model), form);
    const submitted = await ConsoleApi.of(c, fetchApi).send<{ id: string }>('POST', '/applications', {
      processKey: definition.key,
      data,
    });
    if (submitted.ok) return c.redirect(`/console/applications/${submitted.body.id}`, 303);
    return render(
      c,
      definition.name ?? definition.key,
      <StartForm
        c={c}
        definition={definition}
        camundaForm={camundaForm}
        values={raw}
        errors={submitted.problem?.errors ?? []}
        problem={{
          title: `${t(lang, 'formErrors')} (${submitted.status} ${submitted.problem?.title ?? ''})`,
          detail: submitted.problem?.detail,
        }}
      />,
      { status: submitted.status as ContentfulStatusCode, islands: camundaForm ? ['form'] : [] },
    );
  });

  return app;
}
