// /console/definitions: the deployed models, their versions and how many applications each version
// runs per state; upload a BPMN or DMN file, deployed through POST /definitions, with the
// diagnostics listed and the offending elements marked on the uploaded diagram.
import { Hono } from 'hono';
import type { Child } from 'hono/jsx';
import type { DefinitionSummary } from '../../api/definition-store.ts';
import type { Diagnostic } from '../../definitions/model.ts';
import { type ApiFetch, ConsoleApi } from '../api.ts';
import { formatTime, type Lang, t, tOf } from '../i18n.ts';
import { Csrf, IslandData, ProblemNotice } from '../layout.tsx';
import { type ConsoleContext, forRoles, refused, render } from '../render.tsx';
import type { ConsoleEnv } from '../session.ts';

type Summary = DefinitionSummary & { kind: 'process' | 'decisions' };
interface Statistics {
  versions: ({ version: number } & Record<string, number>)[];
}

const STATUSES = ['running', 'incident', 'completed', 'rejected'];

function UploadForm({ lang, csrf }: { lang: Lang; csrf: string }) {
  return (
    <form method="post" action="/console/definitions" enctype="multipart/form-data" class="stack upload">
      <Csrf value={csrf} />
      <label for="model-file">{t(lang, 'uploadHelp')}</label>
      <input
        id="model-file"
        type="file"
        name="model"
        accept=".bpmn,.dmn,.xml,application/xml,text/xml"
        required
      />
      <button type="submit">{t(lang, 'deploy')}</button>
    </form>
  );
}

function Diagnostics({ lang, diagnostics }: { lang: Lang; diagnostics: Diagnostic[] }) {
  return (
    <div class="scroll">
      <table class="diagnostics">
        <caption>{t(lang, 'diagnostics')}</caption>
        <thead>
          <tr>
            <th scope="col">{t(lang, 'severity')}</th>
            <th scope="col">{t(lang, 'element')}</th>
            <th scope="col">{t(lang, 'line')}</th>
            <th scope="col">{t(lang, 'message')}</th>
          </tr>
        </thead>
        <tbody>
          {diagnostics.map((d) => (
            <tr class={`diagnostic-${d.severity}`} data-element={d.elementId ?? ''}>
              <td>{d.severity}</td>
              <td>{d.elementId ? `${d.elementId}${d.elementName ? ` (${d.elementName})` : ''}` : ''}</td>
              <td>{d.line ?? ''}</td>
              <td>{d.message}</td>
            </tr>
          ))}
        </tbody>
      </table>
    </div>
  );
}

export function definitionPages(fetchApi: ApiFetch) {
  const app = new Hono<ConsoleEnv>();
  const ROLES = ['designer', 'auditor'] as const;

  const listPage = async (
    c: ConsoleContext,
    outcome?: Child,
    status: 200 | 201 | 422 | 400 | 403 | 413 = 200,
    islands: 'diagram'[] = [],
  ) => {
    const lang = c.get('lang');
    const api = ConsoleApi.of(c, fetchApi);
    const answer = await api.get<Summary[]>('/definitions');
    if (!answer.ok) return refused(c, t(lang, 'definitions'), answer);
    const rows = await Promise.all(
      answer.body.map(async (d) => {
        const stats =
          d.kind === 'process'
            ? await api.get<Statistics>(`/definitions/${encodeURIComponent(d.key)}/statistics`)
            : undefined;
        return { d, stats: stats?.ok ? stats.body : undefined };
      }),
    );
    return render(
      c,
      t(lang, 'definitions'),
      <>
        {outcome}
        {c.get('user')?.role === 'designer' ? (
          <section aria-labelledby="upload-title">
            <h2 id="upload-title">{t(lang, 'upload')}</h2>
            <UploadForm lang={lang} csrf={c.get('csrf')} />
          </section>
        ) : null}
        <section aria-labelledby="deployed-title">
          <h2 id="deployed-title">{t(lang, 'deployed')}</h2>
          <div class="scroll">
            <table>
              <thead>
                <tr>
                  <th scope="col">{t(lang, 'process')}</th>
                  <th scope="col">{t(lang, 'kind')}</th>
                  <th scope="col">{t(lang, 'version')}</th>
                  <th scope="col">{t(lang, 'deployer')}</th>
                  <th scope="col">{t(lang, 'deployedAt')}</th>
                  <th scope="col">{t(lang, 'applicationsPerVersion')}</th>
                </tr>
              </thead>
              <tbody>
                {rows.map(({ d, stats }) => (
                  <tr data-definition={d.key}>
                    <td>
                      {d.kind === 'process' ? (
                        <a href={`/console/operate?process=${encodeURIComponent(d.key)}`}>
                          {d.name ?? d.key}
                        </a>
                      ) : (
                        (d.name ?? d.key)
                      )}
                    </td>
                    <td>{d.kind}</td>
                    <td>{d.version}</td>
                    <td>{d.deployer}</td>
                    <td>{formatTime(lang, d.deployedAt)}</td>
                    <td>
                      {stats?.versions.map((v) => (
                        <div>
                          v{v.version}:{' '}
                          {STATUSES.filter((s) => v[s])
                            .map((s) => `${tOf(lang, 'status', s)} ${v[s]}`)
                            .join(' · ') || '0'}
                        </div>
                      ))}
                    </td>
                  </tr>
                ))}
              </tbody>
            </table>
          </div>
        </section>
      </>,
      { status, islands },
    );
  };

  app.get('/', (c) => forRoles(c, [...ROLES], 'definitions') ?? listPage(c));

  app.post('/', async (c) => {
    const denied = forRoles(c, ['designer'], 'definitions');
    if (denied) return denied;
    const lang = c.get('lang');
    const form = await c.req.parseBody();
    const file = form.model;
    const xml =
      file instanceof File
        ? new Uint8Array(await file.arrayBuffer())
        : new TextEncoder().encode(String(file ?? ''));
    const answer = await ConsoleApi.of(c, fetchApi).send<Summary>(
      'POST',
      '/definitions',
      xml,
      'application/xml',
    );
    if (answer.ok) {
      const d = answer.body;
      return listPage(
        c,
        <p class="notice ok" role="status">
          {t(lang, 'deployed')}: {d.name ?? d.key} · {t(lang, 'version')} {d.version}
        </p>,
        answer.status === 201 ? 201 : 200,
      );
    }
    const diagnostics = (answer.problem?.diagnostics as Diagnostic[] | undefined) ?? [];
    const errors = diagnostics
      .filter((d) => d.severity === 'error' && d.elementId)
      .map((d) => ({ elementId: d.elementId!, message: d.message }));
    const text = new TextDecoder().decode(xml);
    const outcome = (
      <section aria-labelledby="outcome-title" class="outcome">
        <h2 id="outcome-title">{t(lang, 'deployFailed')}</h2>
        <ProblemNotice
          title={`${answer.status} ${answer.problem?.title ?? ''}`}
          detail={answer.problem?.detail}
        />
        {diagnostics.length > 0 ? <Diagnostics lang={lang} diagnostics={diagnostics} /> : null}
        {text.includes('bpmn') ? (
          <>
            <section class="gf-diagram" data-source="gf-upload-diagram" aria-label={t(lang, 'diagram')} />
            <IslandData id="gf-upload-diagram" value={{ xml: text, errors }} />
          </>
        ) : null}
      </section>
    );
    return listPage(
      c,
      outcome,
      answer.status === 413 ? 413 : answer.status === 403 ? 403 : answer.status === 400 ? 400 : 422,
      ['diagram'],
    );
  });

  return app;
}
