// The producer settings the wire producer honours, read from Kafka client properties with the
// Java producer's key names, defaults and validation messages (ProducerConfig). Connection
// settings (bootstrap, TLS, SASL, request.timeout.ms…) are read by client-config.ts.
import type { Properties } from '../config/properties.js';
import { KtoolError } from '../errors.js';
import { CODEC_NAMES, type CompressionCodec } from '../protocol/records/compression.js';

export type Acks = -1 | 0 | 1;

export interface ProducerConfig {
  acks: Acks;
  compression: CompressionCodec;
  /** compression.<codec>.level when set (KIP-390). */
  compressionLevel?: number;
  /** batch.size: a batch is closed once its records reach this many bytes. */
  batchSize: number;
  lingerMs: number;
  /** How often a failed batch is sent again (retriable errors only). */
  retries: number;
  retryBackoffMs: number;
  /** request.timeout.ms: the broker's ack wait (Produce timeoutMs) and the client's response wait. */
  requestTimeoutMs: number;
  /** delivery.timeout.ms: a record fails once this long has passed since its batch was created. */
  deliveryTimeoutMs: number;
  maxRequestSize: number;
  /** buffer.memory: records waiting to be sent or acknowledged, in bytes. */
  bufferMemory: number;
  /** max.block.ms: how long a send waits for the topic's metadata. */
  maxBlockMs: number;
  maxInFlight: number;
  idempotence: boolean;
  metadataMaxAgeMs: number;
  /** partitioner.ignore.keys: keyed records are spread like key-less ones. */
  ignoreKeys: boolean;
}

const configError = (message: string): KtoolError => new KtoolError('INVALID_CONFIG', message);

const oneOf = (key: string, value: string, allowed: string): KtoolError =>
  configError(`Invalid value ${value} for configuration ${key}: String must be one of: ${allowed}`);

export function parseAcks(value: string): Acks {
  const v = value.trim().toLowerCase();
  if (v === 'all' || v === '-1') return -1;
  if (v === '0') return 0;
  if (v === '1') return 1;
  throw oneOf('acks', value, 'all, -1, 0, 1');
}

export function parseCompression(value: string): CompressionCodec {
  const v = value.trim().toLowerCase();
  if (!(CODEC_NAMES as readonly string[]).includes(v)) throw oneOf('compression.type', value, CODEC_NAMES.join(', '));
  return v as CompressionCodec;
}

function numberConfig(props: Properties, key: string, fallback: number, type: 'INT' | 'LONG', min = -Infinity): number {
  const raw = props.get(key);
  if (raw === undefined) return fallback;
  const n = Number(raw.trim());
  if (raw.trim() === '' || !Number.isSafeInteger(n) || (type === 'INT' && (n < -0x80000000 || n > 0x7fffffff))) {
    throw configError(`Invalid value ${raw} for configuration ${key}: Not a number of type ${type}`);
  }
  if (n < min) throw configError(`Invalid value ${raw} for configuration ${key}: Value must be at least ${min}`);
  return n;
}

function booleanConfig(props: Properties, key: string, fallback: boolean): boolean {
  const raw = props.get(key);
  if (raw === undefined) return fallback;
  const v = raw.trim().toLowerCase();
  if (v === 'true') return true;
  if (v === 'false') return false;
  throw configError(`Invalid value ${raw} for configuration ${key}: Expected value to be either true or false`);
}

/**
 * Reads and validates the producer properties. Idempotence stays off unless
 * enable.idempotence=true is set (the console tool's choice here, keeping acks=0/1 usable).
 */
export function producerConfig(props: Properties): ProducerConfig {
  const acks = parseAcks(props.get('acks') ?? 'all');
  const compression = parseCompression(props.get('compression.type') ?? 'none');
  const levelKey = `compression.${compression}.level`;
  const compressionLevel = props.has(levelKey) ? numberConfig(props, levelKey, 0, 'INT') : undefined;
  const lingerMs = numberConfig(props, 'linger.ms', 5, 'LONG', 0);
  const requestTimeoutMs = numberConfig(props, 'request.timeout.ms', 30000, 'INT', 0);
  const retries = numberConfig(props, 'retries', 0x7fffffff, 'INT', 0);
  const maxInFlight = numberConfig(props, 'max.in.flight.requests.per.connection', 5, 'INT', 1);
  const idempotence = booleanConfig(props, 'enable.idempotence', false);
  if (idempotence) {
    if (maxInFlight > 5) throw configError('Must set max.in.flight.requests.per.connection to at most 5 to use the idempotent producer.');
    if (retries === 0) throw configError('Must set retries to non-zero when using the idempotent producer.');
    if (acks !== -1) throw configError('Must set acks to all in order to use the idempotent producer. Otherwise we cannot guarantee idempotence.');
  }
  // Java raises an explicit delivery.timeout.ms that is too small, and quietly raises the default.
  const lowestDelivery = lingerMs + requestTimeoutMs;
  let deliveryTimeoutMs = numberConfig(props, 'delivery.timeout.ms', 120000, 'INT', 0);
  if (deliveryTimeoutMs < lowestDelivery) {
    if (props.has('delivery.timeout.ms')) throw configError('delivery.timeout.ms should be equal to or larger than linger.ms + request.timeout.ms');
    deliveryTimeoutMs = lowestDelivery;
  }
  return {
    acks,
    compression,
    compressionLevel,
    batchSize: numberConfig(props, 'batch.size', 16384, 'INT', 0),
    lingerMs,
    retries,
    retryBackoffMs: numberConfig(props, 'retry.backoff.ms', 100, 'LONG', 0),
    requestTimeoutMs,
    deliveryTimeoutMs,
    maxRequestSize: numberConfig(props, 'max.request.size', 1048576, 'INT', 0),
    bufferMemory: numberConfig(props, 'buffer.memory', 33554432, 'LONG', 0),
    maxBlockMs: numberConfig(props, 'max.block.ms', 60000, 'LONG', 0),
    maxInFlight,
    idempotence,
    metadataMaxAgeMs: numberConfig(props, 'metadata.max.age.ms', 300000, 'LONG', 0),
    ignoreKeys: booleanConfig(props, 'partitioner.ignore.keys', false),
  };
}
