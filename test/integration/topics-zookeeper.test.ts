// `ktool topics --zookeeper` against Debian's real Apache ZooKeeper: what Kafka 2.8's tool writes
// (config first, then the assignment, no topic_id; deletion markers; config change notifications)
// and what it prints, with the controller's partition state nodes written here as a 2.8 controller
// would, and a broker registered as a 2.8 broker registers itself.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ZkClient } from '../../src/zookeeper/client/zk-client.js';
import { CreateMode } from '../../src/zookeeper/protocol/constants.js';
import { encodeBrokerRegistration, encodePartitionState } from '../../src/zookeeper/kafka-znodes.js';
import { runCli } from '../helpers/run-cli.js';
import { realZooKeeperMissing, startRealZooKeeper, type RealZooKeeper } from '../helpers/real-zookeeper.js';

const missing = realZooKeeperMissing();
let zk: RealZooKeeper;
let client: ZkClient;
beforeAll(async () => {
  if (missing) return;
  zk = await startRealZooKeeper();
  client = await ZkClient.connect({ connectString: zk.connectString });
  for (const p of ['/brokers', '/brokers/ids', '/brokers/topics', '/admin', '/admin/delete_topics', '/config', '/config/topics', '/config/changes']) await client.create(p, null);
  const reg = { id: 0, endpoints: [{ listenerName: 'PLAINTEXT', host: 'localhost', port: 9092, securityProtocol: 'PLAINTEXT' }], jmxPort: -1, timestamp: '1616251487421' };
  await client.create('/brokers/ids/0', encodeBrokerRegistration(reg), { mode: CreateMode.EPHEMERAL });
});
afterAll(async () => {
  await client?.close();
  await zk?.cleanup();
});

const topics = (...args: string[]) => runCli(['topics', '--zookeeper', zk.connectString, ...args]);
const text = async (path: string) => (await client.getData(path)).data?.toString('utf8');

describe.skipIf(missing)('topics --zookeeper (Kafka 2.8 ZookeeperTopicService)', () => {
  it('creates: config node, then the assignment without topic_id', async () => {
    const r = await topics('--create', '--topic', 'events', '--partitions', '2', '--replication-factor', '1', '--config', 'retention.ms=60000', '--config', 'cleanup.policy=compact');
    expect(r).toMatchObject({ code: 0, stdout: 'Created topic events.\n', stderr: '' });
    expect(await text('/brokers/topics/events')).toBe('{"partitions":{"0":[0],"1":[0]},"adding_replicas":{},"removing_replicas":{},"version":3}');
    expect(await text('/config/topics/events')).toBe('{"version":1,"config":{"cleanup.policy":"compact","retention.ms":"60000"}}');
    const again = await topics('--create', '--topic', 'events', '--partitions', '1', '--replication-factor', '1');
    expect(again.code).toBe(1);
    expect(again.stdout).toBe("Error while executing topic command : Topic 'events' already exists.\n");
    expect(again.stderr).toMatch(/^\[[^\]]+\] ERROR org\.apache\.kafka\.common\.errors\.TopicExistsException: Topic 'events' already exists\. \(kafka\.admin\.TopicCommand\$\)\n$/);
    expect(await topics('--create', '--topic', 'events', '--partitions', '1', '--replication-factor', '1', '--if-not-exists')).toMatchObject({ code: 0, stdout: '' });
    const rf = await topics('--create', '--topic', 'big', '--partitions', '1', '--replication-factor', '3');
    expect(rf.stdout).toBe('Error while executing topic command : Replication factor: 3 larger than available brokers: 1.\n');
  });

  it('describes from the assignment, the state nodes and the config node', async () => {
    await client.create('/brokers/topics/events/partitions', null);
    await client.create('/brokers/topics/events/partitions/0', null);
    await client.create('/brokers/topics/events/partitions/0/state', encodePartitionState({ controllerEpoch: 1, leader: 0, leaderEpoch: 0, isr: [0] }));
    await client.setData('/brokers/topics/events', Buffer.from('{"partitions":{"0":[0],"1":[0]},"topic_id":"WV18z8nWQ8yekl_6282UEQ","adding_replicas":{},"removing_replicas":{},"version":3}'));
    const r = await topics('--describe', '--topic', 'events');
    expect(r).toMatchObject({ code: 0, stderr: '' });
    expect(r.stdout).toBe(
      'Topic: events\tTopicId: WV18z8nWQ8yekl_6282UEQ\tPartitionCount: 2\tReplicationFactor: 1\tConfigs: cleanup.policy=compact,retention.ms=60000\n'
      + '\tTopic: events\tPartition: 0\tLeader: 0\tReplicas: 0\tIsr: 0\n'
      + '\tTopic: events\tPartition: 1\tLeader: none\tReplicas: 0\tIsr: \n',
    );
    expect((await topics('--describe', '--unavailable-partitions')).stdout).toBe('\tTopic: events\tPartition: 1\tLeader: none\tReplicas: 0\tIsr: \n');
    const missingTopic = await topics('--describe', '--topic', 'nope');
    expect(missingTopic).toMatchObject({ code: 1, stdout: "Error while executing topic command : Topic 'nope' does not exist as expected\n" });
  });

  it('alters: partitions added keeping the topic id; configs with a change notification', async () => {
    const r = await topics('--alter', '--topic', 'events', '--partitions', '3');
    expect(r).toMatchObject({ code: 0, stdout: 'WARNING: If partitions are increased for a topic that has a key, the partition logic or ordering of the messages will be affected\nAdding partitions succeeded!\n' });
    expect(await text('/brokers/topics/events')).toBe('{"partitions":{"0":[0],"1":[0],"2":[0]},"topic_id":"WV18z8nWQ8yekl_6282UEQ","adding_replicas":{},"removing_replicas":{},"version":3}');
    const shrink = await topics('--alter', '--topic', 'events', '--partitions', '2');
    expect(shrink.stdout).toBe('WARNING: If partitions are increased for a topic that has a key, the partition logic or ordering of the messages will be affected\nError while executing topic command : The number of partitions for a topic can only be increased. Topic events currently has 3 partitions, 2 would not be an increase.\n');
    const c = await topics('--alter', '--topic', 'events', '--config', 'segment.ms=1000', '--delete-config', 'retention.ms');
    expect(c.stdout).toBe('WARNING: Altering topic configuration from this script has been deprecated and may be removed in future releases.\n         Going forward, please use kafka-configs.sh for this functionality\nUpdated config for topic events.\n');
    expect(await text('/config/topics/events')).toBe('{"version":1,"config":{"cleanup.policy":"compact","segment.ms":"1000"}}');
    const changes = (await client.getChildren('/config/changes')).children;
    expect(changes).toEqual(['config_change_0000000000']);
    expect(await text('/config/changes/config_change_0000000000')).toBe('{"version":2,"entity_path":"topics/events"}');
  });

  it('lists, deletes (a marker for the controller) and shows the mark', async () => {
    await topics('--create', '--topic', 'other', '--partitions', '1', '--replication-factor', '1');
    expect((await topics('--list')).stdout).toBe('events\nother\n');
    const d = await topics('--delete', '--topic', 'other');
    expect(d).toMatchObject({ code: 0, stdout: 'Topic other is marked for deletion.\nNote: This will have no impact if delete.topic.enable is not set to true.\n' });
    expect((await client.getData('/admin/delete_topics/other')).data).toBeNull();
    expect((await topics('--list')).stdout).toBe('events\nother - marked for deletion\n');
    expect((await topics('--delete', '--topic', 'other')).stdout).toBe('Topic other is already marked for deletion.\n');
    expect((await topics('--describe', '--topic', 'other')).stdout).toBe(
      'Topic: other\tPartitionCount: 1\tReplicationFactor: 1\tConfigs: \tMarkedForDeletion: true\n\tTopic: other\tPartition: 0\tLeader: none\tReplicas: 0\tIsr: \tMarkedForDeletion: true\n',
    );
  });

  it('needs exactly one of --bootstrap-server and --zookeeper', async () => {
    const r = await runCli(['topics', '--list', '--zookeeper', zk.connectString, '--bootstrap-server', 'localhost:9092']);
    expect(r).toMatchObject({ code: 1, stdout: '', stderr: 'Only one of --bootstrap-server or --zookeeper must be specified\n' });
  });
});
