// The wire client's connection against a scripted fake broker: KIP-511 ApiVersions fallback,
// highest-common version choice, pipelined requests answered in order, and request timeouts.
import { createServer, type Server, type Socket } from 'node:net';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { FrameReader } from '../../../src/protocol/frame-reader.js';
import { BrokerConnection, NetworkError } from '../../../src/client/broker-connection.js';
import { decodeMessage, encodeMessage, isFlexible } from '../../../src/protocol/codec.js';
import { readRequestHeaderPrefix, responseHeaderIsFlexible, skipHeaderTags, writeResponseHeader } from '../../../src/protocol/headers.js';
import { ApiVersions, Metadata, type MetadataResponse } from '../../../src/protocol/messages/index.js';
import { Reader } from '../../../src/protocol/reader.js';
import type { ApiSchema } from '../../../src/protocol/schema.js';
import { Writer } from '../../../src/protocol/writer.js';

interface Received { apiKey: number; apiVersion: number; body: unknown }

/** A fake broker advertising ApiVersions up to `apiVersionsMax` and Metadata 1..`metadataMax`. */
function fakeBroker(opts: { apiVersionsMax: number; metadataMax: number; silent?: boolean; unanswered?: (topic: string) => boolean }): Promise<{ server: Server; port: number; received: Received[] }> {
  const received: Received[] = [];
  const server = createServer((socket: Socket) => {
    const frames = new FrameReader(1 << 20);
    socket.on('data', (chunk) => {
      for (const frame of frames.push(chunk)) {
        const r = new Reader(frame);
        const h = readRequestHeaderPrefix(r);
        const api: ApiSchema = h.apiKey === ApiVersions.apiKey ? ApiVersions : Metadata;
        if (api === ApiVersions && h.apiVersion > opts.apiVersionsMax) {
          received.push({ apiKey: h.apiKey, apiVersion: h.apiVersion, body: null });
          reply(socket, api, 0, h.correlationId, { errorCode: 35, apiKeys: [{ apiKey: 18, minVersion: 0, maxVersion: opts.apiVersionsMax }] });
          continue;
        }
        if (isFlexible(api.request, h.apiVersion)) skipHeaderTags(r);
        const body = decodeMessage(api.request, h.apiVersion, r);
        received.push({ apiKey: h.apiKey, apiVersion: h.apiVersion, body });
        if (opts.silent && api === Metadata) continue;
        if (opts.unanswered && api === Metadata && opts.unanswered((body as { topics: Array<{ name: string }> }).topics[0]?.name ?? '')) continue;
        if (api === ApiVersions) {
          reply(socket, api, h.apiVersion, h.correlationId, { errorCode: 0, apiKeys: [{ apiKey: 18, minVersion: 0, maxVersion: opts.apiVersionsMax }, { apiKey: 3, minVersion: 1, maxVersion: opts.metadataMax }] });
        } else {
          const name = (body as { topics: Array<{ name: string }> }).topics[0]!.name;
          reply(socket, api, h.apiVersion, h.correlationId, { brokers: [{ nodeId: 1, host: 'localhost', port: 1, rack: null }], controllerId: 1, clusterId: 'c', topics: [{ errorCode: 0, name, topicId: '00000000-0000-0000-0000-000000000000', isInternal: false, partitions: [], topicAuthorizedOperations: 0 }] });
        }
      }
    });
  });
  return new Promise((resolve) => server.listen(0, '127.0.0.1', () => resolve({ server, port: (server.address() as { port: number }).port, received })));
}

function reply(socket: Socket, api: ApiSchema, version: number, correlationId: number, body: object): void {
  const w = new Writer();
  writeResponseHeader(w, correlationId, responseHeaderIsFlexible(api.apiKey, isFlexible(api.response, version)));
  encodeMessage(api.response, version, body, w);
  const size = Buffer.alloc(4);
  size.writeInt32BE(w.length);
  socket.write(Buffer.concat([size, w.toBuffer()]));
}

const servers: Server[] = [];
afterEach(() => {
  for (const s of servers.splice(0)) s.close();
});

const OPTS = { clientId: 'test', connectTimeoutMs: 2000, requestTimeoutMs: 2000 };

describe('BrokerConnection', () => {
  it('falls back to the broker\'s ApiVersions version and picks the highest common Metadata version', async () => {
    const fake = await fakeBroker({ apiVersionsMax: 2, metadataMax: 7 });
    servers.push(fake.server);
    const conn = await BrokerConnection.open({ host: '127.0.0.1', port: fake.port, nodeId: -1 }, OPTS);
    expect(fake.received.map((r) => r.apiVersion)).toEqual([4, 2]); // our newest first, then theirs
    expect(conn.version(Metadata)).toBe(7);
    expect(conn.version(Metadata, { max: 5 })).toBe(5);
    conn.close();
  });

  it('pipelines requests and pairs responses in order', async () => {
    const fake = await fakeBroker({ apiVersionsMax: 4, metadataMax: 12 });
    servers.push(fake.server);
    const conn = await BrokerConnection.open({ host: '127.0.0.1', port: fake.port, nodeId: -1 }, OPTS);
    const names = Array.from({ length: 20 }, (_, i) => `t${i}`);
    const results = await Promise.all(names.map((name) => conn.request<MetadataResponse>(Metadata, { topics: [{ topicId: '00000000-0000-0000-0000-000000000000', name }], allowAutoTopicCreation: false, includeTopicAuthorizedOperations: false })));
    expect(results.map((r) => r.topics[0]!.name)).toEqual(names);
    expect(fake.received.filter((r) => r.apiKey === 3).every((r) => r.apiVersion === 12)).toBe(true);
    conn.close();
  });

  it('a request timeout fails the call and closes the connection', async () => {
    const fake = await fakeBroker({ apiVersionsMax: 4, metadataMax: 12, silent: true });
    servers.push(fake.server);
    const conn = await BrokerConnection.open({ host: '127.0.0.1', port: fake.port, nodeId: -1 }, { ...OPTS, requestTimeoutMs: 100 });
    await expect(conn.request(Metadata, { topics: [], allowAutoTopicCreation: false })).rejects.toThrow(NetworkError);
    expect(conn.isOpen).toBe(false);
  });

  it('sends one-way requests (acks=0) that the broker never answers, without disturbing the pairing', async () => {
    const fake = await fakeBroker({ apiVersionsMax: 4, metadataMax: 12, unanswered: (name) => name.startsWith('oneway') });
    servers.push(fake.server);
    const conn = await BrokerConnection.open({ host: '127.0.0.1', port: fake.port, nodeId: -1 }, { ...OPTS, requestTimeoutMs: 1000 });
    const body = (name: string) => ({ topics: [{ topicId: '00000000-0000-0000-0000-000000000000', name }], allowAutoTopicCreation: false, includeTopicAuthorizedOperations: false });
    const v = conn.version(Metadata);
    const first = conn.send<MetadataResponse>(Metadata, v, body('a'));
    const written = conn.sendOneWay(Metadata, v, body('oneway-1'));
    const second = conn.send<MetadataResponse>(Metadata, v, body('b'));
    expect(conn.lastCorrelationId).toBe(4); // ApiVersions took 1
    await written;
    const [a, b] = await Promise.all([first, second]);
    expect([a.topics[0]!.name, b.topics[0]!.name]).toEqual(['a', 'b']);
    await vi.waitFor(() => expect(fake.received.filter((r) => r.apiKey === 3)).toHaveLength(3));
    expect(conn.isOpen).toBe(true);
    conn.close();
    await expect(conn.sendOneWay(Metadata, v, body('oneway-2'))).rejects.toThrow(NetworkError);
  });

  it('reports a refused connection as a NetworkError', async () => {
    const fake = await fakeBroker({ apiVersionsMax: 4, metadataMax: 12 });
    const port = fake.port;
    await new Promise((r) => fake.server.close(r));
    await expect(BrokerConnection.open({ host: '127.0.0.1', port, nodeId: -1 }, OPTS)).rejects.toThrow(/could not be established/);
  });
});
