// __consumer_offsets records encode exactly as Kafka's coordinator writes them (worked bytes from
// shared/reference/kafka-protocol/coordinator-records/README.md §1.3).
import { describe, expect, it } from 'vitest';
import { decodeMessage, encodeMessage } from '../../../src/protocol/codec.js';
import { GroupMetadataKeySchema, GroupMetadataValueSchema, OffsetCommitKeySchema, OffsetCommitValueSchema } from '../../../src/protocol/coordinator-records/index.js';
import { Reader } from '../../../src/protocol/reader.js';
import type { MessageSchema } from '../../../src/protocol/schema.js';
import { Writer } from '../../../src/protocol/writer.js';

function versionPrefixed(schema: MessageSchema, version: number, value: object): string {
  const w = new Writer().int16(version);
  encodeMessage(schema, version, value, w);
  return w.toBuffer().toString('hex');
}

describe('coordinator records', () => {
  it('offset commit key and value v3', () => {
    expect(versionPrefixed(OffsetCommitKeySchema, 1, { group: 'my-group', topic: 't', partition: 0 })).toBe('000100086d792d67726f7570000174' + '00000000');
    const value = { offset: 42n, leaderEpoch: 0, metadata: '', commitTimestamp: 1700000000000n, expireTimestamp: -1n };
    const hex = versionPrefixed(OffsetCommitValueSchema, 3, value);
    expect(hex).toBe('0003' + '000000000000002a' + '00000000' + '0000' + '0000018bcfe56800');
    expect(decodeMessage(OffsetCommitValueSchema, 3, new Reader(Buffer.from(hex, 'hex'), 2))).toEqual(value);
  });

  it('group metadata key and an empty consumer group value v3', () => {
    expect(versionPrefixed(GroupMetadataKeySchema, 2, { group: 'my-group' })).toBe('000200086d792d67726f7570');
    expect(versionPrefixed(GroupMetadataValueSchema, 3, { protocolType: 'consumer', generation: 1, protocol: null, leader: null, currentStateTimestamp: 1700000000000n, members: [] })).toBe(
      '0003' + '0008636f6e73756d6572' + '00000001' + 'ffff' + 'ffff' + '0000018bcfe56800' + '00000000',
    );
  });
});
