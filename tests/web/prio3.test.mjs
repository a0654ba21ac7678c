// The binding's Prio3 call (web/src/binding/core.ts prio3HistogramShard) against the real node
// wasm build, which carries prio3.exports. Share sizes are worked by hand from the draft's
// formulas (draft-irtf-cfrg-vdaf-20): Field128 elements of 16 bytes, 32-byte seeds; that the
// shares recover the measurement is checked natively (tests/abi/abi_prio3_test.cc), where the
// aggregators run.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { loadCoreForNode } from './helpers.mjs';

const { mod, core } = await loadCoreForNode();

test('prio3HistogramShard: NPS (11 buckets, chunk 4) gives shares of the sizes the draft implies', () => {
  // ParallelSum(Mul, 4): arity 8, called ceil(11 / 4) = 3 times, a gadget polynomial of degree
  // 2 * (next_pow2(3 + 1) - 1) = 6, so PROOF_LEN = 8 + 6 + 1 = 15. Leader: (11 + 15) * 16 + a
  // 32-byte blind = 448 bytes; a helper: share seed + blind = 64; public share: a part each.
  const shards = core.prio3HistogramShard({ length: 11, chunk_length: 4, measurement: 10, ctx: '6e617a6172' });
  assert.equal(shards.input_shares.length, 2);
  assert.equal(shards.input_shares[0].length, 2 * 448);
  assert.equal(shards.input_shares[1].length, 2 * 64);
  assert.equal(shards.public_share.length, 2 * 64);
  assert.match(shards.nonce, /^[0-9a-f]{32}$/);
  // Three aggregators: two helpers, three joint randomness parts.
  const three = core.prio3HistogramShard({ length: 11, chunk_length: 4, measurement: 0, shares: 3 });
  assert.deepEqual(three.input_shares.map((s) => s.length / 2), [448, 64, 64]);
  assert.equal(three.public_share.length / 2, 96);
  // Fresh randomness and nonce on every call.
  const again = core.prio3HistogramShard({ length: 11, chunk_length: 4, measurement: 10, ctx: '6e617a6172' });
  assert.notEqual(again.input_shares[1], shards.input_shares[1]);
  assert.notEqual(again.nonce, shards.nonce);
});

test('prio3HistogramShard: a bad request is a NazarError naming what is wrong', () => {
  const fails = (request, code, pattern) => {
    assert.throws(() => core.prio3HistogramShard(request), (e) => {
      assert.ok(e instanceof mod.NazarError, String(e));
      assert.equal(e.code, code);
      assert.match(e.message, pattern);
      return true;
    });
  };
  fails({ length: 11, chunk_length: 4, measurement: 11 }, 'invalid_argument', /bucket 11/);
  fails({ length: 11, chunk_length: 4, measurement: 1, nonce: 'abcd' }, 'invalid_argument', /nonce/);
  fails({ length: 11, chunk_length: 4, measurement: 1, ctx: 'xyz1' }, 'invalid_argument', /\/ctx: not a hex digit/);
  fails({ chunk_length: 4, measurement: 1 }, 'invalid_argument', /\/length/);
  // The core is still usable after errors.
  assert.equal(core.prio3HistogramShard({ length: 5, chunk_length: 2, measurement: 4 }).input_shares.length, 2);
});

test('randomness is drawn a buffer at a time, not a byte at a time (wasm/library_getentropy.js)', () => {
  // A shard draws 4 seeds of 32 bytes and a 16-byte nonce: two requests to the platform host.
  // Emscripten's own getentropy made 144 calls here, one per byte.
  const original = crypto.getRandomValues;
  let calls = 0;
  crypto.getRandomValues = function (array) {
    calls++;
    return original.call(crypto, array);
  };
  try {
    core.prio3HistogramShard({ length: 11, measurement: 2 });
  } finally {
    crypto.getRandomValues = original;
  }
  assert.ok(calls >= 1 && calls <= 2, `${calls} calls to crypto.getRandomValues`);
});
