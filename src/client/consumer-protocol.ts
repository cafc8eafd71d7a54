// The consumer protocol carried inside classic group messages: a member's subscription (JoinGroup
// metadata, DescribeGroups memberMetadata) and its assignment (SyncGroup, DescribeGroups
// memberAssignment). Each blob is an int16 version followed by the struct at that version. A
// version newer than ours is read as the newest we know: every version only appends fields, so
// the fields we know come first (Kafka's ConsumerProtocol reads them the same way). Also the range
// assignor, the eager strategy the Java consumer picks by default.
import { decodeMessage, encodeMessage } from '../protocol/codec.js';
import { ConsumerProtocolAssignmentSchema, type ConsumerProtocolAssignment } from '../protocol/messages/consumer-protocol-assignment.js';
import { ConsumerProtocolSubscriptionSchema, type ConsumerProtocolSubscription } from '../protocol/messages/consumer-protocol-subscription.js';
import { Reader } from '../protocol/reader.js';
import type { MessageSchema } from '../protocol/schema.js';
import { Writer } from '../protocol/writer.js';

/** The protocol type of every consumer group (JoinGroup protocolType). */
export const CONSUMER_PROTOCOL_TYPE = 'consumer';

export interface TopicPartitions {
  topic: string;
  partitions: number[];
}

export interface Subscription {
  topics: string[];
  userData: Buffer | null;
  ownedPartitions: TopicPartitions[];
  generationId: number;
  rackId: string | null;
  /** The version the blob was written at. */
  version: number;
}

const SUBSCRIPTION_MAX = ConsumerProtocolSubscriptionSchema.validVersions[1];
const ASSIGNMENT_MAX = ConsumerProtocolAssignmentSchema.validVersions[1];

function encodeVersioned(schema: MessageSchema, version: number, value: object): Buffer {
  const w = new Writer().int16(version);
  encodeMessage(schema, version, value, w);
  return w.toBuffer();
}

function decodeVersioned<T>(schema: MessageSchema, bytes: Buffer): { version: number; value: T } {
  if (bytes.length < 2) throw new Error(`${schema.name}: ${bytes.length} bytes is too short for a version`);
  const r = new Reader(bytes);
  const version = r.int16();
  if (version < 0) throw new Error(`${schema.name}: negative version ${version}`);
  return { version, value: decodeMessage<T>(schema, Math.min(version, schema.validVersions[1]), r) };
}

export function encodeSubscription(sub: Partial<Subscription> & { topics: string[] }, version = SUBSCRIPTION_MAX): Buffer {
  return encodeVersioned(ConsumerProtocolSubscriptionSchema, version, {
    topics: sub.topics,
    userData: sub.userData ?? null,
    ownedPartitions: sub.ownedPartitions ?? [],
    generationId: sub.generationId ?? -1,
    rackId: sub.rackId ?? null,
  } satisfies ConsumerProtocolSubscription);
}

export function decodeSubscription(bytes: Buffer): Subscription {
  const { version, value } = decodeVersioned<ConsumerProtocolSubscription>(ConsumerProtocolSubscriptionSchema, bytes);
  return { ...value, version };
}

export function encodeAssignment(partitions: readonly TopicPartitions[], version = 0, userData: Buffer | null = null): Buffer {
  return encodeVersioned(ConsumerProtocolAssignmentSchema, Math.min(version, ASSIGNMENT_MAX), {
    assignedPartitions: partitions.map((p) => ({ topic: p.topic, partitions: [...p.partitions] })),
    userData,
  } satisfies ConsumerProtocolAssignment);
}

/** The assigned partitions; an empty blob (a member without an assignment yet) is none. */
export function decodeAssignment(bytes: Buffer): TopicPartitions[] {
  if (bytes.length === 0) return [];
  return decodeVersioned<ConsumerProtocolAssignment>(ConsumerProtocolAssignmentSchema, bytes).value.assignedPartitions;
}

// ---- range assignor -------------------------------------------------------------------------

export interface AssignorMember {
  memberId: string;
  groupInstanceId: string | null;
  topics: readonly string[];
}

/**
 * Kafka's RangeAssignor: per topic, the subscribed members in order (static members by instance
 * id first, as Java orders them, then by member id) take consecutive ranges of partitions; the
 * first `partitions % members` get one extra. Topics missing from `partitionsPerTopic` (not
 * existing yet) are skipped. Every member appears in the result, possibly with nothing.
 */
export function rangeAssign(members: readonly AssignorMember[], partitionsPerTopic: ReadonlyMap<string, number>): Map<string, TopicPartitions[]> {
  const out = new Map<string, TopicPartitions[]>(members.map((m) => [m.memberId, []]));
  const order = (a: AssignorMember, b: AssignorMember): number => {
    const ka = a.groupInstanceId ?? '';
    const kb = b.groupInstanceId ?? '';
    if ((a.groupInstanceId === null) !== (b.groupInstanceId === null)) return a.groupInstanceId === null ? 1 : -1;
    if (ka !== kb) return ka < kb ? -1 : 1;
    return a.memberId < b.memberId ? -1 : a.memberId > b.memberId ? 1 : 0;
  };
  const topics = [...new Set(members.flatMap((m) => m.topics))].sort();
  for (const topic of topics) {
    const count = partitionsPerTopic.get(topic);
    if (count === undefined || count <= 0) continue;
    const subscribers = members.filter((m) => m.topics.includes(topic)).sort(order);
    const each = Math.floor(count / subscribers.length);
    const extra = count % subscribers.length;
    subscribers.forEach((m, i) => {
      const start = each * i + Math.min(i, extra);
      const length = each + (i < extra ? 1 : 0);
      if (length === 0) return;
      out.get(m.memberId)!.push({ topic, partitions: Array.from({ length }, (_, j) => start + j) });
    });
  }
  return out;
}
