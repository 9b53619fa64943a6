// /console/verify: anyone drops a receipt and sees every check of the standalone verifier, run in
// the browser against the ledger keys pinned into the page when it loaded (so it needs no server
// afterwards, and the server cannot answer differently for one receipt).
import { Hono } from 'hono';
import { type ApiFetch, ConsoleApi } from '../api.ts';
import { t } from '../i18n.ts';
import { IslandData, ProblemNotice } from '../layout.tsx';
import { render } from '../render.tsx';
import type { ConsoleEnv } from '../session.ts';

export function verifyPage(fetchApi: ApiFetch) {
  const app = new Hono<ConsoleEnv>();
  app.get('/', async (c) => {
    const lang = c.get('lang');
    const keys = await new ConsoleApi(fetchApi, undefined).get<Record<string, unknown>>(
      '/.well-known/govflow-ledger.json',
    );
    return render(
      c,
      t(lang, 'verify'),
      <>
        <p>{t(lang, 'verifyIntro')}</p>
        {keys.ok ? (
          <IslandData id="gf-trust" value={keys.body} />
        ) : (
          <ProblemNotice
            title={`${keys.status} ${keys.problem?.title ?? ''}`}
            detail={keys.problem?.detail}
          />
        )}
        <div id="gf-drop" class="drop">
          <label for="gf-receipt">{t(lang, 'receiptFile')}</label>
          <input type="file" id="gf-receipt" accept=".json,application/json" />
          <p class="hint">{t(lang, 'dropHere')}</p>
        </div>
        <p id="gf-summary" role="status" aria-live="polite" />
        <ol id="gf-checks" />
      </>,
      { islands: ['verify'] },
    );
  });
  return app;
}
