// ktool broker-api-versions against the in-process broker: one block for the broker, listing
// every API the broker advertises (checked against a raw ApiVersions request) with its range.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ApiVersions, type ApiVersionsResponse } from '../../src/protocol/messages/api-versions.js';
import { ALL_APIS } from '../../src/protocol/messages/index.js';
import { RawKafkaClient } from '../helpers/raw-client.js';
import { runCli } from '../helpers/run-cli.js';
import { startTestBroker, type TestBroker } from '../helpers/start-broker.js';

let b: TestBroker;
beforeAll(async () => {
  b = await startTestBroker();
});
afterAll(async () => {
  await b?.cleanup();
});

describe('ktool broker-api-versions', () => {
  it('lists every advertised API with its versions and the usable one', async () => {
    const raw = await RawKafkaClient.connect(b.broker.port);
    const advertised = (await raw.call<ApiVersionsResponse>(ApiVersions, 3, { clientSoftwareName: 'test', clientSoftwareVersion: '1' })).apiKeys;
    raw.close();

    const r = await runCli(['kafka-broker-api-versions.sh', '--bootstrap-server', b.bootstrap]);
    expect(r).toMatchObject({ code: 0, stderr: '' });
    const lines = r.stdout.split('\n');
    expect(lines[0]).toBe(`127.0.0.1:${b.broker.port} (id: 0 rack: null isFenced: false) -> (`);
    expect(lines.at(-2)).toBe(')');
    expect(lines.at(-1)).toBe('');
    for (const k of advertised) {
      const api = ALL_APIS.find((a) => a.apiKey === k.apiKey)!;
      const range = k.minVersion === k.maxVersion ? `${k.minVersion}` : `${k.minVersion} to ${k.maxVersion}`;
      const usable = Math.min(api.request.validVersions[1], k.maxVersion);
      expect(lines).toContainEqual(expect.stringMatching(new RegExp(`^\\t${api.name}\\(${k.apiKey}\\): ${range} \\[usable: ${usable}\\],?$`)));
    }
    // Entries are in API-key order, comma-separated.
    const keys = lines.slice(1, -2).map((l) => Number(/\((\d+)\)/.exec(l)![1]));
    expect(keys).toEqual([...keys].sort((x, y) => x - y));
    expect(lines.slice(1, -3).every((l) => l.endsWith(','))).toBe(true);
  });
});
