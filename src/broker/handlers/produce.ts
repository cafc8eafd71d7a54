// Produce: each partition's record batch goes to its log as raw bytes (validated, offsets stamped
// in place). A failure is that partition's error code, never the whole request's. acks=0 gets no
// response at all, as in Kafka. Compacted topics refuse keyless records; the log checks that
// inside append(), except for zstd batches, which decompress only asynchronously and are checked
// before any append of the request (appends themselves stay synchronous and in request order).
import { ErrorCode } from '../../protocol/error-codes.js';
import { Produce, type ProduceRequest, type ProduceResponse } from '../../protocol/messages/produce.js';
import { StorageError, type RecordError } from '../../storage/log.js';
import { NO_RESPONSE, type HandlerResult, type RequestContext, type Route } from '../router.js';
import type { BrokerState } from '../state.js';

type PartitionResponse = ProduceResponse['responses'][number]['partitionResponses'][number];

export function produceRoute(state: BrokerState): Route {
  return {
    api: Produce,
    versions: [3, 12],
    // librdkafka only enables compression when Produce v0 is advertised (KAFKA-18659).
    advertisedMin: 0,
    handle(req: ProduceRequest, ctx: RequestContext): HandlerResult<ProduceResponse> | Promise<HandlerResult<ProduceResponse>> {
      const pending: Array<Promise<[Buffer, StorageError | null]>> = [];
      for (const t of req.topicData) {
        for (const p of t.partitionData) {
          const log = p.records && state.partitions.get(t.name, p.index)?.log;
          if (log && log.needsKeyCheck(p.records!)) {
            const records = p.records!;
            pending.push(log.checkKeys(records).then(() => [records, null], (err: unknown) => [records, err instanceof StorageError ? err : new StorageError(ErrorCode.CORRUPT_MESSAGE, String(err))]));
          }
        }
      }
      if (pending.length === 0) return respond(req, ctx, NO_CHECKS);
      return Promise.all(pending).then((checks) => respond(req, ctx, new Map(checks)));
    },
  };

  /** Appends every partition's batch; `checks` holds the outcome of the key checks made beforehand. */
  function respond(req: ProduceRequest, ctx: RequestContext, checks: ReadonlyMap<Buffer, StorageError | null>): HandlerResult<ProduceResponse> {
    const validAcks = req.acks === -1 || req.acks === 0 || req.acks === 1;
    const now = Date.now();
    const responses = req.topicData.map((t) => ({
      name: t.name,
      partitionResponses: t.partitionData.map((p): PartitionResponse => {
        if (!validAcks) return failure(p.index, ErrorCode.INVALID_REQUIRED_ACKS);
        const partition = state.partitions.get(t.name, p.index);
        if (!partition) return failure(p.index, ErrorCode.UNKNOWN_TOPIC_OR_PARTITION);
        if (!p.records || p.records.length === 0) return failure(p.index, ErrorCode.CORRUPT_MESSAGE, 'The record set is empty.');
        const checked = checks.get(p.records);
        if (checked) return failure(p.index, checked.errorCode, checked.message, checked.recordErrors);
        try {
          const info = partition.append(p.records, now, checked === null);
          return {
            index: p.index, errorCode: 0, baseOffset: info.baseOffset, logAppendTimeMs: info.logAppendTime,
            logStartOffset: info.logStartOffset, recordErrors: [], errorMessage: null, currentLeader: NO_LEADER_CHANGE,
          };
        } catch (err) {
          if (err instanceof StorageError) return failure(p.index, err.errorCode, err.message, err.recordErrors);
          state.log.error(`Error appending to ${t.name}-${p.index} for client ${ctx.header.clientId}`, err);
          return failure(p.index, ErrorCode.KAFKA_STORAGE_ERROR, 'Disk error when trying to access log file on the disk.');
        }
      }),
    }));
    if (req.acks === 0) return NO_RESPONSE;
    return { responses, throttleTimeMs: 0, nodeEndpoints: [] };
  }
}

const NO_CHECKS: ReadonlyMap<Buffer, StorageError | null> = new Map();

const NO_LEADER_CHANGE = { leaderId: -1, leaderEpoch: -1 };

function failure(index: number, errorCode: number, errorMessage: string | null = null, recordErrors: readonly RecordError[] = []): PartitionResponse {
  return {
    index, errorCode, baseOffset: -1n, logAppendTimeMs: -1n, logStartOffset: -1n, errorMessage, currentLeader: NO_LEADER_CHANGE,
    recordErrors: recordErrors.map((e) => ({ batchIndex: e.batchIndex, batchIndexErrorMessage: e.message })),
  };
}
