import { describe, expect, it } from 'vitest';
import { Reader } from '../../../src/protocol/reader.js';
import { Writer } from '../../../src/protocol/writer.js';
import { decodeRecord, encodeRecord, readRecord } from '../../../src/zookeeper/protocol/jute.js';
import * as R from '../../../src/zookeeper/protocol/records.js';
import { decodeConnectRequest, encodeConnectRequest, encodeConnectResponse, encodeNotification, encodeReply, encodeRequest } from '../../../src/zookeeper/protocol/frames.js';
import { OpCode, Xid, opSpec } from '../../../src/zookeeper/protocol/op-codes.js';
import { readMultiRequest, readMultiResponse, writeMultiRequest, writeMultiResponse } from '../../../src/zookeeper/protocol/multi.js';
import { KeeperError, Err } from '../../../src/zookeeper/protocol/keeper-errors.js';
import { parseConnectString, pathProblem, prependChroot, stripChroot } from '../../../src/zookeeper/protocol/paths.js';

const hex = (b: Buffer) => b.toString('hex');

describe('ZooKeeper frames (PROTOCOL.md §12 worked bytes)', () => {
  it('encodes a new-session ConnectRequest with the trailing read-only byte (45 bytes)', () => {
    const frame = encodeConnectRequest({ protocolVersion: 0, lastZxidSeen: 0n, timeOut: 18000, sessionId: 0n, passwd: Buffer.alloc(16) });
    expect(hex(frame)).toBe('0000002d' + '00000000' + '0000000000000000' + '00004650' + '0000000000000000' + '00000010' + '00'.repeat(16) + '00');
    const back = decodeConnectRequest(frame.subarray(4));
    expect(back.readOnly).toBe(false);
    expect(back.record.timeOut).toBe(18000);
    expect(decodeConnectRequest(frame.subarray(4, 48)).readOnly).toBeUndefined();
  });

  it('encodes the ConnectResponse (37 bytes with the flag, 36 without)', () => {
    const res = { protocolVersion: 0, timeOut: 18000, sessionId: 0x10000bb5f7e0000n, passwd: Buffer.alloc(16, 7) };
    expect(hex(encodeConnectResponse(res, false))).toBe('00000025' + '00000000' + '00004650' + '010000bb5f7e0000' + '00000010' + '07'.repeat(16) + '00');
    expect(encodeConnectResponse(res).length).toBe(4 + 36);
  });

  it('encodes exists(/controller, watch) and its NONODE reply, header only', () => {
    expect(hex(encodeRequest(1, OpCode.exists, R.ExistsRequest, { path: '/controller', watch: true }))).toBe('00000018' + '00000001' + '00000003' + '0000000b2f636f6e74726f6c6c6572' + '01');
    const stat = { czxid: 0n, mzxid: 0n, ctime: 0n, mtime: 0n, version: 0, cversion: 0, aversion: 0, ephemeralOwner: 0n, dataLength: 0, numChildren: 0, pzxid: 0n };
    expect(hex(encodeReply({ xid: 1, zxid: 0x1an, err: Err.NONODE }, R.ExistsResponse, { stat }))).toBe('0000001000000001000000000000001affffff9b');
  });

  it('encodes a NodeCreated notification and a ping', () => {
    expect(hex(encodeNotification(1, '/controller'))).toBe('00000027ffffffffffffffffffffffff000000000000000100000003' + '0000000b2f636f6e74726f6c6c6572');
    expect(hex(encodeRequest(Xid.ping, OpCode.ping))).toBe('00000008fffffffe0000000b');
  });
});

describe('jute records', () => {
  it('keeps null buffers apart from empty ones', () => {
    const req = { path: '/a', data: null, acl: [], flags: 0 };
    expect(decodeRecord(R.CreateRequest, encodeRecord(R.CreateRequest, req)).data).toBeNull();
    expect(decodeRecord(R.CreateRequest, encodeRecord(R.CreateRequest, { ...req, data: Buffer.alloc(0) })).data).toEqual(Buffer.alloc(0));
  });

  it('round-trips a Stat as 68 bytes', () => {
    const stat = { czxid: 1n, mzxid: 2n, ctime: 3n, mtime: 4n, version: 5, cversion: 6, aversion: 7, ephemeralOwner: -0x8000000000000000n, dataLength: 9, numChildren: 10, pzxid: 11n };
    const bytes = encodeRecord(R.Stat, stat);
    expect(bytes.length).toBe(68);
    expect(decodeRecord(R.Stat, bytes)).toEqual(stat);
  });

  it('rejects truncated records and absurd vector counts', () => {
    expect(() => decodeRecord(R.Stat, Buffer.alloc(67))).toThrow();
    const w = new Writer().int32(1_000_000);
    expect(() => readRecord(new Reader(w.toBuffer()), R.GetChildrenResponse)).toThrow(/vector/);
    expect(() => decodeRecord(R.SyncRequest, Buffer.from('ffffffff', 'hex'))).toThrow(/null string/);
  });

  it('knows the ops a client sends', () => {
    expect(opSpec(OpCode.getChildren2)?.response).toBe(R.GetChildren2Response);
    expect(opSpec(OpCode.notification)).toBeUndefined();
    expect(opSpec(999)).toBeUndefined();
  });
});

describe('multi', () => {
  it('round-trips a request and a failed transaction result', () => {
    const ops = [
      { type: OpCode.create, request: { path: '/x', data: null, acl: [{ perms: 31, id: { scheme: 'world', id: 'anyone' } }], flags: 1 } },
      { type: OpCode.setData, request: { path: '/x', data: Buffer.from('{}'), version: 0 } },
      { type: OpCode.check, request: { path: '/y', version: 3 } },
    ];
    const w = new Writer();
    writeMultiRequest(w, ops);
    expect(readMultiRequest(new Reader(w.toBuffer()))).toEqual(ops);
    const results = [
      { type: OpCode.error, err: 0 },
      { type: OpCode.error, err: Err.BADVERSION },
      { type: OpCode.error, err: Err.RUNTIMEINCONSISTENCY },
    ];
    const rw = new Writer();
    writeMultiResponse(rw, results);
    expect(readMultiResponse(new Reader(rw.toBuffer()))).toEqual(results.map((r) => ({ ...r, response: { err: r.err } })));
  });
});

describe('errors and paths', () => {
  it('words errors as the Java client does', () => {
    expect(new KeeperError(Err.NONODE, '/brokers/ids/0').message).toBe('KeeperErrorCode = NoNode for /brokers/ids/0');
    expect(new KeeperError(Err.NOTEMPTY, '/a').message).toBe('KeeperErrorCode = Directory not empty for /a');
  });

  it.each([
    ['/', false, undefined],
    ['/a/b', false, undefined],
    ['a', false, 'Path must start with / character'],
    ['/a/', false, 'Path must not end with / character'],
    ['/a//b', false, 'empty node name specified @3'],
    ['/a/./b', false, 'relative paths not allowed @3'],
    ['/a/\u0001', false, 'invalid character @3'],
    ['/a/', true, undefined],
    ['/seq-', true, undefined],
  ])('validates %j (sequential %s)', (path, seq, problem) => {
    expect(pathProblem(path, seq)).toBe(problem);
  });

  it('parses connect strings with a chroot', () => {
    expect(parseConnectString('localhost:2181')).toEqual({ hosts: [{ host: 'localhost', port: 2181 }], chroot: '' });
    expect(parseConnectString('a:1,b/kafka')).toEqual({ hosts: [{ host: 'a', port: 1 }, { host: 'b', port: 2181 }], chroot: '/kafka' });
    expect(prependChroot('/kafka', '/')).toBe('/kafka');
    expect(prependChroot('/kafka', '/brokers')).toBe('/kafka/brokers');
    expect(stripChroot('/kafka', '/kafka/brokers')).toBe('/brokers');
    expect(stripChroot('/kafka', '/kafka')).toBe('/');
  });
});
