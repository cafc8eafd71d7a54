// Producer-state snapshots in Kafka's layout (ProducerSnapshot v1): byte positions, the CRC-32C
// over everything after it, and refusal of anything damaged.
import { describe, expect, it } from 'vitest';
import { crc32c } from '../../../src/protocol/records/crc32c.js';
import { decodeProducerSnapshot, encodeProducerSnapshot, type ProducerSnapshotEntry } from '../../../src/storage/producer-snapshot.js';

const entry: ProducerSnapshotEntry = {
  producerId: 0x0102030405060708n, epoch: 3, lastSequence: 41, lastOffset: 1000n, offsetDelta: 9,
  timestamp: 1_700_000_000_000n, coordinatorEpoch: -1, currentTxnFirstOffset: -1n,
};

describe('producer snapshot format', () => {
  it('lays out version, CRC, count and 46-byte entries as Kafka does', () => {
    const buf = encodeProducerSnapshot([entry, { ...entry, producerId: 5n }]);
    expect(buf.length).toBe(10 + 2 * 46);
    expect(buf.readInt16BE(0)).toBe(1);
    expect(buf.readUInt32BE(2)).toBe(crc32c(buf, 6));
    expect(buf.readInt32BE(6)).toBe(2);
    expect(buf.subarray(10, 18).toString('hex')).toBe('0102030405060708');
    expect(buf.readInt16BE(18)).toBe(3);
    expect(buf.readInt32BE(20)).toBe(41);
    expect(buf.readBigInt64BE(24)).toBe(1000n);
    expect(buf.readInt32BE(32)).toBe(9);
    expect(buf.readBigInt64BE(36)).toBe(1_700_000_000_000n);
    expect(buf.readInt32BE(44)).toBe(-1);
    expect(buf.readBigInt64BE(48)).toBe(-1n);
    expect(decodeProducerSnapshot(buf)).toEqual([entry, { ...entry, producerId: 5n }]);
    expect(decodeProducerSnapshot(encodeProducerSnapshot([]))).toEqual([]);
  });

  it('refuses a damaged byte, another version, and a wrong length', () => {
    const good = encodeProducerSnapshot([entry]);
    for (let at = 6; at < good.length; at++) {
      const bad = Buffer.from(good);
      bad[at] ^= 0x40;
      expect(() => decodeProducerSnapshot(bad)).toThrow(/corrupt/);
    }
    const v2 = Buffer.from(good);
    v2.writeInt16BE(2, 0);
    expect(() => decodeProducerSnapshot(v2)).toThrow(/version 2/);
    expect(() => decodeProducerSnapshot(good.subarray(0, 8))).toThrow(/at least 10 bytes/);
    const short = Buffer.from(good.subarray(0, good.length - 1));
    short.writeUInt32BE(crc32c(short, 6), 2);
    expect(() => decodeProducerSnapshot(short)).toThrow(/cannot hold 1 entries/);
  });
});
