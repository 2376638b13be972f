// The load benchmark (bench/run.mjs) with governance on: Sluice on a SQLite store holding one virtual key (with rpm,
// tpm and budget limits far above the load), spend logging on, every request sent with that key.
// Usage: npm run build && BENCH_QUICK=1 node bench/governance-load.mjs   (other BENCH_* variables pass through)
import { spawnSync } from 'node:child_process';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { seedGovernanceDatabase } from './lib/governance-db.mjs';

const KEY = 'sk-bench-virtual-key';
const dir = mkdtempSync(join(tmpdir(), 'sluice-bench-gov-'));
const url = `sqlite://${join(dir, 'bench.db')}`;
// The generated config would make BENCH_API_KEY the master key; this one keeps a separate master key.
const config = join(dir, 'config.yaml');
writeFileSync(config, ['model_list:', '  - model_name: bench-model', '    litellm_params:', '      model: openai/gpt-4o-mini', '      api_base: "{{MOCK_BASE}}"', '      api_key: sk-bench',
  'general_settings:', '  master_key: sk-bench-master', '  proxy_batch_write_at: 10', ''].join('\n'));
await seedGovernanceDatabase(url, KEY);
process.stderr.write(`governance bench: ${url}, key ${KEY}\n`);
const result = spawnSync(process.execPath, [new URL('./run.mjs', import.meta.url).pathname], {
  stdio: 'inherit',
  env: { ...process.env, DATABASE_URL: url, BENCH_API_KEY: KEY, BENCH_SLUICE_CONFIG: config, BENCH_OUT: process.env.BENCH_OUT ?? new URL('./results/governance.json', import.meta.url).pathname },
});
process.exit(result.status ?? 1);
