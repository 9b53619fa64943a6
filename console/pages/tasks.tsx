// /console/tasks: a clerk's inbox as Camunda Tasklist has it (all open in my groups, assigned to
// me, unassigned, completed by me), sortable by created or due date, filtered by process and
// group, with an SLA badge when a task is due. Every list is one GET /tasks call per group.
import { Hono } from 'hono';
import type { Claims } from '../../api/auth.ts';
import type { OpenTask } from '../../workflows/state.ts';
import { type ApiAnswer, type ApiFetch, ConsoleApi } from '../api.ts';
import { formatTime, type Label, type Lang, t } from '../i18n.ts';
import { ProblemNotice } from '../layout.tsx';
import { type ConsoleContext, forRoles, render } from '../render.tsx';
import type { ConsoleEnv } from '../session.ts';

export const LISTS = ['open', 'mine', 'unassigned', 'completed'] as const;
type List = (typeof LISTS)[number];

export interface CompletedTask {
  taskId: string;
  applicationId: string;
  processKey?: string;
  elementId: string;
  name?: string;
  decision: string;
  completedAt: string;
}

type Row = (OpenTask & { kind: 'open' }) | (CompletedTask & { kind: 'completed' });

const DAY_MS = 86_400_000;

/** The SLA badge: overdue once the due date passed, due soon within a day. */
export function slaOf(dueDate: string | undefined, now = Date.now()): 'overdue' | 'dueSoon' | undefined {
  if (!dueDate) return undefined;
  const due = Date.parse(dueDate);
  if (Number.isNaN(due)) return undefined;
  return due < now ? 'overdue' : due - now < DAY_MS ? 'dueSoon' : undefined;
}

async function rowsOf(c: ConsoleContext, fetchApi: ApiFetch, list: List, user: Claims, group?: string) {
  const api = ConsoleApi.of(c, fetchApi);
  const groups = group ? [group] : user.groups;
  let answers: ApiAnswer<unknown>[];
  if (list === 'mine') answers = [await api.get<OpenTask[]>('/tasks?assignee=me')];
  else if (list === 'completed') answers = [await api.get<CompletedTask[]>('/tasks/completed')];
  else {
    const suffix = list === 'unassigned' ? '&unassigned=true' : '';
    answers = await Promise.all(
      groups.map((g) => api.get<OpenTask[]>(`/tasks?group=${encodeURIComponent(g)}${suffix}`)),
    );
  }
  const refusal = answers.find((a) => !a.ok);
  const seen = new Set<string>();
  const rows: Row[] = [];
  for (const answer of answers.filter((a) => a.ok)) {
    for (const item of answer.body as (OpenTask | CompletedTask)[]) {
      const id = 'taskId' in item ? item.taskId : item.id;
      if (seen.has(id)) continue;
      seen.add(id);
      rows.push(
        list === 'completed'
          ? { ...(item as CompletedTask), kind: 'completed' }
          : { ...(item as OpenTask), kind: 'open' },
      );
    }
  }
  if (group && list === 'mine')
    return { rows: rows.filter((r) => r.kind === 'open' && r.candidateGroups.includes(group)), refusal };
  return { rows, refusal };
}

function sortRows(rows: Row[], sort: string): Row[] {
  const key = (r: Row) =>
    r.kind === 'completed' ? r.completedAt : sort === 'due' ? (r.dueDate ?? '9999') : r.createdAt;
  const sorted = [...rows].sort((a, b) => key(a).localeCompare(key(b)));
  return sort === 'due' || sort === 'created' ? sorted : sorted.reverse();
}

function TaskTable({ lang, rows, list }: { lang: Lang; rows: Row[]; list: List }) {
  if (rows.length === 0) return <p>{t(lang, 'noTasks')}</p>;
  return (
    <div class="scroll">
      <table class="tasks">
        <thead>
          <tr>
            <th scope="col">{t(lang, 'task')}</th>
            <th scope="col">{t(lang, 'process')}</th>
            <th scope="col">{t(lang, 'application')}</th>
            {list === 'completed' ? (
              <>
                <th scope="col">{t(lang, 'decision')}</th>
                <th scope="col">{t(lang, 'completedAt')}</th>
              </>
            ) : (
              <>
                <th scope="col">{t(lang, 'assignee')}</th>
                <th scope="col">{t(lang, 'created')}</th>
                <th scope="col">{t(lang, 'due')}</th>
              </>
            )}
          </tr>
        </thead>
        <tbody>
          {rows.map((row) =>
            row.kind === 'completed' ? (
              <tr>
                <td>{row.name ?? row.elementId}</td>
                <td>{row.processKey}</td>
                <td>
                  <a href={`/console/applications/${row.applicationId}`}>{row.applicationId}</a>
                </td>
                <td>{row.decision}</td>
                <td>{formatTime(lang, row.completedAt)}</td>
              </tr>
            ) : (
              <tr data-task={row.id}>
                <td>
                  <a href={`/console/tasks/${row.id}`}>{row.name ?? row.elementId}</a>
                </td>
                <td>{row.processKey}</td>
                <td>{row.applicationId}</td>
                <td>{row.assignee ?? <span class="muted">{t(lang, 'nobody')}</span>}</td>
                <td>{formatTime(lang, row.createdAt)}</td>
                <td>
                  {formatTime(lang, row.dueDate)}{' '}
                  {slaOf(row.dueDate) ? (
                    <span class={`badge sla-${slaOf(row.dueDate)}`}>{t(lang, slaOf(row.dueDate)!)}</span>
                  ) : null}
                </td>
              </tr>
            ),
          )}
        </tbody>
      </table>
    </div>
  );
}

export function taskListPages(fetchApi: ApiFetch) {
  const app = new Hono<ConsoleEnv>();
  app.get('/', async (c) => {
    const denied = forRoles(c, ['clerk'], 'tasks');
    if (denied) return denied;
    const lang = c.get('lang');
    const user = c.get('user')!;
    const list = (LISTS as readonly string[]).includes(c.req.query('list') ?? '')
      ? (c.req.query('list') as List)
      : 'open';
    const group = user.groups.includes(c.req.query('group') ?? '') ? c.req.query('group') : undefined;
    const processKey = c.req.query('process') || undefined;
    const sort = ['created', 'due', 'newest'].includes(c.req.query('sort') ?? '')
      ? c.req.query('sort')!
      : 'created';
    const { rows, refusal } = await rowsOf(c, fetchApi, list, user, group);
    const processes = [...new Set(rows.map((r) => r.processKey).filter(Boolean))] as string[];
    const shown = sortRows(
      rows.filter((r) => !processKey || r.processKey === processKey),
      sort,
    );
    if (c.req.query('part') === 'live') return c.html(<TaskTable lang={lang} rows={shown} list={list} />);
    const query = (change: Record<string, string>) => {
      const params = new URLSearchParams({
        list,
        sort,
        ...(group ? { group } : {}),
        ...(processKey ? { process: processKey } : {}),
        ...change,
      });
      return `/console/tasks?${params}`;
    };
    const listLabel: Record<List, Label> = {
      open: 'list_open',
      mine: 'list_mine',
      unassigned: 'list_unassigned',
      completed: 'list_completed',
    };
    return render(
      c,
      t(lang, 'tasks'),
      <>
        <nav aria-label={t(lang, 'taskLists')} class="tabs">
          <ul>
            {LISTS.map((l) => (
              <li>
                <a href={query({ list: l })} aria-current={l === list ? 'page' : undefined}>
                  {t(lang, listLabel[l])}
                </a>
              </li>
            ))}
          </ul>
        </nav>
        <form method="get" action="/console/tasks" class="filters">
          <input type="hidden" name="list" value={list} />
          <label for="filter-group">{t(lang, 'group')}</label>
          <select id="filter-group" name="group">
            <option value="">{t(lang, 'allGroups')}</option>
            {user.groups.map((g) => (
              <option value={g} selected={g === group}>
                {g}
              </option>
            ))}
          </select>
          <label for="filter-process">{t(lang, 'process')}</label>
          <select id="filter-process" name="process">
            <option value="">{t(lang, 'allProcesses')}</option>
            {processes.map((p) => (
              <option value={p} selected={p === processKey}>
                {p}
              </option>
            ))}
          </select>
          <label for="sort">{t(lang, 'sortBy')}</label>
          <select id="sort" name="sort">
            <option value="created" selected={sort === 'created'}>
              {t(lang, 'created')}
            </option>
            <option value="due" selected={sort === 'due'}>
              {t(lang, 'due')}
            </option>
          </select>
          <button type="submit">{t(lang, 'filter')}</button>
        </form>
        {refusal ? (
          <ProblemNotice
            title={`${refusal.status} ${refusal.problem?.title ?? ''}`}
            detail={refusal.problem?.detail}
          />
        ) : null}
        <div id="gf-live" data-live-src={`${query({})}&part=live`} data-live-events="/console/tasks/events">
          <TaskTable lang={lang} rows={shown} list={list} />
        </div>
      </>,
      { islands: ['live'] },
    );
  });
  // Any step recorded anywhere may change an inbox: the ledger's stream, through the session.
  app.get('/events', async (c) => {
    if (!c.get('user')) return c.text('sign in first', 401);
    return ConsoleApi.of(c, fetchApi).stream('/events?from=now&name=StepRecorded', c.req.raw.signal);
  });
  return app;
}
