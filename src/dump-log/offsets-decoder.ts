// `--offsets-decoder`: records of __consumer_offsets printed as Kafka's OffsetsMessageParser prints
// them: key `{"type":"<record type>","data":{...}}`, value `{"version":"<v>","data":{...}}`,
// `<DELETE>` for a tombstone. A classic group's member subscription and assignment bytes are
// replaced by their decoded JSON when the group uses the consumer protocol.
//
// Record layout (see shared/reference/kafka-protocol/coordinator-records/README.md):
//   key   = int16 record type ‖ key struct at version = record type
//   value = int16 version     ‖ value struct at that version         (null = tombstone)
import { decodeStruct, isFlexible } from '../protocol/codec.js';
import {
  ConsumerGroupCurrentMemberAssignmentKeySchema, ConsumerGroupCurrentMemberAssignmentValueSchema, ConsumerGroupMemberMetadataKeySchema,
  ConsumerGroupMemberMetadataValueSchema, ConsumerGroupMetadataKeySchema, ConsumerGroupMetadataValueSchema, ConsumerGroupPartitionMetadataKeySchema,
  ConsumerGroupPartitionMetadataValueSchema, ConsumerGroupRegularExpressionKeySchema, ConsumerGroupRegularExpressionValueSchema,
  ConsumerGroupTargetAssignmentMemberKeySchema, ConsumerGroupTargetAssignmentMemberValueSchema, ConsumerGroupTargetAssignmentMetadataKeySchema,
  ConsumerGroupTargetAssignmentMetadataValueSchema, GroupMetadataKeySchema, GroupMetadataValueSchema, OffsetCommitKeySchema, OffsetCommitValueSchema,
  ShareGroupCurrentMemberAssignmentKeySchema, ShareGroupCurrentMemberAssignmentValueSchema, ShareGroupMemberMetadataKeySchema,
  ShareGroupMemberMetadataValueSchema, ShareGroupMetadataKeySchema, ShareGroupMetadataValueSchema, ShareGroupPartitionMetadataKeySchema,
  ShareGroupPartitionMetadataValueSchema, ShareGroupStatePartitionMetadataKeySchema, ShareGroupStatePartitionMetadataValueSchema,
  ShareGroupTargetAssignmentMemberKeySchema, ShareGroupTargetAssignmentMemberValueSchema, ShareGroupTargetAssignmentMetadataKeySchema,
  ShareGroupTargetAssignmentMetadataValueSchema,
} from '../protocol/coordinator-records/index.js';
import { ConsumerProtocolAssignmentSchema } from '../protocol/messages/consumer-protocol-assignment.js';
import { ConsumerProtocolSubscriptionSchema } from '../protocol/messages/consumer-protocol-subscription.js';
import { Reader } from '../protocol/reader.js';
import { inRange, type MessageSchema } from '../protocol/schema.js';
import { stringifyJson, structToJson, type JsonObject } from './json.js';

const PAIRS: ReadonlyArray<readonly [MessageSchema, MessageSchema]> = [
  [OffsetCommitKeySchema, OffsetCommitValueSchema],
  [GroupMetadataKeySchema, GroupMetadataValueSchema],
  [ConsumerGroupMetadataKeySchema, ConsumerGroupMetadataValueSchema],
  [ConsumerGroupPartitionMetadataKeySchema, ConsumerGroupPartitionMetadataValueSchema],
  [ConsumerGroupMemberMetadataKeySchema, ConsumerGroupMemberMetadataValueSchema],
  [ConsumerGroupTargetAssignmentMetadataKeySchema, ConsumerGroupTargetAssignmentMetadataValueSchema],
  [ConsumerGroupTargetAssignmentMemberKeySchema, ConsumerGroupTargetAssignmentMemberValueSchema],
  [ConsumerGroupCurrentMemberAssignmentKeySchema, ConsumerGroupCurrentMemberAssignmentValueSchema],
  [ShareGroupPartitionMetadataKeySchema, ShareGroupPartitionMetadataValueSchema],
  [ShareGroupMemberMetadataKeySchema, ShareGroupMemberMetadataValueSchema],
  [ShareGroupMetadataKeySchema, ShareGroupMetadataValueSchema],
  [ShareGroupTargetAssignmentMetadataKeySchema, ShareGroupTargetAssignmentMetadataValueSchema],
  [ShareGroupTargetAssignmentMemberKeySchema, ShareGroupTargetAssignmentMemberValueSchema],
  [ShareGroupCurrentMemberAssignmentKeySchema, ShareGroupCurrentMemberAssignmentValueSchema],
  [ShareGroupStatePartitionMetadataKeySchema, ShareGroupStatePartitionMetadataValueSchema],
  [ConsumerGroupRegularExpressionKeySchema, ConsumerGroupRegularExpressionValueSchema],
];

/** Record type → key and value schema: each key schema's versions are the types it serves. */
const BY_TYPE = new Map<number, readonly [MessageSchema, MessageSchema]>();
for (const pair of PAIRS) for (let t = pair[0].validVersions[0]; t <= pair[0].validVersions[1]; t++) BY_TYPE.set(t, pair);

const CONSUMER_PROTOCOL_TYPE = 'consumer';

class UnknownRecordType extends Error {
  constructor(readonly recordType: number) {
    super(`Unknown record type ${recordType}`);
  }
}

function readVersion(buf: Buffer, what: string): number {
  if (buf.length < 2) throw new Error(`Could not read version from ${what}'s buffer.`);
  return buf.readInt16BE(0);
}

function readStruct(schema: MessageSchema, buf: Buffer, version: number, what: string): Record<string, unknown> {
  try {
    return decodeStruct(new Reader(buf, 2), schema.fields, version, isFlexible(schema, version));
  } catch (err) {
    throw new Error(`Could not read record with version ${version} from ${what}'s buffer due to: ${(err as Error).message}.`);
  }
}

/** Decodes a version-prefixed embedded protocol blob, or null when it does not decode (Kafka keeps the bytes then). */
function embedded(schema: MessageSchema, bytes: Buffer): JsonObject | null {
  try {
    const version = readVersion(bytes, 'embedded');
    if (version < schema.validVersions[0] || version > schema.validVersions[1]) return null;
    return structToJson(schema.fields, decodeStruct(new Reader(bytes, 2), schema.fields, version, isFlexible(schema, version)), version);
  } catch {
    return null;
  }
}

function groupMetadataJson(value: Record<string, unknown>, version: number): JsonObject {
  const json = structToJson(GroupMetadataValueSchema.fields, value, version);
  if (json.protocolType !== CONSUMER_PROTOCOL_TYPE || !Array.isArray(json.members)) return json;
  for (const member of json.members as JsonObject[]) {
    if (Buffer.isBuffer(member.subscription)) member.subscription = embedded(ConsumerProtocolSubscriptionSchema, member.subscription) ?? member.subscription;
    if (Buffer.isBuffer(member.assignment)) member.assignment = embedded(ConsumerProtocolAssignmentSchema, member.assignment) ?? member.assignment;
  }
  return json;
}

/**
 * The printed key and payload of one __consumer_offsets record (payload undefined: not printed).
 * Records that do not decode become Kafka's "skipping" key line instead of an error.
 */
export function decodeOffsetsRecord(offset: bigint, key: Buffer | null, value: Buffer | null): { key: string; payload?: string } {
  if (key === null) {
    throw new Error(`Failed to decode message at offset ${offset} using offset topic decoder (message had a missing key)`);
  }
  try {
    const recordType = readVersion(key, 'key');
    const pair = BY_TYPE.get(recordType);
    if (!pair) throw new UnknownRecordType(recordType);
    const [keySchema, valueSchema] = pair;
    const keyJson = stringifyJson({ type: String(recordType), data: structToJson(keySchema.fields, readStruct(keySchema, key, recordType, 'key'), recordType) });
    if (value === null) return { key: keyJson, payload: '<DELETE>' };
    const version = readVersion(value, 'value');
    if (!inRange(version, valueSchema.validVersions)) throw new Error(`Unknown version ${version} of ${valueSchema.name}`);
    const decoded = readStruct(valueSchema, value, version, 'value');
    const data = valueSchema === GroupMetadataValueSchema ? groupMetadataJson(decoded, version) : structToJson(valueSchema.fields, decoded, version);
    return { key: keyJson, payload: stringifyJson({ version: String(version), data }) };
  } catch (err) {
    if (err instanceof UnknownRecordType) return { key: `Unknown record type ${err.recordType} at offset ${offset}, skipping.` };
    return { key: `Error at offset ${offset}, skipping. ${(err as Error).message}` };
  }
}
