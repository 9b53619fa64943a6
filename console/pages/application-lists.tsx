// Lists shown on more than one page: applications (an applicant's own, operations' filtered list)
// and open incidents with their retry button.
import type { ApplicationSummary } from '../../api/routes/application-lists.ts';
import { formatTime, type Lang, t, tOf } from '../i18n.ts';
import { Csrf } from '../layout.tsx';

export function ApplicationTable({ lang, applications }: { lang: Lang; applications: ApplicationSummary[] }) {
  if (applications.length === 0) return <p>{t(lang, 'noApplications')}</p>;
  return (
    <div class="scroll">
      <table>
        <thead>
          <tr>
            <th scope="col">{t(lang, 'application')}</th>
            <th scope="col">{t(lang, 'process')}</th>
            <th scope="col">{t(lang, 'version')}</th>
            <th scope="col">{t(lang, 'status')}</th>
            <th scope="col">{t(lang, 'started')}</th>
          </tr>
        </thead>
        <tbody>
          {applications.map((a) => (
            <tr>
              <td>
                <a href={`/console/applications/${a.id}`}>{a.id}</a>
              </td>
              <td>{a.processKey}</td>
              <td>{a.version}</td>
              <td>
                <span class={`badge status-${a.status}`}>{tOf(lang, 'status', a.status)}</span>
              </td>
              <td>{formatTime(lang, a.startedAt)}</td>
            </tr>
          ))}
        </tbody>
      </table>
    </div>
  );
}

export interface ListedIncident {
  id: string;
  applicationId: string;
  /** What names the place: the element's name, or the application and element. */
  where: string;
  message: string;
}

/** Incidents with their message; a retry button for the roles the API lets retry. */
export function IncidentList(props: {
  lang: Lang;
  csrf: string;
  incidents: ListedIncident[];
  mayRetry: boolean;
}) {
  const { lang, incidents } = props;
  if (incidents.length === 0) return null;
  return (
    <section aria-labelledby="incidents-title">
      <h2 id="incidents-title">{t(lang, 'incidents')}</h2>
      <ul>
        {incidents.map((incident) => (
          <li class="incident">
            <strong>{incident.where}</strong>: {incident.message}
            {props.mayRetry ? (
              <form
                method="post"
                action={`/console/applications/${incident.applicationId}/incidents/${incident.id}/retry`}
                class="inline"
              >
                <Csrf value={props.csrf} /> <button type="submit">{t(lang, 'retry')}</button>
              </form>
            ) : null}
          </li>
        ))}
      </ul>
    </section>
  );
}
