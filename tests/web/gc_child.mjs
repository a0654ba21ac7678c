// Run by leak.test.mjs under --expose-gc: creates sessions, drops them without dispose(), forces
// collection and prints {"created", "after"} (live sessions left) as the last line.
import { loadCoreForNode, POST_CHECKOUT } from './helpers.mjs';

if (typeof globalThis.gc !== 'function') {
  console.error('run with --expose-gc');
  process.exit(2);
}
const { core } = await loadCoreForNode();
const base = core.liveSessions();
(() => {
  for (let i = 0; i < 200; i++) {
    core.createSession({ definition: JSON.stringify(POST_CHECKOUT), survey: 'post-checkout', locale: 'en' });
  }
})();
const created = core.liveSessions() - base;
let after = created;
for (let round = 0; round < 50 && after > 0; round++) {
  globalThis.gc();
  await new Promise((r) => setTimeout(r, 20)); // finalizers run in their own task
  after = core.liveSessions() - base;
}
console.log(JSON.stringify({ created, after }));
