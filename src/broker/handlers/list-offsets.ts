// ListOffsets: earliest (-2), latest (-1), max timestamp (-3), earliest local (-4), latest
// tiered (-5, nothing is tiered here) and the first offset at or after a timestamp.
import { ErrorCode } from '../../protocol/error-codes.js';
import { ListOffsets, type ListOffsetsRequest, type ListOffsetsResponse } from '../../protocol/messages/list-offsets.js';
import { StorageError } from '../../storage/log.js';
import type { Route } from '../router.js';
import type { BrokerState } from '../state.js';

const LATEST = -1n;
const EARLIEST = -2n;
const MAX_TIMESTAMP = -3n;
const EARLIEST_LOCAL = -4n;
const LATEST_TIERED = -5n;

type PartitionResult = ListOffsetsResponse['topics'][number]['partitions'][number];

export function listOffsetsRoute(state: BrokerState): Route {
  return {
    api: ListOffsets,
    versions: [1, 10],
    handle(req: ListOffsetsRequest): ListOffsetsResponse {
      const topics = req.topics.map((t) => ({
        name: t.name,
        partitions: t.partitions.map((p): PartitionResult => {
          const reply = (errorCode: number, offset = -1n, timestamp = -1n): PartitionResult => ({ partitionIndex: p.partitionIndex, errorCode, timestamp, offset, leaderEpoch: errorCode === 0 ? 0 : -1 });
          const partition = state.partitions.get(t.name, p.partitionIndex);
          if (!partition) return reply(ErrorCode.UNKNOWN_TOPIC_OR_PARTITION);
          const log = partition.log;
          try {
            switch (p.timestamp) {
              case LATEST: return reply(0, log.logEndOffset);
              case EARLIEST:
              case EARLIEST_LOCAL: return reply(0, log.logStartOffset);
              case LATEST_TIERED: return reply(0, -1n);
              case MAX_TIMESTAMP: {
                const max = log.maxTimestamp();
                return max ? reply(0, max.offset, max.timestamp) : reply(0);
              }
              default: {
                const found = log.offsetForTimestamp(p.timestamp);
                return found ? reply(0, found.offset, found.timestamp) : reply(0);
              }
            }
          } catch (err) {
            if (err instanceof StorageError) return reply(err.errorCode);
            throw err;
          }
        }),
      }));
      return { throttleTimeMs: 0, topics };
    },
  };
}
