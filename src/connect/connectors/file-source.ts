// FileStreamSource: one record per line of a file (or of standard input when `file` is unset),
// as Kafka's example connector. The task tails the file: each poll reads what was appended since
// the last one. Lines end at \n, \r\n or a lone \r; a last line without its terminator waits for
// it. Source offsets are byte positions ({"position": n} for partition {"filename": f}), so a
// restart resumes right after the last committed line. Unlike Java (which counts characters),
// positions are bytes, which is what resuming needs for non-ASCII text.
import { open, type FileHandle } from 'node:fs/promises';
import { resolve } from 'node:path';
import { Schemas } from '../data/schema.js';
import { ConnectException, type ConfigMap, type SourceConnector, type SourceRecord, type SourceTask, type SourceTaskContext } from '../api.js';
import type { ConfigKey } from '../config-def.js';
import { KAFKA_VERSION } from '../../commands/shared/command.js';

export const FILE_SOURCE_CLASS = 'org.apache.kafka.connect.file.FileStreamSourceConnector';
export const FILE_SOURCE_TASK_CLASS = 'org.apache.kafka.connect.file.FileStreamSourceTask';

const DEFAULT_BATCH_SIZE = 2000;
const IDLE_WAIT_MS = 1000;
const READ_CHUNK = 64 * 1024;

const FILE_SOURCE_KEYS: readonly ConfigKey[] = [
  { name: 'file', type: 'STRING', defaultValue: null, importance: 'HIGH', documentation: 'Source filename. If not specified, the standard input will be used' },
  { name: 'topic', type: 'STRING', importance: 'HIGH', documentation: 'The topic to publish data to', validator: (v) => (typeof v === 'string' && v !== '' ? undefined : 'String must be non-empty') },
  { name: 'batch.size', type: 'INT', defaultValue: DEFAULT_BATCH_SIZE, importance: 'LOW', documentation: 'The maximum number of records the source task can read from the file each time it is polled' },
];

export class FileStreamSourceConnector implements SourceConnector {
  static readonly className = FILE_SOURCE_CLASS;
  readonly type = 'source';
  private props: ConfigMap = {};

  version(): string {
    return KAFKA_VERSION;
  }

  config(): readonly ConfigKey[] {
    return FILE_SOURCE_KEYS;
  }

  start(config: ConfigMap): void {
    this.props = { ...config };
  }

  taskClass(): new () => SourceTask {
    return FileStreamSourceTask;
  }

  /** Always one task: a file has one reader. */
  taskConfigs(): ConfigMap[] {
    return [{ ...this.props }];
  }

  stop(): void {}
}

/** Splits complete lines out of a byte buffer; returns the lines and the bytes each consumed. */
export function cutLines(buf: Buffer, end: number): Array<{ line: Buffer; consumed: number }> {
  const out: Array<{ line: Buffer; consumed: number }> = [];
  let start = 0;
  for (let i = 0; i < end; i++) {
    const c = buf[i]!;
    if (c === 0x0a) {
      out.push({ line: buf.subarray(start, i), consumed: i + 1 - start });
      start = i + 1;
    } else if (c === 0x0d) {
      // A \r at the end of what we have may be the first half of \r\n: wait for the next byte.
      if (i + 1 >= end) break;
      const terminator = buf[i + 1] === 0x0a ? 2 : 1;
      out.push({ line: buf.subarray(start, i), consumed: i + terminator - start });
      i += terminator - 1;
      start = i + 1;
    }
  }
  return out;
}

export class FileStreamSourceTask implements SourceTask {
  static readonly className = FILE_SOURCE_TASK_CLASS;
  private context!: SourceTaskContext;
  private filename: string | null = null;
  private topic = '';
  private batchSize = DEFAULT_BATCH_SIZE;
  private handle: FileHandle | undefined;
  private stdinChunks: Buffer[] = [];
  private stdinEnded = false;
  private stdinListener: ((chunk: Buffer) => void) | undefined;
  /** Bytes of the file consumed as complete lines: the committed position. */
  private position = 0;
  /** Read but not yet cut into lines (a partial last line). */
  private pending = Buffer.alloc(0);
  private stopped = false;
  private polling = false;
  private wake: (() => void) | undefined;

  version(): string {
    return KAFKA_VERSION;
  }

  initialize(context: SourceTaskContext): void {
    this.context = context;
  }

  start(config: ConfigMap): void {
    this.filename = config.file === undefined || config.file === '' ? null : config.file;
    this.topic = (config.topic ?? '').trim();
    const size = Number(config['batch.size'] ?? DEFAULT_BATCH_SIZE);
    this.batchSize = Number.isInteger(size) && size > 0 ? size : DEFAULT_BATCH_SIZE;
    this.context.log.info(`Starting file source connector reading from ${this.filename ?? 'standard input'}`);
    if (this.filename === null) {
      const stdin = this.context.stdin;
      this.stdinListener = (chunk: Buffer) => {
        this.stdinChunks.push(Buffer.isBuffer(chunk) ? chunk : Buffer.from(chunk));
        this.wake?.();
      };
      stdin.on('data', this.stdinListener);
      stdin.once('end', () => {
        this.stdinEnded = true;
        this.wake?.();
      });
    }
  }

  async poll(): Promise<SourceRecord[] | null> {
    if (this.stopped) return null;
    this.polling = true;
    try {
      if (this.filename !== null && !this.handle && !(await this.openFile())) return null;
      if (this.stopped) return null;
      const fresh = this.filename === null ? this.takeStdin() : await this.readFile();
      const records = this.cut(fresh);
      if (records.length === 0) await this.idle();
      return records;
    } finally {
      this.polling = false;
      // stop() during a poll leaves closing the file to the poll, which may still be reading it.
      if (this.stopped) await this.closeFile();
    }
  }

  private async closeFile(): Promise<void> {
    const handle = this.handle;
    this.handle = undefined;
    await handle?.close();
  }

  /** Opens the file and skips to the stored position; false (after a wait) when it does not exist yet. */
  private async openFile(): Promise<boolean> {
    try {
      this.handle = await open(resolve(this.context.workingDirectory, this.filename!), 'r');
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code !== 'ENOENT') throw err;
      this.context.log.warn(`Couldn't find file ${this.filename} for FileStreamSourceTask, sleeping to wait for it to be created`);
      await this.idle();
      return false;
    }
    const offset = this.context.offsetStorageReader().offset({ filename: this.filename });
    const position = offset?.position;
    if (offset !== null && position !== undefined) {
      if (typeof position !== 'number' || !Number.isInteger(position) || position < 0) {
        throw new ConnectException('Offset position is the incorrect type');
      }
      this.context.log.debug(`Found previous offset, trying to skip to file offset ${position}`);
      this.position = position;
    }
    this.pending = Buffer.alloc(0);
    return true;
  }

  /** Everything appended to the file after what was already read. */
  private async readFile(): Promise<Buffer> {
    const chunks: Buffer[] = [];
    let at = this.position + this.pending.length;
    let total = 0;
    for (;;) {
      const buf = Buffer.allocUnsafe(READ_CHUNK);
      const { bytesRead } = await this.handle!.read(buf, 0, READ_CHUNK, at);
      if (bytesRead === 0) break;
      chunks.push(buf.subarray(0, bytesRead));
      at += bytesRead;
      total += bytesRead;
      // Enough for a batch: leave the rest for the next poll.
      if (total >= READ_CHUNK * 16) break;
    }
    return Buffer.concat(chunks);
  }

  private takeStdin(): Buffer {
    // As in Kafka, a last line without its terminator is never emitted, even at the end of input.
    const data = Buffer.concat(this.stdinChunks);
    this.stdinChunks = [];
    return data;
  }

  /** Cuts the complete lines (at most batch.size) into records. */
  private cut(fresh: Buffer): SourceRecord[] {
    const buf = this.pending.length === 0 ? fresh : Buffer.concat([this.pending, fresh]);
    const lines = cutLines(buf, buf.length);
    const take = lines.slice(0, this.batchSize);
    const records: SourceRecord[] = [];
    let used = 0;
    for (const { line, consumed } of take) {
      used += consumed;
      this.position += consumed;
      records.push(this.record(line.toString('utf8')));
    }
    // Lines beyond the batch stay pending; the next poll starts with them.
    this.pending = Buffer.from(buf.subarray(used));
    return records;
  }

  private record(line: string): SourceRecord {
    const file = this.filename;
    return {
      sourcePartition: { filename: file },
      sourceOffset: { position: file === null ? null : this.position },
      topic: this.topic,
      kafkaPartition: null,
      keySchema: null,
      key: null,
      valueSchema: Schemas.STRING,
      value: line,
      timestamp: Date.now(),
    };
  }

  /** Waits up to a second for more data; stop() or new stdin data cut the wait short. */
  private idle(): Promise<void> {
    if (this.stopped || (this.filename === null && this.stdinEnded)) return this.stopped ? Promise.resolve() : new Promise((r) => setTimeout(r, IDLE_WAIT_MS));
    if (this.pending.length > 0 && cutLines(this.pending, this.pending.length).length > 0) return Promise.resolve();
    return new Promise((resolve) => {
      const timer = setTimeout(done, IDLE_WAIT_MS);
      function done(): void {
        clearTimeout(timer);
        resolve();
      }
      this.wake = () => {
        this.wake = undefined;
        done();
      };
    });
  }

  async stop(): Promise<void> {
    this.stopped = true;
    this.wake?.();
    if (this.stdinListener) {
      this.context.stdin.off('data', this.stdinListener);
      // A paused stdin no longer keeps the process alive once the worker has stopped.
      this.context.stdin.pause();
    }
    if (!this.polling) await this.closeFile();
  }
}
