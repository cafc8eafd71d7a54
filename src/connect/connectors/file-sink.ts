// FileStreamSink: writes each record's value as a line to a file (appending, created if missing)
// or to standard output when `file` is unset, as Kafka's example connector. A value is printed as
// Java's String.valueOf would print the Connect value (javaString). flush() resolves only once
// the lines are in the file (fsync), and the worker commits the consumer offsets only after it.
import { open, type FileHandle } from 'node:fs/promises';
import { resolve } from 'node:path';
import type { Writable } from 'node:stream';
import { ConnectException, type ConfigMap, type SinkConnector, type SinkRecord, type SinkTask, type SinkTaskContext } from '../api.js';
import type { ConfigKey } from '../config-def.js';
import { KAFKA_VERSION } from '../../commands/shared/command.js';
import { javaToString } from '../data/java-text.js';

export const FILE_SINK_CLASS = 'org.apache.kafka.connect.file.FileStreamSinkConnector';
export const FILE_SINK_TASK_CLASS = 'org.apache.kafka.connect.file.FileStreamSinkTask';

const FILE_SINK_KEYS: readonly ConfigKey[] = [
  { name: 'file', type: 'STRING', defaultValue: null, importance: 'HIGH', documentation: 'Destination filename. If not specified, the standard output will be used' },
];

export class FileStreamSinkConnector implements SinkConnector {
  static readonly className = FILE_SINK_CLASS;
  readonly type = 'sink';
  private props: ConfigMap = {};

  version(): string {
    return KAFKA_VERSION;
  }

  config(): readonly ConfigKey[] {
    return FILE_SINK_KEYS;
  }

  start(config: ConfigMap): void {
    this.props = { ...config };
  }

  taskClass(): new () => SinkTask {
    return FileStreamSinkTask;
  }

  taskConfigs(maxTasks: number): ConfigMap[] {
    return Array.from({ length: maxTasks }, () => ({ ...this.props }));
  }

  stop(): void {}
}

export class FileStreamSinkTask implements SinkTask {
  static readonly className = FILE_SINK_TASK_CLASS;
  private context!: SinkTaskContext;
  private filename: string | null = null;
  private handle: FileHandle | undefined;
  private stdout: Writable | undefined;
  /** Lines handed to put() and not yet written. */
  private buffered: string[] = [];

  version(): string {
    return KAFKA_VERSION;
  }

  initialize(context: SinkTaskContext): void {
    this.context = context;
  }

  async start(config: ConfigMap): Promise<void> {
    this.filename = config.file === undefined || config.file === '' ? null : config.file;
    this.context.log.info(`Starting file sink connector writing to ${this.filename ?? 'standard output'}`);
    if (this.filename === null) {
      this.stdout = this.context.stdout;
      return;
    }
    try {
      this.handle = await open(resolve(this.context.workingDirectory, this.filename), 'a');
    } catch (err) {
      throw new ConnectException(`Couldn't find or create file '${this.filename}' for FileStreamSinkTask`, { cause: err });
    }
  }

  async put(records: SinkRecord[]): Promise<void> {
    for (const r of records) {
      this.context.log.debug(`Writing line to ${this.filename ?? 'stdout'}: ${javaToString(r.value, r.valueSchema)}`);
      this.buffered.push(`${javaToString(r.value, r.valueSchema)}\n`);
    }
    // Large batches are written as they come, so memory stays bounded; flush() makes them durable.
    if (this.buffered.length >= 1000) await this.write();
  }

  private writing: Promise<void> = Promise.resolve();

  private write(): Promise<void> {
    const text = this.buffered.join('');
    this.buffered = [];
    if (text === '') return this.writing;
    this.writing = this.writing.then(async () => {
      if (this.handle) await this.handle.write(text);
      else if (this.stdout) await new Promise<void>((resolve, reject) => this.stdout!.write(text, (err) => (err ? reject(err) : resolve())));
    });
    return this.writing;
  }

  async flush(): Promise<void> {
    await this.write();
    await this.handle?.sync();
  }

  async stop(): Promise<void> {
    await this.write().catch(() => {});
    const handle = this.handle;
    this.handle = undefined;
    await handle?.close();
  }
}
