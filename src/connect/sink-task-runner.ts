// Runs one sink task (Kafka's WorkerSinkTask): a member of consumer group `connect-<connector>`
// reads the topics, each record's key and value are converted and handed to the task's put(), and
// every offset.flush.interval.ms (and on a clean stop) the task's flush() is awaited before the
// processed positions are committed to the group. Data reaches the external system before its
// offsets are committed, so a crash re-delivers at most the uncommitted tail (at-least-once) and a
// clean stop leaves nothing to re-deliver. A record a converter cannot read fails the task or,
// with errors.tolerance=all, is skipped and sent to the dead letter queue topic.
import { connectionSettings } from '../client/client-config.js';
import { fetchLimits, intProperty, membershipSettings } from '../client/consumer-properties.js';
import type { TopicBatch } from '../client/assignment-fetcher.js';
import { GroupConsumer } from '../client/group-consumer.js';
import { KafkaProtocolError, ErrorCode } from '../client/kafka-errors.js';
import { producerConfig } from '../client/producer-config.js';
import { TopicAdmin } from '../client/topic-admin.js';
import { KafkaWireClient } from '../client/wire-client.js';
import { WireProducer } from '../client/wire-producer.js';
import { timestampTypeOf } from '../protocol/records/batch.js';
import type { SinkRecord, SinkTask, SinkTaskContext } from './api.js';
import { ErrorHandler, type DeadLetterQueue } from './error-handling.js';
import { taskLogger, type TaskDeps } from './task-context.js';
import { adminProperties, consumerProperties, producerProperties } from './worker-config.js';
import { WorkerTask, taskName, type TaskId } from './worker-task.js';

/** How long one poll may wait, so pause and commit deadlines are noticed promptly. */
const POLL_SLICE_MS = 500;

export class SinkTaskRunner extends WorkerTask {
  private consumer: GroupConsumer | undefined;
  private commitRequested = false;

  constructor(
    id: TaskId,
    private readonly task: SinkTask,
    private readonly deps: TaskDeps,
  ) {
    super(id, taskLogger(deps.logger, 'org.apache.kafka.connect.runtime.WorkerSinkTask', id.connector, id.task), `WorkerSinkTask{id=${taskName(id)}}`);
  }

  protected interrupt(): void {
    this.consumer?.close();
  }

  protected async execute(): Promise<void> {
    const { worker, settings, env, connectorConfig } = this.deps;
    const groupId = `connect-${settings.name}`;
    const clientId = `connector-consumer-${taskName(this.id)}`;
    const props = consumerProperties(worker, connectorConfig, groupId, clientId);
    const logPrefix = `[Consumer clientId=${clientId}, groupId=${groupId}] `;
    const client = new KafkaWireClient(connectionSettings(worker.bootstrapServers, props, env, clientId), { logger: this.log, logPrefix });
    const regex = settings.topicsRegex === '' ? undefined : new RegExp(`^(?:${settings.topicsRegex})$`);
    const consumer = new GroupConsumer(client, {
      groupId,
      topics: regex ? undefined : settings.topics,
      pattern: regex ? (t) => regex.test(t) : undefined,
      ...membershipSettings(props),
      // Sinks commit only what their task has flushed; a topics.regex sink looks for new topics often.
      autoCommit: false,
      metadataMaxAgeMs: intProperty(props, 'metadata.max.age.ms', regex ? 5000 : 300000),
      fetch: {
        reset: (props.get('auto.offset.reset') ?? 'earliest').trim() as 'earliest' | 'latest' | 'none',
        readCommitted: (props.get('isolation.level') ?? '').trim() === 'read_committed',
        ...fetchLimits(props),
        verifyCrc: true,
        logger: this.log,
        logPrefix,
      },
      logger: this.log,
      logPrefix,
    });
    this.consumer = consumer;
    if (this.stopping) consumer.close();
    let dlq: { queue: DeadLetterQueue; close(): Promise<void> } | undefined;
    let startedTask = false;
    try {
      if (settings.dlqTopic !== '' && settings.errorTolerance === 'all') dlq = await this.openDeadLetterQueue();
      const errors = new ErrorHandler(settings, taskName(this.id), this.log, dlq?.queue);
      this.task.initialize(this.context(consumer));
      await this.task.start({ ...this.deps.taskConfig });
      startedTask = true;
      this.log.info(`${this.label} Sink task finished initialization and start`);
      this.started();
      let nextCommitAt = Date.now() + worker.offsetFlushIntervalMs;
      while (!this.stopping) {
        if (Date.now() >= nextCommitAt || this.commitRequested) {
          await this.commit(consumer, dlq?.queue);
          nextCommitAt = Date.now() + worker.offsetFlushIntervalMs;
        }
        if (this.paused) {
          await this.sleep(Math.min(POLL_SLICE_MS, nextCommitAt - Date.now()));
          continue;
        }
        const batches = await consumer.poll(Math.min(nextCommitAt, Date.now() + POLL_SLICE_MS));
        if (batches.length === 0) continue;
        // Paused while the poll was waiting: these records reach the task only once resumed.
        while (this.paused && !this.stopping) await this.sleep(POLL_SLICE_MS);
        if (this.stopping) break;
        const records = this.convert(batches, errors);
        for (const b of batches) this.deps.activeTopic(b.topic);
        if (records.length > 0) await this.task.put(records);
        consumer.processed();
      }
      await this.commit(consumer, dlq?.queue);
    } finally {
      if (startedTask) await Promise.resolve(this.task.stop()).catch((err) => this.log.warn(`${this.label} Exception while stopping the task`, err));
      await consumer.shutdown().catch(() => {});
      await dlq?.close().catch(() => {});
      client.close();
    }
  }

  /** Flushes the task (and the DLQ), then commits what was flushed. */
  private async commit(consumer: GroupConsumer, dlq: DeadLetterQueue | undefined): Promise<void> {
    this.commitRequested = false;
    const offsets = consumer.processedOffsets();
    if (offsets.length === 0) return;
    if (this.task.flush) await this.task.flush(offsets);
    if (dlq) await dlq.flush();
    try {
      await consumer.commitProcessed();
    } catch (err) {
      // A failed commit only means these records may be delivered again (at-least-once).
      this.log.error(`${this.label} Commit of offsets threw an unexpected exception: ${(err as Error).message}`);
    }
  }

  private convert(batches: TopicBatch[], errors: ErrorHandler): SinkRecord[] {
    const { keyConverter, valueConverter } = this.deps;
    const out: SinkRecord[] = [];
    for (const { topic, partition, batch } of batches) {
      const timestampType = batch.header.magic === 0 ? 'NoTimestampType' : timestampTypeOf(batch.header.attributes);
      for (const record of batch.records) {
        const consumed = { topic, partition, record, timestampType };
        const key = errors.run('KEY_CONVERTER', keyConverter.javaClassName, () => keyConverter.toConnectData(topic, record.key), consumed);
        if (key === undefined) continue;
        const value = errors.run('VALUE_CONVERTER', valueConverter.javaClassName, () => valueConverter.toConnectData(topic, record.value), consumed);
        if (value === undefined) continue;
        out.push({
          topic,
          kafkaPartition: partition,
          kafkaOffset: record.offset,
          keySchema: key.schema,
          key: key.value,
          valueSchema: value.schema,
          value: value.value,
          timestamp: record.timestamp >= 0n ? Number(record.timestamp) : null,
          timestampType,
          headers: record.headers.map((h) => ({ key: h.key, value: h.value })),
        });
      }
    }
    return out;
  }

  /** A producer to the DLQ topic, creating the topic (1 partition) if it does not exist, as Kafka does. */
  private async openDeadLetterQueue(): Promise<{ queue: DeadLetterQueue; close(): Promise<void> }> {
    const { worker, settings, env, connectorConfig } = this.deps;
    const adminProps = adminProperties(worker, connectorConfig);
    const admin = new KafkaWireClient(connectionSettings(worker.bootstrapServers, adminProps, env, `connector-dlq-adminclient-${settings.name}`));
    try {
      await new TopicAdmin(admin).createTopic({ name: settings.dlqTopic, partitions: 1, replicationFactor: settings.dlqReplicationFactor, configs: new Map() });
      this.log.info(`${this.label} Created dead letter queue topic ${settings.dlqTopic}`);
    } catch (err) {
      if (!(err instanceof KafkaProtocolError && err.errorCode === ErrorCode.TOPIC_ALREADY_EXISTS)) throw err;
    } finally {
      admin.close();
    }
    const clientId = `connector-dlq-producer-${taskName(this.id)}`;
    const props = producerProperties(worker, connectorConfig, clientId);
    const client = new KafkaWireClient(connectionSettings(worker.bootstrapServers, props, env, clientId), { logger: this.log });
    const producer = new WireProducer(client, producerConfig(props), { logger: this.log, logPrefix: `[Producer clientId=${clientId}] ` });
    let failure: Error | undefined;
    return {
      queue: {
        send: (r) => producer.send({ topic: settings.dlqTopic, key: r.key, value: r.value, headers: r.headers, timestamp: r.timestamp }, (err) => {
          if (err) {
            failure ??= err;
            this.log.error(`${this.label} Could not produce message to dead letter queue. topic=${settings.dlqTopic}`, err);
          }
        }),
        flush: async () => {
          await producer.flush();
          if (failure) throw failure;
        },
      },
      close: async () => {
        await producer.close();
        client.close();
      },
    };
  }

  private context(consumer: GroupConsumer): SinkTaskContext {
    const taskConfig = this.deps.taskConfig;
    return {
      configs: () => ({ ...taskConfig }),
      stdin: this.deps.stdin,
      stdout: this.deps.stdout,
      workingDirectory: this.deps.cwd,
      log: this.log.child(taskConfig['task.class'] ?? 'SinkTask'),
      assignment: () => consumer.assignedPartitions(),
      requestCommit: () => {
        this.commitRequested = true;
      },
    };
  }
}
