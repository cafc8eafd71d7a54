// The broker in ZooKeeper mode, against Debian's real Apache ZooKeeper (started by this file on a
// free loopback port) and against ktool's own ZooKeeper server: the znodes and JSON a Kafka 2.8
// broker writes, controller election, topics created through znodes (as kafka-topics --zookeeper
// does), deletion through /admin/delete_topics, config changes, and re-registration after the
// session is lost.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Broker } from '../../src/broker/index.js';
import { BrokerConnection } from '../../src/client/broker-connection.js';
import { brokerConfigFrom } from '../../src/config/broker-config.js';
import { createLogger } from '../../src/log.js';
import { CreatePartitions, CreateTopics, DeleteTopics, Fetch, Metadata, Produce, type CreatePartitionsResponse, type CreateTopicsResponse, type DeleteTopicsResponse, type FetchResponse, type MetadataResponse, type ProduceResponse } from '../../src/protocol/messages/index.js';
import { decodeRecordBatchesSync, encodeRecordBatchSync } from '../../src/protocol/records/records.js';
import { uuidToBase64 } from '../../src/broker/metadata/uuid.js';
import { ZkClient } from '../../src/zookeeper/client/zk-client.js';
import { createRecursive } from '../../src/zookeeper/client/zk-tree.js';
import { CreateMode } from '../../src/zookeeper/protocol/constants.js';
import { Err, KeeperError } from '../../src/zookeeper/protocol/keeper-errors.js';
import { realZooKeeperMissing } from '../helpers/real-zookeeper.js';
import { startDebianZooKeeper, startKtoolZooKeeper, type ZooKeeperUnderTest } from '../helpers/zookeeper-servers.js';
import { tempDir } from '../helpers/start-broker.js';

const missing = realZooKeeperMissing();
if (missing) console.warn(`Skipping the broker ZooKeeper-mode tests: ${missing}`);

/**
 * Polls `probe` until it gives something other than undefined, null or false. A probe still
 * running at the deadline (a ZooKeeper request queued while disconnected) does not extend it.
 */
async function until<T>(what: string, probe: () => Promise<T | undefined | null | false> | T | undefined | null | false, timeoutMs = 15_000): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  let last: unknown;
  while (Date.now() < deadline) {
    let timer: NodeJS.Timeout | undefined;
    try {
      const bound = new Promise<never>((_, reject) => (timer = setTimeout(() => reject(new Error('probe still running at the deadline')), Math.max(0, deadline - Date.now()))));
      const v = await Promise.race([Promise.resolve().then(probe), bound]);
      if (v !== undefined && v !== null && v !== false) return v;
    } catch (err) {
      last = err;
    } finally {
      clearTimeout(timer);
    }
    await new Promise((r) => setTimeout(r, 50));
  }
  throw new Error(`timed out waiting for ${what}${last ? ` (last error: ${(last as Error).message})` : ''}`);
}

const text = (b: Buffer | null) => (b === null ? null : b.toString('utf8'));

describe('broker in ZooKeeper mode without a reachable ZooKeeper', () => {
  it('fails to start with Kafka\'s message after zookeeper.connection.timeout.ms', async () => {
    const dir = tempDir('ktool-zk-unreachable-');
    const props = new Map([
      ['listeners', 'PLAINTEXT://127.0.0.1:0'],
      ['log.dirs', dir],
      ['zookeeper.connect', '127.0.0.1:1'],
      ['zookeeper.connection.timeout.ms', '300'],
    ]);
    await expect(Broker.start(brokerConfigFrom(props))).rejects.toThrow('Timed out waiting for connection while in state: CONNECTING');
  });
});

// Sessions of up to a minute: riding out a ZooKeeper restart with the same session must not
// depend on how fast a loaded machine restarts the JVM.
describe.skipIf(missing !== undefined)('broker in ZooKeeper mode (real Apache ZooKeeper)', () => zkModeSuite(() => startDebianZooKeeper({ maxSessionTimeout: 60_000 })));
describe('broker in ZooKeeper mode (ktool zookeeper-start)', () => zkModeSuite(() => startKtoolZooKeeper({ maxSessionTimeout: 60_000 })));

function zkModeSuite(startZooKeeper: () => Promise<ZooKeeperUnderTest>): void {
  let zk: ZooKeeperUnderTest;
  let broker: Broker;
  let logDir: string;
  let logs = '';
  let admin: ZkClient; // a chroot-ed client, as kafka-topics --zookeeper host:port/kafka uses
  let conn: BrokerConnection;

  const startBroker = async (dir: string, extra: Record<string, string> = {}): Promise<Broker> => {
    const props = new Map<string, string>([
      ['listeners', 'PLAINTEXT://127.0.0.1:0'],
      ['log.dirs', dir],
      ['zookeeper.connect', `${zk.connectString}/kafka`],
      ['zookeeper.session.timeout.ms', '30000'],
      ['offsets.topic.replication.factor', '1'],
      ['num.partitions', '1'],
      ...Object.entries(extra),
    ]);
    const sink = {
      write: (line: string) => {
        logs += line;
        if (process.env.KTOOL_TEST_LOGS) process.stderr.write(line);
      },
    };
    return Broker.start(brokerConfigFrom(props), createLogger('test', sink, 'DEBUG'));
  };

  beforeAll(async () => {
    zk = await startZooKeeper();
    logDir = tempDir('ktool-zk-broker-');
    broker = await startBroker(logDir);
    admin = await ZkClient.connect({ connectString: `${zk.connectString}/kafka`, sessionTimeoutMs: 30_000 });
    conn = await BrokerConnection.open({ host: '127.0.0.1', port: broker.port, nodeId: -1 }, { clientId: 'zk-test', connectTimeoutMs: 5000, requestTimeoutMs: 15000 });
  }, 60_000);

  afterAll(async () => {
    conn?.close();
    await admin?.close();
    await broker?.close();
    await zk?.cleanup();
  }, 30_000);

  it('creates the chroot and the persistent paths with null data, and /cluster/id matching meta.properties', async () => {
    expect(logs).toContain(`Connecting to zookeeper on ${zk.connectString}/kafka`);
    expect(logs).toContain('Created zookeeper path /kafka');
    for (const path of ['/consumers', '/brokers/ids', '/brokers/topics', '/brokers/seqid', '/config/changes', '/admin/delete_topics', '/isr_change_notification', '/latest_producer_id_block', '/log_dir_event_notification', '/config/topics', '/config/clients', '/config/users', '/config/brokers', '/config/ips', '/admin', '/config', '/brokers']) {
      expect((await admin.getData(path)).data, path).toBeNull();
    }
    const cluster = text((await admin.getData('/cluster/id')).data)!;
    expect(cluster).toBe(`{"version":"1","id":"${broker.clusterId}"}`);
    expect(broker.clusterId).toMatch(/^[A-Za-z0-9_-]{22}$/);
    // Version 0 with broker.id: the only meta.properties a ZooKeeper-mode Kafka 2.x broker accepts.
    expect(readFileSync(join(logDir, 'meta.properties'), 'utf8')).toMatch(new RegExp(`^#\n#.*\ncluster\.id=${broker.clusterId}\nversion=0\nbroker\.id=0\n$`));
    expect(logs).toContain(`Cluster ID = ${broker.clusterId}`);
  });

  it('registers /brokers/ids/0 as an ephemeral with Kafka 2.8\'s JSON and log lines', async () => {
    const { data, stat } = await admin.getData('/brokers/ids/0');
    const port = broker.port;
    expect(text(data)).toMatch(
      new RegExp(`^\\{"features":\\{\\},"listener_security_protocol_map":\\{"PLAINTEXT":"PLAINTEXT"\\},"endpoints":\\["PLAINTEXT://127\\.0\\.0\\.1:${port}"\\],"jmx_port":-1,"port":${port},"host":"127\\.0\\.0\\.1","version":5,"timestamp":"\\d{13}"\\}$`),
    );
    expect(stat.version).toBe(1); // create(null) + setData(version 0) in one multi
    expect(stat.mzxid).toBe(stat.czxid);
    expect(stat.ephemeralOwner).toBe(broker.zk!.sessionCredentials.id);
    expect(broker.zk!.brokerEpoch).toBe(stat.czxid);
    expect(logs).toContain('Creating /brokers/ids/0 (is it secure? false) (kafka.zk.KafkaZkClient)');
    expect(logs).toContain(`Stat of the created znode at /brokers/ids/0 is: ${stat.czxid},${stat.mzxid},${stat.ctime},${stat.mtime},1,0,0,${stat.ephemeralOwner},${stat.dataLength},0,${stat.pzxid}\n`);
    expect(logs).toContain(`Registered broker 0 at path /brokers/ids/0 with addresses: PLAINTEXT://127.0.0.1:${port}, czxid (broker epoch): ${stat.czxid} (kafka.zk.KafkaZkClient)`);
  });

  it('elects itself controller: /controller (ephemeral), /controller_epoch, /feature', async () => {
    const controller = await admin.getData('/controller');
    expect(text(controller.data)).toMatch(/^\{"version":1,"brokerid":0,"timestamp":"\d{13}"\}$/);
    expect(controller.stat.ephemeralOwner).toBe(broker.zk!.sessionCredentials.id);
    const epoch = await admin.getData('/controller_epoch');
    expect(text(epoch.data)).toBe('1');
    expect(epoch.stat.version).toBe(1);
    expect(text((await admin.getData('/feature')).data)).toBe('{"features":{},"version":1,"status":1}');
    expect(logs).toContain('Successfully created /controller_epoch with initial epoch 0');
    expect(logs).toContain('[Controller id=0] 0 successfully elected as the controller. Epoch incremented to 1 and epoch zk version is now 1');
    expect(broker.zk!.isController).toBe(true);
  });

  it('picks up a topic written to znodes as kafka-topics --zookeeper does, completes it as the controller, and serves it', async () => {
    await admin.create('/config/topics/zk-made', Buffer.from('{"version":1,"config":{"retention.ms":"3600000"}}'));
    await createRecursive(admin, '/brokers/topics/zk-made', Buffer.from('{"partitions":{"0":[0],"1":[0]},"adding_replicas":{},"removing_replicas":{},"version":3}'));
    const info = await until('the topic in the broker', () => broker.state.metadata.get('zk-made'));
    expect(info.partitions).toBe(2);
    expect(info.configs.get('retention.ms')).toBe('3600000');
    const assignment = await until('the topic id in the znode', async () => {
      const t = text((await admin.getData('/brokers/topics/zk-made')).data)!;
      return t.includes('topic_id') ? t : undefined;
    });
    expect(assignment).toBe(`{"partitions":{"0":[0],"1":[0]},"topic_id":"${uuidToBase64(info.id)}","adding_replicas":{},"removing_replicas":{},"version":3}`);
    for (const p of [0, 1]) {
      const state = await until(`partition ${p} state`, async () => (await admin.exists(`/brokers/topics/zk-made/partitions/${p}/state`)) && admin.getData(`/brokers/topics/zk-made/partitions/${p}/state`));
      expect(text(state.data)).toBe('{"controller_epoch":1,"leader":0,"version":1,"leader_epoch":0,"isr":[0]}');
      expect((await admin.getData(`/brokers/topics/zk-made/partitions/${p}`)).data).toBeNull();
    }
    expect((await admin.getData('/brokers/topics/zk-made/partitions')).data).toBeNull();

    const md = await conn.request<MetadataResponse>(Metadata, { topics: [{ name: 'zk-made', topicId: '00000000-0000-0000-0000-000000000000' }], allowAutoTopicCreation: false, includeClusterAuthorizedOperations: false, includeTopicAuthorizedOperations: false });
    expect(md.topics[0]).toMatchObject({ name: 'zk-made', errorCode: 0, topicId: info.id });
    expect(md.topics[0]!.partitions).toHaveLength(2);
    const produced = await conn.request<ProduceResponse>(Produce, {
      transactionalId: null, acks: -1, timeoutMs: 5000,
      topicData: [{ name: 'zk-made', partitionData: [{ index: 1, records: encodeRecordBatchSync({ records: [{ key: 'k', value: 'via-zk', timestamp: BigInt(Date.now()) }] }) }] }],
    });
    expect(produced.responses[0]!.partitionResponses[0]).toMatchObject({ errorCode: 0, baseOffset: 0n });
    const fetched = await conn.send<FetchResponse>(Fetch, 11, {
      replicaId: -1, maxWaitMs: 0, minBytes: 1, maxBytes: 1 << 20, isolationLevel: 0, sessionId: 0, sessionEpoch: -1,
      topics: [{ topic: 'zk-made', topicId: '00000000-0000-0000-0000-000000000000', partitions: [{ partition: 1, currentLeaderEpoch: -1, fetchOffset: 0n, logStartOffset: -1n, partitionMaxBytes: 1 << 20 }] }],
      forgottenTopicsData: [], rackId: '',
    });
    expect(decodeRecordBatchesSync(fetched.responses[0]!.partitions[0]!.records!)[0]!.records[0]!.value!.toString()).toBe('via-zk');
  });

  it('adds partitions written to the assignment (kafka-topics --zookeeper --alter)', async () => {
    const { data } = await admin.getData('/brokers/topics/zk-made');
    const grown = text(data)!.replace('"1":[0]}', '"1":[0],"2":[0]}');
    await admin.setData('/brokers/topics/zk-made', Buffer.from(grown));
    await until('partition 2', () => broker.state.metadata.get('zk-made')!.partitions === 3);
    await until('partition 2 state', () => admin.exists('/brokers/topics/zk-made/partitions/2/state').then((s) => s !== null));
  });

  it('writes topics created through CreateTopics as Kafka 2.8 does, with their topic id and configs', async () => {
    const res = await conn.request<CreateTopicsResponse>(CreateTopics, {
      topics: [{ name: 'api-made', numPartitions: 2, replicationFactor: 1, assignments: [], configs: [{ name: 'cleanup.policy', value: 'compact' }] }],
      timeoutMs: 5000, validateOnly: false,
    });
    expect(res.topics[0]).toMatchObject({ errorCode: 0, numPartitions: 2 });
    const id = uuidToBase64(res.topics[0]!.topicId);
    const assignment = await until('the assignment znode', async () => (await admin.exists('/brokers/topics/api-made')) && text((await admin.getData('/brokers/topics/api-made')).data));
    expect(assignment).toBe(`{"partitions":{"0":[0],"1":[0]},"topic_id":"${id}","adding_replicas":{},"removing_replicas":{},"version":3}`);
    expect(text((await admin.getData('/config/topics/api-made')).data)).toBe('{"version":1,"config":{"cleanup.policy":"compact"}}');
    await until('partition states', async () => (await admin.exists('/brokers/topics/api-made/partitions/1/state')) !== null);
    expect(text((await admin.getData('/brokers/topics/api-made/partitions/0/state')).data)).toBe('{"controller_epoch":1,"leader":0,"version":1,"leader_epoch":0,"isr":[0]}');
  });

  it('records partitions added through CreatePartitions in the assignment', async () => {
    const res = await conn.request<CreatePartitionsResponse>(CreatePartitions, { topics: [{ name: 'api-made', count: 3, assignments: null }], timeoutMs: 5000, validateOnly: false });
    expect(res.results[0]).toMatchObject({ errorCode: 0 });
    await until('the grown assignment', async () => text((await admin.getData('/brokers/topics/api-made')).data)!.includes('"2":[0]'));
    await until('partition 2 state', async () => (await admin.exists('/brokers/topics/api-made/partitions/2/state')) !== null);
  });

  it('applies topic config changes announced under /config/changes', async () => {
    await admin.setData('/config/topics/api-made', Buffer.from('{"version":1,"config":{"cleanup.policy":"compact","retention.ms":"1234"}}'));
    const seq = await admin.create('/config/changes/config_change_', Buffer.from('{"version":2,"entity_path":"topics/api-made"}'), { mode: CreateMode.PERSISTENT_SEQUENTIAL });
    expect(seq).toMatch(/^\/config\/changes\/config_change_\d{10}$/);
    await until('the new config', () => broker.state.metadata.get('api-made')!.configs.get('retention.ms') === '1234');
  });

  it('deletes a topic marked under /admin/delete_topics: log, znodes and marker', async () => {
    await createRecursive(admin, '/admin/delete_topics/zk-made', null);
    await until('the local deletion', () => broker.state.metadata.get('zk-made') === undefined);
    await until('the znodes to go', async () => (await admin.exists('/brokers/topics/zk-made')) === null && (await admin.exists('/admin/delete_topics/zk-made')) === null);
    expect(await admin.exists('/config/topics/zk-made')).toBeNull();
  });

  it('answers DeleteTopics by marking the topic and waiting for the controller', async () => {
    const res = await conn.request<DeleteTopicsResponse>(DeleteTopics, { topicNames: ['api-made'], topics: [{ name: 'api-made', topicId: '00000000-0000-0000-0000-000000000000' }], timeoutMs: 10_000 });
    expect(res.responses[0]).toMatchObject({ name: 'api-made', errorCode: 0 });
    expect(broker.state.metadata.get('api-made')).toBeUndefined();
    expect(await admin.exists('/brokers/topics/api-made')).toBeNull();
    expect(await admin.exists('/admin/delete_topics/api-made')).toBeNull();
  });

  it('re-registers and re-elects itself after its session expires', async () => {
    await conn.request<CreateTopicsResponse>(CreateTopics, { topics: [{ name: 'survivor', numPartitions: 1, replicationFactor: 1, assignments: [], configs: [] }], timeoutMs: 5000, validateOnly: false });
    await until('survivor in ZooKeeper', async () => (await admin.exists('/brokers/topics/survivor/partitions/0/state')) !== null);
    const before = broker.zk!.sessionCredentials;
    const oldRegistration = (await admin.getData('/brokers/ids/0')).stat;
    const epoch = Number(text((await admin.getData('/controller_epoch')).data));
    // Resume the broker's session from another client and close it: ZooKeeper expires it.
    const twin = await ZkClient.connect({ connectString: zk.connectString, sessionTimeoutMs: 6000, session: before });
    await twin.close();
    const reg = await until('a new registration', async () => {
      const s = await admin.exists('/brokers/ids/0');
      return s !== null && s.ephemeralOwner !== before.id ? s : undefined;
    }, 30_000);
    expect(reg.czxid).toBeGreaterThan(oldRegistration.czxid);
    expect(reg.ephemeralOwner).toBe(broker.zk!.sessionCredentials.id);
    await until('the controller again', async () => (await admin.exists('/controller'))?.ephemeralOwner === reg.ephemeralOwner, 30_000);
    expect(text((await admin.getData('/controller_epoch')).data)).toBe(String(epoch + 1));
    expect(logs).toContain('Session expired');
    // Still serving, and still following ZooKeeper.
    expect(broker.state.metadata.get('survivor')).toBeDefined();
    await createRecursive(admin, '/brokers/topics/after-expiry', Buffer.from('{"partitions":{"0":[0]},"adding_replicas":{},"removing_replicas":{},"version":3}'));
    await until('a topic created after the new session', () => broker.state.metadata.get('after-expiry'));
  }, 60_000);

  it('rides out a ZooKeeper restart: same session, registration kept, changes made meanwhile published', async () => {
    const session = broker.zk!.sessionCredentials.id;
    await zk.stop();
    // Created while ZooKeeper is down: written to ZooKeeper once the session is back.
    const res = await conn.request<CreateTopicsResponse>(CreateTopics, { topics: [{ name: 'during-outage', numPartitions: 1, replicationFactor: 1, assignments: [], configs: [] }], timeoutMs: 5000, validateOnly: false });
    expect(res.topics[0]!.errorCode).toBe(0);
    await zk.start();
    await until('the topic in ZooKeeper', async () => (await admin.exists('/brokers/topics/during-outage/partitions/0/state').catch(() => null)) !== null, 60_000);
    expect((await admin.exists('/brokers/ids/0'))!.ephemeralOwner).toBe(session);
    expect(broker.zk!.sessionCredentials.id).toBe(session);
    expect(broker.state.metadata.get('during-outage')).toBeDefined();
  }, 120_000);

  it('re-registers after its session expired during a ZooKeeper outage, and still publishes the topic created meanwhile', async () => {
    const before = broker.zk!.sessionCredentials;
    await zk.stop();
    const res = await conn.request<CreateTopicsResponse>(CreateTopics, { topics: [{ name: 'during-expiry', numPartitions: 1, replicationFactor: 1, assignments: [], configs: [] }], timeoutMs: 5000, validateOnly: false });
    expect(res.topics[0]!.errorCode).toBe(0);
    await zk.start();
    // End the broker's session as soon as ZooKeeper is back (taking it over if the broker got there first).
    await ZkClient.connect({ connectString: zk.connectString, sessionTimeoutMs: 6000, session: before }).then(
      (twin) => twin.close(),
      (err: unknown) => {
        if (!(err instanceof KeeperError && err.code === Err.SESSIONEXPIRED)) throw err;
      },
    );
    const reg = await until('a new registration', async () => {
      const s = await admin.exists('/brokers/ids/0');
      return s !== null && s.ephemeralOwner !== before.id ? s : undefined;
    }, 60_000);
    await until('the topic in ZooKeeper', async () => (await admin.exists('/brokers/topics/during-expiry/partitions/0/state').catch(() => null)) !== null, 60_000);
    expect(reg.ephemeralOwner).toBe(broker.zk!.sessionCredentials.id);
    expect(broker.state.metadata.get('during-expiry')).toBeDefined();
    await until('the controller again', async () => (await admin.exists('/controller'))?.ephemeralOwner === broker.zk!.sessionCredentials.id, 60_000);
  }, 120_000);

  it('refuses to start a second broker with the same id (its registration belongs to another session)', async () => {
    await expect(startBroker(tempDir('ktool-zk-twin-'))).rejects.toThrow(/^KeeperErrorCode = NodeExists for \/brokers\/ids\/0/);
    expect((await admin.exists('/brokers/ids/0'))!.ephemeralOwner).toBe(broker.zk!.sessionCredentials.id);
  }, 30_000);

  it('refuses log dirs that belong to another cluster, as Kafka does', async () => {
    const other = tempDir('ktool-zk-other-');
    const b2 = await startBroker(other, { 'zookeeper.connect': `${zk.connectString}/other-cluster` });
    const otherId = b2.clusterId;
    await b2.close();
    await expect(startBroker(other, { 'node.id': '0' })).rejects.toThrow(
      `The Cluster ID ${broker.clusterId} doesn't match stored clusterId Some(${otherId}) in meta.properties. The broker is trying to join the wrong cluster. Configured zookeeper.connect may be wrong.`,
    );
  }, 30_000);

  it('keeps its topics across a restart and deregisters on shutdown', async () => {
    const id = broker.state.metadata.get('survivor')!.id;
    const epoch = Number(text((await admin.getData('/controller_epoch')).data));
    conn.close();
    await broker.close();
    expect(await admin.exists('/brokers/ids/0')).toBeNull();
    expect(await admin.exists('/controller')).toBeNull();
    broker = await startBroker(logDir);
    conn = await BrokerConnection.open({ host: '127.0.0.1', port: broker.port, nodeId: -1 }, { clientId: 'zk-test', connectTimeoutMs: 5000, requestTimeoutMs: 15000 });
    expect(broker.state.metadata.get('survivor')!.id).toBe(id);
    expect(await admin.exists('/brokers/ids/0')).not.toBeNull();
    expect(text((await admin.getData('/controller_epoch')).data)).toBe(String(epoch + 1));
  }, 30_000);
}
