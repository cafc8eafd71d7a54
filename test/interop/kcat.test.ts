// kcat (librdkafka 2.0.2) against the bundled broker: metadata, produce with keys and headers,
// consume from the beginning, every compression codec, and a restart on the same log dir.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runCli } from '../helpers/run-cli.js';
import { runProcess } from '../helpers/run-process.js';
import { startTestBroker, type TestBroker } from '../helpers/start-broker.js';

let b: TestBroker;
beforeAll(async () => {
  b = await startTestBroker();
});
afterAll(async () => {
  await b?.cleanup();
});

const kcat = (args: string[], input?: string) => runProcess('kcat', ['-b', b.bootstrap, ...args], { input, timeoutMs: 30_000 });

describe('kcat interop', () => {
  it('kcat -L lists the broker and auto-created topics', async () => {
    await kcat(['-P', '-t', 'kcat-meta'], 'x\n');
    const r = await kcat(['-L']);
    expect(r.code).toBe(0);
    expect(r.stdout).toContain(`broker 0 at 127.0.0.1:${b.broker.port} (controller)`);
    expect(r.stdout).toMatch(/topic "kcat-meta" with 1 partitions:\n\s+partition 0, leader 0, replicas: 0, isrs: 0/);
  });

  it('round-trips keyed records with headers (kcat -P then kcat -C -e)', async () => {
    const lines = Array.from({ length: 5 }, (_, i) => `key${i}:value ${i}`).join('\n') + '\n';
    const p = await kcat(['-P', '-t', 'kcat-rt', '-K:', '-H', 'trace=kcat', '-H', 'n=1'], lines);
    expect(p.code, p.stderr).toBe(0);
    const c = await kcat(['-C', '-t', 'kcat-rt', '-e', '-o', 'beginning', '-f', '%p|%o|%k|%s|%h\\n']);
    expect(c.code, c.stderr).toBe(0);
    expect(c.stdout.trim().split('\n')).toEqual(Array.from({ length: 5 }, (_, i) => `0|${i}|key${i}|value ${i}|trace=kcat,n=1`));
  });

  it('what kcat wrote is read back by ktool console-consumer, keys and headers intact', async () => {
    const r = await runCli([
      'console-consumer', '--bootstrap-server', b.bootstrap, '--topic', 'kcat-rt', '--from-beginning', '--max-messages', '5',
      '--property', 'print.key=true', '--property', 'print.headers=true', '--property', 'print.offset=true',
    ]);
    expect(r.code).toBe(0);
    expect(r.stdout).toBe(Array.from({ length: 5 }, (_, i) => `Offset:${i}\ttrace:kcat,n:1\tkey${i}\tvalue ${i}\n`).join(''));
    expect(r.stderr).toBe('Processed a total of 5 messages\n');
  });

  for (const codec of ['gzip', 'snappy', 'lz4', 'zstd']) {
    it(`produces and consumes ${codec}-compressed batches`, async () => {
      const topic = `kcat-${codec}`;
      const p = await kcat(['-P', '-t', topic, '-z', codec], 'one\ntwo\nthree\n');
      expect(p.code, p.stderr).toBe(0);
      const c = await kcat(['-C', '-t', topic, '-e', '-o', 'beginning', '-f', '%s\\n']);
      expect(c.stdout).toBe('one\ntwo\nthree\n');
      const r = await runCli(['console-consumer', '--bootstrap-server', b.bootstrap, '--topic', topic, '--from-beginning', '--max-messages', '3']);
      expect(r.stdout).toBe('one\ntwo\nthree\n');
    });
  }

  it('consumes from an offset and resets an out-of-range offset', async () => {
    await kcat(['-P', '-t', 'kcat-off'], 'a\nb\nc\nd\n');
    const from2 = await kcat(['-C', '-t', 'kcat-off', '-p', '0', '-o', '2', '-e', '-f', '%o:%s\\n']);
    expect(from2.stdout).toBe('2:c\n3:d\n');
  });

  it('keeps topics and records across a broker restart on the same log dir', async () => {
    await kcat(['-P', '-t', 'kcat-durable', '-K:'], 'k1:v1\nk2:v2\n');
    await b.stop();
    b = await startTestBroker({}, b.logDir);
    const c = await kcat(['-C', '-t', 'kcat-durable', '-e', '-o', 'beginning', '-f', '%k=%s\\n']);
    expect(c.stdout).toBe('k1=v1\nk2=v2\n');
    const more = await kcat(['-P', '-t', 'kcat-durable', '-K:'], 'k3:v3\n');
    expect(more.code).toBe(0);
    const all = await kcat(['-C', '-t', 'kcat-durable', '-e', '-o', 'beginning', '-f', '%o=%s\\n']);
    expect(all.stdout).toBe('0=v1\n1=v2\n2=v3\n');
  });
});
