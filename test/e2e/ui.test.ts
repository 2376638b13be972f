// The admin UI in real headless Chromium (Debian's package, driven by playwright-core from ui/node_modules):
// log in, create a key, use it through the openai client, see its spend in Keys, Usage and Logs, block it, and check
// that a non-admin key session cannot reach admin actions. Screenshots of every screen go to test-artifacts/ui/.
import assert from 'node:assert/strict';
import { existsSync, mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { after, before, test } from 'node:test';
import OpenAI from 'openai';
import type { Browser, BrowserContext, Page } from '../../ui/node_modules/playwright-core/index.js';
import { startMockServer } from '../../src/mockserver/index.js';
import { MASTER_KEY, sqliteUrl, startGovernedGateway, type GovernedGateway } from '../support/governed-gateway.js';
import { eventually, modelList } from './governance-suite.js';

const CHROMIUM = '/usr/bin/chromium';
const ARTIFACTS = new URL('../../test-artifacts/ui/', import.meta.url).pathname;
const missing = !existsSync(CHROMIUM);
if (missing && process.env.CI === 'true') throw new Error(`${CHROMIUM} is missing; CI must install Debian's chromium (see .ci/run).`);
const skip = missing ? `${CHROMIUM} not installed (apt-get install -y chromium); skipping the browser suite` : false;

let mock: Awaited<ReturnType<typeof startMockServer>>;
let gw: GovernedGateway;
let browser: Browser;

async function newPage(): Promise<{ context: BrowserContext; page: Page }> {
  const context = await browser.newContext({ viewport: { width: 1360, height: 860 } });
  return { context, page: await context.newPage() };
}

async function shot(page: Page, name: string): Promise<void> {
  await page.waitForTimeout(150);
  await page.screenshot({ path: join(ARTIFACTS, `${name}.png`) });
}

async function login(page: Page, key: string): Promise<void> {
  await page.goto(`${gw.url}/ui/`);
  await page.fill('input[name=api_key]', key);
  await page.click('button[type=submit]');
  await page.waitForSelector('[data-testid=keys-table]');
}

async function nav(page: Page, label: string): Promise<void> {
  await page.click(`nav a:text-is("${label}")`);
}

before(async () => {
  if (missing) return;
  mkdirSync(ARTIFACTS, { recursive: true });
  mock = await startMockServer();
  gw = await startGovernedGateway({ model_list: modelList(mock.url), general_settings: { master_key: MASTER_KEY } }, sqliteUrl(), { flushIntervalMs: 100, pollIntervalMs: 200 });
  // playwright launches every browser with a fresh, empty --user-data-dir of its own (passing one is refused).
  const { chromium } = await import('../../ui/node_modules/playwright-core/index.mjs' as string) as typeof import('../../ui/node_modules/playwright-core/index.js');
  browser = await chromium.launch({
    executablePath: CHROMIUM,
    args: ['--headless', '--no-sandbox', '--disable-gpu', '--no-first-run', '--disable-background-networking', '--disable-component-update', '--disable-sync', '--disable-quic'],
  });
});

after(async () => {
  if (missing) return;
  await browser?.close();
  await gw?.close();
  await mock?.close();
});

test('admin: login, create key, spend in Keys/Usage/Logs, block, other screens', { skip }, async () => {
  const { context, page } = await newPage();
  await page.goto(`${gw.url}/ui/keys`);
  await page.waitForSelector('input[name=api_key]');
  await shot(page, 'login');
  await page.fill('input[name=api_key]', 'sk-wrong');
  await page.click('button[type=submit]');
  await page.waitForSelector('[role=alert]');
  await login(page, MASTER_KEY);

  await page.click('button:text("+ Create key")');
  await page.fill('input[name=key_alias]', 'ui-e2e');
  await page.fill('input[name=max_budget]', '0.01');
  await page.fill('input[name=models]', 'gpt-4o, gpt-4o-mini');
  await page.click('.modal button[type=submit]');
  const rawKey = (await page.textContent('[data-testid=raw-key]'))!.trim();
  assert.match(rawKey, /^sk-/);
  await shot(page, 'key-created');
  await page.click('.modal button:text("Done")');

  const client = new OpenAI({ apiKey: rawKey, baseURL: `${gw.url}/v1`, maxRetries: 0 });
  for (let i = 0; i < 2; i++) {
    const reply = await client.chat.completions.create({ model: 'gpt-4o', messages: [{ role: 'user', content: `hello ${i}` }] });
    assert.ok(reply.choices[0]?.message.content);
  }

  await eventually(async () => {
    await page.reload();
    const row = page.locator('tr[data-alias="ui-e2e"]');
    const text = (await row.textContent()) ?? '';
    assert.match(text, /\$0\.0\d+[1-9]|\$0\.0[1-9]|\$0\.00[0-9]*[1-9]/, `spend not shown yet: ${text}`);
  }, 10_000);
  await shot(page, 'keys');

  await nav(page, 'Usage');
  await eventually(async () => {
    assert.equal(await page.textContent('[data-testid=usage-requests]'), '2');
  }, 10_000);
  assert.match((await page.textContent('[data-testid=usage-table]')) ?? '', /gpt-4o/);
  await page.waitForSelector('.chart canvas');
  await shot(page, 'usage');

  await nav(page, 'Logs');
  await page.waitForSelector('[data-testid=logs-table] tbody tr td code');
  const rows = await page.locator('[data-testid=logs-table] tbody tr').count();
  assert.equal(rows, 2);
  await shot(page, 'logs');
  await page.locator('[data-testid=logs-table] tbody tr').first().click();
  await page.waitForSelector('.modal dl.detail');
  const detail = (await page.textContent('.modal')) ?? '';
  assert.match(detail, /gpt-4o/);
  assert.ok(!detail.includes(rawKey) && !detail.includes(MASTER_KEY), 'the detail view shows no secret');
  await shot(page, 'log-detail');
  await page.click('.modal button[aria-label=Close]');

  await nav(page, 'Keys');
  await page.locator('tr[data-alias="ui-e2e"] button:text("Block")').click();
  await page.waitForSelector('tr[data-alias="ui-e2e"] .badge.bad');
  await assert.rejects(client.chat.completions.create({ model: 'gpt-4o', messages: [{ role: 'user', content: 'blocked?' }] }), (error: { status?: number }) => error.status === 401);

  // A state-changing call without the CSRF header is refused even with the session cookie.
  const status = await page.evaluate(async () => (await fetch('/key/unblock', { method: 'POST', headers: { 'content-type': 'application/json' }, body: '{"key":"x"}' })).status);
  assert.equal(status, 403);

  for (const screen of ['Teams', 'Users', 'Models', 'Settings']) {
    await nav(page, screen);
    await page.waitForSelector(`h1:text-is("${screen}")`);
    await page.waitForLoadState('networkidle');
    await shot(page, screen.toLowerCase());
  }
  const config = (await page.textContent('[data-testid=config]')) ?? '';
  assert.match(config, /model_list/);
  assert.ok(!config.includes(MASTER_KEY), 'settings mask the master key');

  await page.click('button:text("Log out")');
  await page.waitForSelector('input[name=api_key]');
  await context.close();
});

test('a virtual key sees only its own key and cannot reach admin actions', { skip }, async () => {
  const created = await gw.admin('/key/generate', { key_alias: 'viewer-key' });
  await gw.admin('/key/generate', { key_alias: 'someone-else' });
  const { context, page } = await newPage();
  await login(page, created.json.key as string);
  const aliases = await page.locator('[data-testid=keys-table] tbody tr').evaluateAll((trs) => trs.map((tr) => tr.getAttribute('data-alias')));
  assert.deepEqual(aliases, ['viewer-key']);
  assert.equal(await page.locator('button:text("+ Create key")').count(), 0);
  assert.equal(await page.locator('nav a:text-is("Teams")').count(), 0);
  assert.equal(await page.locator('nav a:text-is("Settings")').count(), 0);
  await shot(page, 'viewer-keys');

  // A string, not a function: tsx would wrap a named arrow in a helper the page does not have.
  const refused = await page.evaluate(`(async () => {
    const csrf = (/sluice_csrf=([^;]+)/.exec(document.cookie) || [])[1] || '';
    const post = (path) => fetch(path, { method: 'POST', headers: { 'content-type': 'application/json', 'x-csrf-token': csrf }, body: '{}' }).then((r) => r.status);
    return { generate: await post('/key/generate'), config: (await fetch('/config/running')).status, teams: (await fetch('/team/list')).status, list: (await fetch('/key/list?size=100')).status };
  })()`);
  assert.deepEqual(refused, { generate: 403, config: 403, teams: 403, list: 200 });
  await context.close();
});
