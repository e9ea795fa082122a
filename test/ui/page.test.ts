/**
 * The web page in real headless Chromium against the local runtime (`npm start`'s
 * engine, in memory): deploy through the page, watch a telecom order's token move while
 * workers complete its jobs, complete the approval from the task list, travel back in
 * its history, roll back and see it continue; an incident resolved from the diagram; an
 * embedded form (form-js). Screenshots land in test-artifacts/.
 */
import { mkdirSync, readFileSync } from 'node:fs';
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startLocal, type LocalRuntime } from '../../lib/local/runtime.ts';
import { ensureUiBuilt, uiStatics } from '../../lib/local/static.ts';
import { createClient, createWorker, silentLogger, type JobWorker } from '../../lib/worker/index.ts';
import { launchChromium } from './browser.ts';
import { until } from '../support/wait.ts';
import { bpmn, flows } from '../../lib/testing/index.ts';

const ARTIFACTS = new URL('../../test-artifacts/', import.meta.url);
const fixture = (path: string) => new URL(`../${path}`, import.meta.url).pathname;
const shape = (id: string, marker = '') => `#diagram .djs-element[data-element-id="${id}"]${marker ? `.${marker}` : ''}`;

let local: LocalRuntime;
let browser: Browser;
let page: Page;
const pageErrors: string[] = [];

async function api<T>(path: string, body?: unknown): Promise<T> {
  const res = await fetch(`${local.url}${path}`, body === undefined ? {} : { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(body) });
  expect(res.status, `${path}: ${res.status}`).toBeLessThan(300);
  return (await res.json()) as T;
}


/** Workers for the first two jobs only: the order then waits at the approval, and nothing provisions. */
function kycAndCreditWorkers(): JobWorker[] {
  const common = { client: createClient({ url: local.url }), logger: silentLogger, pollIntervalMs: 200, longPollMs: 1_000, worker: 'ui-test' };
  return [
    createWorker({ ...common, type: 'kyc-check', handler: () => ({ identityVerified: true }) }),
    createWorker({ ...common, type: 'credit-check', handler: () => ({ creditScore: 710 }) }),
  ];
}

async function screenshot(name: string): Promise<void> {
  mkdirSync(ARTIFACTS, { recursive: true });
  await page.screenshot({ path: new URL(name, ARTIFACTS).pathname, fullPage: true });
}

async function open(hash: string): Promise<void> {
  await page.goto(`${local.url}/${hash}`);
}

beforeAll(async () => {
  browser = await launchChromium(); // first: without Chromium, fail at once with the apt command
  await ensureUiBuilt();
  local = await startLocal({ port: 0, dataDir: null, examplesDir: null, statics: uiStatics() });
  page = await browser.newPage({ viewport: { width: 1360, height: 900 } });
  page.setDefaultTimeout(15_000);
  page.on('pageerror', (error) => pageErrors.push(error.message));
  // 4xx answers the tests provoke (a refused deploy) are logged by the browser too: not script errors.
  page.on('console', (message) => { if (message.type() === 'error' && !message.text().startsWith('Failed to load resource')) pageErrors.push(message.text()); });
  page.on('response', (response) => { if (response.status() >= 500 || (response.status() === 404 && !response.url().includes('/v1/'))) pageErrors.push(`${response.status()} ${response.url()}`); });
}, 120_000);

afterAll(async () => {
  await browser?.close();
  await local?.stop();
});

describe('the web page', () => {
  let orderId = '';
  let workers: JobWorker[] = [];

  it('is served at / with its assets, and refuses a bad model listing each problem', async () => {
    const res = await fetch(`${local.url}/`);
    expect(res.status).toBe(200);
    expect(res.headers.get('content-security-policy')).toContain("default-src 'self'");
    await open('#/definitions');
    await page.getByText('Nothing deployed yet').waitFor();
    await page.setInputFiles('#bpmn-file', fixture('fixtures/bpmn/several-problems.bpmn'));
    await page.getByRole('button', { name: 'Deploy' }).click();
    const refusal = page.locator('.refusal');
    await refusal.waitFor();
    expect(await refusal.textContent()).toMatch(/was refused: the BPMN document was refused: \d+ problem/);
    const rows = await refusal.locator('tbody tr').allTextContents();
    expect(rows.length).toBeGreaterThan(1);
    expect(await refusal.locator('tbody tr td:nth-child(2)').first().textContent()).toMatch(/^\d+$/);
    await screenshot('deploy-refused.png');
  });

  it('deploys the telecom example through the page', async () => {
    await page.setInputFiles('#bpmn-file', new URL('../../examples/telecom-order.bpmn', import.meta.url).pathname);
    await page.getByRole('button', { name: 'Deploy' }).click();
    await page.getByText('Deployed telecom-order.bpmn').waitFor();
    await page.locator('tr[data-key="telecom-order"]').waitFor();
  });

  it('lists the started order with counts per status, and shows its token move on the diagram', async () => {
    orderId = (await api<{ instanceId: string }>('/v1/instances', { definitionKey: 'telecom-order', variables: { customer: { id: 'c-1' } }, businessKey: 'order-1' })).instanceId;
    await open('#/instances?definition=telecom-order&businessKey=order-1');
    await page.locator(`tr[data-instance="${orderId}"]`).waitFor();
    expect(await page.locator('.count[data-status="active"] strong').textContent()).toBe('1');
    await screenshot('instances.png');
    await page.locator(`tr[data-instance="${orderId}"] a`).click();
    await page.locator(shape('VerifyIdentity', 'sbpmn-active')).waitFor();

    workers = kycAndCreditWorkers();
    await page.locator(shape('ApproveOrder', 'sbpmn-active')).waitFor();
    await page.locator(shape('VerifyIdentity', 'sbpmn-completed')).waitFor();
    expect(await page.locator(shape('VerifyIdentity', 'sbpmn-active')).count()).toBe(0);
    expect(await page.locator(shape('Flow_ToApproveOrder', 'sbpmn-taken')).count()).toBe(1);
    expect(await page.locator(shape('Flow_IdentityRejected', 'sbpmn-taken')).count()).toBe(0);
    await page.locator('.timeline li[data-version="3"]').waitFor();
    expect(await page.locator('#variables').textContent()).toContain('"creditScore": 710');
    await screenshot('instance-page.png');
  });

  it('completes the approval from the task list with the variables editor', async () => {
    await open('#/tasks');
    await page.getByLabel('Candidate group').fill('sales');
    await page.getByRole('button', { name: 'Show tasks' }).click();
    const row = page.locator(`tr[data-task^="${orderId}."]`);
    await row.getByRole('button', { name: 'Complete…' }).click();
    const editor = page.getByLabel('Variables to set');
    await editor.fill('{ approved: yes }');
    await page.getByText(/^not JSON/).waitFor();
    expect(await editor.getAttribute('aria-invalid')).toBe('true');
    await editor.fill('{ "approved": true }');
    expect(await editor.getAttribute('aria-invalid')).toBe('false');
    await screenshot('task-list.png');
    await page.getByRole('button', { name: 'Complete task' }).click();
    await page.getByText('Completed Approve order').waitFor();
    await until(async () => (await api<{ activeElements: string[] }>(`/v1/instances/${orderId}`)).activeElements.includes('ProvisionLine'));
  });

  it('travels back in the history, rolls back, and the instance continues', async () => {
    await open(`#/instances/${orderId}`);
    await page.locator(shape('ProvisionLine', 'sbpmn-active')).waitFor();
    await page.locator('.timeline li[data-version="4"]').waitFor();
    await page.locator('#version-slider').focus();
    await page.keyboard.press('Home'); // the slider to version 1, by keyboard
    await page.locator('#diagram[data-version="1"]').waitFor();
    await page.locator(shape('VerifyIdentity', 'sbpmn-active')).waitFor();
    expect(await page.locator(shape('ProvisionLine', 'sbpmn-active')).count()).toBe(0);
    expect(await page.locator('#variables').textContent()).not.toContain('approved');
    expect(await page.locator('.banner').textContent()).toContain('Viewing version 1 of 4');
    await screenshot('time-travel.png');

    await page.getByRole('button', { name: 'Roll back to this version' }).click();
    await page.getByText('Done: roll back to version 1 (version 5)').waitFor();
    await page.locator('.banner .live').waitFor();
    // The workers still run: the token leaves VerifyIdentity again and waits at the approval.
    await page.locator(shape('ApproveOrder', 'sbpmn-active')).waitFor();
    expect(Number(await page.locator('#current-version').textContent())).toBeGreaterThanOrEqual(7);
    expect(await page.locator('.timeline li[data-version="5"]').textContent()).toContain('rolled back to version 1');
    expect(await page.locator('.meta .badge').textContent()).toBe('active');
  });

  it('shows an incident on its element and resolves it from the diagram', async () => {
    await Promise.all(workers.map((w) => w.stop()));
    const { instanceId } = await api<{ instanceId: string }>('/v1/instances', { definitionKey: 'telecom-order', variables: { customer: { id: 'c-2' } } });
    const { items: [job] } = await api<{ items: Array<{ jobId: string }> }>(`/v1/jobs?instanceId=${instanceId}`);
    await api(`/v1/jobs/${job!.jobId}/fail`, { retries: 0, errorMessage: 'KYC platform unreachable' });
    await open(`#/instances/${instanceId}`);
    const overlay = page.locator('.incident-overlay');
    await overlay.getByText('KYC platform unreachable').waitFor();
    await page.locator(shape('VerifyIdentity', 'sbpmn-incident')).waitFor();
    await screenshot('incident.png');
    await overlay.getByRole('button', { name: 'Resolve / retry' }).click();
    await page.getByText(/Done: resolve the incident/).waitFor();
    await page.locator('.incident-overlay').waitFor({ state: 'detached' });
    expect(await page.locator(shape('VerifyIdentity', 'sbpmn-active')).count()).toBe(1);
  });

  it('renders an embedded form (zeebe:userTaskForm) with form-js and submits it', async () => {
    const xml = readFileSync(fixture('ui/fixtures/form-task.bpmn'), 'utf8');
    expect((await fetch(`${local.url}/v1/definitions`, { method: 'POST', headers: { 'content-type': 'application/xml' }, body: xml })).status).toBe(201);
    const { instanceId } = await api<{ instanceId: string }>('/v1/instances', { definitionKey: 'review' });
    await open('#/tasks?group=reviewers');
    await page.locator(`tr[data-task^="${instanceId}."]`).getByRole('button', { name: 'Complete…' }).click();
    await page.getByRole('button', { name: 'Complete task' }).click(); // the comment is required
    await page.getByText('Check the form. 1 field(s) in the form need attention.').waitFor();
    await page.getByLabel('Comment').fill('looks fine');
    // By keyboard: Tab leaves the comment (form-js validates it on blur, its error line goes
    // and the checkbox moves up), Space ticks the checkbox.
    await page.getByLabel('Comment').press('Tab');
    await page.keyboard.press('Space');
    await until(() => page.getByLabel('Accept the order').isChecked());
    await page.getByRole('button', { name: 'Complete task' }).click();
    await page.getByText('Completed Review the order').waitFor();
    const done = await until(async () => {
      const view = await api<{ status: string; variables: Record<string, unknown> }>(`/v1/instances/${instanceId}`);
      return view.status === 'completed' ? view : null;
    });
    expect(done.variables).toMatchObject({ comment: 'looks fine', accepted: true });
  });

  it('links a call activity\'s parent and child both ways', async () => {
    const child = bpmn(`<startEvent id="s"/><userTask id="childWork"/><endEvent id="e"/>${flows('s', 'childWork', 'e')}`, { id: 'ui-child', diagram: ['s', 'childWork', 'e'] });
    const parent = bpmn(`<startEvent id="s"/><callActivity id="callChild"><extensionElements><zeebe:calledElement processId="ui-child"/></extensionElements></callActivity>
      <endEvent id="e"/>${flows('s', 'callChild', 'e')}`, { id: 'ui-parent', diagram: ['s', 'callChild', 'e'] });
    for (const xml of [child, parent]) {
      const res = await fetch(`${local.url}/v1/definitions`, { method: 'POST', headers: { 'content-type': 'application/xml' }, body: xml });
      expect(res.status).toBe(201);
    }
    const { instanceId } = await api<{ instanceId: string }>('/v1/instances', { definitionKey: 'ui-parent' });
    await until(async () => (await api<{ calls: unknown[] }>(`/v1/instances/${instanceId}`)).calls.length === 1, 20_000, 'the call');
    await open(`#/instances/${instanceId}`);
    const toChild = page.locator('a.child-link');
    await toChild.waitFor();
    expect(await toChild.textContent()).toBe('ui-child (callChild)');
    await toChild.click();
    const toParent = page.locator('a.parent-link');
    await toParent.waitFor();
    expect(await toParent.textContent()).toBe(instanceId);
    await page.locator(shape('childWork', 'sbpmn-active')).waitFor();
    await screenshot('call-activity-child.png');
    await toParent.click();
    await page.locator(shape('callChild', 'sbpmn-active')).waitFor();
  });

  it('showed no script errors', () => {
    expect(pageErrors).toEqual([]);
  });
});
