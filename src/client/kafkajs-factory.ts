// Builds kafkajs clients from our connection settings. kafkajs logs go to stderr in Kafka's log
// format at WARN and above (the Java tools' log4j default), never to stdout, and the Kafka-only
// codecs (snappy, lz4, zstd) are registered with the framing the Java client uses.
import kafkajs, { type KafkaConfig, type LogEntry } from 'kafkajs';
import type { Writable } from 'node:stream';
import { formatLogLine, type Level } from '../log.js';
import { compress, decompress, type CompressionCodec } from '../protocol/records/compression.js';
import type { ConnectionSettings } from './client-config.js';

const { Kafka, logLevel, CompressionTypes, CompressionCodecs } = kafkajs;

function logCreator(stderr: Writable) {
  return () =>
    ({ namespace, level, log }: LogEntry): void => {
      const lvl: Level = level === logLevel.ERROR ? 'ERROR' : level === logLevel.WARN ? 'WARN' : level === logLevel.INFO ? 'INFO' : 'DEBUG';
      const { message, error } = log;
      const detail = typeof error === 'string' && error !== '' && !String(message).includes(error) ? `: ${error}` : '';
      stderr.write(formatLogLine(lvl, `${message}${detail}`, `kafkajs.${namespace || 'Client'}`));
    };
}

let codecsRegistered = false;

/** kafkajs ships gzip only; the others come from our records layer. */
export function registerCompressionCodecs(): void {
  if (codecsRegistered) return;
  codecsRegistered = true;
  const codec = (name: CompressionCodec) => () => ({
    compress: (encoder: { buffer: Buffer }) => compress(name, encoder.buffer),
    decompress: (buffer: Buffer) => decompress(name, buffer),
  });
  const registry = CompressionCodecs as Record<number, () => unknown>;
  registry[CompressionTypes.Snappy] = codec('snappy');
  registry[CompressionTypes.LZ4] = codec('lz4');
  registry[CompressionTypes.ZSTD] = codec('zstd');
}

export const KAFKAJS_COMPRESSION: Readonly<Record<CompressionCodec, number>> = {
  none: CompressionTypes.None,
  gzip: CompressionTypes.GZIP,
  snappy: CompressionTypes.Snappy,
  lz4: CompressionTypes.LZ4,
  zstd: CompressionTypes.ZSTD,
};

export interface KafkaFactoryOptions {
  stderr: Writable;
  /** `retries` from the client config (kafkajs retries each request this many times). */
  retries?: number;
}

export function kafkajsConfig(settings: ConnectionSettings, opts: KafkaFactoryOptions): KafkaConfig {
  const config: KafkaConfig = {
    brokers: settings.bootstrap.map(({ host, port }) => (host.includes(':') ? `[${host}]:${port}` : `${host}:${port}`)),
    clientId: settings.clientId,
    connectionTimeout: settings.connectTimeoutMs,
    requestTimeout: settings.requestTimeoutMs,
    retry: { retries: opts.retries ?? 5, initialRetryTime: Math.max(settings.retryBackoffMs, 50) },
    logLevel: logLevel.WARN,
    logCreator: logCreator(opts.stderr),
  };
  if (settings.tls) config.ssl = settings.tls;
  if (settings.sasl) {
    const { mechanism, username, password } = settings.sasl;
    config.sasl = mechanism === 'PLAIN'
      ? { mechanism: 'plain', username, password }
      : mechanism === 'SCRAM-SHA-256'
        ? { mechanism: 'scram-sha-256', username, password }
        : { mechanism: 'scram-sha-512', username, password };
  }
  return config;
}

export function createKafka(settings: ConnectionSettings, opts: KafkaFactoryOptions): InstanceType<typeof Kafka> {
  registerCompressionCodecs();
  return new Kafka(kafkajsConfig(settings, opts));
}
