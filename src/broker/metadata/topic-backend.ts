// Where topic deletions and topic config changes are decided. The default (KRaft-style single
// node) applies them at once; in ZooKeeper mode (broker/zk) DeleteTopics only marks topics under
// /admin/delete_topics and the controller deletes them, and config changes are written to
// /config/topics/<t> with a /config/changes notification, as Kafka 2.x does. Creation needs no seam: every creator goes through
// PartitionManager, whose topic listeners ZooKeeper mode uses to record new topics.
import type { Logger } from '../../log.js';
import { ErrorCode } from '../../protocol/error-codes.js';
import type { PartitionManager } from '../partitions.js';

export interface TopicDeleteOutcome {
  errorCode: number;
  errorMessage: string | null;
}

export interface TopicBackend {
  /**
   * Deletes existing topics; one outcome per name. May answer later (ZooKeeper mode waits for the
   * controller, up to `timeoutMs`).
   */
  deleteTopics(names: readonly string[], timeoutMs: number): Map<string, TopicDeleteOutcome> | Promise<Map<string, TopicDeleteOutcome>>;
  /** Replaces an existing topic's config overrides (already validated). */
  alterTopicConfigs(name: string, configs: ReadonlyMap<string, string>): void | Promise<void>;
}

/** The single-node default: delete the logs and metadata now, then tell the observers. */
export function localTopicBackend(partitions: PartitionManager, onTopicsDeleted: ReadonlyArray<(topics: ReadonlySet<string>) => void>, log: Logger): TopicBackend {
  return {
    deleteTopics(names) {
      const outcomes = new Map<string, TopicDeleteOutcome>();
      const deleted = new Set<string>();
      for (const name of names) {
        try {
          partitions.deleteTopic(name);
          deleted.add(name);
          outcomes.set(name, { errorCode: 0, errorMessage: null });
        } catch (err) {
          log.error(`Error deleting topic ${name}`, err);
          outcomes.set(name, { errorCode: ErrorCode.KAFKA_STORAGE_ERROR, errorMessage: (err as Error).message });
        }
      }
      if (deleted.size > 0) for (const notify of onTopicsDeleted) notify(deleted);
      return outcomes;
    },
    alterTopicConfigs(name, configs) {
      partitions.setTopicConfigs(name, configs);
    },
  };
}
