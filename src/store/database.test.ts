// A Postgres connection that drops while a query holds it fails that query and nothing else: the process goes on.
// (pg emits 'error' on the client when its socket ends; pg-pool listens only on idle clients and kysely adds no
// listener to the one a query holds, so a connection lost mid-query was an uncaught exception that ended the gateway.)
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { sql } from 'kysely';
import { PG_ADMIN_URL, postgresAdmin } from '../../test/support/governed-gateway.js';
import { startTcpProxy } from '../../test/support/tcp-proxy.js';
import { openDatabase } from './database.js';

test('a connection lost mid-query rejects that query, and the next query runs on a new connection', async (t) => {
  const admin = await postgresAdmin();
  if (admin === null) return t.skip(`Postgres unreachable at ${PG_ADMIN_URL}`);
  await admin.end();
  const target = new URL(PG_ADMIN_URL);
  const proxy = await startTcpProxy(target.hostname, Number(target.port || 5432));
  const viaProxy = new URL(PG_ADMIN_URL);
  viaProxy.port = String(proxy.port);
  const database = openDatabase(viaProxy.href, { poolSize: 2 });
  try {
    // The socket ends under a running query, with no error message from the server first (a network cut, a
    // server killed outright): the case where pg emits 'error' on the held client.
    const sleeping = sql`select pg_sleep(10)`.execute(database.db).then(() => 'resolved', (error: Error) => error.message);
    await new Promise((resolve) => setTimeout(resolve, 300));
    await proxy.stop();
    assert.match(String(await sleeping), /terminated|ECONNRESET|closed/i, 'the query on the lost connection rejects');
    // Give the client's 'error' event its turn: without a listener it surfaces as an uncaught exception here.
    await new Promise((resolve) => setTimeout(resolve, 100));
    await proxy.start();
    const after = await sql<{ one: number }>`select 1 as one`.execute(database.db);
    assert.equal(after.rows[0]!.one, 1, 'the pool serves the next query on a new connection');
  } finally {
    await database.close();
    await proxy.stop().catch(() => undefined);
  }
});
