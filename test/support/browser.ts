// A real Chromium for the console's tests: Debian's chromium driven by playwright-core (no
// browser download), headless, with a fresh profile and no background traffic; plus the checks
// every page gets (axe, 375 px width) and screenshots under test/output/console/.
import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { AxeBuilder } from '@axe-core/playwright';
import { type BrowserContext, chromium, type Page } from 'playwright-core';
import { ensureChromium } from '../../scripts/chromium.ts';

export const SCREENSHOTS = fileURLToPath(new URL('../output/console/', import.meta.url));

const FLAGS = [
  '--no-sandbox',
  '--disable-gpu',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
  '--no-first-run',
  '--disable-dev-shm-usage',
];

export interface Browser {
  /** A browser profile of its own (cookies, storage): one per person in a test. */
  context(options?: { locale?: string; width?: number }): Promise<BrowserContext>;
  close(): Promise<void>;
}

export async function launchBrowser(): Promise<Browser> {
  const executablePath = ensureChromium();
  const browser = await chromium.launch({ executablePath, headless: true, args: FLAGS });
  // Playwright gives the browser a fresh temporary profile, and each context its own cookies.
  return {
    context: ({ locale = 'en-US', width = 1280 } = {}) =>
      browser.newContext({ locale, viewport: { width, height: 900 }, acceptDownloads: true }),
    close: () => browser.close(),
  };
}

export interface AxeViolation {
  id: string;
  impact?: string | null;
  help: string;
  targets: string[];
}

/** Serious and critical accessibility violations axe finds on the page, with their targets. */
export async function seriousViolations(page: Page): Promise<AxeViolation[]> {
  const result = await new AxeBuilder({ page }).analyze();
  return result.violations
    .filter((v) => v.impact === 'serious' || v.impact === 'critical')
    .map((v) => ({
      id: v.id,
      impact: v.impact,
      help: v.help,
      targets: v.nodes.map((n) => n.target.join(' ')),
    }));
}

/** The elements that stick out past `width` px (none: the page fits without sideways scroll). */
export async function overflowAt(page: Page, width = 375): Promise<string[]> {
  const size = page.viewportSize();
  await page.setViewportSize({ width, height: size?.height ?? 900 });
  const offenders = await page.evaluate(() => {
    const root = document.scrollingElement ?? document.documentElement;
    if (root.scrollWidth <= root.clientWidth) return [];
    const limit = root.clientWidth;
    return [...document.body.querySelectorAll('*')]
      .filter((el) => el.getBoundingClientRect().right > limit + 0.5 && !el.closest('.scroll, .gf-diagram'))
      .slice(0, 5)
      .map(
        (el) =>
          `${el.tagName.toLowerCase()}${el.id ? `#${el.id}` : ''}${el.className && typeof el.className === 'string' ? `.${el.className.split(' ').join('.')}` : ''} (right ${Math.round(el.getBoundingClientRect().right)})`,
      );
  });
  if (size) await page.setViewportSize(size);
  return offenders;
}

export async function screenshot(page: Page, name: string): Promise<string> {
  mkdirSync(SCREENSHOTS, { recursive: true });
  const path = join(SCREENSHOTS, `${name}.png`);
  await page.screenshot({ path, fullPage: true });
  return path;
}
