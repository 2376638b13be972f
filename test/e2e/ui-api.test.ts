// The admin UI's server side over HTTP, on SQLite and Postgres: static files and caching, login (master key,
// UI_USERNAME/UI_PASSWORD, virtual key), session cookie + CSRF on the management API, key-session scoping, and the
// read routes the Usage and Logs screens use (/spend/logs/ui, /team/daily/activity, /v2/model/info, /config/running).
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { startMockServer } from '../../src/mockserver/index.js';
import { freshPostgres, MASTER_KEY, sqliteUrl, startGovernedGateway, type GovernedGateway } from '../support/governed-gateway.js';
import { chat, eventually, modelList } from './governance-suite.js';

interface Jar { cookie: string; csrf: string }

async function login(url: string, body: Record<string, unknown>): Promise<{ status: number; jar: Jar | null; json: any; setCookie: string[] }> {
  const response = await fetch(`${url}/ui/api/login`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(body) });
  const json = (await response.json()) as any;
  const setCookie = response.headers.getSetCookie();
  const session = setCookie.find((c) => c.startsWith('sluice_session='));
  return { status: response.status, json, setCookie, jar: session === undefined ? null : { cookie: session.split(';')[0]!, csrf: json.csrf } };
}

async function call(url: string, jar: Jar | null, path: string, body?: unknown, csrf = true): Promise<{ status: number; json: any }> {
  const headers: Record<string, string> = jar === null ? {} : { cookie: jar.cookie };
  if (body !== undefined) headers['content-type'] = 'application/json';
  if (body !== undefined && csrf && jar !== null) headers['x-csrf-token'] = jar.csrf;
  const response = await fetch(`${url}${path}`, body === undefined ? { headers } : { method: 'POST', headers, body: JSON.stringify(body) });
  const text = await response.text();
  return { status: response.status, json: text === '' ? null : JSON.parse(text) };
}

function suite(dialect: string, databaseUrl: () => Promise<{ url: string; drop(): Promise<void> } | null>): void {
  describe(`admin UI API on ${dialect}`, () => {
    let mock: Awaited<ReturnType<typeof startMockServer>>;
    let gw: GovernedGateway;
    let db: { url: string; drop(): Promise<void> } | null = null;
    const saved = { user: process.env.UI_USERNAME, pass: process.env.UI_PASSWORD };

    before(async () => {
      db = await databaseUrl();
      if (db === null) return;
      process.env.UI_USERNAME = 'finance';
      process.env.UI_PASSWORD = 'correct horse';
      mock = await startMockServer();
      gw = await startGovernedGateway({ model_list: modelList(mock.url), general_settings: { master_key: MASTER_KEY } }, db.url, { flushIntervalMs: 100 });
    });
    after(async () => {
      process.env.UI_USERNAME = saved.user;
      process.env.UI_PASSWORD = saved.pass;
      if (saved.user === undefined) delete process.env.UI_USERNAME;
      if (saved.pass === undefined) delete process.env.UI_PASSWORD;
      if (db === null) return;
      await gw.close();
      await mock.close();
      await db.drop();
    });
    const skip = (t: { skip(message: string): void }): boolean => {
      if (db !== null) return false;
      t.skip('Postgres unreachable on 127.0.0.1:5432');
      return true;
    };

    test('static files: content types, cache headers, SPA fallback, no HTML for a missing asset', async (t) => {
      if (skip(t)) return;
      const index = await fetch(`${gw.url}/ui/`);
      assert.equal(index.status, 200);
      assert.match(index.headers.get('content-type')!, /^text\/html/);
      assert.equal(index.headers.get('cache-control'), 'no-cache');
      assert.match(index.headers.get('content-security-policy')!, /default-src 'self'/);
      const html = await index.text();
      const script = /src="(\/ui\/assets\/[^"]+\.js)"/.exec(html)?.[1];
      assert.ok(script, 'index.html references a hashed script');
      const asset = await fetch(`${gw.url}${script}`);
      assert.equal(asset.status, 200);
      assert.match(asset.headers.get('content-type')!, /^text\/javascript/);
      assert.equal(asset.headers.get('cache-control'), 'public, max-age=31536000, immutable');
      const route = await fetch(`${gw.url}/ui/logs`);
      assert.equal(route.status, 200);
      assert.equal(await route.text(), html);
      assert.equal((await fetch(`${gw.url}/ui/assets/nope.js`)).status, 404);
      assert.equal((await fetch(`${gw.url}/ui`, { redirect: 'manual' })).status, 308);
      assert.equal((await fetch(`${gw.url}/ui/`, { method: 'POST' })).status, 405);
    });

    test('login: wrong secrets refused; master key, username/password and a proxy_admin key are admins', async (t) => {
      if (skip(t)) return;
      assert.equal((await login(gw.url, { api_key: 'sk-wrong' })).status, 401);
      assert.equal((await login(gw.url, { username: 'finance', password: 'wrong' })).status, 401);
      assert.equal((await login(gw.url, { username: 'admin', password: MASTER_KEY })).status, 401, 'UI_USERNAME replaces the default admin');
      const bad = await fetch(`${gw.url}/ui/api/login`, { method: 'POST', body: 'not json' });
      assert.equal(bad.status, 400);
      const master = await login(gw.url, { api_key: MASTER_KEY });
      assert.equal(master.status, 200);
      assert.equal(master.json.role, 'admin');
      assert.match(master.setCookie.join('\n'), /sluice_session=[^;]+; HttpOnly; Path=\/; SameSite=Strict/);
      assert.ok(!master.setCookie.join('').includes(MASTER_KEY));
      const named = await login(gw.url, { username: 'finance', password: 'correct horse' });
      assert.equal(named.json.role, 'admin');
      const session = await call(gw.url, named.jar, '/ui/api/session');
      assert.deepEqual([session.status, session.json.role, session.json.user], [200, 'admin', 'finance']);
      await gw.admin('/user/new', { user_id: 'boss', user_role: 'proxy_admin', auto_create_key: false });
      const adminKey = await gw.admin('/key/generate', { user_id: 'boss' });
      assert.equal((await login(gw.url, { api_key: adminKey.json.key })).json.role, 'admin');
      assert.equal((await call(gw.url, null, '/ui/api/session')).status, 401);
      assert.equal((await call(gw.url, { cookie: `${master.jar!.cookie.slice(0, -3)}abc`, csrf: '' }, '/ui/api/session')).status, 401);
    });

    test('the session authenticates the management API; state changes need the CSRF header', async (t) => {
      if (skip(t)) return;
      const { jar } = await login(gw.url, { api_key: MASTER_KEY });
      assert.equal((await call(gw.url, jar, '/key/list')).status, 200);
      const noCsrf = await call(gw.url, jar, '/key/generate', { key_alias: 'csrf-test' }, false);
      assert.equal(noCsrf.status, 403);
      assert.match(noCsrf.json.error.message, /x-csrf-token/);
      assert.equal((await call(gw.url, { ...jar!, csrf: 'forged' }, '/key/generate', { key_alias: 'csrf-test' })).status, 403);
      const created = await call(gw.url, jar, '/key/generate', { key_alias: 'csrf-test' });
      assert.equal(created.status, 200);
      assert.match(created.json.key, /^sk-/);
      assert.equal((await call(gw.url, null, '/key/list')).status, 401, 'no cookie, no key: refused as before');
      const logout = await fetch(`${gw.url}/ui/api/logout`, { method: 'POST', headers: { cookie: jar!.cookie } });
      assert.match(logout.headers.getSetCookie().join('\n'), /sluice_session=; .*Max-Age=0/);
    });

    test('a key session reads only its own key, spend and logs, and changes nothing', async (t) => {
      if (skip(t)) return;
      await gw.admin('/team/new', { team_id: 'ui-team', team_alias: 'UI team' });
      const mine = (await gw.admin('/key/generate', { key_alias: 'mine', team_id: 'ui-team' })).json;
      const other = (await gw.admin('/key/generate', { key_alias: 'other' })).json;
      assert.equal((await chat(gw.url, mine.key)).status, 200);
      assert.equal((await chat(gw.url, mine.key, { model: 'gpt-4o-mini' })).status, 200);
      assert.equal((await chat(gw.url, other.key)).status, 200);
      const { jar, json } = await login(gw.url, { api_key: mine.key });
      assert.equal(json.role, 'key');
      assert.equal(json.team_id, 'ui-team');
      const list = await call(gw.url, jar, '/key/list?size=100&return_full_object=true');
      assert.deepEqual(list.json.keys.map((k: any) => k.key_alias), ['mine']);
      assert.equal((await call(gw.url, jar, `/key/info?key=${other.key}`)).json.info.key_alias, 'mine');
      assert.equal((await call(gw.url, jar, '/team/info?team_id=other')).json.team_id ?? (await call(gw.url, jar, '/team/info?team_id=other')).json.team_info?.team_id, 'ui-team');
      await eventually(async () => {
        const logs = await call(gw.url, jar, `/spend/logs/ui?api_key=${other.token}`);
        assert.equal(logs.json.total, 2);
        assert.ok(logs.json.data.every((row: any) => row.api_key === mine.token));
      });
      const activity = await call(gw.url, jar, '/user/daily/activity');
      assert.equal(activity.json.metadata.total_api_requests, 2);
      for (const [path, body] of [['/key/generate', {}], ['/key/block', { key: mine.token }], ['/key/delete', { keys: [other.token] }]] as const) {
        assert.equal((await call(gw.url, jar, path, body)).status, 403, path);
      }
      for (const path of ['/team/list', '/user/list', '/global/spend/keys', '/config/running', '/v2/model/info', '/team/daily/activity', '/user/daily/activity/users']) {
        assert.equal((await call(gw.url, jar, path)).status, 403, path);
      }
      await gw.admin('/key/block', { key: mine.token });
      assert.equal((await call(gw.url, jar, '/key/list')).status, 401, 'a blocked key loses its session');
    });

    test('/spend/logs/ui pages and filters; /team/daily/activity; models and config are masked', async (t) => {
      if (skip(t)) return;
      const key = (await gw.admin('/key/generate', { key_alias: 'logs-key', team_id: 'ui-team' })).json;
      for (let i = 0; i < 5; i++) assert.equal((await chat(gw.url, key.key, { model: i < 3 ? 'gpt-4o' : 'gpt-4o-mini' })).status, 200);
      const { jar } = await login(gw.url, { api_key: MASTER_KEY });
      await eventually(async () => assert.equal((await call(gw.url, jar, `/spend/logs/ui?api_key=${key.key}`)).json.total, 5));
      const page1 = (await call(gw.url, jar, `/spend/logs/ui?api_key=${key.token}&page_size=2`)).json;
      const page3 = (await call(gw.url, jar, `/spend/logs/ui?api_key=${key.token}&page_size=2&page=3`)).json;
      assert.deepEqual([page1.data.length, page1.total_pages, page3.data.length], [2, 3, 1]);
      assert.ok(page1.data[0].startTime >= page1.data[1].startTime);
      assert.equal(page1.data[0].messages, undefined, 'the list carries no bodies');
      assert.equal((await call(gw.url, jar, `/spend/logs/ui?api_key=${key.token}&model=gpt-4o-mini`)).json.total, 2);
      assert.equal((await call(gw.url, jar, `/spend/logs/ui?api_key=${key.token}&status_filter=failure`)).json.total, 0);
      const today = new Date().toISOString().slice(0, 10);
      assert.equal((await call(gw.url, jar, `/spend/logs/ui?api_key=${key.token}&start_date=${today}&end_date=${today}`)).json.total, 5);
      assert.equal((await call(gw.url, jar, `/spend/logs/ui?api_key=${key.token}&end_date=2000-01-01`)).json.total, 0);
      const detail = (await call(gw.url, jar, `/spend/logs/ui?request_id=${page1.data[0].request_id}`)).json;
      assert.equal(detail.total, 1);
      assert.ok(!JSON.stringify(detail).includes(key.key));
      const teams = (await call(gw.url, jar, `/team/daily/activity?start_date=${today}&end_date=${today}`)).json;
      assert.ok(teams.results[0].breakdown.teams['ui-team'].api_requests >= 5);
      await gw.admin('/user/new', { user_id: 'ada', auto_create_key: false });
      const adaKey = (await gw.admin('/key/generate', { user_id: 'ada' })).json;
      assert.equal((await chat(gw.url, adaKey.key)).status, 200);
      await eventually(async () => {
        const users = (await call(gw.url, jar, `/user/daily/activity/users?start_date=${today}&end_date=${today}`)).json;
        assert.equal(users.results[0].breakdown.users.ada.api_requests, 1);
        assert.ok(users.results[0].breakdown.users['no user'].api_requests >= 5);
        assert.equal((await call(gw.url, jar, `/user/daily/activity/users?user_ids=ada`)).json.results[0].metrics.api_requests, 1);
      });
      const models = (await call(gw.url, jar, '/v2/model/info')).json;
      assert.equal(models.data.length, 4);
      assert.equal(models.data[0].provider, 'openai');
      assert.equal(models.data[0].litellm_params.api_key, '********');
      const gpt4o = models.data.find((row: any) => row.model_name === 'gpt-4o');
      assert.ok(gpt4o.recent.requests >= 3, 'last hour\'s requests per deployment');
      assert.equal(gpt4o.recent.failures, 0);
      assert.equal(typeof gpt4o.recent.meanLatencyMs, 'number');
      const config = await call(gw.url, jar, '/config/running');
      assert.ok(!JSON.stringify(config.json).includes(MASTER_KEY));
      assert.equal((await fetch(`${gw.url}/config/running`, { headers: { authorization: `Bearer ${MASTER_KEY}` } })).status, 200);
      assert.equal((await fetch(`${gw.url}/config/running`, { headers: { authorization: `Bearer ${key.key}` } })).status, 403);
    });
  });
}

suite('sqlite', async () => ({ url: sqliteUrl(), async drop() {} }));
suite('postgres', () => freshPostgres('ui'));

describe('admin UI and roles', () => {
  test('--role control serves /ui and its login; --role data does not', async () => {
    const control = await startGovernedGateway({ model_list: [], general_settings: { master_key: MASTER_KEY } }, sqliteUrl(), { role: 'control' });
    try {
      assert.equal((await fetch(`${control.url}/ui/`)).status, 200);
      assert.equal((await login(control.url, { api_key: MASTER_KEY })).status, 200);
    } finally {
      await control.close();
    }
    const data = await startGovernedGateway({ model_list: [], general_settings: { master_key: MASTER_KEY } }, sqliteUrl(), { role: 'data' });
    try {
      assert.equal((await fetch(`${data.url}/ui/`)).status, 404);
      assert.equal((await fetch(`${data.url}/ui/api/login`, { method: 'POST', body: '{}' })).status, 404);
    } finally {
      await data.close();
    }
  });
});
