// /console/verify: anyone drops a receipt and sees every check of the standalone verifier, run in
// the browser against the ledger keys pinned into the page when it loaded (so it needs no server
// afterwards, and the server cannot answer differently for one receipt).
import { Hono } from 'hono';
import { type ApiFetch, ConsoleApi } from '../api.ts';
import { type Lang, t } from '../i18n.ts';
import { IslandData, ProblemNotice } from '../layout.tsx';
import { render } from '../render.tsx';
import type { ConsoleEnv } from '../session.ts';

interface PublishedKeys {
  ledger?: { fingerprint?: string };
  organisations?: { mspId?: string; fingerprint?: string }[];
}

/**
 * The fingerprints the page pinned, to compare with those published elsewhere (a notice, another
 * department's site): a server that lied about its keys would show other ones here.
 */
function PinnedFingerprints({ lang, keys }: { lang: Lang; keys: PublishedKeys }) {
  const rows = [
    ...(keys.ledger?.fingerprint ? [['ledger', keys.ledger.fingerprint]] : []),
    ...(keys.organisations ?? [])
      .filter((o) => o.mspId && o.fingerprint)
      .map((o) => [o.mspId!, o.fingerprint!]),
  ];
  if (rows.length === 0) return null;
  return (
    <details class="pinned">
      <summary>{t(lang, 'pinnedKeys')}</summary>
      <dl class="data">
        {rows.map(([who, fingerprint]) => (
          <>
            <dt>{who}</dt>
            <dd>
              <code>{fingerprint}</code>
            </dd>
          </>
        ))}
      </dl>
    </details>
  );
}

export function verifyPage(fetchApi: ApiFetch) {
  const app = new Hono<ConsoleEnv>();
  app.get('/', async (c) => {
    const lang = c.get('lang');
    const keys = await new ConsoleApi(fetchApi, undefined).get<PublishedKeys>(
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
        {keys.ok ? <PinnedFingerprints lang={lang} keys={keys.body} /> : null}
        <p id="gf-summary" role="status" aria-live="polite" />
        <ol id="gf-checks" />
      </>,
      { islands: ['verify'] },
    );
  });
  return app;
}
