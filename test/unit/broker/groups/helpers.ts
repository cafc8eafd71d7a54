// Shared by the coordinator unit tests: a coordinator on an in-memory log, and consumer-protocol
// subscription bytes.
import { groupConfigFrom, type GroupConfig } from '../../../../src/broker/groups/config.js';
import { GroupCoordinator } from '../../../../src/broker/groups/coordinator.js';
import { MemoryCoordinatorLog } from '../../../../src/broker/groups/offsets-log.js';
import { silentLogger } from '../../../../src/log.js';
import { encodeMessage } from '../../../../src/protocol/codec.js';
import { ConsumerProtocolSubscriptionSchema } from '../../../../src/protocol/messages/consumer-protocol-subscription.js';
import { Writer } from '../../../../src/protocol/writer.js';

export function subscription(topics: string[]): Buffer {
  const w = new Writer().int16(0);
  encodeMessage(ConsumerProtocolSubscriptionSchema, 0, { topics, userData: null }, w);
  return w.toBuffer();
}

export function harness(overrides: Partial<GroupConfig> = {}) {
  const store = new MemoryCoordinatorLog(silentLogger);
  const config: GroupConfig = { ...groupConfigFrom(new Map()), initialRebalanceDelayMs: 0, ...overrides };
  const coord = new GroupCoordinator({ config, store, log: silentLogger });
  return { coord, store, config };
}
