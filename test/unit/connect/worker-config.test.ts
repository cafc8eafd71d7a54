import { describe, expect, it } from 'vitest';
import { consumerProperties, parseListener, producerProperties, workerConfig } from '../../../src/connect/worker-config.js';

const base = { 'key.converter': 'JsonConverter', 'value.converter': 'JsonConverter', 'offset.storage.file.filename': '/tmp/o' };

describe('workerConfig', () => {
  it("applies Kafka's defaults, and binds REST to 127.0.0.1:8083 when nothing says otherwise", () => {
    const c = workerConfig(base);
    expect(c.bootstrapServers).toBe('localhost:9092');
    expect(c.offsetFlushIntervalMs).toBe(60000);
    expect(c.offsetFlushTimeoutMs).toBe(5000);
    expect(c.listener).toEqual({ protocol: 'http', host: '127.0.0.1', port: 8083 });
    expect(c.headerConverter).toBe('org.apache.kafka.connect.storage.SimpleHeaderConverter');
    expect(c.pluginPath).toEqual([]);
  });

  it('reads listeners, and the legacy rest.host.name / rest.port', () => {
    expect(workerConfig({ ...base, listeners: 'HTTP://:8084' }).listener).toEqual({ protocol: 'http', host: '', port: 8084 });
    expect(workerConfig({ ...base, 'rest.port': '9000' }).listener).toEqual({ protocol: 'http', host: '', port: 9000 });
    expect(workerConfig({ ...base, 'rest.host.name': 'localhost', 'rest.port': '9001' }).listener).toEqual({ protocol: 'http', host: 'localhost', port: 9001 });
    expect(parseListener('http://[::1]:8083')).toEqual({ protocol: 'http', host: '::1', port: 8083 });
    expect(() => parseListener('https://:8443')).toThrow(/https is not supported/);
    expect(() => parseListener('ftp://:1')).toThrow('Listener protocol must be either "http" or "https", but ftp was found');
  });

  it("reports missing and malformed keys with Kafka's messages", () => {
    expect(() => workerConfig({ 'value.converter': 'x', 'offset.storage.file.filename': 'o' })).toThrow('Missing required configuration "key.converter" which has no default value.');
    expect(() => workerConfig({ ...base, 'offset.flush.interval.ms': 'soon' })).toThrow('Invalid value soon for configuration offset.flush.interval.ms: Not a number of type LONG');
  });

  it("builds producer and consumer properties as Connect does, with producer./consumer. overrides", () => {
    const c = workerConfig({ ...base, 'bootstrap.servers': 'b:1', 'producer.linger.ms': '7', 'consumer.max.poll.records': '5', 'security.protocol': 'SSL' });
    const p = producerProperties(c, { 'producer.override.acks': '1' }, 'connector-producer-x-0');
    expect(Object.fromEntries(p)).toMatchObject({ 'bootstrap.servers': 'b:1', acks: '1', 'max.in.flight.requests.per.connection': '1', 'linger.ms': '7', 'client.id': 'connector-producer-x-0' });
    expect(p.has('security.protocol')).toBe(false);
    const k = consumerProperties(c, {}, 'connect-x', 'connector-consumer-x-0');
    expect(Object.fromEntries(k)).toEqual({ 'bootstrap.servers': 'b:1', 'group.id': 'connect-x', 'enable.auto.commit': 'false', 'auto.offset.reset': 'earliest', 'client.id': 'connector-consumer-x-0', 'max.poll.records': '5' });
  });
});
