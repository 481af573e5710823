import assert from 'node:assert/strict';
import { test } from 'node:test';
import { prng } from '../../bench/prng.ts';
import { OutputCapture } from '../../src/runner/capture.ts';

/** What the capture must keep of `all`: everything, or head + marker + tail. */
function expected(all: Buffer, limit: number): Buffer {
  if (all.length <= limit) return all;
  const headLen = Math.ceil(limit / 2);
  const tailLen = limit - headLen;
  const head = all.subarray(0, headLen);
  const nl = head.length > 0 && head[head.length - 1] !== 0x0a ? '\n' : '';
  return Buffer.concat([head, Buffer.from(`${nl}[... ${all.length - limit} bytes cut ...]\n`), all.subarray(all.length - tailLen)]);
}

test('keeps everything under the limit', () => {
  const c = new OutputCapture(100);
  c.write(Buffer.from('hello\n'));
  c.write(Buffer.from('world\n'));
  assert.equal(c.kept().toString(), 'hello\nworld\n');
  assert.equal(c.total, 12);
  assert.equal(c.cut, 0);
});

test('keeps head and tail with a marker naming the bytes cut', () => {
  const c = new OutputCapture(10);
  c.write(Buffer.from('0123456789abcdefghij'));
  assert.equal(c.kept().toString(), '01234\n[... 10 bytes cut ...]\nfghij');
  assert.equal(c.cut, 10);
});

// Seeded, so a failure can be replayed: CG_FUZZ_SEED=<the seed in the message> node --test ...
const FUZZ_SEED = Number(process.env['CG_FUZZ_SEED']) || Math.floor(Math.random() * 2 ** 31);

test(`fuzz: random chunkings and limits always keep exactly head and tail (seed ${FUZZ_SEED})`, () => {
  const random = prng(FUZZ_SEED);
  const below = (n: number) => Math.floor(random() * n);
  for (let round = 0; round < 500; round++) {
    const limit = below(64);
    const all = Buffer.from(Array.from({ length: below(200) }, () => below(256)));
    const c = new OutputCapture(limit);
    for (let i = 0; i < all.length;) {
      const n = 1 + below(40);
      c.write(all.subarray(i, i + n));
      i += n;
    }
    const replay = `CG_FUZZ_SEED=${FUZZ_SEED}, round ${round}: limit ${limit}, ${all.length} bytes`;
    assert.equal(c.total, all.length, replay);
    assert.deepEqual(c.kept(), expected(all, limit), replay);
  }
});

test('memory stays bounded: 64 MiB through a 1 KiB capture', () => {
  const c = new OutputCapture(1024);
  const block = Buffer.alloc(1 << 20, 0x61);
  for (let i = 0; i < 64; i++) c.write(block);
  assert.equal(c.total, 64 << 20);
  assert.ok(c.kept().length < 1100);
});
