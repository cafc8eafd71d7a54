// Property-based fuzzing of everything that parses untrusted record bytes: whatever the input,
// the parsers either answer or throw RecordBatchError. No RangeError or native error may escape,
// and nothing may hang.
import { readFileSync } from 'node:fs';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { RecordBatchError, checkBatchIntegrity, readBatchHeader, validateBatch } from '../../../src/protocol/records/batch.js';
import { CODEC_NAMES } from '../../../src/protocol/records/compression.js';
import { decodeRecordBatches, decodeRecordBatchesSync, encodeRecordBatch } from '../../../src/protocol/records/records.js';

const fixture = (name: string): Buffer =>
  Buffer.from(readFileSync(new URL(`../../fixtures/records/${name}.hex`, import.meta.url), 'utf8').trim(), 'hex');

function expectClean(err: unknown): void {
  if (!(err instanceof RecordBatchError)) {
    throw new Error(`unexpected ${(err as Error)?.constructor?.name}: ${(err as Error)?.message}`, { cause: err });
  }
}

async function parseEverything(buf: Buffer): Promise<void> {
  for (const verifyCrc of [true, false]) {
    try {
      await decodeRecordBatches(buf, { verifyCrc });
    } catch (err) {
      expectClean(err);
    }
    try {
      decodeRecordBatchesSync(buf, { verifyCrc });
    } catch (err) {
      expectClean(err);
    }
  }
  try {
    readBatchHeader(buf, 0);
  } catch (err) {
    expectClean(err);
  }
  const v = validateBatch(buf);
  expect(v === null || v instanceof RecordBatchError).toBe(true);
  const c = checkBatchIntegrity(buf);
  expect(c === null || c instanceof RecordBatchError).toBe(true);
}

const seeds: Buffer[] = [];

async function seedBatches(): Promise<Buffer[]> {
  if (seeds.length > 0) return seeds;
  const records = [
    { key: 'k', value: 'value', headers: [{ key: 'h', value: 'v' }, { key: 'n', value: null }], timestamp: 1000 },
    { key: null, value: null, timestamp: 1001 },
    { value: 'x'.repeat(300), timestamp: 999 },
  ];
  for (const compression of CODEC_NAMES) seeds.push(await encodeRecordBatch({ records, compression }));
  for (const name of ['kcat-keyed-header', 'kcat-fetch-v11', 'kcat-gzip', 'kcat-snappy', 'kcat-lz4', 'kcat-zstd']) seeds.push(fixture(name));
  return seeds;
}

/** A few byte edits: overwrite, insert, delete, truncate. */
const mutation = fc.array(
  fc.oneof(
    fc.record({ kind: fc.constant('set' as const), at: fc.nat(), byte: fc.integer({ min: 0, max: 255 }) }),
    fc.record({ kind: fc.constant('insert' as const), at: fc.nat(), bytes: fc.uint8Array({ maxLength: 8 }) }),
    fc.record({ kind: fc.constant('delete' as const), at: fc.nat(), n: fc.integer({ min: 1, max: 8 }) }),
    fc.record({ kind: fc.constant('truncate' as const), at: fc.nat() }),
  ),
  { minLength: 1, maxLength: 4 },
);

type Mutation = typeof mutation extends fc.Arbitrary<infer T> ? T : never;

function mutate(src: Buffer, edits: Mutation): Buffer {
  let buf = Buffer.from(src);
  for (const e of edits) {
    if (buf.length === 0) break;
    const at = e.at % buf.length;
    if (e.kind === 'set') buf[at] = e.byte;
    else if (e.kind === 'insert') buf = Buffer.concat([buf.subarray(0, at), Buffer.from(e.bytes), buf.subarray(at)]);
    else if (e.kind === 'delete') buf = Buffer.concat([buf.subarray(0, at), buf.subarray(at + e.n)]);
    else buf = buf.subarray(0, at);
  }
  return buf;
}

describe('fuzz', () => {
  it('arbitrary bytes never crash the parsers', async () => {
    await fc.assert(
      fc.asyncProperty(fc.uint8Array({ maxLength: 400 }), async (bytes) => {
        await parseEverything(Buffer.from(bytes));
      }),
      { numRuns: 2000 },
    );
  });

  it('arbitrary bytes behind a plausible batch header never crash the parsers', async () => {
    // Random bodies rarely get past the size checks; give them a consistent length and magic.
    const header = fc.record({
      attributes: fc.integer({ min: 0, max: 0x7f }),
      count: fc.integer({ min: -2, max: 50 }),
      body: fc.uint8Array({ maxLength: 300 }),
    });
    await fc.assert(
      fc.asyncProperty(header, async ({ attributes, count, body }) => {
        const buf = Buffer.alloc(61 + body.length);
        buf.writeInt32BE(49 + body.length, 8);
        buf[16] = 2;
        buf.writeInt16BE(attributes, 21);
        buf.writeInt32BE(count - 1, 23);
        buf.writeInt32BE(count, 57);
        Buffer.from(body).copy(buf, 61);
        await parseEverything(buf);
      }),
      { numRuns: 2000 },
    );
  });

  it('mutated real and encoded batches never crash the parsers', async () => {
    const batches = await seedBatches();
    await fc.assert(
      fc.asyncProperty(fc.integer({ min: 0, max: batches.length - 1 }), mutation, async (i, edits) => {
        await parseEverything(mutate(batches[i]!, edits));
      }),
      { numRuns: 3000 },
    );
  });

  it('single-byte corruption of a batch is always caught by the CRC check', async () => {
    const batches = await seedBatches();
    await fc.assert(
      fc.asyncProperty(fc.integer({ min: 0, max: batches.length - 1 }), fc.nat(), fc.integer({ min: 1, max: 255 }), async (i, pos, xor) => {
        const src = batches[i]!;
        const end = src.readInt32BE(8) + 12; // the first batch only
        const at = 21 + (pos % (end - 21));
        const buf = Buffer.from(src.subarray(0, end));
        buf[at] ^= xor;
        expect(validateBatch(buf)).toBeInstanceOf(RecordBatchError);
        await expect(decodeRecordBatches(buf)).rejects.toBeInstanceOf(RecordBatchError);
      }),
      { numRuns: 1000 },
    );
  });
});
