// /console/operate: applications by process, version and status (GET /applications), and for a
// chosen process its diagram with per-element counts (GET /definitions/:key/statistics) and the
// open incidents with their message and a retry.
import { Hono } from 'hono';
import type { DefinitionSummary } from '../../api/definition-store.ts';
import type { ApplicationSummary } from '../../api/routes/application-lists.ts';
import { type ApiFetch, ConsoleApi } from '../api.ts';
import { t, tOf } from '../i18n.ts';
import { IslandData, ProblemNotice } from '../layout.tsx';
import { forRoles, refused, render } from '../render.tsx';
import type { ConsoleEnv } from '../session.ts';
import { ApplicationTable, IncidentList } from './application-lists.tsx';

const STATUSES = ['running', 'incident', 'completed', 'rejected'] as const;
type Counts = Record<string, { active: number; completed: number; incidents: number }>;

export function operatePages(fetchApi: ApiFetch) {
  const app = new Hono<ConsoleEnv>();
  app.get('/', async (c) => {
    const denied = forRoles(c, ['clerk', 'auditor', 'designer'], 'operate');
    if (denied) return denied;
    const lang = c.get('lang');
    const api = ConsoleApi.of(c, fetchApi);
    const definitions = await api.get<(DefinitionSummary & { kind: string })[]>('/definitions');
    if (!definitions.ok) return refused(c, t(lang, 'operate'), definitions);
    const processes = definitions.body.filter((d) => d.kind === 'process');
    const processKey = processes.some((p) => p.key === c.req.query('process'))
      ? c.req.query('process')
      : undefined;
    const status = (STATUSES as readonly string[]).includes(c.req.query('status') ?? '')
      ? c.req.query('status')
      : undefined;
    const version = /^\d+$/.test(c.req.query('version') ?? '') ? Number(c.req.query('version')) : undefined;
    const params = new URLSearchParams({
      ...(processKey ? { processKey } : {}),
      ...(status ? { status } : {}),
      ...(version ? { version: String(version) } : {}),
    });
    const [list, stats, xml] = await Promise.all([
      api.get<{ applications: ApplicationSummary[]; truncated: boolean }>(`/applications?${params}`),
      processKey
        ? api.get<{ elements: Counts; sampled: boolean }>(
            `/definitions/${encodeURIComponent(processKey)}/statistics${version ? `?version=${version}` : ''}`,
          )
        : undefined,
      processKey
        ? api.text(
            `/definitions/${encodeURIComponent(processKey)}/xml${version ? `?version=${version}` : ''}`,
          )
        : undefined,
    ]);
    if (!list.ok) return refused(c, t(lang, 'operate'), list);
    const applications = list.body.applications;
    const incidents = applications.flatMap((a) => a.incidents.map((i) => ({ ...i, applicationId: a.id })));
    const mayRetry = c.get('user')?.role !== 'designer';
    return render(
      c,
      t(lang, 'operate'),
      <>
        <form method="get" action="/console/operate" class="filters">
          <label for="op-process">{t(lang, 'process')}</label>
          <select id="op-process" name="process">
            <option value="">{t(lang, 'allProcesses')}</option>
            {processes.map((p) => (
              <option value={p.key} selected={p.key === processKey}>
                {p.name ?? p.key}
              </option>
            ))}
          </select>
          <label for="op-version">{t(lang, 'version')}</label>
          <input
            id="op-version"
            name="version"
            type="number"
            min={1}
            value={version ? String(version) : ''}
          />
          <label for="op-status">{t(lang, 'status')}</label>
          <select id="op-status" name="status">
            <option value="">{t(lang, 'all')}</option>
            {STATUSES.map((s) => (
              <option value={s} selected={s === status}>
                {tOf(lang, 'status', s)}
              </option>
            ))}
          </select>
          <button type="submit">{t(lang, 'filter')}</button>
        </form>
        {processKey && xml?.ok && stats?.ok ? (
          <section aria-labelledby="op-diagram">
            <h2 id="op-diagram">{t(lang, 'diagram')}</h2>
            <p class="legend">
              {t(lang, 'legend')}: <span class="key gf-active">{t(lang, 'active')}</span>{' '}
              <span class="key gf-completed">{t(lang, 'completed')}</span>{' '}
              <span class="key gf-incident">{t(lang, 'incidents')}</span>
              {stats.body.sampled ? ` ${t(lang, 'sampled')}` : ''}
            </p>
            <section class="gf-diagram" data-source="gf-operate-diagram" aria-label={t(lang, 'diagram')} />
            <IslandData
              id="gf-operate-diagram"
              value={{
                xml: xml.body,
                counts: stats.body.elements,
                incidents: Object.keys(stats.body.elements).filter(
                  (id) => stats.body.elements[id].incidents > 0,
                ),
              }}
            />
          </section>
        ) : null}
        <IncidentList
          lang={lang}
          csrf={c.get('csrf')}
          mayRetry={mayRetry}
          incidents={incidents.map((i) => ({ ...i, where: `${i.applicationId} · ${i.elementId}` }))}
        />
        <section aria-labelledby="op-list">
          <h2 id="op-list">{t(lang, 'applications')}</h2>
          {list.body.truncated ? <ProblemNotice title={t(lang, 'sampled')} /> : null}
          <ApplicationTable lang={lang} applications={applications} />
        </section>
      </>,
      { islands: processKey ? ['diagram'] : [] },
    );
  });
  return app;
}
