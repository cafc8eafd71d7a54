// python3-confluent-kafka (librdkafka) against the bundled broker: AdminClient creates and lists
// topics, a Producer (idempotent too) writes keyed records with headers; kcat reads them back.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runCli } from '../helpers/run-cli.js';
import { runProcess, SYSTEM_PYTHON } from '../helpers/run-process.js';
import { startTestBroker, type TestBroker } from '../helpers/start-broker.js';

let b: TestBroker;
beforeAll(async () => {
  b = await startTestBroker({ 'auto.create.topics.enable': 'false' });
});
afterAll(async () => {
  await b?.cleanup();
});

const python = (script: string) => runProcess(SYSTEM_PYTHON, ['-c', script, b.bootstrap], { timeoutMs: 60_000 });

describe('confluent-kafka-python interop', () => {
  it('AdminClient creates topics, reports existing ones, lists and deletes them', async () => {
    const r = await python(`
import sys
from confluent_kafka.admin import AdminClient, NewTopic
a = AdminClient({'bootstrap.servers': sys.argv[1]})
for t, f in a.create_topics([NewTopic('ck-admin', 3, 1), NewTopic('ck-gone', 1, 1)]).items():
    f.result()
    print('created', t)
try:
    a.create_topics([NewTopic('ck-admin', 1, 1)])['ck-admin'].result()
except Exception as e:
    print('error', e.args[0].name(), e.args[0].str())
md = a.list_topics(timeout=10)
print('partitions', len(md.topics['ck-admin'].partitions))
a.delete_topics(['ck-gone'])['ck-gone'].result()
print('topics', sorted(t for t in a.list_topics(timeout=10).topics))
`);
    expect(r.stderr).toBe('');
    expect(r.stdout.split('\n')).toEqual([
      'created ck-admin',
      'created ck-gone',
      "error TOPIC_ALREADY_EXISTS Topic 'ck-admin' already exists.",
      'partitions 3',
      "topics ['ck-admin']",
      '',
    ]);
  });

  it('Producer (plain and idempotent) writes records that kcat reads back with keys and headers', async () => {
    const r = await python(`
import sys
from confluent_kafka import Producer
from confluent_kafka.admin import AdminClient, NewTopic
admin = AdminClient({'bootstrap.servers': sys.argv[1]})
admin.create_topics([NewTopic('ck-produce', 1, 1)])['ck-produce'].result()
for idem in (False, True):
    p = Producer({'bootstrap.servers': sys.argv[1], 'enable.idempotence': idem, 'linger.ms': 5})
    offsets = []
    for i in range(5):
        p.produce('ck-produce', key=f'k{i}', value=f'v{i}-{idem}', headers=[('h', b'x')], on_delivery=lambda err, m: offsets.append((err, m.offset())))
    p.flush(20)
    print(offsets)
`);
    expect(r.stderr).toBe('');
    expect(r.stdout).toBe('[(None, 0), (None, 1), (None, 2), (None, 3), (None, 4)]\n[(None, 5), (None, 6), (None, 7), (None, 8), (None, 9)]\n');
    const c = await runProcess('kcat', ['-b', b.bootstrap, '-C', '-t', 'ck-produce', '-e', '-o', 'beginning', '-f', '%k=%s %h\\n']);
    expect(c.stdout.trim().split('\n')).toEqual([
      ...Array.from({ length: 5 }, (_, i) => `k${i}=v${i}-False h=x`),
      ...Array.from({ length: 5 }, (_, i) => `k${i}=v${i}-True h=x`),
    ]);
    const cc = await runCli(['console-consumer', '--bootstrap-server', b.bootstrap, '--topic', 'ck-produce', '--from-beginning', '--max-messages', '10', '--property', 'print.key=true', '--property', 'key.separator=|']);
    expect(cc.code).toBe(0);
    expect(cc.stdout.split('\n').slice(0, 2)).toEqual(['k0|v0-False', 'k1|v1-False']);
    expect(cc.stderr).toBe('Processed a total of 10 messages\n');
  });
});
