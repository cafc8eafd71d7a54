// DeleteRecords: moves each partition's log start offset up to the requested offset (-1 means the
// high watermark, which on this single node is the log end offset) and deletes the segments that
// fall wholly below it. The answer's lowWatermark is the new log start offset. As in Kafka, an
// offset past the high watermark is OFFSET_OUT_OF_RANGE, and a compact-only topic refuses with
// POLICY_VIOLATION. The new start offsets are checkpointed before the response goes out, so they
// survive a crash.
import { ErrorCode } from '../../protocol/error-codes.js';
import { DeleteRecords, type DeleteRecordsRequest, type DeleteRecordsResponse } from '../../protocol/messages/delete-records.js';
import { StorageError } from '../../storage/log.js';
import { checkpointLogStartOffsets, retentionPolicyFor } from '../log-maintenance.js';
import type { RequestContext, Route } from '../router.js';
import type { BrokerState } from '../state.js';

type PartitionResult = DeleteRecordsResponse['topics'][number]['partitions'][number];

/** DeleteRecordsRequest.HIGH_WATERMARK */
const HIGH_WATERMARK = -1n;

export function deleteRecordsRoute(state: BrokerState): Route {
  return {
    api: DeleteRecords,
    versions: [0, 2],
    handle(req: DeleteRecordsRequest, ctx: RequestContext): DeleteRecordsResponse {
      let moved = false;
      const topics = req.topics.map((t) => ({
        name: t.name,
        partitions: t.partitions.map((p): PartitionResult => {
          const reply = (errorCode: number, lowWatermark = -1n): PartitionResult => ({ partitionIndex: p.partitionIndex, lowWatermark, errorCode });
          const partition = state.partitions.get(t.name, p.partitionIndex);
          if (!partition) return reply(ErrorCode.UNKNOWN_TOPIC_OR_PARTITION);
          const topic = state.metadata.get(t.name) ?? partition.topic;
          const policy = retentionPolicyFor(topic.configs, state.config.props);
          if (!policy.deleteEnabled) return reply(ErrorCode.POLICY_VIOLATION);
          const log = partition.log;
          try {
            const before = log.logStartOffset;
            const target = p.offset === HIGH_WATERMARK ? log.logEndOffset : p.offset;
            const low = log.deleteRecordsBefore(target, policy.fileDeleteDelayMs);
            if (low !== before) moved = true;
            return reply(0, low);
          } catch (err) {
            if (err instanceof StorageError) return reply(err.errorCode);
            state.log.error(`Error deleting records of ${t.name}-${p.partitionIndex} for client ${ctx.header.clientId}`, err);
            return reply(ErrorCode.KAFKA_STORAGE_ERROR);
          }
        }),
      }));
      if (moved) checkpointLogStartOffsets(state, state.log);
      return { throttleTimeMs: 0, topics };
    },
  };
}
