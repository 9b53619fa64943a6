// /console/: what the signed-in role can do, as links.
import { Hono } from 'hono';
import { type Label, t } from '../i18n.ts';
import { render } from '../render.tsx';
import type { ConsoleEnv } from '../session.ts';

const PLACES: Record<string, Label[]> = {
  applicant: ['services', 'myApplications', 'verify'],
  clerk: ['tasks', 'operate', 'verify'],
  designer: ['definitions', 'operate', 'verify'],
  auditor: ['operate', 'definitions', 'verify'],
  department: ['verify'],
  anonymous: ['signIn', 'verify'],
};

const HREF: Partial<Record<Label, string>> = {
  services: '/console/services',
  myApplications: '/console/applications',
  tasks: '/console/tasks',
  operate: '/console/operate',
  definitions: '/console/definitions',
  verify: '/console/verify',
  signIn: '/console/login',
};

export function homePage() {
  const app = new Hono<ConsoleEnv>();
  app.get('/', (c) => {
    const lang = c.get('lang');
    const role = c.get('user')?.role ?? 'anonymous';
    return render(
      c,
      t(lang, 'home'),
      <>
        <p>{t(lang, `homeIntro_${role}` as Label)}</p>
        <ul class="places">
          {PLACES[role].map((place) => (
            <li>
              <a href={HREF[place]}>{t(lang, place)}</a>
            </li>
          ))}
        </ul>
      </>,
    );
  });
  return app;
}
