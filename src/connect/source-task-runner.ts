// Runs one source task (Kafka's WorkerSourceTask): poll the task, convert each record's key and
// value, send it with the producer, and every offset.flush.interval.ms write to the offsets file the
// source offsets of the records Kafka has acknowledged — only those, and per source partition only
// up to the first record still in flight, so a crash re-sends at most what was not committed
// (at-least-once) and a clean stop commits everything sent (no duplicates after a restart).
import { connectionSettings } from '../client/client-config.js';
import { producerConfig } from '../client/producer-config.js';
import { KafkaWireClient } from '../client/wire-client.js';
import { WireProducer } from '../client/wire-producer.js';
import type { RecordHeader } from '../protocol/records/records.js';
import { ConnectException, type OffsetMap, type OffsetStorageReader, type SourceRecord, type SourceTask, type SourceTaskContext } from './api.js';
import { ErrorHandler } from './error-handling.js';
import { offsetKey, type FileOffsetStore } from './offset-store.js';
import { taskLogger, type TaskDeps } from './task-context.js';
import { producerProperties } from './worker-config.js';
import { WorkerTask, taskName, type TaskId } from './worker-task.js';

interface Submitted {
  offset: OffsetMap | null;
  acked: boolean;
}

/** Records sent and not yet committable, in send order per source partition. */
export class SubmittedRecords {
  private readonly byPartition = new Map<string, { partition: OffsetMap | null; queue: Submitted[] }>();

  submit(partition: OffsetMap | null, offset: OffsetMap | null): Submitted {
    const key = JSON.stringify(partition);
    let entry = this.byPartition.get(key);
    if (!entry) this.byPartition.set(key, (entry = { partition, queue: [] }));
    const s: Submitted = { offset, acked: false };
    entry.queue.push(s);
    return s;
  }

  get pending(): number {
    let n = 0;
    for (const e of this.byPartition.values()) n += e.queue.length;
    return n;
  }

  /** Removes the acknowledged prefix of each partition's queue; returns the newest committable offset per partition. */
  takeCommittable(): Array<{ partition: OffsetMap | null; offset: OffsetMap | null }> {
    const out: Array<{ partition: OffsetMap | null; offset: OffsetMap | null }> = [];
    for (const [key, e] of this.byPartition) {
      let last: Submitted | undefined;
      let n = 0;
      while (n < e.queue.length && e.queue[n]!.acked) last = e.queue[n++];
      if (n > 0) e.queue.splice(0, n);
      if (last) out.push({ partition: e.partition, offset: last.offset });
      if (e.queue.length === 0) this.byPartition.delete(key);
    }
    return out;
  }
}

function headerBytes(value: Buffer | string | null): Buffer | null {
  if (value === null) return null;
  return typeof value === 'string' ? Buffer.from(value, 'utf8') : value;
}

export class SourceTaskRunner extends WorkerTask {
  private readonly submitted = new SubmittedRecords();
  private producerFailure: unknown;
  private nextCommitAt = 0;

  constructor(
    id: TaskId,
    private readonly task: SourceTask,
    private readonly deps: TaskDeps,
    private readonly offsets: FileOffsetStore,
  ) {
    super(id, taskLogger(deps.logger, 'org.apache.kafka.connect.runtime.WorkerSourceTask', id.connector, id.task), `WorkerSourceTask{id=${taskName(id)}}`);
  }

  protected interrupt(): void {
    // The task's stop() makes a waiting poll return (Kafka calls it from another thread).
    Promise.resolve()
      .then(() => this.task.stop())
      .catch((err) => this.log.warn(`${this.label} Exception while stopping the task`, err));
  }

  protected async execute(): Promise<void> {
    const { worker, settings, env } = this.deps;
    const clientId = `connector-producer-${taskName(this.id)}`;
    const props = producerProperties(worker, this.deps.connectorConfig, clientId);
    const client = new KafkaWireClient(connectionSettings(worker.bootstrapServers, props, env, clientId), { logger: this.log, logPrefix: `[Producer clientId=${clientId}] ` });
    const producer = new WireProducer(client, producerConfig(props), { logger: this.log, logPrefix: `[Producer clientId=${clientId}] ` });
    const errors = new ErrorHandler(settings, taskName(this.id), this.log);
    try {
      this.task.initialize(this.context());
      await this.task.start({ ...this.deps.taskConfig });
      this.log.info(`${this.label} Source task finished initialization and start`);
      this.started();
      this.nextCommitAt = Date.now() + worker.offsetFlushIntervalMs;
      while (!this.stopping) {
        if (this.producerFailure !== undefined) throw this.producerFailure;
        if (Date.now() >= this.nextCommitAt) this.commitOffsets();
        if (this.paused) {
          await this.sleep(Math.max(0, this.nextCommitAt - Date.now()));
          continue;
        }
        const records = await this.task.poll();
        if (this.stopping && (!records || records.length === 0)) break;
        if (!records || records.length === 0) continue;
        // Paused while the poll was waiting: hold these records until resumed (or stopped).
        while (this.paused && !this.stopping) {
          if (Date.now() >= this.nextCommitAt) this.commitOffsets();
          await this.sleep(Math.max(0, this.nextCommitAt - Date.now()));
        }
        for (const record of records) this.send(producer, errors, record);
        if (!producer.hasRoom) await producer.waitForRoom();
      }
      // A clean stop: wait for what was sent (bounded), then commit it.
      await this.flushWithin(producer, worker.offsetFlushTimeoutMs);
      this.commitOffsets();
      if (this.producerFailure !== undefined) throw this.producerFailure;
    } catch (err) {
      // Even a failing task keeps what Kafka acknowledged, so a restart does not send it again.
      this.commitOffsets();
      throw err;
    } finally {
      if (!this.stopping) await Promise.resolve(this.task.stop()).catch(() => {});
      await this.flushWithin(producer, 1000);
      await producer.close().catch(() => {});
      client.close();
    }
  }

  private async flushWithin(producer: WireProducer, ms: number): Promise<void> {
    let timer: NodeJS.Timeout | undefined;
    await Promise.race([producer.flush(), new Promise((r) => (timer = setTimeout(r, ms)))]);
    clearTimeout(timer);
  }

  private send(producer: WireProducer, errors: ErrorHandler, record: SourceRecord): void {
    const { keyConverter, valueConverter } = this.deps;
    const topic = record.topic;
    const key = errors.run('KEY_CONVERTER', keyConverter.javaClassName, () => keyConverter.fromConnectData(topic, record.keySchema ?? null, record.key ?? null));
    const value = key === undefined ? undefined : errors.run('VALUE_CONVERTER', valueConverter.javaClassName, () => valueConverter.fromConnectData(topic, record.valueSchema ?? null, record.value ?? null));
    const submitted = this.submitted.submit(record.sourcePartition, record.sourceOffset);
    if (key === undefined || value === undefined) {
      // Skipped under errors.tolerance=all: its offset still counts as processed.
      submitted.acked = true;
      return;
    }
    const headers: RecordHeader[] = (record.headers ?? []).map((h) => ({ key: h.key, value: headerBytes(h.value) }));
    producer.send({ topic, key, value, headers, partition: record.kafkaPartition ?? undefined, timestamp: record.timestamp ?? undefined }, (err, metadata) => {
      if (err) {
        if (errors.toleratesAll) {
          this.log.error(`${this.label} failed to send record to ${topic}: ${err.message}`);
          submitted.acked = true;
        } else {
          this.producerFailure ??= new ConnectException('Unrecoverable exception from producer send callback', { cause: err });
          this.wake();
        }
        return;
      }
      submitted.acked = true;
      this.deps.activeTopic(topic);
      if (this.task.commitRecord) {
        Promise.resolve(this.task.commitRecord(record, { topic: metadata.topic, partition: metadata.partition, offset: metadata.offset })).catch((e) => this.log.warn(`${this.label} commitRecord failed`, e));
      }
    });
  }

  /** Writes the acknowledged records' offsets to the offsets file, then tells the task. */
  private commitOffsets(): void {
    this.nextCommitAt = Date.now() + this.deps.worker.offsetFlushIntervalMs;
    const ready = this.submitted.takeCommittable();
    if (ready.length > 0) {
      const updates = new Map<string, Record<string, unknown> | null>();
      for (const { partition, offset } of ready) updates.set(offsetKey(this.id.connector, partition), offset);
      this.offsets.set(updates);
      this.log.debug(`${this.label} Committed ${ready.length} offset(s)`);
    }
    if (this.task.commit) Promise.resolve(this.task.commit()).catch((e) => this.log.warn(`${this.label} commit failed`, e));
  }

  private context(): SourceTaskContext {
    const offsets = this.offsets;
    const connector = this.id.connector;
    const reader: OffsetStorageReader = {
      offset: (partition) => offsets.get(offsetKey(connector, partition)),
      offsets: (partitions) => new Map(partitions.map((p) => [p, offsets.get(offsetKey(connector, p))])),
    };
    const taskConfig = this.deps.taskConfig;
    const log = this.log.child(this.deps.taskConfig['task.class'] ?? 'SourceTask');
    return {
      configs: () => ({ ...taskConfig }),
      stdin: this.deps.stdin,
      stdout: this.deps.stdout,
      workingDirectory: this.deps.cwd,
      log,
      offsetStorageReader: () => reader,
    };
  }
}
