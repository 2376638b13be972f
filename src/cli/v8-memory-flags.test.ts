import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { test } from 'node:test';

const MODULE = new URL('./v8-memory-flags.ts', import.meta.url).href;

/** Runs applyMemoryFlags in a fresh node (flags are process-wide) and returns what it applied; `given` stands for node's own arguments. */
function appliedIn(nodeArgs: string[], given?: string): string[] {
  const argument = given === undefined ? '' : JSON.stringify(given);
  const script = `import(${JSON.stringify(MODULE)}).then((m) => console.log(JSON.stringify(m.applyMemoryFlags(${argument}))))`;
  const result = spawnSync(process.execPath, [...nodeArgs, '--import', 'tsx', '--input-type=module', '-e', script], { encoding: 'utf8' });
  assert.equal(result.status, 0, `child failed: ${result.stderr}`);
  return JSON.parse(result.stdout.trim()) as string[];
}

test('applies the WebAssembly tiering and heap growth flags by default', () => {
  assert.deepEqual(appliedIn([]), ['--no-wasm-dynamic-tiering', '--no-wasm-tier-up', '--heap-growing-percent=30']);
});

test("an operator's own flag on node's command line wins", () => {
  assert.deepEqual(appliedIn(['--heap-growing-percent=50']), ['--no-wasm-dynamic-tiering', '--no-wasm-tier-up']);
  assert.deepEqual(appliedIn(['--wasm_tier_up']), ['--heap-growing-percent=30']);
  assert.deepEqual(appliedIn(['--liftoff-only']), ['--heap-growing-percent=30']);
  assert.deepEqual(appliedIn([], '--heap-growing-percent-x=5 --wasm-tier-upx'), ['--no-wasm-dynamic-tiering', '--no-wasm-tier-up', '--heap-growing-percent=30'], 'a longer flag name is not the same flag');
});
