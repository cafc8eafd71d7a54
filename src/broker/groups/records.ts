// The records the group coordinator keeps in __consumer_offsets, in Kafka's byte layout, and the
// replay that rebuilds the coordinator's state from them.
//
//   key   = int16 recordType ‖ key struct      (1 = OffsetCommitKey {group, topic, partition},
//                                                2 = GroupMetadataKey {group}; 0 = the 0.8 offset key)
//   value = int16 version    ‖ value struct    (null = tombstone: the key is deleted)
//
// Offsets are written as OffsetCommitValue v3 {offset, leaderEpoch, metadata, commitTimestamp},
// or v1 {offset, metadata, commitTimestamp, expireTimestamp} when the commit carried a retention
// time (OffsetCommit v2–v4). Group metadata is GroupMetadataValue v3. Any version 0–4 is read.
// Replay keeps the last value per key; a tombstone removes the key. Records of the new consumer
// protocol (types 3+) are reported as unknown so the caller can skip them.
import { decodeMessage, encodeMessage } from '../../protocol/codec.js';
// By module, not through the index of all 31 record types: the broker's start loads only these.
import { GroupMetadataKeySchema } from '../../protocol/coordinator-records/group-metadata-key.js';
import { GroupMetadataValueSchema, type GroupMetadataValue } from '../../protocol/coordinator-records/group-metadata-value.js';
import { OffsetCommitKeySchema, type OffsetCommitKey } from '../../protocol/coordinator-records/offset-commit-key.js';
import { OffsetCommitValueSchema, type OffsetCommitValue } from '../../protocol/coordinator-records/offset-commit-value.js';
import { ProtocolError } from '../../protocol/errors.js';
import { Reader } from '../../protocol/reader.js';
import type { MessageSchema } from '../../protocol/schema.js';
import { Writer } from '../../protocol/writer.js';

export const OFFSET_COMMIT_KEY_TYPE = 1;
export const GROUP_METADATA_KEY_TYPE = 2;
const OFFSET_VALUE_VERSION = 3;
const OFFSET_VALUE_VERSION_WITH_EXPIRY = 1;
const GROUP_VALUE_VERSION = 3;

/** A committed offset as the coordinator keeps it. */
export interface StoredOffset {
  offset: bigint;
  /** -1 when unknown. */
  leaderEpoch: number;
  metadata: string;
  commitTimestamp: number;
  /** Only for commits that carried a retention time (OffsetCommit v2–v4). */
  expireTimestamp: number | null;
}

export type GroupMetadata = GroupMetadataValue;
export type GroupMetadataMember = GroupMetadataValue['members'][number];

export type CoordinatorRecord =
  | { type: 'offset'; group: string; topic: string; partition: number; value: StoredOffset | null }
  | { type: 'group'; group: string; value: GroupMetadata | null };

export interface EncodedRecord {
  key: Buffer;
  value: Buffer | null;
}

function versionPrefixed(schema: MessageSchema, version: number, value: object): Buffer {
  const w = new Writer().int16(version);
  encodeMessage(schema, version, value, w);
  return w.toBuffer();
}

export function encodeCoordinatorRecord(r: CoordinatorRecord): EncodedRecord {
  if (r.type === 'offset') {
    const key = versionPrefixed(OffsetCommitKeySchema, OFFSET_COMMIT_KEY_TYPE, { group: r.group, topic: r.topic, partition: r.partition } satisfies OffsetCommitKey);
    if (r.value === null) return { key, value: null };
    const v = r.value;
    const value: OffsetCommitValue = {
      offset: v.offset,
      leaderEpoch: v.leaderEpoch,
      metadata: v.metadata,
      commitTimestamp: BigInt(v.commitTimestamp),
      expireTimestamp: BigInt(v.expireTimestamp ?? -1),
    };
    return { key, value: versionPrefixed(OffsetCommitValueSchema, v.expireTimestamp === null ? OFFSET_VALUE_VERSION : OFFSET_VALUE_VERSION_WITH_EXPIRY, value) };
  }
  const key = versionPrefixed(GroupMetadataKeySchema, GROUP_METADATA_KEY_TYPE, { group: r.group });
  return { key, value: r.value === null ? null : versionPrefixed(GroupMetadataValueSchema, GROUP_VALUE_VERSION, r.value) };
}

export type DecodedRecord = CoordinatorRecord | { type: 'unknown'; recordType: number };

/** Decodes one record of __consumer_offsets; throws ProtocolError on malformed bytes. */
export function decodeCoordinatorRecord(key: Buffer, value: Buffer | null): DecodedRecord {
  const kr = new Reader(key);
  const recordType = kr.int16();
  if (recordType === 0 || recordType === OFFSET_COMMIT_KEY_TYPE) {
    const k = decodeMessage<OffsetCommitKey>(OffsetCommitKeySchema, recordType, kr);
    if (value === null) return { type: 'offset', group: k.group, topic: k.topic, partition: k.partition, value: null };
    const vr = new Reader(value);
    const version = vr.int16();
    if (version < 0 || version > OffsetCommitValueSchema.validVersions[1]) throw new ProtocolError(`unknown OffsetCommitValue version ${version}`);
    const v = decodeMessage<OffsetCommitValue>(OffsetCommitValueSchema, version, vr);
    const expire = version === OFFSET_VALUE_VERSION_WITH_EXPIRY && v.expireTimestamp >= 0n ? Number(v.expireTimestamp) : null;
    return {
      type: 'offset', group: k.group, topic: k.topic, partition: k.partition,
      value: { offset: v.offset, leaderEpoch: v.leaderEpoch, metadata: v.metadata, commitTimestamp: Number(v.commitTimestamp), expireTimestamp: expire },
    };
  }
  if (recordType === GROUP_METADATA_KEY_TYPE) {
    const k = decodeMessage<{ group: string }>(GroupMetadataKeySchema, recordType, kr);
    if (value === null) return { type: 'group', group: k.group, value: null };
    const vr = new Reader(value);
    const version = vr.int16();
    if (version < 0 || version > GroupMetadataValueSchema.validVersions[1]) throw new ProtocolError(`unknown GroupMetadataValue version ${version}`);
    return { type: 'group', group: k.group, value: decodeMessage<GroupMetadataValue>(GroupMetadataValueSchema, version, vr) };
  }
  return { type: 'unknown', recordType };
}

/** What replay knows of one group: its last metadata (if any) and its live offsets. */
export interface ReplayedGroup {
  groupId: string;
  metadata: GroupMetadata | null;
  /** topic → partition → offset */
  offsets: Map<string, Map<number, StoredOffset>>;
}

/**
 * Rebuilds state from records in log order: the last value per key wins and a tombstone deletes
 * its key. A group is returned when it still has metadata or at least one offset.
 */
export function replayRecords(records: Iterable<CoordinatorRecord>): Map<string, ReplayedGroup> {
  const groups = new Map<string, ReplayedGroup>();
  const entry = (groupId: string): ReplayedGroup => {
    let g = groups.get(groupId);
    if (!g) groups.set(groupId, (g = { groupId, metadata: null, offsets: new Map() }));
    return g;
  };
  for (const r of records) {
    const g = entry(r.group);
    if (r.type === 'group') {
      g.metadata = r.value;
      continue;
    }
    let byPartition = g.offsets.get(r.topic);
    if (r.value === null) {
      byPartition?.delete(r.partition);
      if (byPartition?.size === 0) g.offsets.delete(r.topic);
      continue;
    }
    if (!byPartition) g.offsets.set(r.topic, (byPartition = new Map()));
    byPartition.set(r.partition, r.value);
  }
  for (const [id, g] of groups) if (g.metadata === null && g.offsets.size === 0) groups.delete(id);
  return groups;
}
