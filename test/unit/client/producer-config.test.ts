import { describe, expect, it } from 'vitest';
import { parseAcks, parseCompression, producerConfig } from '../../../src/client/producer-config.js';

const config = (props: Record<string, string> = {}) => producerConfig(new Map(Object.entries(props)));

describe('producerConfig', () => {
  it("has the Java producer's defaults, idempotence off", () => {
    expect(config()).toEqual({
      acks: -1, compression: 'none', compressionLevel: undefined, batchSize: 16384, lingerMs: 5, retries: 2147483647,
      retryBackoffMs: 100, requestTimeoutMs: 30000, deliveryTimeoutMs: 120000, maxRequestSize: 1048576,
      bufferMemory: 33554432, maxBlockMs: 60000, maxInFlight: 5, idempotence: false, metadataMaxAgeMs: 300000, ignoreKeys: false,
    });
  });

  it('reads the console tool settings', () => {
    const c = config({ acks: '1', 'compression.type': 'ZSTD', 'compression.zstd.level': '7', 'linger.ms': '1000', 'request.timeout.ms': '1500', retries: '3', 'partitioner.ignore.keys': 'true' });
    expect(c).toMatchObject({ acks: 1, compression: 'zstd', compressionLevel: 7, lingerMs: 1000, requestTimeoutMs: 1500, retries: 3, ignoreKeys: true });
  });

  it('raises a default delivery.timeout.ms below linger.ms + request.timeout.ms, and refuses an explicit one', () => {
    expect(config({ 'linger.ms': '100000', 'request.timeout.ms': '30000' }).deliveryTimeoutMs).toBe(130000);
    expect(() => config({ 'linger.ms': '1000', 'request.timeout.ms': '1500', 'delivery.timeout.ms': '2000' }))
      .toThrow('delivery.timeout.ms should be equal to or larger than linger.ms + request.timeout.ms');
  });

  it.each<[Record<string, string>, string]>([
    [{ 'batch.size': 'big' }, 'Invalid value big for configuration batch.size: Not a number of type INT'],
    [{ 'linger.ms': '-1' }, 'Invalid value -1 for configuration linger.ms: Value must be at least 0'],
    [{ 'max.in.flight.requests.per.connection': '0' }, 'Invalid value 0 for configuration max.in.flight.requests.per.connection: Value must be at least 1'],
    [{ 'enable.idempotence': 'yes' }, 'Invalid value yes for configuration enable.idempotence: Expected value to be either true or false'],
    [{ 'enable.idempotence': 'true', acks: '1' }, 'Must set acks to all in order to use the idempotent producer. Otherwise we cannot guarantee idempotence.'],
    [{ 'enable.idempotence': 'true', retries: '0' }, 'Must set retries to non-zero when using the idempotent producer.'],
    [{ 'enable.idempotence': 'true', 'max.in.flight.requests.per.connection': '6' }, 'Must set max.in.flight.requests.per.connection to at most 5 to use the idempotent producer.'],
  ])('%j fails: %s', (props, message) => {
    expect(() => config(props)).toThrow(message);
  });

  it('accepts idempotence with acks=all', () => {
    expect(config({ 'enable.idempotence': ' TRUE ', acks: 'all' }).idempotence).toBe(true);
  });
});

describe('parseAcks and parseCompression', () => {
  it.each([['all', -1], ['-1', -1], ['0', 0], ['1', 1], [' ALL ', -1]])('acks %j ⇒ %d', (v, n) => expect(parseAcks(v)).toBe(n));
  it('rejects other values with Kafka\'s messages', () => {
    expect(() => parseAcks('2')).toThrow('Invalid value 2 for configuration acks: String must be one of: all, -1, 0, 1');
    expect(() => parseCompression('brotli')).toThrow('Invalid value brotli for configuration compression.type: String must be one of: none, gzip, snappy, lz4, zstd');
  });
});
