// Produce: each partition's record batch goes to its log as raw bytes (validated, offsets stamped
// in place). A failure is that partition's error code, never the whole request's. acks=0 gets no
// response at all, as in Kafka.
import { ErrorCode } from '../../protocol/error-codes.js';
import { Produce, type ProduceRequest, type ProduceResponse } from '../../protocol/messages/index.js';
import { StorageError } from '../../storage/log.js';
import { NO_RESPONSE, type HandlerResult, type RequestContext, type Route } from '../router.js';
import type { BrokerState } from '../state.js';

type PartitionResponse = ProduceResponse['responses'][number]['partitionResponses'][number];

export function produceRoute(state: BrokerState): Route {
  return {
    api: Produce,
    versions: [3, 12],
    // librdkafka only enables compression when Produce v0 is advertised (KAFKA-18659).
    advertisedMin: 0,
    handle(req: ProduceRequest, ctx: RequestContext): HandlerResult<ProduceResponse> {
      const validAcks = req.acks === -1 || req.acks === 0 || req.acks === 1;
      const now = Date.now();
      const responses = req.topicData.map((t) => ({
        name: t.name,
        partitionResponses: t.partitionData.map((p): PartitionResponse => {
          if (!validAcks) return failure(p.index, ErrorCode.INVALID_REQUIRED_ACKS);
          const partition = state.partitions.get(t.name, p.index);
          if (!partition) return failure(p.index, ErrorCode.UNKNOWN_TOPIC_OR_PARTITION);
          if (!p.records || p.records.length === 0) return failure(p.index, ErrorCode.CORRUPT_MESSAGE, 'The record set is empty.');
          try {
            const info = partition.append(p.records, now);
            return {
              index: p.index, errorCode: 0, baseOffset: info.baseOffset, logAppendTimeMs: info.logAppendTime,
              logStartOffset: info.logStartOffset, recordErrors: [], errorMessage: null, currentLeader: NO_LEADER_CHANGE,
            };
          } catch (err) {
            if (err instanceof StorageError) return failure(p.index, err.errorCode, err.message);
            state.log.error(`Error appending to ${t.name}-${p.index} for client ${ctx.header.clientId}`, err);
            return failure(p.index, ErrorCode.KAFKA_STORAGE_ERROR, 'Disk error when trying to access log file on the disk.');
          }
        }),
      }));
      if (req.acks === 0) return NO_RESPONSE;
      return { responses, throttleTimeMs: 0, nodeEndpoints: [] };
    },
  };
}

const NO_LEADER_CHANGE = { leaderId: -1, leaderEpoch: -1 };

function failure(index: number, errorCode: number, errorMessage: string | null = null): PartitionResponse {
  return { index, errorCode, baseOffset: -1n, logAppendTimeMs: -1n, logStartOffset: -1n, recordErrors: [], errorMessage, currentLeader: NO_LEADER_CHANGE };
}
