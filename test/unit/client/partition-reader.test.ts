import { describe, expect, it } from 'vitest';
import { committedBatches, nextOffsetAfter } from '../../../src/client/partition-reader.js';
import { ControlType, decodeRecordBatchesSync, encodeControlBatch, encodeRecordBatchSync } from '../../../src/protocol/records/records.js';

const batch = (baseOffset: bigint, values: string[], extra: { producerId?: bigint; isTransactional?: boolean } = {}) =>
  encodeRecordBatchSync({ baseOffset, records: values.map((value) => ({ value })), producerId: extra.producerId, producerEpoch: extra.producerId === undefined ? undefined : 0, baseSequence: extra.producerId === undefined ? undefined : 0, isTransactional: extra.isTransactional });

describe('nextOffsetAfter', () => {
  it('is the offset after the last complete batch', () => {
    const buf = Buffer.concat([batch(10n, ['a', 'b']), batch(12n, ['c'])]);
    expect(nextOffsetAfter(buf)).toBe(13n);
  });
  it('ignores a truncated trailing batch and empty input', () => {
    const first = batch(0n, ['a']);
    const second = batch(1n, ['b', 'c']);
    expect(nextOffsetAfter(Buffer.concat([first, second.subarray(0, second.length - 3)]))).toBe(1n);
    expect(nextOffsetAfter(second.subarray(0, 20))).toBeNull();
    expect(nextOffsetAfter(Buffer.alloc(0))).toBeNull();
  });
});

describe('committedBatches (read_committed)', () => {
  it('drops aborted transactional batches and control batches, keeps committed ones', () => {
    const buf = Buffer.concat([
      batch(0n, ['plain']),
      batch(1n, ['aborted-1', 'aborted-2'], { producerId: 7n, isTransactional: true }),
      encodeControlBatch({ type: ControlType.ABORT, baseOffset: 3n, producerId: 7n, producerEpoch: 0 }),
      batch(4n, ['committed'], { producerId: 8n, isTransactional: true }),
      encodeControlBatch({ type: ControlType.COMMIT, baseOffset: 5n, producerId: 8n, producerEpoch: 0 }),
      batch(6n, ['after-abort'], { producerId: 7n, isTransactional: true }),
    ]);
    const kept = committedBatches(decodeRecordBatchesSync(buf), [{ producerId: 7n, firstOffset: 1n }]);
    expect(kept.flatMap((b) => b.records.map((r) => r.value!.toString()))).toEqual(['plain', 'committed', 'after-abort']);
  });
});
