import { describe, expect, it } from 'vitest';
import { brokerLine, formatApiVersions } from '../../../src/commands/broker-api-versions.js';
import { nodeText } from '../../../src/client/broker-api-versions.js';
import { ALL_APIS } from '../../../src/protocol/messages/index.js';
import { KafkaProtocolError } from '../../../src/client/kafka-errors.js';
import { runCli } from '../../helpers/run-cli.js';

const node = { id: 0, host: 'localhost', port: 9092, rack: null };
const clientRange = (key: number): [number, number] => [...ALL_APIS.find((a) => a.apiKey === key)!.request.validVersions] as [number, number];

describe('NodeApiVersions text', () => {
  it('prints each advertised API with the usable version, unknown keys, and unsupported client APIs', () => {
    const [, produceMax] = clientRange(0);
    const text = formatApiVersions([
      { apiKey: 18, minVersion: 0, maxVersion: 4 },
      { apiKey: 0, minVersion: 0, maxVersion: produceMax + 5 },
      { apiKey: 3, minVersion: 7, maxVersion: 7 },
      { apiKey: 999, minVersion: 0, maxVersion: 2 },
    ]);
    const lines = text.split('\n');
    expect(lines[0]).toBe('(');
    expect(lines[1]).toBe(`\tProduce(0): 0 to ${produceMax + 5} [usable: ${produceMax}],`);
    expect(lines[2]).toBe('\tFetch(1): UNSUPPORTED,');
    expect(lines).toContain('\tMetadata(3): 7 [usable: 7],');
    expect(lines).toContain('\tApiVersions(18): 0 to 4 [usable: 4],');
    expect(lines.at(-2)).toBe('\tUNKNOWN(999): 0 to 2');
    expect(lines.at(-1)).toBe(')');
    // Controller-only APIs are not listed as unsupported.
    expect(text).not.toContain('LeaderAndIsr');
    expect(text).not.toContain('BrokerHeartbeat');
  });

  it('marks a node whose versions do not overlap the client\'s', () => {
    const [oldest, latest] = clientRange(1);
    const tooNew = formatApiVersions([{ apiKey: 1, minVersion: latest + 1, maxVersion: latest + 2 }]);
    expect(tooNew).toContain(`\tFetch(1): ${latest + 1} to ${latest + 2} [unusable: node too new],`);
    if (oldest > 0) {
      expect(formatApiVersions([{ apiKey: 1, minVersion: 0, maxVersion: oldest - 1 }])).toContain('[unusable: node too old]');
    }
  });

  it('names the node as Java\'s Node.toString does, and reports a failed broker', () => {
    expect(nodeText(node)).toBe('localhost:9092 (id: 0 rack: null isFenced: false)');
    expect(nodeText({ ...node, rack: 'r1' })).toBe('localhost:9092 (id: 0 rack: r1 isFenced: false)');
    expect(brokerLine({ node, error: new KafkaProtocolError(35) })).toBe('localhost:9092 (id: 0 rack: null isFenced: false) -> ERROR: org.apache.kafka.common.errors.UnsupportedVersionException: The version of API is not supported.\n');
  });
});

describe('ktool broker-api-versions', () => {
  it('requires --bootstrap-server (usage, exit 1)', async () => {
    const r = await runCli(['broker-api-versions', '--command-config', 'x']);
    expect(r.code).toBe(1);
    expect(r.stderr.split('\n')[0]).toBe('Missing required argument "[bootstrap-server]"');
  });

  it('fails with Kafka\'s message when no bootstrap broker answers', async () => {
    const r = await runCli(['broker-api-versions', '--bootstrap-server', '127.0.0.1:1']);
    expect(r.code).toBe(1);
    expect(r.stdout).toBe('');
    expect(r.stderr.split('\n')[0]).toBe('Request METADATA failed on brokers [127.0.0.1:1 (id: -1 rack: null isFenced: false)]');
  });
});
