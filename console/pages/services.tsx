// Applicants: /console/services lists the deployed processes; /console/services/:key is the start
// form, submitted to POST /applications with the API's errors shown beside their fields.
import { Hono } from 'hono';
import type { DefinitionSummary } from '../../api/definition-store.ts';
import type { FormField, ProcessModel } from '../../definitions/model.ts';
import { type ApiFetch, ConsoleApi } from '../api.ts';
import { dataFromForm, type FieldError, FormFields } from '../form-fields.tsx';
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
      <form method="post" class="stack" novalidate>
        <Csrf value={props.c.get('csrf')} />
        <FormFields
          fields={startForm(definition.model)}
          lang={lang}
          values={props.values}
          errors={props.errors}
        />
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
    const key = c.req.param('key') ?? '';
    return ConsoleApi.of(c, fetchApi).get<Definition>(`/definitions/${encodeURIComponent(key)}`);
  };

  app.get('/:key', async (c) => {
    const denied = forRoles(c, ['applicant'], 'services');
    if (denied) return denied;
    const answer = await load(c);
    if (!answer.ok) return refused(c, t(c.get('lang'), 'services'), answer);
    const definition = answer.body;
    return render(c, definition.name ?? definition.key, <StartForm c={c} definition={definition} />);
  });

  app.post('/:key', async (c) => {
    const denied = forRoles(c, ['applicant'], 'services');
    if (denied) return denied;
    const lang = c.get('lang');
    const answer = await load(c);
    if (!answer.ok) return refused(c, t(lang, 'services'), answer);
    const definition = answer.body;
    const { data, raw } = dataFromForm(startForm(definition.model), await c.req.parseBody({ all: true }));
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
        values={raw}
        errors={submitted.problem?.errors ?? []}
        problem={{
          title: `${t(lang, 'formErrors')} (${submitted.status} ${submitted.problem?.title ?? ''})`,
          detail: submitted.problem?.detail,
        }}
      />,
      { status: 422 },
    );
  });

  return app;
}
