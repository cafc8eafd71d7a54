// Fetch: returns each partition's batches as the bytes stored in its segment files. When fewer
// than minBytes are available the request parks on the partitions it asked for and is answered
// on the next append to any of them, at maxWaitMs, or at shutdown — no polling loop.
// Records are never null, even on error: librdkafka breaks on a null record set (KAFKA-18646).
import { ErrorCode } from '../../protocol/error-codes.js';
import { ZERO_UUID } from '../../protocol/codec.js';
import { Fetch, type FetchRequest, type FetchResponse } from '../../protocol/messages/fetch.js';
import { StorageError, type ReadAlloc } from '../../storage/log.js';
import { BufferPool } from '../network/buffer-pool.js';
import type { Partition } from '../partitions.js';
import type { RequestContext, Route } from '../router.js';
import type { BrokerState } from '../state.js';

type TopicResponse = FetchResponse['responses'][number];
type PartitionResponse = TopicResponse['partitions'][number];

const EMPTY = Buffer.alloc(0);
const NO_EPOCH = { epoch: -1, endOffset: -1n };
const NO_LEADER = { leaderId: -1, leaderEpoch: -1 };
const NO_SNAPSHOT = { endOffset: -1n, epoch: -1 };
const READ_COMMITTED = 1;
/** Java's and librdkafka's default max.partition.fetch.bytes: one slab holds a default fetch. */
const SLAB_BYTES = 1 << 20;

export function fetchRoute(state: BrokerState): Route {
  const pool = new BufferPool(SLAB_BYTES, 64 * 1024, 8);
  return {
    api: Fetch,
    versions: [4, 17],
    async handle(req: FetchRequest, ctx: RequestContext): Promise<FetchResponse> {
      const byId = ctx.header.apiVersion >= 13;
      const deadline = Date.now() + Math.max(0, req.maxWaitMs);
      const taken: Array<Buffer<ArrayBuffer>> = [];
      const alloc: ReadAlloc = (size) => {
        const buf = pool.take(size);
        taken.push(buf);
        return buf;
      };
      const giveBack = (): void => {
        for (const buf of taken.splice(0)) pool.release(buf);
      };
      for (;;) {
        const { responses, bytes, errors, watched } = collect(state, req, byId, alloc);
        const remaining = deadline - Date.now();
        if (bytes >= req.minBytes || errors || remaining <= 0 || watched.length === 0 || state.shutdown.aborted) {
          if (ctx.whenSent) ctx.whenSent(giveBack);
          return { throttleTimeMs: 0, errorCode: 0, sessionId: 0, responses, nodeEndpoints: [] };
        }
        giveBack(); // this round's responses are dropped: their bytes are free again
        await nextAppend(watched, remaining, state.shutdown);
      }
    },
  };
}

function collect(state: BrokerState, req: FetchRequest, byId: boolean, alloc: ReadAlloc) {
  let budget = req.maxBytes;
  let bytes = 0;
  let errors = false;
  const watched: Partition[] = [];
  const abortedTransactions = req.isolationLevel === READ_COMMITTED ? [] : null;
  const responses: TopicResponse[] = req.topics.map((t) => {
    const topic = byId ? state.metadata.byId(t.topicId) : state.metadata.get(t.topic);
    const unknownTopic = byId ? ErrorCode.UNKNOWN_TOPIC_ID : ErrorCode.UNKNOWN_TOPIC_OR_PARTITION;
    return {
      topic: topic?.name ?? t.topic,
      topicId: topic?.id ?? (byId ? t.topicId : ZERO_UUID),
      partitions: t.partitions.map((p): PartitionResponse => {
        const reply = (errorCode: number, highWatermark = -1n, logStartOffset = -1n, records = EMPTY): PartitionResponse => ({
          partitionIndex: p.partition, errorCode, highWatermark, lastStableOffset: highWatermark, logStartOffset,
          divergingEpoch: NO_EPOCH, currentLeader: NO_LEADER, snapshotId: NO_SNAPSHOT,
          abortedTransactions: errorCode === 0 ? abortedTransactions : null, preferredReadReplica: -1, records,
        });
        const partition = topic ? state.partitions.get(topic.name, p.partition) : undefined;
        if (!partition) {
          errors = true;
          return reply(topic ? ErrorCode.UNKNOWN_TOPIC_OR_PARTITION : unknownTopic);
        }
        const log = partition.log;
        try {
          const limit = Math.min(p.partitionMaxBytes, budget);
          // The first partition with data returns at least one whole batch, so a batch larger
          // than the limits can still be consumed (KIP-74).
          const records = limit > 0 || bytes === 0 ? log.read(p.fetchOffset, Math.max(limit, 0), bytes === 0, alloc) : EMPTY;
          bytes += records.length;
          budget -= records.length;
          if (records.length === 0) watched.push(partition);
          return reply(0, log.logEndOffset, log.logStartOffset, records);
        } catch (err) {
          if (!(err instanceof StorageError)) throw err;
          errors = true;
          return reply(err.errorCode);
        }
      }),
    };
  });
  return { responses, bytes, errors, watched };
}

function nextAppend(partitions: readonly Partition[], timeoutMs: number, shutdown: AbortSignal): Promise<void> {
  return new Promise((resolve) => {
    const cancels: Array<() => void> = [];
    const done = (): void => {
      clearTimeout(timer);
      shutdown.removeEventListener('abort', done);
      for (const c of cancels) c();
      resolve();
    };
    const timer = setTimeout(done, timeoutMs);
    shutdown.addEventListener('abort', done);
    for (const p of partitions) cancels.push(p.onNextAppend(done));
  });
}
