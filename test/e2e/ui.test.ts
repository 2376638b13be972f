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
import { encodeRow } from '../../src/store/codec.js';
import { DAILY_TEAM_SPEND, DAILY_USER_SPEND } from '../../src/store/tables.js';

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
  // A group whose first deployment always answers 429, so the Models screen has a cooldown and errors to show.
  const flaky = (id: string, base: string) => ({ model_name: 'flaky', litellm_params: { model: 'openai/gpt-4o', api_base: base, api_key: 'upstream' }, model_info: { id } });
  const models = [...modelList(mock.url), flaky('flaky-bad', `${mock.url}/mock/status=429/v1`), flaky('flaky-good', `${mock.url}/v1`)];
  gw = await startGovernedGateway({ model_list: models, router_settings: { num_retries: 2, cooldown_time: 60 }, general_settings: { master_key: MASTER_KEY } }, sqliteUrl(), { flushIntervalMs: 100, pollIntervalMs: 200 });
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

  for (const screen of ['Teams', 'Users', 'Customers', 'Models', 'Settings']) {
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
  // The table renders after its data arrives: wait for the row before reading them all.
  await page.waitForSelector('[data-testid=keys-table] tbody tr[data-alias="viewer-key"]');
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

test('Models: health, cooldown, p50 latency and error rate of every deployment, from the data plane', { skip }, async () => {
  const client = new OpenAI({ apiKey: MASTER_KEY, baseURL: `${gw.url}/v1`, maxRetries: 0 });
  // The shuffle picks either deployment: call until the failing one has been tried (and cooled down), then a few more.
  const cooling = async () => ((await gw.admin('/v2/model/info')).json.data as Array<{ model_info: { id: string }; router: { cooldown_until: string | null } }>).some((row) => row.model_info.id === 'flaky-bad' && row.router.cooldown_until !== null);
  for (let i = 0; i < 50 && !(await cooling()); i++) await client.chat.completions.create({ model: 'flaky', messages: [{ role: 'user', content: `hi ${i}` }] });
  for (let i = 0; i < 4; i++) await client.chat.completions.create({ model: 'flaky', messages: [{ role: 'user', content: `again ${i}` }] });
  // An on-demand health round (GET /health on the data plane); the screen shows its last result.
  assert.equal((await fetch(`${gw.url}/health`, { headers: { authorization: `Bearer ${MASTER_KEY}` } })).status, 200);
  const { context, page } = await newPage();
  await login(page, MASTER_KEY);
  await nav(page, 'Models');
  await page.waitForSelector('[data-testid=models-table] tr[data-id="flaky-bad"]');
  const headers = await page.locator('[data-testid=models-table] th').allTextContents();
  for (const column of ['Provider', 'API base', 'Health', 'Cooldown', 'p50 latency', 'Error rate', 'Last hour']) assert.ok(headers.includes(column), `column ${column} in ${headers.join(', ')}`);
  assert.match((await page.textContent('[data-testid=models-live]')) ?? '', /from 1 data-plane process/);
  const cell = async (id: string, column: string) => ((await page.textContent(`tr[data-id="${id}"] td[data-col="${column}"]`)) ?? '').trim();
  assert.match(await cell('flaky-bad', 'cooldown'), /^until /);
  assert.equal(await cell('flaky-bad', 'error-rate'), '100.0%');
  assert.equal(await cell('flaky-bad', 'health'), 'unhealthy');
  assert.equal(await cell('flaky-good', 'cooldown'), 'no');
  assert.equal(await cell('flaky-good', 'error-rate'), '0.0%');
  assert.match(await cell('flaky-good', 'p50'), /^\d+(\.\d)? ms$/);
  assert.equal(await cell('flaky-good', 'health'), 'healthy');
  await page.waitForLoadState('networkidle');
  await shot(page, 'models-live');
  await shot(page, 'docs-models');
  await context.close();
});

/** Two weeks of daily aggregates for a few keys, teams and models, so the documentation's screenshots show real charts. */
async function seedHistory(keys: Array<{ token: string; team: string }>): Promise<void> {
  const { db, dialect } = gw.governance.database;
  const models = [['gpt-4o', 'openai', 2.5e-6, 1e-5], ['gpt-4o-mini', 'openai', 1.5e-7, 6e-7]] as const;
  for (let day = 1; day <= 14; day++) {
    const date = new Date(Date.now() - day * 86_400_000).toISOString().slice(0, 10);
    for (const [k, key] of keys.entries()) {
      for (const [m, [model, provider, inCost, outCost]] of models.entries()) {
        const requests = Math.round(40 + 30 * Math.sin(day / 2 + k) + 25 * m + 10 * k);
        const prompt = requests * (300 + 50 * k);
        const completion = requests * (120 + 20 * m);
        const row = {
          id: `seed-${date}-${k}-${m}`, date, api_key: key.token, model, model_group: model, custom_llm_provider: provider, prompt_tokens: prompt,
          completion_tokens: completion, spend: prompt * inCost + completion * outCost, api_requests: requests, successful_requests: requests - (day % 5 === 0 ? 2 : 0),
          failed_requests: day % 5 === 0 ? 2 : 0, created_at: new Date(), updated_at: new Date(),
        };
        await db.insertInto(DAILY_USER_SPEND.name).values(encodeRow(DAILY_USER_SPEND, { ...row, user_id: null }, dialect)).execute();
        await db.insertInto(DAILY_TEAM_SPEND.name).values(encodeRow(DAILY_TEAM_SPEND, { ...row, id: `t${row.id}`, team_id: key.team }, dialect)).execute();
      }
    }
  }
}

test('documentation screenshots: several keys, teams and two weeks of usage', { skip }, async () => {
  const keys = [];
  for (const [alias, team, budget] of [['web-app', 'product', 50], ['batch-jobs', 'data', 20], ['support-bot', 'product', 5]] as const) {
    await gw.admin('/team/new', { team_id: team, team_alias: team });
    const created = (await gw.admin('/key/generate', { key_alias: alias, team_id: team, max_budget: budget, rpm_limit: 600, models: ['gpt-4o', 'gpt-4o-mini'] })).json;
    keys.push({ token: created.token as string, team, raw: created.key as string });
  }
  for (const [i, key] of keys.entries()) {
    const client = new OpenAI({ apiKey: key.raw, baseURL: `${gw.url}/v1`, maxRetries: 0 });
    for (let n = 0; n < 3 + i; n++) await client.chat.completions.create({ model: n % 2 === 0 ? 'gpt-4o' : 'gpt-4o-mini', messages: [{ role: 'user', content: `request ${n}` }] });
  }
  await seedHistory(keys);
  await eventually(async () => assert.ok((await gw.admin('/spend/logs/ui?page_size=1')).json.total >= 2 + 3 + 4 + 5));
  // The keys' spend as it would be after two weeks (the daily rows above were not charged to the keys).
  for (const [i, key] of keys.entries()) await gw.governance.database.db.updateTable('LiteLLM_VerificationToken').set({ spend: [31.4, 17.9, 2.2][i]! }).where('token', '=', key.token).execute();
  const { context, page } = await newPage();
  await login(page, MASTER_KEY);
  await page.waitForSelector('tr[data-alias="support-bot"]');
  await shot(page, 'docs-keys');
  await nav(page, 'Usage');
  await page.click('button:text-is("30d")');
  await page.selectOption('select', 'api_keys');
  await page.waitForSelector('.chart canvas');
  await page.locator('[data-testid=usage-requests]:not(:text-is("0"))').waitFor();
  await shot(page, 'docs-usage');
  await nav(page, 'Logs');
  await page.waitForSelector('[data-testid=logs-table] tbody tr td code');
  await shot(page, 'docs-logs');

  // Teams: edit a budget, add and remove a member.
  await nav(page, 'Teams');
  const product = page.locator('tr', { has: page.locator('code:text-is("product")') });
  await product.locator('button:text-is("Edit")').click();
  await page.fill('.modal input[type=number] >> nth=0', '100');
  await page.click('.modal button[type=submit]');
  await product.locator('.spend-text:has-text("$100")').waitFor();
  page.once('dialog', (dialog) => void dialog.accept('alice'));
  await product.locator('button:text-is("Add member")').click();
  await product.locator('.chip:has-text("alice")').waitFor();
  await shot(page, 'teams-edited');
  page.once('dialog', (dialog) => void dialog.accept());
  await product.locator('.chip:has-text("alice") button').click();
  await product.locator('.chip').waitFor({ state: 'detached' });
  assert.equal((await gw.admin('/team/info?team_id=product')).json.team_info.max_budget, 100);

  // Users: create, then edit the budget.
  await nav(page, 'Users');
  await page.click('button:text("+ Create user")');
  await page.fill('.modal input >> nth=0', 'bob');
  await page.selectOption('.modal select', 'internal_user_viewer');
  await page.click('.modal button[type=submit]');
  const bob = page.locator('tr', { has: page.locator('code:text-is("bob")') });
  await bob.locator('button:text-is("Edit")').click();
  await page.fill('.modal input[type=number]', '12');
  await page.click('.modal button[type=submit]');
  await bob.locator('.spend-text:has-text("$12")').waitFor();
  const info = (await gw.admin('/user/info?user_id=bob')).json;
  assert.equal((info.user_info ?? info).user_role, 'internal_user_viewer');
  assert.equal((info.user_info ?? info).max_budget, 12);
  await context.close();
});
