// The web console, mounted at /console by the API process. Pages are rendered on the server and
// read everything through the API (in process, as the signed-in user); islands in the browser
// draw diagrams, run Camunda forms, verify receipts and keep pages live.
import { Hono } from 'hono';
import { bodyLimit } from 'hono/body-limit';
import type { ApiFetch } from './api.ts';
import { assetRoutes } from './assets.ts';
import { chooseLanguage } from './i18n.ts';
import { applicationPages } from './pages/applications.tsx';
import { definitionPages } from './pages/definitions.tsx';
import { homePage } from './pages/home.tsx';
import { loginPages } from './pages/login.tsx';
import { operatePages } from './pages/operate.tsx';
import { servicePages } from './pages/services.tsx';
import { taskPages } from './pages/task.tsx';
import { taskListPages } from './pages/tasks.tsx';
import { verifyPage } from './pages/verify.tsx';
import { type ConsoleEnv, requireCsrf, session } from './session.ts';

/** Scripts and styles only from the console's own assets; no framing; forms post only here. */
const CONTENT_SECURITY_POLICY = [
  "default-src 'self'",
  "script-src 'self'",
  // bpmn-js and form-js set style attributes on the elements they draw.
  "style-src 'self' 'unsafe-inline'",
  "img-src 'self' data:",
  "font-src 'self' data:",
  "connect-src 'self'",
  "frame-ancestors 'none'",
  "form-action 'self'",
  "base-uri 'none'",
  "object-src 'none'",
].join('; ');

/** A model upload is the biggest form; the API itself refuses models over 5 MiB. */
const MAX_FORM_BYTES = 6 * 1024 * 1024;

/** The console at /console/ (trailing slash or not: pages are addresses people type). */
export function consoleApp(jwtSecret: string, fetchApi: ApiFetch) {
  return new Hono({ strict: false }).route('/console', consoleRoutes(jwtSecret, fetchApi));
}

function consoleRoutes(jwtSecret: string, fetchApi: ApiFetch) {
  const app = new Hono<ConsoleEnv>({ strict: false });
  app.route('/assets', assetRoutes());
  app.use('*', async (c, next) => {
    c.set('lang', chooseLanguage(c));
    await next();
    c.header('content-security-policy', CONTENT_SECURITY_POLICY);
    c.header('x-content-type-options', 'nosniff');
    c.header('referrer-policy', 'same-origin');
    c.header('vary', 'Accept-Language, Cookie');
  });
  app.use(
    '*',
    bodyLimit({ maxSize: MAX_FORM_BYTES, onError: (c) => c.text('413: the form is too large', 413) }),
  );
  app.use('*', session(jwtSecret));
  app.use('*', requireCsrf());
  app.route('/', loginPages(jwtSecret));
  app.route('/', homePage());
  app.route('/services', servicePages(fetchApi));
  app.route('/applications', applicationPages(fetchApi));
  app.route('/tasks', taskListPages(fetchApi));
  app.route('/tasks', taskPages(fetchApi));
  app.route('/definitions', definitionPages(fetchApi));
  app.route('/operate', operatePages(fetchApi));
  app.route('/verify', verifyPage(fetchApi));
  return app;
}
