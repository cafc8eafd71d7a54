// The wire producer against a scripted in-memory broker (no sockets): batching by batch.size,
// linger.ms and flush, one batch per partition per request, the in-flight limit, retries and
// their order, acks=0, metadata waits, size limits, back-pressure and idempotent sequences.
import { afterEach, describe, expect, it, vi } from 'vitest';
import { NetworkError } from '../../../src/client/broker-connection.js';
import { producerConfig } from '../../../src/client/producer-config.js';
import { partitionForKey } from '../../../src/client/partitioner.js';
import type { KafkaWireClient } from '../../../src/client/wire-client.js';
import { WireProducer, type RecordMetadata } from '../../../src/client/wire-producer.js';
import { createLogger, type Logger } from '../../../src/log.js';
import type { ProduceRequest, ProduceResponse } from '../../../src/protocol/messages/index.js';
import { decodeRecordBatchesSync } from '../../../src/protocol/records/records.js';

interface Sent {
  acks: number;
  /** topic → partition → values of the batch's records. */
  parts: Array<{ topic: string; partition: number; values: string[]; producerId: bigint; baseSequence: number }>;
}

type Reply = number | 'network';

/** An in-memory broker behind a fake wire client: records every Produce and answers as scripted. */
class FakeCluster {
  readonly sent: Sent[] = [];
  readonly logs = new Map<string, string[]>();
  /** Per topic: partition count, or an error code Metadata answers with (consumed in order; the last repeats). */
  readonly topics = new Map<string, Array<number | { partitions: number; leader?: number }>>();
  /** Error per attempt of a partition's batches, by `topic-partition`: consumed in order, then 0. */
  readonly replies = new Map<string, Reply[]>();
  autoRespond = true;
  readonly held: Array<() => void> = [];
  metadataCalls = 0;
  initProducerIdCalls = 0;
  /** Idempotence: next expected sequence per partition. */
  private readonly expected = new Map<string, number>();

  readonly connection = {
    isOpen: true,
    version: () => 9,
    lastCorrelationId: 0,
    send: (_api: unknown, _v: number, body: ProduceRequest): Promise<ProduceResponse> => {
      this.connection.lastCorrelationId++;
      const sent = this.record(body);
      return new Promise((resolve, reject) => {
        const answer = (): void => {
          const network = sent.parts.some((p) => this.peek(`${p.topic}-${p.partition}`) === 'network');
          if (network) {
            for (const p of sent.parts) this.next(`${p.topic}-${p.partition}`);
            reject(new NetworkError('Connection to node 1 was disconnected'));
            return;
          }
          resolve(this.respond(sent));
        };
        if (this.autoRespond) queueMicrotask(answer);
        else this.held.push(answer);
      });
    },
    sendOneWay: (_api: unknown, _v: number, body: ProduceRequest): Promise<void> => {
      this.connection.lastCorrelationId++;
      this.respond(this.record(body));
      return Promise.resolve();
    },
    request: async () => {
      this.initProducerIdCalls++;
      return { throttleTimeMs: 0, errorCode: 0, producerId: 1000n + BigInt(this.initProducerIdCalls), producerEpoch: 0 };
    },
  };

  readonly client = {
    settings: { retryBackoffMs: 10 },
    metadata: async (_call: string, names: string[]) => {
      this.metadataCalls++;
      return {
        brokers: [], controllerId: 1, clusterId: 'c', throttleTimeMs: 0, clusterAuthorizedOperations: 0, errorCode: 0,
        topics: names.map((name) => {
          const script = this.topics.get(name) ?? [{ partitions: 1 }];
          const step = script.length > 1 ? script.shift()! : script[0]!;
          if (typeof step === 'number') return { errorCode: step, name, topicId: '', isInternal: false, partitions: [], topicAuthorizedOperations: 0 };
          const partitions = Array.from({ length: step.partitions }, (_, i) => ({ errorCode: 0, partitionIndex: i, leaderId: step.leader ?? 1, leaderEpoch: 0, replicaNodes: [1], isrNodes: [1], offlineReplicas: [] }));
          return { errorCode: 0, name, topicId: '', isInternal: false, partitions, topicAuthorizedOperations: 0 };
        }),
      };
    },
    connection: async () => this.connection,
    anyConnection: async () => this.connection,
  };

  releaseOne(): void {
    this.held.shift()?.();
  }

  private record(body: ProduceRequest): Sent {
    const sent: Sent = { acks: body.acks, parts: [] };
    for (const t of body.topicData) {
      for (const p of t.partitionData) {
        const [batch] = decodeRecordBatchesSync(p.records!);
        sent.parts.push({ topic: t.name, partition: p.index, values: batch!.records.map((r) => r.value!.toString()), producerId: batch!.header.producerId, baseSequence: batch!.header.baseSequence });
      }
    }
    this.sent.push(sent);
    return sent;
  }

  private peek(tp: string): Reply {
    return this.replies.get(tp)?.[0] ?? 0;
  }

  private next(tp: string): Reply {
    return this.replies.get(tp)?.shift() ?? 0;
  }

  private respond(sent: Sent): ProduceResponse {
    const byTopic = new Map<string, ProduceResponse['responses'][number]['partitionResponses']>();
    for (const p of sent.parts) {
      const tp = `${p.topic}-${p.partition}`;
      let code = this.next(tp) as number;
      const log = this.logs.get(tp) ?? [];
      if (code === 0 && p.producerId >= 0n) {
        const expected = this.expected.get(tp) ?? 0;
        if (p.baseSequence !== expected) code = 45; // OUT_OF_ORDER_SEQUENCE_NUMBER
        else this.expected.set(tp, expected + p.values.length);
      }
      const baseOffset = BigInt(log.length);
      if (code === 0) this.logs.set(tp, [...log, ...p.values]);
      const list = byTopic.get(p.topic) ?? [];
      list.push({ index: p.partition, errorCode: code, baseOffset: code === 0 ? baseOffset : -1n, logAppendTimeMs: -1n, logStartOffset: 0n, recordErrors: [], errorMessage: null, currentLeader: { leaderId: -1, leaderEpoch: -1 } });
      byTopic.set(p.topic, list);
    }
    return { responses: [...byTopic].map(([name, partitionResponses]) => ({ name, partitionResponses })), throttleTimeMs: 0, nodeEndpoints: [] };
  }
}

let cluster: FakeCluster;
const producers: WireProducer[] = [];

function setup(props: Record<string, string> = {}, logger?: Logger): WireProducer {
  cluster = new FakeCluster();
  const config = producerConfig(new Map(Object.entries({ 'linger.ms': '0', 'retry.backoff.ms': '5', ...props })));
  const p = new WireProducer(cluster.client as unknown as KafkaWireClient, config, { logger, logPrefix: '[Producer clientId=test] ' });
  producers.push(p);
  return p;
}

afterEach(async () => {
  for (const p of producers.splice(0)) await p.close().catch(() => {});
});

const value = (s: string) => ({ topic: 't', value: Buffer.from(s) });
const collect = () => {
  const results: Array<{ error: Error | null; offset: bigint; partition: number }> = [];
  const callback = (error: Error | null, m: RecordMetadata): void => {
    results.push({ error, offset: m.offset, partition: m.partition });
  };
  return { results, callback };
};

describe('WireProducer batching', () => {
  it('fills batches up to batch.size and sends full ones before linger.ms', async () => {
    const p = setup({ 'batch.size': '300', 'linger.ms': '60000' });
    const { results, callback } = collect();
    for (let i = 0; i < 20; i++) p.send(value(`record-${String(i).padStart(2, '0')}-${'x'.repeat(40)}`), callback);
    await vi.waitFor(() => expect(cluster.sent.length).toBeGreaterThan(0));
    const early = cluster.sent.flatMap((s) => s.parts.map((x) => x.values.length));
    expect(early.every((n) => n === early[0])).toBe(true); // only full batches so far
    expect(results.length).toBeLessThan(20);
    await p.flush();
    const sizes = cluster.sent.flatMap((s) => s.parts.map((x) => x.values.length));
    expect(sizes.reduce((a, b) => a + b, 0)).toBe(20);
    expect(sizes.length).toBeGreaterThan(3);
    expect(cluster.logs.get('t-0')).toEqual(Array.from({ length: 20 }, (_, i) => `record-${String(i).padStart(2, '0')}-${'x'.repeat(40)}`));
    expect(results.map((r) => r.offset)).toEqual(Array.from({ length: 20 }, (_, i) => BigInt(i)));
    expect(results.every((r) => r.error === null)).toBe(true);
  });

  it('lingers up to linger.ms, then sends what it has', async () => {
    const p = setup({ 'linger.ms': '80' });
    const started = Date.now();
    p.send(value('a'));
    p.send(value('b'));
    await new Promise((r) => setTimeout(r, 30));
    expect(cluster.sent.length).toBe(0);
    await vi.waitFor(() => expect(cluster.sent.length).toBe(1), { timeout: 2000 });
    expect(Date.now() - started).toBeGreaterThanOrEqual(75);
    expect(cluster.sent[0]!.parts[0]!.values).toEqual(['a', 'b']);
  });

  it('flush sends at once, whatever linger.ms says', async () => {
    const p = setup({ 'linger.ms': '600000' });
    p.send(value('now'));
    const started = Date.now();
    await p.flush();
    expect(Date.now() - started).toBeLessThan(1000);
    expect(cluster.logs.get('t-0')).toEqual(['now']);
  });

  it('puts one batch per partition in a request, many partitions per request, order kept per partition', async () => {
    const p = setup({ 'batch.size': '200', 'linger.ms': '60000' });
    cluster.topics.set('t', [{ partitions: 3 }]);
    const keys = ['a', 'b', 'c', 'd', 'e', 'f'];
    const expected = new Map<number, string[]>();
    for (let i = 0; i < 60; i++) {
      const key = Buffer.from(keys[i % keys.length]!);
      const v = `${key}-${i}-${'y'.repeat(20)}`;
      p.send({ topic: 't', key, value: Buffer.from(v) });
      const part = partitionForKey(key, 3);
      expected.set(part, [...(expected.get(part) ?? []), v]);
    }
    await p.flush();
    for (const s of cluster.sent) {
      const parts = s.parts.map((x) => x.partition);
      expect(new Set(parts).size).toBe(parts.length);
    }
    expect(cluster.sent.some((s) => s.parts.length > 1)).toBe(true);
    for (const [part, values] of expected) expect(cluster.logs.get(`t-${part}`)).toEqual(values);
  });

  it('keeps at most max.in.flight.requests.per.connection requests outstanding', async () => {
    const p = setup({ 'batch.size': '100', 'max.in.flight.requests.per.connection': '2' });
    cluster.autoRespond = false;
    for (let i = 0; i < 10; i++) p.send(value(`v${i}-${'z'.repeat(60)}`));
    const flushed = p.flush();
    await vi.waitFor(() => expect(cluster.sent.length).toBe(2));
    await new Promise((r) => setTimeout(r, 20));
    expect(cluster.sent.length).toBe(2);
    cluster.releaseOne();
    await vi.waitFor(() => expect(cluster.sent.length).toBe(3));
    cluster.autoRespond = true;
    while (cluster.held.length > 0) cluster.releaseOne();
    await flushed;
    expect(cluster.logs.get('t-0')!.length).toBe(10);
  });
});

describe('WireProducer outcomes', () => {
  it('retries retriable errors after a metadata refresh and reports each record once', async () => {
    const lines: string[] = [];
    const p = setup({ retries: '3' }, createLogger('test', { write: (l: string) => lines.push(l) }, 'WARN'));
    cluster.replies.set('t-0', [6, 6]); // NOT_LEADER_OR_FOLLOWER twice
    const { results, callback } = collect();
    p.send(value('x'), callback);
    await p.flush();
    expect(cluster.sent.length).toBe(3);
    expect(results).toEqual([{ error: null, offset: 0n, partition: 0 }]);
    expect(cluster.metadataCalls).toBeGreaterThan(1);
    expect(lines[0]).toContain('WARN [Producer clientId=test] Got error produce response with correlation id 1 on topic-partition t-0, retrying (2 attempts left). Error: NOT_LEADER_OR_FOLLOWER');
  });

  it('fails a record once its retries are used up, or at once for a non-retriable error', async () => {
    const p = setup({ retries: '1' });
    cluster.topics.set('t', [{ partitions: 2 }]);
    cluster.replies.set('t-0', [6, 6, 6]);
    cluster.replies.set('t-1', [10]); // MESSAGE_TOO_LARGE
    const { results, callback } = collect();
    p.send({ topic: 't', value: Buffer.from('a'), partition: 0 }, callback);
    p.send({ topic: 't', value: Buffer.from('b'), partition: 1 }, callback);
    await p.flush();
    const byPartition = new Map(results.map((r) => [r.partition, r.error as Error & { javaClass?: string }]));
    expect(byPartition.get(0)!.javaClass).toBe('org.apache.kafka.common.errors.NotLeaderOrFollowerException');
    expect(byPartition.get(1)!.javaClass).toBe('org.apache.kafka.common.errors.RecordTooLargeException');
    expect(cluster.sent.filter((s) => s.parts.some((x) => x.partition === 1)).length).toBe(1);
    expect(results.every((r) => r.offset === -1n)).toBe(true);
  });

  it('retries a request whose connection failed', async () => {
    const p = setup();
    cluster.replies.set('t-0', ['network']);
    const { results, callback } = collect();
    p.send(value('again'), callback);
    await p.flush();
    expect(results).toEqual([{ error: null, offset: 0n, partition: 0 }]);
    expect(cluster.logs.get('t-0')).toEqual(['again']);
  });

  it('acks=0 writes without waiting for an answer; offsets are unknown', async () => {
    const p = setup({ acks: '0' });
    const { results, callback } = collect();
    p.send(value('fire'), callback);
    p.send(value('forget'), callback);
    await p.flush();
    expect(cluster.sent.map((s) => s.acks)).toEqual([0]);
    expect(results.map((r) => [r.error, r.offset])).toEqual([[null, -1n], [null, -1n]]);
    expect(cluster.logs.get('t-0')).toEqual(['fire', 'forget']);
  });

  it('waits for a topic being created (LEADER_NOT_AVAILABLE), logging as the Java client does', async () => {
    const lines: string[] = [];
    const p = setup({}, createLogger('test', { write: (l: string) => lines.push(l) }, 'WARN'));
    cluster.topics.set('t', [5, 5, { partitions: 1 }]);
    const { results, callback } = collect();
    p.send(value('late'), callback);
    await p.flush();
    expect(results).toEqual([{ error: null, offset: 0n, partition: 0 }]);
    expect(lines.filter((l) => l.includes('Error while fetching metadata with correlation id'))).toHaveLength(2);
    expect(lines[0]).toMatch(/WARN \[Producer clientId=test\] Error while fetching metadata with correlation id 1 : \{t=LEADER_NOT_AVAILABLE\} \(org\.apache\.kafka\.clients\.NetworkClient\)/);
  });

  it('gives up on a topic that never appears after max.block.ms', async () => {
    const p = setup({ 'max.block.ms': '150' });
    cluster.topics.set('t', [3]);
    const { results, callback } = collect();
    p.send(value('lost'), callback);
    const started = Date.now();
    await p.flush();
    expect(Date.now() - started).toBeGreaterThanOrEqual(100);
    expect(results[0]!.error!.message).toBe('Topic t not present in metadata after 150 ms.');
    expect((results[0]!.error as Error & { javaClass?: string }).javaClass).toBe('org.apache.kafka.common.errors.TimeoutException');
  });

  it('fails batches that cannot be sent within delivery.timeout.ms', async () => {
    const p = setup({ 'request.timeout.ms': '50', 'delivery.timeout.ms': '120' });
    cluster.topics.set('t', [{ partitions: 1, leader: -1 }]);
    const { results, callback } = collect();
    p.send(value('stuck'), callback);
    await p.flush();
    expect(results[0]!.error!.message).toMatch(/^Expiring 1 record\(s\) for t-0:\d+ ms has passed since batch creation$/);
  });

  it('refuses records over max.request.size or buffer.memory, and partitions out of range', async () => {
    const p = setup({ 'max.request.size': '200' });
    const { results, callback } = collect();
    p.send(value('v'.repeat(300)), callback);
    expect(results[0]!.error!.message).toBe('The message is 382 bytes when serialized which is larger than 200, which is the value of the max.request.size configuration.');
    p.send({ topic: 't', value: Buffer.from('x'), partition: 1 }, callback);
    await p.flush();
    expect(results[1]!.error!.message).toBe('Invalid partition given with record: 1 is not in the range [0...1).');
    const q = setup({ 'buffer.memory': '100' });
    q.send(value('w'.repeat(100)), callback);
    expect(results[2]!.error!.message).toBe('The message is 182 bytes when serialized which is larger than the total memory buffer you have configured with the buffer.memory configuration.');
  });

  it('pushes back when buffer.memory is used up, and makes room as batches complete', async () => {
    const p = setup({ 'buffer.memory': '1000', 'batch.size': '200', 'linger.ms': '60000' });
    cluster.autoRespond = false;
    let accepted = 0;
    while (p.send(value('m'.repeat(50)))) accepted++;
    expect(accepted).toBeGreaterThan(5);
    expect(p.hasRoom).toBe(false);
    let roomy = false;
    const waiting = p.waitForRoom().then(() => {
      roomy = true;
    });
    await new Promise((r) => setTimeout(r, 20));
    expect(roomy).toBe(false);
    cluster.autoRespond = true;
    while (cluster.held.length > 0) cluster.releaseOne();
    await waiting;
    expect(p.hasRoom).toBe(true);
  });

  it('reports a backlog once a partition has more full batches than can be in flight, until requests complete', async () => {
    const p = setup({ 'batch.size': '100', 'max.in.flight.requests.per.connection': '2' });
    cluster.autoRespond = false;
    for (let i = 0; i < 3; i++) p.send(value(`b${i}-${'k'.repeat(60)}`));
    await vi.waitFor(() => expect(cluster.sent.length).toBe(2));
    expect(p.backlogged).toBe(false);
    for (let i = 3; i < 8; i++) p.send(value(`b${i}-${'k'.repeat(60)}`));
    expect(p.backlogged).toBe(true);
    expect(p.hasRoom).toBe(true);
    let resumed = false;
    const waiting = p.waitForRoom().then(() => {
      resumed = true;
    });
    await new Promise((r) => setTimeout(r, 20));
    expect(resumed).toBe(false);
    cluster.autoRespond = true;
    while (cluster.held.length > 0) cluster.releaseOne();
    await waiting;
    expect(p.backlogged).toBe(false);
    await p.flush();
    expect(cluster.logs.get('t-0')).toEqual(Array.from({ length: 8 }, (_, i) => `b${i}-${'k'.repeat(60)}`));
  });

  it('refuses sends after close', async () => {
    const p = setup();
    await p.close();
    const { results, callback } = collect();
    p.send(value('late'), callback);
    expect(results[0]!.error!.message).toBe('Cannot perform operation after producer has been closed');
  });
});

describe('WireProducer idempotence', () => {
  it('stamps a producer id and consecutive sequences per partition', async () => {
    const p = setup({ 'enable.idempotence': 'true', 'batch.size': '150' });
    cluster.topics.set('t', [{ partitions: 2 }]);
    for (let i = 0; i < 12; i++) p.send({ topic: 't', value: Buffer.from(`s${i}-${'q'.repeat(30)}`), partition: i % 2 });
    await p.flush();
    expect(cluster.initProducerIdCalls).toBe(1);
    for (const partition of [0, 1]) {
      const batches = cluster.sent.flatMap((s) => s.parts).filter((x) => x.partition === partition);
      let next = 0;
      for (const b of batches) {
        expect(b.producerId).toBe(1001n);
        expect(b.baseSequence).toBe(next);
        next += b.values.length;
      }
      expect(cluster.logs.get(`t-${partition}`)!.length).toBe(6);
    }
  });

  it('after a retriable failure, resends in sequence order: nothing lost, duplicated or reordered', async () => {
    const p = setup({ 'enable.idempotence': 'true', 'batch.size': '100' });
    cluster.replies.set('t-0', [6]); // the first batch fails once; the ones behind it are then out of order
    const values = Array.from({ length: 12 }, (_, i) => `o${String(i).padStart(2, '0')}-${'r'.repeat(40)}`);
    const { results, callback } = collect();
    for (const v of values) p.send(value(v), callback);
    await p.flush();
    expect(cluster.logs.get('t-0')).toEqual(values);
    expect(results.every((r) => r.error === null)).toBe(true);
    expect(results.map((r) => r.offset).sort((a, b) => Number(a - b))).toEqual(values.map((_, i) => BigInt(i)));
  });
});
