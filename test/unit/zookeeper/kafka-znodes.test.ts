// The znode JSON Kafka 2.x writes (KAFKA-ZNODES.md), byte for byte in Kafka 2.8's key order.
import { describe, expect, it } from 'vitest';
import * as Z from '../../../src/zookeeper/kafka-znodes.js';

const text = (b: Buffer) => b.toString('utf8');

describe('Kafka 2.x znodes', () => {
  it('lists the persistent paths a 2.8 broker creates, in order', () => {
    expect(Z.PERSISTENT_ZK_PATHS).toEqual([
      '/consumers', '/brokers/ids', '/brokers/topics', '/config/changes', '/admin/delete_topics', '/brokers/seqid',
      '/isr_change_notification', '/latest_producer_id_block', '/log_dir_event_notification',
      '/config/topics', '/config/clients', '/config/users', '/config/brokers', '/config/ips',
    ]);
    expect(Z.partitionStatePath('t', 3)).toBe('/brokers/topics/t/partitions/3/state');
    expect(Z.topicConfigPath('t')).toBe('/config/topics/t');
    expect(Z.configEntityPath(Z.ConfigType.broker, Z.DEFAULT_BROKER_ENTITY)).toBe('/config/brokers/<default>');
    expect(Z.sanitize('user 1*@x')).toBe('user%201%2A%40x');
    expect(Z.desanitize('user%201%2A%40x')).toBe('user 1*@x');
  });

  it('encodes the v5 and v4 broker registrations and reads them back', () => {
    const reg: Z.BrokerRegistration = {
      id: 0,
      endpoints: [{ listenerName: 'PLAINTEXT', host: 'localhost', port: 9092, securityProtocol: 'PLAINTEXT' }],
      jmxPort: -1,
      timestamp: '1616251487421',
    };
    expect(text(Z.encodeBrokerRegistration(reg))).toBe(
      '{"features":{},"listener_security_protocol_map":{"PLAINTEXT":"PLAINTEXT"},"endpoints":["PLAINTEXT://localhost:9092"],"jmx_port":-1,"port":9092,"host":"localhost","version":5,"timestamp":"1616251487421"}',
    );
    expect(text(Z.encodeBrokerRegistration({ ...reg, version: 4, timestamp: '1577953082749' }))).toBe(
      '{"listener_security_protocol_map":{"PLAINTEXT":"PLAINTEXT"},"endpoints":["PLAINTEXT://localhost:9092"],"jmx_port":-1,"host":"localhost","timestamp":"1577953082749","port":9092,"version":4}',
    );
    const back = Z.decodeBrokerRegistration(0, Z.encodeBrokerRegistration(reg));
    expect(back.endpoints).toEqual(reg.endpoints);
    expect(back.version).toBe(5);
    const ssl = Z.encodeBrokerRegistration({ ...reg, endpoints: [{ listenerName: 'INTERNAL', host: '::1', port: 9093, securityProtocol: 'SSL' }] });
    expect(JSON.parse(text(ssl))).toMatchObject({ host: null, port: -1, endpoints: ['INTERNAL://[::1]:9093'], listener_security_protocol_map: { INTERNAL: 'SSL' } });
    expect(Z.decodeBrokerRegistration(0, ssl).endpoints[0]).toEqual({ listenerName: 'INTERNAL', host: '::1', port: 9093, securityProtocol: 'SSL' });
  });

  it('encodes topic assignments as 2.8 (v3, topic_id when known) and 2.4 (v2) write them', () => {
    const partitions = new Map([[1, [0]], [0, [0]]]);
    expect(text(Z.encodeTopicAssignment({ partitions, topicId: 'WV18z8nWQ8yekl_6282UEQ' }))).toBe(
      '{"partitions":{"0":[0],"1":[0]},"topic_id":"WV18z8nWQ8yekl_6282UEQ","adding_replicas":{},"removing_replicas":{},"version":3}',
    );
    expect(text(Z.encodeTopicAssignment({ partitions }))).toBe('{"partitions":{"0":[0],"1":[0]},"adding_replicas":{},"removing_replicas":{},"version":3}');
    expect(text(Z.encodeTopicAssignment({ partitions, version: 2 }))).toBe('{"version":2,"partitions":{"0":[0],"1":[0]},"adding_replicas":{},"removing_replicas":{}}');
    const back = Z.decodeTopicAssignment('t', Buffer.from('{"version":1,"partitions":{"0":[2,1]}}'));
    expect(back.partitions).toEqual(new Map([[0, [2, 1]]]));
    expect(back.topicId).toBeUndefined();
    expect(() => Z.decodeTopicAssignment('t', Buffer.from('{"partitions":{"x":[1]}}'))).toThrow('Invalid znode data at /brokers/topics/t');
  });

  it('encodes partition state, controller, epoch, cluster id, feature, configs and notifications', () => {
    expect(text(Z.encodePartitionState({ controllerEpoch: 1, leader: 0, leaderEpoch: 0, isr: [0] }))).toBe('{"controller_epoch":1,"leader":0,"version":1,"leader_epoch":0,"isr":[0]}');
    expect(Z.decodePartitionState(Buffer.from('{"controller_epoch":1,"leader":-1,"version":1,"leader_epoch":3,"isr":[]}'))).toEqual({ controllerEpoch: 1, leader: -1, leaderEpoch: 3, isr: [] });
    expect(text(Z.encodeController({ brokerId: 0, timestamp: '1620000000000' }))).toBe('{"version":1,"brokerid":0,"timestamp":"1620000000000"}');
    expect(Z.decodeController(Buffer.from('{"version":1,"brokerid":7,"timestamp":"1"}')).brokerId).toBe(7);
    expect(text(Z.encodeControllerEpoch(1))).toBe('1');
    expect(Z.decodeControllerEpoch(Buffer.from('41'))).toBe(41);
    expect(text(Z.encodeClusterId('abc'))).toBe('{"version":"1","id":"abc"}');
    expect(Z.decodeClusterId(Buffer.from('{"version":"1","id":"abc"}'))).toBe('abc');
    expect(text(Z.encodeFeature({ features: {}, status: 1 }))).toBe('{"features":{},"version":1,"status":1}');
    expect(text(Z.encodeEntityConfig(new Map([['cleanup.policy', 'compact']])))).toBe('{"version":1,"config":{"cleanup.policy":"compact"}}');
    expect(Z.decodeEntityConfig(Buffer.from('{"version":1,"config":{"retention.ms":"60000"}}'))).toEqual(new Map([['retention.ms', '60000']]));
    expect(Z.decodeEntityConfig(null)).toEqual(new Map());
    expect(text(Z.encodeConfigChange('topics/t'))).toBe('{"version":2,"entity_path":"topics/t"}');
    expect(Z.decodeConfigChange(Buffer.from('{"version":2,"entity_path":"topics/t"}'))).toEqual({ entityType: 'topics', entityName: 't' });
    expect(text(Z.encodeProducerIdBlock(Z.nextProducerIdBlock(0, undefined)))).toBe('{"version":1,"broker":0,"block_start":"0","block_end":"999"}');
    expect(Z.nextProducerIdBlock(1, { brokerId: 0, blockStart: 0n, blockEnd: 999n })).toEqual({ brokerId: 1, blockStart: 1000n, blockEnd: 1999n });
    expect(text(Z.encodePartitionList([{ topic: 't', partition: 0 }]))).toBe('{"version":1,"partitions":[{"topic":"t","partition":0}]}');
    expect(text(Z.encodeReassignment([{ topic: 't', partition: 0, replicas: [1, 2] }]))).toBe('{"version":1,"partitions":[{"topic":"t","partition":0,"replicas":[1,2]}]}');
    expect(text(Z.encodeLogDirEvent(0))).toBe('{"version":1,"broker":0,"event":1}');
    expect(Z.generatedBrokerId(1)).toBe(1001);
  });
});
