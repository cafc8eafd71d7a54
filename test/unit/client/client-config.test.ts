import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { bootstrapProblem, connectionSettings, parseBootstrapServers } from '../../../src/client/client-config.js';
import { parseJaasConfig, parseJaasFileSection } from '../../../src/client/jaas.js';
import { kafkajsConfig } from '../../../src/client/kafkajs-factory.js';
import { PassThrough } from 'node:stream';

const dir = mkdtempSync(join(tmpdir(), 'ktool-client-config-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));
const props = (o: Record<string, string>) => new Map(Object.entries(o));

describe('bootstrap servers', () => {
  it('parses host:port lists and IPv6', () => {
    expect(parseBootstrapServers('a:1, b:2,[::1]:9092')).toEqual([{ host: 'a', port: 1 }, { host: 'b', port: 2 }, { host: '::1', port: 9092 }]);
    expect(() => parseBootstrapServers('nohost')).toThrow('Invalid url in bootstrap.servers: nohost');
  });
  it.each([
    [undefined, 'Error while validating the bootstrap address'],
    ['', 'Error while validating the bootstrap address'],
    ['h', 'Please provide valid host:port like host1:9091,host2:9092'],
    ['h:1,h:x', 'Please provide valid host:port like host1:9091,host2:9092'],
    ['h:1,[::1]:2', undefined],
  ])('validateBootstrapServer(%j)', (list, problem) => expect(bootstrapProblem(list)).toBe(problem));
});

describe('JAAS', () => {
  it('parses sasl.jaas.config entries with quoted and bare values', () => {
    expect(parseJaasConfig('org.apache.kafka.common.security.plain.PlainLoginModule required username="alice" password="s3cr\\"et;" extra=bare;')).toEqual([
      { loginModule: 'org.apache.kafka.common.security.plain.PlainLoginModule', flag: 'required', options: { username: 'alice', password: 's3cr"et;', extra: 'bare' } },
    ]);
  });
  it('rejects malformed entries', () => {
    expect(() => parseJaasConfig('Mod required username="a"')).toThrow("must end with ';'");
    expect(() => parseJaasConfig('Mod maybe;')).toThrow('Invalid JAAS control flag');
    expect(() => parseJaasConfig('')).toThrow('does not contain any login modules');
  });
  it('reads the KafkaClient section of a JAAS file', () => {
    const text = '// comment\nKafkaServer { a.B required x="1"; };\nKafkaClient {\n  org.apache.kafka.common.security.scram.ScramLoginModule required\n  username="bob" password="pw";\n};\n';
    expect(parseJaasFileSection(text, 'KafkaClient')).toEqual([{ loginModule: 'org.apache.kafka.common.security.scram.ScramLoginModule', flag: 'required', options: { username: 'bob', password: 'pw' } }]);
    expect(parseJaasFileSection(text, 'Nope')).toBeUndefined();
  });
});

describe('connectionSettings', () => {
  it('defaults to plaintext with Kafka timeouts', () => {
    const s = connectionSettings('h:1', props({}), {}, 'adminclient-1');
    expect(s).toMatchObject({ clientId: 'adminclient-1', requestTimeoutMs: 30000, connectTimeoutMs: 10000, apiTimeoutMs: 60000, retryBackoffMs: 100 });
    expect(s.tls).toBeUndefined();
    expect(s.sasl).toBeUndefined();
  });

  it('maps SASL_SSL with SCRAM and a PEM truststore', () => {
    const ca = join(dir, 'ca.pem');
    writeFileSync(ca, '-----BEGIN CERTIFICATE-----\nMIIB\n-----END CERTIFICATE-----\n');
    const s = connectionSettings('h:1', props({
      'security.protocol': 'SASL_SSL',
      'sasl.mechanism': 'SCRAM-SHA-512',
      'sasl.jaas.config': 'org.apache.kafka.common.security.scram.ScramLoginModule required username="u" password="p";',
      'ssl.truststore.location': ca,
      'ssl.endpoint.identification.algorithm': '',
      'client.id': 'mine',
    }));
    expect(s.sasl).toEqual({ mechanism: 'SCRAM-SHA-512', username: 'u', password: 'p' });
    expect(s.tls?.ca).toBeInstanceOf(Buffer);
    expect(s.tls?.checkServerIdentity?.('x', {} as never)).toBeUndefined();
    expect(s.clientId).toBe('mine');
    const k = kafkajsConfig(s, { stderr: new PassThrough() });
    expect(k.sasl).toEqual({ mechanism: 'scram-sha-512', username: 'u', password: 'p' });
    expect(k.ssl).toBe(s.tls);
    expect(k.brokers).toEqual(['h:1']);
  });

  it('inline PEM truststore and keystore', () => {
    const s = connectionSettings('h:1', props({ 'security.protocol': 'SSL', 'ssl.truststore.type': 'PEM', 'ssl.truststore.certificates': 'CA', 'ssl.keystore.type': 'PEM', 'ssl.keystore.key': 'KEY', 'ssl.keystore.certificate.chain': 'CHAIN', 'ssl.key.password': 'pw' }));
    expect(s.tls).toMatchObject({ ca: 'CA', key: 'KEY', cert: 'CHAIN', passphrase: 'pw' });
  });

  it('reads the JAAS file named in KAFKA_OPTS', () => {
    const jaas = join(dir, 'client.jaas');
    writeFileSync(jaas, 'KafkaClient { org.apache.kafka.common.security.plain.PlainLoginModule required username="a" password="b"; };');
    const s = connectionSettings('h:1', props({ 'security.protocol': 'SASL_PLAINTEXT', 'sasl.mechanism': 'PLAIN' }), { KAFKA_OPTS: `-Xmx1g -Djava.security.auth.login.config=${jaas}` });
    expect(s.sasl).toEqual({ mechanism: 'PLAIN', username: 'a', password: 'b' });
  });

  it.each([
    [{ 'security.protocol': 'TLS' }, 'Invalid value TLS for configuration security.protocol'],
    [{ 'security.protocol': 'SASL_PLAINTEXT' }, 'SASL mechanism GSSAPI is not supported by ktool'],
    [{ 'security.protocol': 'SASL_PLAINTEXT', 'sasl.mechanism': 'PLAIN' }, "Could not find a 'KafkaClient' entry in the JAAS configuration"],
    [{ 'security.protocol': 'SSL', 'ssl.truststore.location': '/nonexistent.jks' }, 'Failed to load SSL truststore /nonexistent.jks'],
    [{ 'request.timeout.ms': 'soon' }, 'Invalid value soon for configuration request.timeout.ms'],
  ])('%j fails clearly', (p, message) => {
    expect(() => connectionSettings('h:1', props(p))).toThrow(message);
  });

  it('explains that JKS stores need converting', () => {
    const jks = join(dir, 'trust.jks');
    writeFileSync(jks, Buffer.from([0xfe, 0xed, 0xfe, 0xed, 0, 0, 0, 2]));
    expect(() => connectionSettings('h:1', props({ 'security.protocol': 'SSL', 'ssl.truststore.location': jks }))).toThrow('convert the truststore to PEM');
  });
});
