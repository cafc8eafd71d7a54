// The group coordinator as the broker runs it: its config from the broker's properties, its
// records in __consumer_offsets (replayed on start), offset expiry on a timer, and everything
// stopped when the broker's shutdown signal fires.
import type { BrokerState } from '../state.js';
import { groupConfigFrom } from './config.js';
import { GroupCoordinator } from './coordinator.js';
import { OFFSETS_TOPIC, OffsetsTopicLog } from './offsets-log.js';

export { GroupCoordinator } from './coordinator.js';
export { OffsetsTopicLog, OFFSETS_TOPIC } from './offsets-log.js';

export interface BrokerGroups {
  readonly coordinator: GroupCoordinator;
  readonly offsetsTopic: OffsetsTopicLog;
}

/** Call after the partitions are open: replays __consumer_offsets, then serves until shutdown. */
export function startGroupCoordinator(state: BrokerState): BrokerGroups {
  const config = groupConfigFrom(state.config.props);
  const log = state.log.child('kafka.coordinator.group.GroupCoordinator');
  const offsetsTopic = new OffsetsTopicLog(state.partitions, config, state.log.child('kafka.coordinator.group.GroupMetadataManager'));
  const coordinator = new GroupCoordinator({
    config,
    store: offsetsTopic,
    log,
    describePartition: (groupId) => `${OFFSETS_TOPIC}-${offsetsTopic.partitionFor(groupId)}`,
  });
  coordinator.load();
  coordinator.startExpiry();
  if (state.shutdown.aborted) coordinator.close();
  else state.shutdown.addEventListener('abort', () => coordinator.close(), { once: true });
  return { coordinator, offsetsTopic };
}
