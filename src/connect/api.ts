// The connector plugin interface: what a connector (built in or loaded from plugin.path) gives
// the worker, and what the worker gives it back. It follows Kafka Connect's Java API
// (Connector/SourceConnector/SinkConnector, SourceTask/SinkTask and their contexts) in
// JavaScript terms: every method may return a promise, configs are string maps, and records are
// plain objects. A plugin written in plain JavaScript needs nothing from ktool: the worker
// recognises connectors by shape (see plugins.ts), so these types are documentation for JS and
// checking for TS. docs/connect-plugins.md describes the contract.
import type { Readable, Writable } from 'node:stream';
import type { Schema } from './data/schema.js';
import type { ConfigKey } from './config-def.js';

export type { ConfigKey, ConfigType, Importance } from './config-def.js';

/** A config as the connector receives it: every value a string, as Java's Map<String,String>. */
export type ConfigMap = Record<string, string>;

export type Awaitable<T> = T | Promise<T>;

/** A source partition or offset: a small JSON object (string/number/boolean/null values). */
export type OffsetMap = Record<string, unknown>;

export interface RecordHeaderValue {
  key: string;
  /** Kept as the bytes on the wire for sink records; a string or bytes for source records. */
  value: Buffer | string | null;
}

/** What a source task produces (Java's SourceRecord). */
export interface SourceRecord {
  /** Where the record comes from, e.g. `{filename: "test.txt"}`; null when not resumable. */
  sourcePartition: OffsetMap | null;
  /** How far this record is into its source partition, e.g. `{position: 42}`. */
  sourceOffset: OffsetMap | null;
  topic: string;
  /** Left out (or null): the producer's partitioner chooses. */
  kafkaPartition?: number | null;
  keySchema?: Schema | null;
  key?: unknown;
  valueSchema?: Schema | null;
  value: unknown;
  /** Milliseconds since the epoch; the send time when left out. */
  timestamp?: number | null;
  headers?: RecordHeaderValue[];
}

/** What a sink task receives (Java's SinkRecord). */
export interface SinkRecord {
  topic: string;
  kafkaPartition: number;
  kafkaOffset: bigint;
  keySchema: Schema | null;
  key: unknown;
  valueSchema: Schema | null;
  value: unknown;
  timestamp: number | null;
  timestampType: 'CreateTime' | 'LogAppendTime' | 'NoTimestampType';
  headers: RecordHeaderValue[];
}

export interface TopicPartition {
  topic: string;
  partition: number;
}

/** A partition's next offset to consume, as the sink sees it in flush/preCommit. */
export interface TopicPartitionOffset extends TopicPartition {
  offset: bigint;
}

/** Handed to a connector: lets it ask for new task configs or fail. */
export interface ConnectorContext {
  /** The connector's task configs changed (e.g. new tables): the worker asks taskConfigs() again. */
  requestTaskReconfiguration(): void;
  /** Fails the connector with this error (status FAILED, with its trace). */
  raiseError(error: Error): void;
}

export interface OffsetStorageReader {
  /** The last committed offset of one source partition, or null. */
  offset(partition: OffsetMap): OffsetMap | null;
  offsets(partitions: readonly OffsetMap[]): Map<OffsetMap, OffsetMap | null>;
}

interface TaskContextCommon {
  /** The task's config, as given to start(). */
  configs(): ConfigMap;
  /**
   * The worker's standard input and output (Java's System.in/out), for console connectors. The
   * worker passes its own streams, so a connector never grabs process.stdin behind its back.
   */
  readonly stdin: Readable;
  readonly stdout: Writable;
  /** The worker's working directory: relative file names in configs are resolved against it. */
  readonly workingDirectory: string;
  /** Logger lines tagged with the task's id, in the worker's log. */
  readonly log: { info(msg: string): void; warn(msg: string): void; error(msg: string): void; debug(msg: string): void };
}

export interface SourceTaskContext extends TaskContextCommon {
  offsetStorageReader(): OffsetStorageReader;
}

export interface SinkTaskContext extends TaskContextCommon {
  /** Partitions currently assigned to this task. */
  assignment(): TopicPartition[];
  /** Asks for an offset commit as soon as possible. */
  requestCommit(): void;
}

/** The parts both kinds of connector share (Java's Connector). */
interface ConnectorCommon<TaskT> {
  /** The plugin's version, as `GET /connector-plugins` shows it. */
  version(): string;
  /** The connector's own keys; the worker adds the common ones (name, tasks.max, errors.*…). */
  config(): readonly ConfigKey[];
  initialize?(context: ConnectorContext): void;
  start(config: ConfigMap): Awaitable<void>;
  /** The task implementation: a class whose instances are tasks. */
  taskClass(): new () => TaskT;
  /** One config per task to run, at most `maxTasks`. */
  taskConfigs(maxTasks: number): Awaitable<ConfigMap[]>;
  stop(): Awaitable<void>;
  /**
   * Extra validation beyond the config definitions: return messages per key (Java's
   * Connector.validate adding errors to ConfigValues). Optional.
   */
  validate?(config: ConfigMap): Record<string, string[]> | undefined;
}

export interface SourceConnector extends ConnectorCommon<SourceTask> {
  readonly type: 'source';
}

export interface SinkConnector extends ConnectorCommon<SinkTask> {
  readonly type: 'sink';
}

export type Connector = SourceConnector | SinkConnector;

export interface SourceTask {
  version(): string;
  initialize(context: SourceTaskContext): void;
  start(config: ConfigMap): Awaitable<void>;
  /**
   * The next records, or null/[] when there is nothing yet. It may wait a little for data (the
   * file source waits up to a second) but must return soon after stop() is called.
   */
  poll(): Promise<SourceRecord[] | null>;
  /** All records polled so far whose offsets were committed are now safe (optional). */
  commit?(): Awaitable<void>;
  /** One record was acknowledged by Kafka (optional). */
  commitRecord?(record: SourceRecord, metadata: { topic: string; partition: number; offset: bigint } | null): Awaitable<void>;
  stop(): Awaitable<void>;
}

export interface SinkTask {
  version(): string;
  initialize(context: SinkTaskContext): void;
  start(config: ConfigMap): Awaitable<void>;
  put(records: SinkRecord[]): Awaitable<void>;
  /**
   * Makes everything given to put() durable. The worker commits the consumer offsets only after
   * this resolves, so nothing is committed that is not in the external system.
   */
  flush?(offsets: TopicPartitionOffset[]): Awaitable<void>;
  open?(partitions: TopicPartition[]): Awaitable<void>;
  close?(partitions: TopicPartition[]): Awaitable<void>;
  stop(): Awaitable<void>;
}

/** Java's ConnectException: an error a connector or task raises to fail. */
export class ConnectException extends Error {
  readonly javaClassName: string = 'org.apache.kafka.connect.errors.ConnectException';

  constructor(message: string, options?: { cause?: unknown }) {
    super(message, options);
    this.name = 'ConnectException';
  }
}
