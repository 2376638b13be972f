// A spend flush writes change-log rows so other instances reload the entities whose spend moved; the instance that
// wrote them skips its own (its memory already holds that spend), on a real SQLite store.
import assert from 'node:assert/strict';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { test } from 'node:test';
import { encodeRow } from '../store/codec.js';
import { openDatabase } from '../store/database.js';
import { migrate } from '../store/migrate.js';
import { Repository } from '../store/repository.js';
import { VERIFICATION_TOKEN } from '../store/tables.js';
import { SpendBuffer } from '../spend/spend-buffer.js';
import { SPEND_CHANGE_ID_PREFIX } from '../spend/spend-statements.js';
import { writeSpend } from '../spend/write-spend.js';
import { GovernanceState } from './governance-state.js';

const TOKEN = 'a'.repeat(64);

/** A SQLite store holding one key, and its repository; closed after `run`. */
async function withKeyStore(run: (database: ReturnType<typeof openDatabase>, repo: Repository) => Promise<void>): Promise<void> {
  const database = openDatabase(`sqlite://${join(mkdtempSync(join(tmpdir(), 'sluice-own-changes-')), 'store.db')}`);
  try {
    await migrate(database);
    await database.db.insertInto(VERIFICATION_TOKEN.name).values(encodeRow(VERIFICATION_TOKEN, { token: TOKEN, key_alias: 'k', models: [], spend: 0 }, 'sqlite')).execute();
    await run(database, new Repository(database));
  } finally {
    await database.close();
  }
}

test("an instance's poll skips the change rows of its own spend flushes and applies another instance's", async () => {
  await withKeyStore(async (database, repo) => {
    const writer = new GovernanceState(repo, new Map());
    writer.skipChangePrefix = 'spendaaaax';
    const other = new GovernanceState(repo, new Map());
    other.skipChangePrefix = 'spendbbbbx';
    await writer.loadAll();
    await other.loadAll();

    const batch = new SpendBuffer();
    batch.increment('key', TOKEN, 0.5);
    await writeSpend(database, batch, true, null, writer.skipChangePrefix);

    assert.equal(await writer.pollChanges(), 0, 'the writing instance does not reload for its own flush');
    assert.equal(await other.pollChanges(), 1, 'another instance applies the change row');
    assert.equal(other.keys.get(TOKEN)?.spend, 0.5, 'and sees the spend the flush wrote');

    const otherBatch = new SpendBuffer();
    otherBatch.increment('key', TOKEN, 0.25);
    await writeSpend(database, otherBatch, true, null, other.skipChangePrefix);
    assert.equal(await writer.pollChanges(), 1, "the first instance applies the other's flush");
    assert.equal(writer.keys.get(TOKEN)?.spend, 0.75, 'and sees the total');
  });
});

test('a control plane skips every spend flush, its own and other instances, and still applies management changes', async () => {
  await withKeyStore(async (database, repo) => {
    const control = new GovernanceState(repo, new Map());
    control.skipChangePrefix = SPEND_CHANGE_ID_PREFIX;
    await control.loadAll();
    const batch = new SpendBuffer();
    batch.increment('key', TOKEN, 0.5);
    await writeSpend(database, batch, true, null, `${SPEND_CHANGE_ID_PREFIX}cccc1111x`);
    assert.equal(await control.pollChanges(), 0, 'no entity is re-read for spend');
    await repo.recordChange('key', TOKEN);
    assert.equal(await control.pollChanges(), 1, 'a management change is applied');
  });
});
