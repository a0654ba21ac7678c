// Sessions are integer handles owned by the core: dispose() frees them, and the
// FinalizationRegistry safety net frees the ones a page forgot.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { loadCoreForNode, POST_CHECKOUT } from './helpers.mjs';

const config = {
  definition: JSON.stringify(POST_CHECKOUT),
  survey: 'post-checkout',
  locale: 'fa',
  site: 'shop.example',
  utc_offset_minutes: 210,
};

function churn(core, n) {
  for (let i = 0; i < n; i++) {
    const s = core.createSession(config);
    s.event({ type: 'action', action: 'select', value: String(i % 11) });
    s.event({ type: 'action', action: 'next' });
    s.dispose();
  }
}

test('1000 sessions created and disposed: none live, memory bounded', async () => {
  const { core } = await loadCoreForNode();
  const before = core.liveSessions();
  churn(core, 100); // warm-up: allocator and string capacities settle
  const warm = core.memoryBytes;
  churn(core, 1000);
  assert.equal(core.liveSessions(), before);
  // Growth after warm-up would mean a leak of ~ a session per iteration or more.
  assert.ok(core.memoryBytes <= warm + 64 * 1024, `memory grew from ${warm} to ${core.memoryBytes}`);
});

test('dispose is idempotent and the count follows', async () => {
  const { core } = await loadCoreForNode();
  const base = core.liveSessions();
  const sessions = Array.from({ length: 5 }, () => core.createSession(config));
  assert.equal(core.liveSessions(), base + 5);
  for (const s of sessions) {
    s.dispose();
    s.dispose();
  }
  assert.equal(core.liveSessions(), base);
});

test('forgotten sessions are destroyed after garbage collection', () => {
  const child = fileURLToPath(new URL('./gc_child.mjs', import.meta.url));
  const run = spawnSync(process.execPath, ['--expose-gc', '--no-experimental-fetch', child], {
    encoding: 'utf8',
    env: process.env,
    timeout: 120000,
  });
  assert.equal(run.status, 0, run.stdout + run.stderr);
  const result = JSON.parse(run.stdout.trim().split('\n').pop());
  assert.equal(result.created, 200);
  assert.ok(result.after < result.created, JSON.stringify(result));
  assert.ok(result.after <= 20, 'most forgotten sessions are collected: ' + JSON.stringify(result));
});
