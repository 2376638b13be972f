// The governance benches' store: a migrated SQLite database holding one virtual key whose limits are far above the load.
import { hashKey } from '../../dist/auth/key-hash.js';
import { encodeRow } from '../../dist/store/codec.js';
import { openDatabase } from '../../dist/store/database.js';
import { migrate } from '../../dist/store/migrate.js';
import { VERIFICATION_TOKEN } from '../../dist/store/tables.js';

export async function seedGovernanceDatabase(url, key) {
  const database = openDatabase(url);
  await migrate(database);
  await database.db.insertInto(VERIFICATION_TOKEN.name).values(encodeRow(VERIFICATION_TOKEN, {
    token: hashKey(key), key_alias: 'bench', models: [], spend: 0, max_budget: 1e9, rpm_limit: 1e9, tpm_limit: 1e12, max_parallel_requests: 100_000,
  }, 'sqlite')).execute();
  await database.close();
}
