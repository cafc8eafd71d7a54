// The broker's SSL, SASL_PLAINTEXT and SASL_SSL listeners (PLAIN users from JAAS, SCRAM users
// stored with kafka-configs), checked with real clients on real sockets: kcat (librdkafka),
// kafkajs and ktool's own tools reading Kafka client properties from --command-config files. Wrong passwords, unsupported mechanisms,
// requests before authentication and plaintext clients on a TLS port are refused, each for that
// connection alone. Certificates come from openssl (test/helpers/tls-certs.ts).
import { readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { Kafka, logLevel } from 'kafkajs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Broker } from '../../src/broker/index.js';
import { brokerConfigFrom } from '../../src/config/broker-config.js';
import { createLogger, silentLogger } from '../../src/log.js';
import { encodeMessage } from '../../src/protocol/codec.js';
import { writeRequestHeader } from '../../src/protocol/headers.js';
import { Metadata, SaslHandshake } from '../../src/protocol/messages/index.js';
import { Writer } from '../../src/protocol/writer.js';
import { runCli } from '../helpers/run-cli.js';
import { runProcess } from '../helpers/run-process.js';
import { RawSocket } from '../helpers/raw-socket.js';
import { tempDir } from '../helpers/start-broker.js';
import { KEYSTORE_PASSWORD, makeTestCerts, type TestCerts } from '../helpers/tls-certs.js';

const JAAS = 'org.apache.kafka.common.security.plain.PlainLoginModule required username="admin" password="admin-secret" user_admin="admin-secret" user_alice="alice-secret";';

let certs: TestCerts;
let dir: string;
let broker: Broker;
const port = (name: string): number => broker.listeners.find((l) => l.name === name)!.port;

function brokerProps(logDir: string, extra: Record<string, string> = {}): Map<string, string> {
  return new Map(Object.entries({
    listeners: 'PLAINTEXT://127.0.0.1:0,SSL://127.0.0.1:0,SASL_PLAINTEXT://127.0.0.1:0,SASL_SSL://127.0.0.1:0',
    'log.dirs': logDir,
    'ssl.keystore.type': 'PKCS12',
    'ssl.keystore.location': certs.serverP12,
    'ssl.keystore.password': KEYSTORE_PASSWORD,
    // The SASL_SSL listener has a PEM keystore of its own.
    'listener.name.sasl_ssl.ssl.keystore.type': 'PEM',
    'listener.name.sasl_ssl.ssl.keystore.location': certs.serverPem,
    'sasl.enabled.mechanisms': 'PLAIN,SCRAM-SHA-256,SCRAM-SHA-512',
    'listener.name.sasl_plaintext.plain.sasl.jaas.config': JAAS,
    'listener.name.sasl_ssl.plain.sasl.jaas.config': JAAS,
    ...extra,
  }));
}

beforeAll(async () => {
  dir = tempDir('ktool-security-');
  certs = makeTestCerts(dir);
  broker = await Broker.start(brokerConfigFrom(brokerProps(join(dir, 'logs'))), silentLogger);
});
afterAll(async () => {
  await broker?.close();
  rmSync(dir, { recursive: true, force: true });
});

const saslArgs = (user: string, password: string): string[] => ['-X', 'sasl.mechanisms=PLAIN', '-X', `sasl.username=${user}`, '-X', `sasl.password=${password}`];
const kcat = (listener: string, args: string[], input?: string) => runProcess('kcat', ['-b', `127.0.0.1:${port(listener)}`, ...args], { input, timeoutMs: 30_000 });

describe('SSL and SASL listeners with kcat', () => {
  it('serves metadata over SSL to a client that trusts the CA', async () => {
    const r = await kcat('SSL', ['-L', '-X', 'security.protocol=SSL', '-X', `ssl.ca.location=${certs.caPem}`]);
    expect(r.code, r.stderr).toBe(0);
    expect(r.stdout).toContain(`broker 0 at 127.0.0.1:${port('SSL')}`);
  });

  it('round-trips records over SASL_SSL with PLAIN', async () => {
    const args = ['-X', 'security.protocol=SASL_SSL', '-X', `ssl.ca.location=${certs.caPem}`, ...saslArgs('alice', 'alice-secret')];
    const p = await kcat('SASL_SSL', ['-P', '-t', 'secure', ...args], 'one\ntwo\nthree\n');
    expect(p.code, p.stderr).toBe(0);
    const c = await kcat('SASL_SSL', ['-C', '-t', 'secure', '-e', '-o', 'beginning', ...args]);
    expect(c.code, c.stderr).toBe(0);
    expect(c.stdout.trim().split('\n')).toEqual(['one', 'two', 'three']);
  });

  it('refuses a wrong password with Kafka’s message', async () => {
    const r = await kcat('SASL_PLAINTEXT', ['-L', '-m', '3', '-X', 'security.protocol=SASL_PLAINTEXT', ...saslArgs('alice', 'wrong')]);
    expect(r.code).not.toBe(0);
    expect(r.stderr).toContain('Authentication failed: Invalid username or password');
  });
});

describe('SASL listeners with kafkajs and ktool', () => {
  it('kafkajs produces and lists topics over SASL_SSL', async () => {
    const kafka = new Kafka({
      clientId: 'security-test', brokers: [`127.0.0.1:${port('SASL_SSL')}`], logLevel: logLevel.NOTHING,
      ssl: { ca: [readFileSync(certs.caPem, 'utf8')] }, sasl: { mechanism: 'plain', username: 'admin', password: 'admin-secret' },
    });
    const producer = kafka.producer();
    await producer.connect();
    await producer.send({ topic: 'kafkajs-secure', messages: [{ value: 'hello' }] });
    await producer.disconnect();
    const admin = kafka.admin();
    await admin.connect();
    expect(await admin.listTopics()).toContain('kafkajs-secure');
    await admin.disconnect();
  });

  it('ktool tools read the security settings from --command-config and the config files', async () => {
    const config = join(dir, 'client.properties');
    writeFileSync(config, [
      'security.protocol=SASL_SSL',
      'sasl.mechanism=PLAIN',
      'sasl.jaas.config=org.apache.kafka.common.security.plain.PlainLoginModule required username="alice" password="alice-secret";',
      `ssl.truststore.location=${certs.caPem}`,
      'ssl.truststore.type=PEM',
      '',
    ].join('\n'));
    const bootstrap = `127.0.0.1:${port('SASL_SSL')}`;
    const created = await runCli(['topics', '--bootstrap-server', bootstrap, '--command-config', config, '--create', '--topic', 'cli-secure']);
    expect(created.stdout, created.stderr).toBe('Created topic cli-secure.\n');
    const listed = await runCli(['topics', '--bootstrap-server', bootstrap, '--command-config', config, '--list']);
    expect(listed.stdout.split('\n')).toContain('cli-secure');
    const produced = await runCli(['console-producer', '--bootstrap-server', bootstrap, '--producer.config', config, '--topic', 'cli-secure'], { stdin: 'a\nb\n' });
    expect(produced.code, produced.stderr).toBe(0);
    const consumed = await runCli(['console-consumer', '--bootstrap-server', bootstrap, '--consumer.config', config, '--topic', 'cli-secure', '--from-beginning', '--max-messages', '2']);
    expect(consumed.stdout).toBe('a\nb\n');
    const wrong = join(dir, 'wrong.properties');
    writeFileSync(wrong, readFileSync(config, 'utf8').replace('alice-secret', 'nope'));
    const refused = await runCli(['topics', '--bootstrap-server', bootstrap, '--command-config', wrong, '--list']);
    expect(refused.code).not.toBe(0);
    expect(refused.stderr).toContain('Authentication failed: Invalid username or password');
  });
});

describe('SCRAM credentials: kafka-configs stores them, kcat, kafkajs and ktool log in with them', () => {
  const configs = (args: string[]) => runCli(['configs', '--bootstrap-server', `127.0.0.1:${port('PLAINTEXT')}`, ...args]);

  beforeAll(async () => {
    const r = await configs(['--alter', '--entity-type', 'users', '--entity-name', 'carol', '--add-config', 'SCRAM-SHA-256=[iterations=8192,password=carol-secret],SCRAM-SHA-512=[password=carol-secret]']);
    expect(r.stdout, r.stderr).toBe('Completed updating config for user carol.\n');
  });

  it('describes users as kafka-configs does, never with the secrets', async () => {
    const all = await configs(['--describe', '--entity-type', 'users']);
    expect(all.stdout).toBe("SCRAM credential configs for user-principal 'carol' are SCRAM-SHA-256=iterations=8192, SCRAM-SHA-512=iterations=4096\n");
    const missing = await configs(['--describe', '--user', 'nobody']);
    expect(missing.stdout).toBe("Error retrieving SCRAM credential configs for user-principal 'nobody': ResourceNotFoundException: Attempt to describe a user credential that does not exist\n");
  });

  it('refuses what kafka-configs refuses, with its messages', async () => {
    const few = await configs(['--alter', '--user', 'dave', '--add-config', 'SCRAM-SHA-256=[iterations=100,password=x]']);
    expect(few.code).toBe(1);
    expect(few.stderr).toBe('Iterations 100 is less than the minimum 4096 required for SCRAM-SHA-256\n');
    const unknown = await configs(['--alter', '--user', 'dave', '--add-config', 'foo=1']);
    expect(unknown.stderr).toBe("Only quota and SCRAM credential configs can be added for 'users' using --bootstrap-server. Unexpected config names: Set(foo)\n");
    const gone = await configs(['--alter', '--user', 'dave', '--delete-config', 'SCRAM-SHA-512']);
    expect(gone.code).toBe(1);
    expect(gone.stderr).toContain('ResourceNotFoundException: Attempt to delete a user credential that does not exist');
  });

  it('kcat logs in with SCRAM-SHA-256 and SCRAM-SHA-512; a wrong password gets Kafka’s message', async () => {
    for (const mechanism of ['SCRAM-SHA-256', 'SCRAM-SHA-512']) {
      const args = ['-X', 'security.protocol=SASL_SSL', '-X', `ssl.ca.location=${certs.caPem}`, '-X', `sasl.mechanisms=${mechanism}`, '-X', 'sasl.username=carol', '-X', 'sasl.password=carol-secret'];
      const p = await kcat('SASL_SSL', ['-P', '-t', `scram-${mechanism}`, ...args], 'x\ny\n');
      expect(p.code, p.stderr).toBe(0);
      const c = await kcat('SASL_SSL', ['-C', '-t', `scram-${mechanism}`, '-e', '-o', 'beginning', ...args]);
      expect(c.stdout.trim().split('\n')).toEqual(['x', 'y']);
    }
    const bad = await kcat('SASL_PLAINTEXT', ['-L', '-m', '3', '-X', 'security.protocol=SASL_PLAINTEXT', '-X', 'sasl.mechanisms=SCRAM-SHA-256', '-X', 'sasl.username=carol', '-X', 'sasl.password=wrong']);
    expect(bad.code).not.toBe(0);
    expect(bad.stderr).toContain('Authentication failed during authentication due to invalid credentials with SASL mechanism SCRAM-SHA-256');
  });

  it('kafkajs and ktool’s own client log in with SCRAM', async () => {
    const kafka = new Kafka({ clientId: 'scram-test', brokers: [`127.0.0.1:${port('SASL_PLAINTEXT')}`], logLevel: logLevel.NOTHING, sasl: { mechanism: 'scram-sha-256', username: 'carol', password: 'carol-secret' } });
    const admin = kafka.admin();
    await admin.connect();
    expect(await admin.listTopics()).toContain('scram-SCRAM-SHA-256');
    await admin.disconnect();
    const config = join(dir, 'scram.properties');
    writeFileSync(config, 'security.protocol=SASL_PLAINTEXT\nsasl.mechanism=SCRAM-SHA-512\nsasl.jaas.config=org.apache.kafka.common.security.scram.ScramLoginModule required username="carol" password="carol-secret";\n');
    const listed = await runCli(['topics', '--bootstrap-server', `127.0.0.1:${port('SASL_PLAINTEXT')}`, '--command-config', config, '--list']);
    expect(listed.stdout.split('\n')).toContain('scram-SCRAM-SHA-512');
  });

  it('keeps the credentials across a restart, in the metadata file, without the password', async () => {
    const logDir = join(dir, 'restart-logs');
    let b = await Broker.start(brokerConfigFrom(brokerProps(logDir)), silentLogger);
    const bootstrap = `127.0.0.1:${b.listeners.find((l) => l.name === 'PLAINTEXT')!.port}`;
    expect((await runCli(['configs', '--bootstrap-server', bootstrap, '--alter', '--user', 'erin', '--add-config', 'SCRAM-SHA-256=[password=erin-secret]'])).code).toBe(0);
    await b.close();
    expect(readFileSync(join(logDir, 'ktool-metadata.json'), 'utf8')).not.toContain('erin-secret');
    b = await Broker.start(brokerConfigFrom(brokerProps(logDir)), silentLogger);
    try {
      const again = `127.0.0.1:${b.listeners.find((l) => l.name === 'PLAINTEXT')!.port}`;
      const r = await runCli(['configs', '--bootstrap-server', again, '--describe', '--user', 'erin']);
      expect(r.stdout).toBe("SCRAM credential configs for user-principal 'erin' are SCRAM-SHA-256=iterations=4096\n");
    } finally {
      await b.close();
    }
  });
});

describe('refusals, one connection at a time', () => {
  const request = (api: typeof Metadata | typeof SaslHandshake, version: number, body: object, correlationId: number): Buffer => {
    const w = new Writer();
    writeRequestHeader(w, { apiKey: api.apiKey, apiVersion: version, correlationId, clientId: 'raw' }, false);
    encodeMessage(api.request, version, body, w);
    const payload = w.toBuffer();
    const size = Buffer.alloc(4);
    size.writeInt32BE(payload.length);
    return Buffer.concat([size, payload]);
  };

  it('closes a SASL connection that asks anything but ApiVersions and SaslHandshake first', async () => {
    const s = await RawSocket.open(port('SASL_PLAINTEXT'));
    s.write(request(Metadata, 1, { topics: null }, 1));
    expect(await s.waitClosed()).toBe(true);
  });

  it('answers an unsupported mechanism with the enabled ones, then closes', async () => {
    const s = await RawSocket.open(port('SASL_PLAINTEXT'));
    s.write(request(SaslHandshake, 1, { mechanism: 'GSSAPI' }, 7));
    const frame = (await s.readFrame())!;
    expect(frame.readInt32BE(4)).toBe(7);
    expect(frame.readInt16BE(8)).toBe(33); // UNSUPPORTED_SASL_MECHANISM
    expect(frame.subarray(14).toString()).toBe('\u0000\u0005PLAIN\u0000\rSCRAM-SHA-256\u0000\rSCRAM-SHA-512');
    expect(await s.waitClosed()).toBe(true);
  });

  it('drops a plaintext client on a TLS port and keeps serving the others', async () => {
    const s = await RawSocket.open(port('SSL'));
    s.write(request(Metadata, 1, { topics: null }, 1));
    expect(await s.waitClosed()).toBe(true);
    const r = await kcat('SSL', ['-L', '-X', 'security.protocol=SSL', '-X', `ssl.ca.location=${certs.caPem}`]);
    expect(r.code, r.stderr).toBe(0);
  });
});

describe('no secrets in the broker log', () => {
  it('logs a failed login with the reason, never a password', async () => {
    const lines: string[] = [];
    const b = await Broker.start(brokerConfigFrom(brokerProps(join(dir, 'log-check'))), createLogger('test', { write: (l: string) => lines.push(l) }, 'DEBUG'));
    try {
      const config = join(dir, 'tried.properties');
      writeFileSync(config, 'security.protocol=SASL_PLAINTEXT\nsasl.mechanism=PLAIN\nsasl.jaas.config=org.apache.kafka.common.security.plain.PlainLoginModule required username="alice" password="tried-password";\n');
      const r = await runCli(['topics', '--bootstrap-server', `127.0.0.1:${b.listeners.find((l) => l.name === 'SASL_PLAINTEXT')!.port}`, '--command-config', config, '--list']);
      expect(r.code).not.toBe(0);
    } finally {
      await b.close();
    }
    const text = lines.join('');
    expect(text).toContain('Failed authentication with /127.0.0.1');
    for (const secret of ['tried-password', 'alice-secret', 'admin-secret', KEYSTORE_PASSWORD]) expect(text).not.toContain(secret);
  });
});

describe('listener configuration errors', () => {
  const fails = async (extra: Record<string, string>, message: RegExp | string): Promise<void> => {
    const logDir = join(dir, `bad-${Math.random().toString(36).slice(2)}`);
    await expect(Broker.start(brokerConfigFrom(brokerProps(logDir, extra)), silentLogger)).rejects.toThrow(message);
  };

  it('names what an SSL listener lacks, and what keystores it reads', async () => {
    await fails({ 'ssl.keystore.location': '' , 'ssl.keystore.type': 'PKCS12' }, 'Listener SSL (SSL) needs a keystore');
    await fails({ 'ssl.keystore.type': 'JKS' }, /ssl.keystore.type=JKS .* is not supported by ktool: use PKCS12 or PEM/);
  });

  it('refuses SASL mechanisms it does not have, and a listener without a protocol', async () => {
    await fails({ 'sasl.enabled.mechanisms': 'GSSAPI' }, "SASL mechanism GSSAPI in sasl.enabled.mechanisms of listener SASL_PLAINTEXT is not supported by ktool's broker (supported: PLAIN, SCRAM-SHA-256, SCRAM-SHA-512)");
    await fails({ 'listener.name.sasl_plaintext.plain.sasl.jaas.config': '' }, /Could not find a 'KafkaServer' or 'sasl_plaintext.KafkaServer' entry/);
    expect(() => brokerConfigFrom(brokerProps(dir, { listeners: 'OTHER://127.0.0.1:0' }))).toThrow('No security protocol defined for listener OTHER');
  });
});
