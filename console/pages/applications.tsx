// /console/applications: an applicant's list, and one application's page: status in plain words,
// the diagram with the path taken, requests to answer, the trail, the receipt; kept live from
// the application's event stream (GET /applications/:id/events through the session).
import { Hono } from 'hono';
import type { ContentfulStatusCode } from 'hono/utils/http-status';
import type { ApplicationSummary } from '../../api/routes/application-lists.ts';
import type { ProcessModel } from '../../definitions/model.ts';
import { type ApiFetch, ConsoleApi } from '../api.ts';
import { dataFromForm } from '../form-fields.tsx';
import { t } from '../i18n.ts';
import { IslandData, ProblemNotice } from '../layout.tsx';
import { applicationMarks, HAND_OVERS } from '../marks.ts';
import { type ConsoleContext, forRoles, refused, render } from '../render.tsx';
import type { ConsoleEnv } from '../session.ts';
import { ApplicationTable } from './application-lists.tsx';
import {
  type ApplicationView,
  type LiveProps,
  LiveSection,
  requestsFor,
  type TrailRecord,
} from './application-view.tsx';

const VIEWERS = ['applicant', 'clerk', 'auditor'] as const;

/** Everything the page shows, read through the API as the signed-in user. */
async function loadApplication(c: ConsoleContext, fetchApi: ApiFetch, id: string) {
  const api = ConsoleApi.of(c, fetchApi);
  const answer = await api.get<ApplicationView>(`/applications/${encodeURIComponent(id)}`);
  if (!answer.ok) return { answer };
  const application = answer.body;
  const [trail, definition] = await Promise.all([
    api.get<{ records: TrailRecord[] }>(`/applications/${encodeURIComponent(id)}/trail`),
    application.processKey
      ? api.get<{ model: ProcessModel; name?: string }>(
          `/definitions/${encodeURIComponent(application.processKey)}?version=${application.version ?? ''}`,
        )
      : undefined,
  ]);
  const records = trail.ok ? trail.body.records : [];
  const model = definition?.ok ? definition.body.model : undefined;
  const marks = applicationMarks(model, {
    recorded: records.filter((r) => !HAND_OVERS.has(r.decision)).map((r) => r.elementId),
    active: [
      ...application.openTasks.map((t) => t.elementId),
      ...(application.awaiting ?? []).map((w) => w.elementId),
    ],
    incidents: application.incidents.map((i) => i.elementId),
  });
  return {
    answer,
    application,
    model,
    records,
    marks,
    name: definition?.ok ? definition.body.name : undefined,
  };
}

export function applicationPages(fetchApi: ApiFetch) {
  const app = new Hono<ConsoleEnv>();

  app.get('/', async (c) => {
    const denied = forRoles(c, [...VIEWERS], 'myApplications');
    if (denied) return denied;
    const lang = c.get('lang');
    const answer = await ConsoleApi.of(c, fetchApi).get<{ applications: ApplicationSummary[] }>(
      '/applications',
    );
    if (!answer.ok) return refused(c, t(lang, 'myApplications'), answer);
    const { applications } = answer.body;
    return render(c, t(lang, 'myApplications'), <ApplicationTable lang={lang} applications={applications} />);
  });

  app.get('/:id', async (c) => {
    const denied = forRoles(c, [...VIEWERS], 'application');
    if (denied) return denied;
    const lang = c.get('lang');
    const id = c.req.param('id');
    const loaded = await loadApplication(c, fetchApi, id);
    if (!loaded.application) return refused(c, t(lang, 'application'), loaded.answer);
    const { application, model, records, marks } = loaded;
    const xml = application.processKey
      ? await ConsoleApi.of(c, fetchApi).text(
          `/definitions/${encodeURIComponent(application.processKey)}/xml?version=${application.version ?? ''}`,
        )
      : undefined;
    const live: LiveProps = {
      lang,
      csrf: c.get('csrf'),
      user: c.get('user')!,
      application,
      model,
      trail: records,
      marks,
    };
    return render(
      c,
      `${loaded.name ?? application.processKey ?? ''} · ${application.id}`,
      <>
        <p>
          <a
            class="button"
            href={`/console/applications/${application.id}/receipt`}
            download={`receipt-${application.id}.json`}
          >
            {t(lang, 'downloadReceipt')}
          </a>
        </p>
        <div
          id="gf-live"
          data-live-src={`/console/applications/${application.id}/live`}
          data-live-events={`/console/applications/${application.id}/events`}
          aria-live="polite"
        >
          <LiveSection {...live} />
        </div>
        <section aria-labelledby="diagram-title">
          <h2 id="diagram-title">{t(lang, 'diagram')}</h2>
          <p class="legend">
            {t(lang, 'legend')}: <span class="key gf-completed">{t(lang, 'legend_completed')}</span>{' '}
            <span class="key gf-active">{t(lang, 'legend_active')}</span>{' '}
            <span class="key gf-incident">{t(lang, 'legend_incident')}</span>
          </p>
          {xml?.ok ? (
            <>
              <section
                class="gf-diagram"
                data-source="gf-diagram-data"
                data-live-marks="gf-live-marks"
                aria-label={t(lang, 'diagram')}
              />
              <IslandData id="gf-diagram-data" value={{ xml: xml.body, ...marks }} />
            </>
          ) : null}
        </section>
        <p class="hint">{t(lang, 'live')}</p>
      </>,
      { islands: ['diagram', 'live'] },
    );
  });

  app.get('/:id/live', async (c) => {
    const denied = forRoles(c, [...VIEWERS], 'application');
    if (denied) return denied;
    const loaded = await loadApplication(c, fetchApi, c.req.param('id'));
    if (!loaded.application)
      return c.text(loaded.answer.problem?.detail ?? '', loaded.answer.status as ContentfulStatusCode);
    const { application, model, records, marks } = loaded;
    return c.html(
      <LiveSection
        lang={c.get('lang')}
        csrf={c.get('csrf')}
        user={c.get('user')!}
        application={application}
        model={model}
        trail={records}
        marks={marks}
      />,
    );
  });

  // The API's stream, through the session: the island cannot hold the token.
  app.get('/:id/events', async (c) => {
    if (!c.get('user')) return c.text('sign in first', 401);
    const path = `/applications/${encodeURIComponent(c.req.param('id'))}/events?from=now`;
    return ConsoleApi.of(c, fetchApi).stream(path, c.req.raw.signal);
  });

  app.get('/:id/receipt', async (c) => {
    const denied = forRoles(c, [...VIEWERS], 'application');
    if (denied) return denied;
    const id = c.req.param('id');
    const answer = await ConsoleApi.of(c, fetchApi).raw(`/applications/${encodeURIComponent(id)}/receipt`);
    if (!answer.ok)
      return refused(c, t(c.get('lang'), 'downloadReceipt'), {
        status: answer.status,
        ok: false,
        body: undefined,
        problem: await answer.json().catch(() => undefined),
      });
    return new Response(answer.body, {
      status: 200,
      headers: {
        'content-type': 'application/json',
        'content-disposition': `attachment; filename="receipt-${id.replace(/[^A-Za-z0-9._-]/g, '_')}.json"`,
      },
    });
  });

  // An applicant (or clerk) answers a request: the message the application waits for.
  app.post('/:id/answer', async (c) => {
    const denied = forRoles(c, [...VIEWERS], 'application');
    if (denied) return denied;
    const lang = c.get('lang');
    const id = c.req.param('id');
    const loaded = await loadApplication(c, fetchApi, id);
    if (!loaded.application) return refused(c, t(lang, 'application'), loaded.answer);
    const form = await c.req.parseBody({ all: true });
    const request = requestsFor(c.get('user')!, loaded.application, loaded.model).find(
      (r) => r.wait.subscriptionId === form._subscription,
    );
    if (!request)
      return render(c, t(lang, 'requests'), <ProblemNotice title="409" detail={t(lang, 'taskGone')} />, {
        status: 409,
      });
    const { data } = dataFromForm(request.fields, form);
    const element = loaded.model?.elements[request.wait.elementId];
    const name =
      element && 'trigger' in element && element.trigger.type === 'message'
        ? element.trigger.messageName
        : '';
    const sent = await ConsoleApi.of(c, fetchApi).send('POST', '/messages', {
      name,
      correlationKey: request.wait.correlationKey,
      variables: data,
      timeToLive: 0,
    });
    if (!sent.ok) return refused(c, t(lang, 'requests'), sent);
    return c.redirect(`/console/applications/${id}`, 303);
  });

  app.post('/:id/incidents/:incident/retry', async (c) => {
    const denied = forRoles(c, ['clerk', 'auditor'], 'incidents');
    if (denied) return denied;
    const { id, incident } = c.req.param();
    const answer = await ConsoleApi.of(c, fetchApi).send(
      'POST',
      `/applications/${encodeURIComponent(id)}/incidents/${encodeURIComponent(incident)}/retry`,
      {},
    );
    if (!answer.ok) return refused(c, t(c.get('lang'), 'incidents'), answer);
    return c.redirect(`/console/applications/${id}`, 303);
  });

  return app;
}
