// The broker's network contract through real sockets: ordering, KIP-511 ApiVersions errors,
// closing (only) connections that send unsupported or malformed requests, and the size cap.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { decodeMessage } from '../../src/protocol/codec.js';
import { ApiVersions, Metadata } from '../../src/protocol/messages/index.js';
import { Reader } from '../../src/protocol/reader.js';
import { RawSocket } from '../helpers/raw-socket.js';
import { startTestBroker, type TestBroker } from '../helpers/start-broker.js';

// Captured frames (test/fixtures/captures): kafka-python's probe and raw ApiVersions v99.
const KPY_API_VERSIONS_V0 = '000000170012000000000001000d6361702d6b70792d61646d696e';
const KPY_METADATA_V0 = '0000001b0003000000000002000d6361702d6b70792d61646d696e00000000';
const API_VERSIONS_V99 = '00000026001200630000000100076361702d726177000f6361702d7261772d707974686f6e04302e3100';
const KCAT_API_VERSIONS_V3 = '000000240012000300000001000772646b61666b61000b6c696272646b61666b6106322e302e3200';

let b: TestBroker;
beforeAll(async () => {
  b = await startTestBroker({ 'socket.request.max.bytes': '1000' });
});
afterAll(async () => {
  await b.cleanup();
});

describe('broker network', () => {
  it('answers pipelined requests in order (kafka-python sends ApiVersions v0 and Metadata v0 back to back)', async () => {
    const s = await RawSocket.open(b.broker.port);
    s.write(Buffer.concat([Buffer.from(KPY_API_VERSIONS_V0, 'hex'), Buffer.from(KPY_METADATA_V0, 'hex')]));
    const first = (await s.readFrame())!;
    const second = (await s.readFrame())!;
    expect(first.readInt32BE(4)).toBe(1);
    expect(second.readInt32BE(4)).toBe(2);
    const versions = decodeMessage<{ errorCode: number; apiKeys: Array<{ apiKey: number; minVersion: number; maxVersion: number }> }>(ApiVersions.response, 0, new Reader(first, 8));
    expect(versions.errorCode).toBe(0);
    expect(versions.apiKeys.find((k) => k.apiKey === 0)).toEqual({ apiKey: 0, minVersion: 0, maxVersion: 12 });
    const md = decodeMessage<{ brokers: Array<{ port: number }> }>(Metadata.response, 0, new Reader(second, 8));
    expect(md.brokers[0]!.port).toBe(b.broker.port);
    s.close();
  });

  it('answers ApiVersions v3 (flexible body) with a v0 response header', async () => {
    const s = await RawSocket.open(b.broker.port);
    s.write(KCAT_API_VERSIONS_V3);
    const frame = (await s.readFrame())!;
    expect(frame.readInt32BE(4)).toBe(1);
    const body = decodeMessage<{ errorCode: number; apiKeys: unknown[] }>(ApiVersions.response, 3, new Reader(frame, 8));
    expect(body.errorCode).toBe(0);
    expect(body.apiKeys.length).toBeGreaterThan(5);
    s.close();
  });

  it('answers an unknown ApiVersions version with UNSUPPORTED_VERSION in a v0 body (KIP-511)', async () => {
    const s = await RawSocket.open(b.broker.port);
    s.write(API_VERSIONS_V99);
    const frame = (await s.readFrame())!;
    // size, correlation id 1, error 35, one entry: key 18, 0..4
    expect(frame.toString('hex')).toBe('00000010' + '00000001' + '0023' + '00000001' + '0012' + '0000' + '0004');
    s.close();
  });

  it('closes the connection on an unsupported version of another API, and only that one', async () => {
    const healthy = await RawSocket.open(b.broker.port);
    const bad = await RawSocket.open(b.broker.port);
    bad.write('0000000d' + '0003' + '0063' + '00000001' + '0003' + '726177'); // Metadata v99, client id "raw"
    expect(await bad.readFrame()).toBeNull();
    healthy.write(KPY_API_VERSIONS_V0);
    expect((await healthy.readFrame())!.readInt32BE(4)).toBe(1);
    healthy.close();
    expect(b.broker.stats.closedForProtocolErrors).toBeGreaterThan(0);
  });

  it('closes the connection on a malformed body and on a frame over socket.request.max.bytes', async () => {
    const garbage = await RawSocket.open(b.broker.port);
    // Metadata v1 whose topic array claims 1000 entries in 2 bytes.
    garbage.write('0000000e00030001000000070000000003e8');
    expect(await garbage.waitClosed()).toBe(true);

    const huge = await RawSocket.open(b.broker.port);
    huge.write(Buffer.from([0x00, 0x00, 0x10, 0x00]));
    expect(await huge.waitClosed()).toBe(true);

    const after = await RawSocket.open(b.broker.port);
    after.write(KPY_API_VERSIONS_V0);
    expect(await after.readFrame()).not.toBeNull();
    after.close();
  });
});
