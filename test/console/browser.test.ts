// The console in a real Chromium, end to end: a designer deploys the model from the upload form
// (and sees a broken one's error marked on the diagram); an applicant submits a property
// registration from the start form and answers the request for documents; a clerk claims and
// approves it from the inbox; the tax bureau confirms the payment; the applicant watches it
// complete on the diagram without reloading, downloads the receipt, and the verify page shows it
// valid, a tampered copy invalid naming the check, and still works with the server stopped.
// Every page: no serious or critical axe violation, no sideways scroll at 375 px, a screenshot.
import { readFileSync, writeFileSync } from 'node:fs';
import type { AddressInfo } from 'node:net';
import { join } from 'node:path';
import type { ServerType } from '@hono/node-server';
import type { BrowserContext, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { serveApp } from '../../api/serve.ts';
import { HAND_OVERS } from '../../console/marks.ts';
import { seedDevFacts } from '../../scripts/dev-facts.ts';
import {
  type Browser,
  launchBrowser,
  overflowAt,
  SCREENSHOTS,
  screenshot,
  seriousViolations,
} from '../support/browser.ts';
import { devPerson, payDeedTax } from '../support/flows.ts';
import { shippedModel, startHarness, tokens, until, useHarness } from '../support/harness.ts';
import { deploy, outcome, start, waitUntil } from '../support/scenarios.ts';

// Two departments co-sign the ledger's checkpoints, so the receipt's witnesses check can pass.
const h = useHarness(() => startHarness({ witnesses: ['LandRegistryMSP', 'TaxBureauMSP'] }));
let server: ServerType;
let base: string;
let browser: Browser;
const people: Record<string, BrowserContext> = {};
let applicationId = '';
let receiptFile = '';

beforeAll(async () => {
  await seedDevFacts(h.ledger);
  server = await serveApp(h.app, '127.0.0.1', 0);
  base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  browser = await launchBrowser();
  const seller = devPerson('Li Na');
  const sign = async (name: string, token: string) => {
    people[name] = await browser.context();
    const page = await people[name].newPage();
    await page.goto(`${base}/console/login?token=${token}`);
    await page.close();
  };
  await sign('designer', await tokens.designer());
  await sign('applicant', await tokens.applicant('li.na', seller.idNumber));
  await sign('clerk', await tokens.clerk());
}, 600_000);

afterAll(async () => {
  await browser?.close();
  await new Promise((resolve) => server?.close(resolve));
});

/** Every page of the console passes the same checks, and leaves a screenshot. */
async function checkPage(page: Page, name: string) {
  expect(await seriousViolations(page), `axe on ${name}`).toEqual([]);
  expect(await overflowAt(page, 375), `sideways scroll at 375 px on ${name}`).toEqual([]);
  await screenshot(page, name);
}

async function open(person: string, path: string): Promise<Page> {
  const page = await people[person].newPage();
  await page.goto(`${base}${path}`);
  return page;
}

// A page waits for the engine, which a loaded machine makes slow: each case gets two minutes.
describe('the console in Chromium', { timeout: 120_000 }, () => {
  it("lets a designer deploy a model, and marks a broken model's error on its diagram", async () => {
    const page = await open('designer', '/console/definitions');
    await checkPage(page, 'definitions');
    const xml = shippedModel('property-registration.bpmn');
    const broken = xml.replace('=documentsComplete = true<', '=documentsComplete = true and (<');
    expect(broken).not.toBe(xml);
    const brokenFile = join(SCREENSHOTS, 'broken.bpmn');
    writeFileSync(brokenFile, broken);
    await page.setInputFiles('#model-file', brokenFile);
    await page.getByRole('button', { name: 'Deploy' }).click();
    await expect.poll(() => page.locator('.outcome').textContent()).toContain('nothing was deployed');
    await expect.poll(() => page.locator('table.diagnostics').textContent()).toContain('toReview');
    const diagram = page.locator('.gf-diagram');
    await diagram.locator('[data-element-id="toReview"]').waitFor({ state: 'attached' });
    await expect.poll(() => diagram.getAttribute('data-state')).toBe('ready');
    expect(await diagram.locator('[data-element-id="toReview"].gf-error').count()).toBe(1);
    await checkPage(page, 'definitions-diagnostics');

    const good = join(SCREENSHOTS, 'property-registration.bpmn');
    writeFileSync(good, xml);
    await page.setInputFiles('#model-file', good);
    await page.getByRole('button', { name: 'Deploy' }).click();
    await expect.poll(() => page.getByRole('status').textContent()).toContain('Version 1');
    await page.close();
  });

  it('lets an applicant submit from the start form, with errors beside the fields', async () => {
    const page = await open('applicant', '/console/services');
    await checkPage(page, 'services');
    await page.getByRole('link', { name: 'Property registration' }).click();
    await page.getByRole('button', { name: 'Submit' }).click();
    await expect.poll(() => page.locator('#f-parcel-error').textContent()).toContain('required');
    await checkPage(page, 'start-form-errors');
    await page.getByLabel('Parcel number').fill('P-2002');
    await page.getByLabel('Seller').fill('Li Na');
    await page.getByLabel('Buyer', { exact: false }).first().fill('Chen Jie');
    await page.getByLabel("Buyer's ID number").fill(devPerson('Chen Jie').idNumber);
    await page.getByLabel('Price').fill('880000');
    await page.getByRole('button', { name: 'Submit' }).click();
    await page.waitForURL(/\/console\/applications\/app-/);
    applicationId = page.url().split('/').at(-1)!;

    // No documents came with it: the land registry asks for them, on the applicant's page.
    const request = page.locator('form.request');
    await expect.poll(() => request.count(), { timeout: 60_000, interval: 500 }).toBe(1);
    await checkPage(page, 'application-request');
    await page.getByLabel('Documents supplied').fill('deed\nseller-id\nbuyer-id');
    await page.getByRole('button', { name: 'Answer' }).click();
    await page.waitForURL(new RegExp(`/console/applications/${applicationId}$`));
    await page.close();
  });

  it('lets a clerk claim the review from the inbox and approve it', async () => {
    const page = await open('clerk', '/console/tasks');
    const task = page.locator('table.tasks a', { hasText: 'Review title transfer' });
    // The live inbox shows the task when the application reaches the review, without a reload.
    await task.first().waitFor({ timeout: 60_000 });
    await checkPage(page, 'tasks');
    await task.first().click();
    await page.getByRole('button', { name: 'Claim' }).click();
    await expect.poll(() => page.locator('[data-assignee]').getAttribute('data-assignee')).toBe('lin.clerk');
    await checkPage(page, 'task');
    await page.getByLabel('Comment').fill('Mortgage released per bank letter.');
    await page.getByRole('button', { name: 'approve' }).click();
    await expect.poll(() => page.getByRole('status').textContent()).toContain('approve');
    await page.goto(`${base}/console/tasks?list=completed`);
    await expect.poll(() => page.locator('table.tasks').textContent()).toContain(applicationId);
    await checkPage(page, 'tasks-completed');
    await page.close();
  });

  it('shows the applicant the completed application on the diagram, live, and hands out the receipt', async () => {
    const page = await open('applicant', `/console/applications/${applicationId}`);
    const diagram = page.locator('.gf-diagram');
    await expect.poll(() => diagram.getAttribute('data-state')).toBe('ready');
    // The tax bureau's payment system confirms the payment while the page is open.
    const view = await (
      await h.request('GET', `/applications/${applicationId}`, { token: await tokens.auditor() })
    ).json();
    await expect
      .poll(
        async () =>
          (
            await (
              await h.request('GET', `/applications/${applicationId}`, { token: await tokens.auditor() })
            ).json()
          ).variables?.deedTax,
        { timeout: 60_000 },
      )
      .toBeGreaterThan(0);
    const { variables } = (await (
      await h.request('GET', `/applications/${applicationId}`, { token: await tokens.auditor() })
    ).json()) as { variables: { caseNo: string; deedTax: number } };
    expect(view.id).toBe(applicationId);
    await payDeedTax(h, variables.caseNo, variables.deedTax);
    await expect
      .poll(() => page.locator('#gf-live .badge').first().textContent(), { timeout: 60_000 })
      .toBe('Completed');
    expect(await page.evaluate(() => performance.getEntriesByType('navigation').length)).toBe(1);

    // Every step the trail records is marked completed on the diagram.
    const trail = (await (
      await h.request('GET', `/applications/${applicationId}/trail`, { token: await tokens.auditor() })
    ).json()) as { records: { elementId: string; decision: string }[] };
    const steps = [
      ...new Set(trail.records.filter((r) => !HAND_OVERS.has(r.decision)).map((r) => r.elementId)),
    ];
    expect(steps).toEqual(
      expect.arrayContaining(['submitted', 'review', 'transfer', 'issueCertificate', 'completed']),
    );
    await expect
      .poll(async () => {
        const marked = await diagram
          .locator('.gf-completed')
          .evaluateAll((els) => els.map((e) => e.getAttribute('data-element-id')));
        return steps.filter((s) => !marked.includes(s));
      })
      .toEqual([]);
    expect(await diagram.locator('.gf-active').count()).toBe(0);
    await checkPage(page, 'application-completed');

    // A receipt is issued once a witnessed checkpoint covers the last step.
    await until('the receipt', async () => {
      const res = await h.request('GET', `/applications/${applicationId}/receipt`, {
        token: await tokens.auditor(),
      });
      return res.status === 200 ? true : undefined;
    });
    const download = page.waitForEvent('download');
    await page.getByRole('link', { name: 'Download the receipt' }).click();
    receiptFile = join(SCREENSHOTS, `receipt-${applicationId}.json`);
    await (await download).saveAs(receiptFile);
    expect(JSON.parse(readFileSync(receiptFile, 'utf8')).applicationId).toBe(applicationId);
    await page.close();
  });

  it('passes axe and fits 375 px on every other page, in both languages', async () => {
    const pages: [string, string, string][] = [
      ['applicant', '/console/', 'home-applicant'],
      ['applicant', '/console/applications', 'applications'],
      ['clerk', '/console/', 'home-clerk'],
      ['clerk', `/console/operate?process=property-registration`, 'operate'],
      ['clerk', `/console/applications/${applicationId}`, 'application-clerk'],
      ['designer', '/console/', 'home-designer'],
    ];
    for (const [person, path, name] of pages) {
      const page = await open(person, path);
      expect(page.url()).toBe(`${base}${path}`);
      if (name === 'operate') {
        await expect.poll(() => page.locator('.gf-diagram').getAttribute('data-state')).toBe('ready');
        // Per-element counts: the completed application's review is among the completed ones.
        const review = page.locator('.djs-overlays[data-container-id="review"] .gf-badge-completed');
        expect(await review.textContent()).toMatch(/✔ [1-9]/);
      }
      await checkPage(page, name);
      await page.close();
    }
    const stranger = await browser.context({ locale: 'zh-CN' });
    for (const [path, name] of [
      ['/console/', 'home-zh'],
      ['/console/login', 'login-zh'],
      ['/console/verify', 'verify-zh'],
    ]) {
      const page = await stranger.newPage();
      await page.goto(`${base}${path}`);
      expect(await page.locator('html').getAttribute('lang')).toBe('zh-CN');
      await checkPage(page, name);
      await page.close();
    }
    await stranger.close();
  });

  it("renders a task's Camunda form with form-js, holding back an invalid form and posting a valid one", async () => {
    const xml = readFileSync(
      new URL('../fixtures/bpmn/camunda-form-invalid.valid.bpmn', import.meta.url),
      'utf8',
    );
    await deploy(h, xml);
    const id = await start(h, 'p');
    const waiting = await waitUntil(h, id, 'the review task', (a) => a.openTasks.length === 1);
    const reviewer = await browser.context();
    const signIn = await reviewer.newPage();
    await signIn.goto(`${base}/console/login?token=${await tokens.clerk(['clerks'], 'kim.clerk')}`);
    const page = await reviewer.newPage();
    await page.goto(`${base}/console/tasks/${waiting.openTasks[0].id}`);
    const form = page.locator('form[data-camunda-form]');
    await expect.poll(() => form.getAttribute('data-state')).toBe('ready');
    await checkPage(page, 'task-camunda-form');
    // Another clerk takes the task and gives it back: the open page shows it without a reload.
    const other = await tokens.clerk(['clerks'], 'ola.clerk');
    const taskId = waiting.openTasks[0].id;
    expect((await h.request('POST', `/tasks/${taskId}/claim`, { token: other })).status).toBe(200);
    const holder = page.locator('[data-assignee]');
    await expect.poll(() => holder.getAttribute('data-assignee'), { timeout: 15_000 }).toBe('ola.clerk');
    expect((await h.request('POST', `/tasks/${taskId}/unclaim`, { token: other })).status).toBe(200);
    await expect.poll(() => holder.getAttribute('data-assignee'), { timeout: 15_000 }).toBe('');
    const decision = form.locator('button[name="decision"]').first();
    await decision.click();
    await expect.poll(() => form.getAttribute('data-state')).toBe('invalid');
    expect(page.url()).toBe(`${base}/console/tasks/${waiting.openTasks[0].id}`);
    await page.getByLabel('Parcel').fill('P-7007');
    await page.getByLabel('Price').fill('12');
    await decision.click();
    await expect.poll(() => page.getByRole('status').textContent()).toContain(id);
    const done = await outcome(h, id);
    expect(done.variables).toMatchObject({ parcel: 'P-7007', price: 12 });
    await reviewer.close();
  });

  it("renders a start event's Camunda form with form-js on the start page, and submits its data", async () => {
    const fixture = readFileSync(
      new URL('../fixtures/bpmn/camunda-form-invalid.valid.bpmn', import.meta.url),
      'utf8',
    );
    const xml = fixture
      .replace('<bpmn:process id="p"', '<bpmn:process id="p-start" name="Start form"')
      .replace(
        '<bpmn:startEvent id="start" />',
        '<bpmn:startEvent id="start"><bpmn:extensionElements><zeebe:formDefinition formKey="camunda-forms:bpmn:userTaskForm_review" /></bpmn:extensionElements></bpmn:startEvent>',
      );
    expect(xml).toContain('p-start');
    expect(xml).toContain('<bpmn:startEvent id="start"><bpmn:extensionElements>');
    await deploy(h, xml);
    const page = await open('applicant', '/console/services/p-start');
    const form = page.locator('form[data-camunda-form]');
    await expect.poll(() => form.getAttribute('data-state')).toBe('ready');
    await checkPage(page, 'start-camunda-form');
    await page.getByRole('button', { name: 'Submit' }).click();
    await expect.poll(() => form.getAttribute('data-state')).toBe('invalid');
    expect(page.url()).toBe(`${base}/console/services/p-start`);
    await page.getByLabel('Parcel').fill('P-8008');
    await page.getByRole('button', { name: 'Submit' }).click();
    await page.waitForURL(/\/console\/applications\/app-/);
    const id = page.url().split('/').at(-1)!;
    const view = await waitUntil(h, id, 'the review task', (a) => a.openTasks.length === 1);
    expect(view.variables).toMatchObject({ parcel: 'P-8008' });
    await page.close();
  });

  it('verifies the receipt in the browser, refuses a tampered one naming the check, and needs no server', async () => {
    const anyone = await browser.context();
    const page = await anyone.newPage();
    await page.goto(`${base}/console/verify`);
    await checkPage(page, 'verify');
    await page.setInputFiles('#gf-receipt', receiptFile);
    await expect.poll(() => page.locator('#gf-summary').getAttribute('data-result')).toBe('valid');
    const results = await page
      .locator('#gf-checks li')
      .evaluateAll((els) => els.map((e) => [e.getAttribute('data-check'), e.getAttribute('data-result')]));
    expect(results.filter(([, result]) => result === 'invalid')).toEqual([]);
    expect(results).toEqual(
      expect.arrayContaining([
        ['records-chained', 'valid'],
        ['inclusion-proofs', 'valid'],
        ['witnesses', expect.any(String)],
      ]),
    );
    await checkPage(page, 'verify-valid');

    const receipt = JSON.parse(readFileSync(receiptFile, 'utf8'));
    // One step's decision changed after the fact: its record no longer hashes to what the chain says.
    const step = receipt.records[1].record;
    step.decision = step.decision === 'completed' ? 'rejected' : 'completed';
    const tampered = join(SCREENSHOTS, 'receipt-tampered.json');
    writeFileSync(tampered, JSON.stringify(receipt));
    await page.setInputFiles('#gf-receipt', tampered);
    await expect.poll(() => page.locator('#gf-summary').getAttribute('data-result')).toBe('invalid');
    expect(
      await page.locator('#gf-checks li[data-check="records-chained"]').getAttribute('data-result'),
    ).toBe('invalid');
    await checkPage(page, 'verify-tampered');

    // With the server stopped, the loaded page still checks a receipt.
    await new Promise((resolve) => server.close(resolve));
    (server as { closeAllConnections?: () => void }).closeAllConnections?.();
    await page.setInputFiles('#gf-receipt', receiptFile);
    await expect.poll(() => page.locator('#gf-summary').getAttribute('data-result')).toBe('valid');
    await anyone.close();
  });
});
