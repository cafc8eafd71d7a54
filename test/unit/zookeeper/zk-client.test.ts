// ZkClient against a scripted raw-socket peer: the connection-level behaviour a real server
// rarely shows on demand (out-of-order xids, expiry on reconnect, silence, host order).
import { createServer, type Server, type Socket } from 'node:net';
import { afterEach, describe, expect, it } from 'vitest';
import { FrameReader } from '../../../src/protocol/frame-reader.js';
import { Reader } from '../../../src/protocol/reader.js';
import { ZkClient, type ZkState } from '../../../src/zookeeper/client/zk-client.js';
import { decodeConnectRequest, encodeConnectResponse, encodeNotification, encodeReply, type ConnectRequest } from '../../../src/zookeeper/protocol/frames.js';
import { readRecord } from '../../../src/zookeeper/protocol/jute.js';
import { Err } from '../../../src/zookeeper/protocol/keeper-errors.js';
import { OpCode, Xid } from '../../../src/zookeeper/protocol/op-codes.js';
import * as R from '../../../src/zookeeper/protocol/records.js';

interface Request {
  xid: number;
  type: number;
  body: Reader;
}

/** One accepted client connection: its handshake, then requests as they arrive. */
class PeerConn {
  handshake!: ConnectRequest;
  readonly requests: Request[] = [];
  private waiters: (() => void)[] = [];
  closed = false;

  constructor(readonly socket: Socket) {}

  async next(): Promise<Request> {
    while (this.requests.length === 0) await new Promise<void>((r) => this.waiters.push(r));
    return this.requests.shift()!;
  }

  push(r: Request): void {
    this.requests.push(r);
    for (const w of this.waiters.splice(0)) w();
  }

  accept(timeOut: number, sessionId = 0x1234n): void {
    this.socket.write(encodeConnectResponse({ protocolVersion: 0, timeOut, sessionId, passwd: Buffer.alloc(16, 9) }, false));
  }

  reply(xid: number, zxid: bigint, err = 0, body?: Buffer): void {
    const head = encodeReply({ xid, zxid, err });
    if (!body) {
      this.socket.write(head);
      return;
    }
    const len = Buffer.alloc(4);
    len.writeInt32BE(head.length - 4 + body.length);
    this.socket.write(Buffer.concat([len, head.subarray(4), body]));
  }
}

class ScriptedPeer {
  private readonly conns: PeerConn[] = [];
  private waiters: (() => void)[] = [];
  private constructor(readonly server: Server) {}

  static async start(): Promise<ScriptedPeer> {
    let peer!: ScriptedPeer;
    const server = createServer((socket) => {
      const conn = new PeerConn(socket);
      const frames = new FrameReader(1 << 20);
      let first = true;
      socket.on('data', (chunk) => {
        for (const f of frames.push(chunk)) {
          if (first) {
            first = false;
            conn.handshake = decodeConnectRequest(f).record;
            peer.conns.push(conn);
            for (const w of peer.waiters.splice(0)) w();
            continue;
          }
          const r = new Reader(f);
          const h = readRecord(r, R.RequestHeader);
          if (h.type === OpCode.closeSession) {
            conn.reply(h.xid, 0n);
            socket.end();
            continue;
          }
          conn.push({ xid: h.xid, type: h.type, body: r });
        }
      });
      socket.on('close', () => (conn.closed = true));
      socket.on('error', () => {});
    });
    peer = new ScriptedPeer(server);
    await new Promise<void>((r) => server.listen(0, '127.0.0.1', () => r()));
    return peer;
  }

  get port(): number {
    return (this.server.address() as { port: number }).port;
  }

  async nextConnection(): Promise<PeerConn> {
    while (this.conns.length === 0) await new Promise<void>((r) => this.waiters.push(r));
    return this.conns.shift()!;
  }

  async close(): Promise<void> {
    this.server.close();
  }
}

const cleanups: (() => Promise<unknown> | void)[] = [];
afterEach(async () => {
  for (const c of cleanups.splice(0)) await c();
});

async function connected(peer: ScriptedPeer, opts: { sessionTimeoutMs?: number; chroot?: string } = {}): Promise<{ client: ZkClient; conn: PeerConn }> {
  const clientP = ZkClient.connect({ connectString: `127.0.0.1:${peer.port}${opts.chroot ?? ''}`, sessionTimeoutMs: opts.sessionTimeoutMs ?? 6000 });
  const conn = await peer.nextConnection();
  conn.accept(opts.sessionTimeoutMs ?? 6000);
  const client = await clientP;
  cleanups.push(() => client.close());
  return { client, conn };
}

describe('ZkClient connection behaviour (scripted peer)', () => {
  it('sends the 45-byte handshake, then pipelines requests with increasing xids', async () => {
    const peer = await ScriptedPeer.start();
    cleanups.push(() => peer.close());
    const { client, conn } = await connected(peer, { sessionTimeoutMs: 18000 });
    expect(conn.handshake).toMatchObject({ protocolVersion: 0, lastZxidSeen: 0n, timeOut: 18000, sessionId: 0n });
    expect(client.sessionId).toBe(0x1234n);
    const a = client.exists('/a');
    const b = client.exists('/b');
    const ra = await conn.next();
    const rb = await conn.next();
    expect([ra.xid, rb.xid, ra.type]).toEqual([1, 2, OpCode.exists]);
    conn.reply(ra.xid, 5n, Err.NONODE);
    conn.reply(rb.xid, 6n, Err.NONODE);
    expect(await a).toBeNull();
    expect(await b).toBeNull();
    expect(client.lastZxidSeen).toBe(6n);
  });

  it('drops the connection on an out-of-order xid, fails in-flight calls with ConnectionLoss, and resumes the session', async () => {
    const peer = await ScriptedPeer.start();
    cleanups.push(() => peer.close());
    const { client, conn } = await connected(peer);
    const states: ZkState[] = [];
    client.onState((s) => states.push(s));
    const a = client.getData('/x');
    const b = client.getData('/y');
    await conn.next();
    const rb = await conn.next();
    conn.reply(1, 3n, Err.NONODE);
    conn.reply(rb.xid + 5, 4n, Err.NONODE); // not the oldest pending xid
    await expect(a).rejects.toThrow('KeeperErrorCode = NoNode for /x');
    await expect(b).rejects.toMatchObject({ code: Err.CONNECTIONLOSS, message: 'KeeperErrorCode = ConnectionLoss for /y' });
    const again = await peer.nextConnection();
    expect(again.handshake).toMatchObject({ sessionId: 0x1234n, lastZxidSeen: 3n, passwd: Buffer.alloc(16, 9) });
    again.accept(6000);
    await new Promise((r) => setTimeout(r, 50));
    expect(states).toEqual(['disconnected', 'connected']);
  });

  it('reports expiry when a reconnect gets timeOut 0, and rejects calls afterwards', async () => {
    const peer = await ScriptedPeer.start();
    cleanups.push(() => peer.close());
    const { client, conn } = await connected(peer);
    const expired = new Promise<void>((r) => client.onState((s) => s === 'expired' && r()));
    conn.socket.destroy();
    const again = await peer.nextConnection();
    again.accept(0, 0n);
    await expired;
    await expect(client.exists('/')).rejects.toMatchObject({ code: Err.SESSIONEXPIRED });
  });

  it('pings when idle and declares a silent server dead after two thirds of the timeout', async () => {
    const peer = await ScriptedPeer.start();
    cleanups.push(() => peer.close());
    const { client, conn } = await connected(peer, { sessionTimeoutMs: 3000 });
    const lost = new Promise<number>((r) => {
      const t0 = performance.now();
      client.onState((s) => s === 'disconnected' && r(performance.now() - t0));
    });
    const ping = await conn.next();
    expect([ping.xid, ping.type]).toEqual([Xid.ping, OpCode.ping]);
    // No reply to anything: readTimeout = 2000 ms after the last frame received.
    expect(await lost).toBeGreaterThan(1500);
  }, 10_000);

  it('re-sends watches with setWatches (xid -8, chroot applied) before queued requests after a reconnect', async () => {
    const peer = await ScriptedPeer.start();
    cleanups.push(() => peer.close());
    const { client, conn } = await connected(peer, { chroot: '/kafka' });
    const events: string[] = [];
    const data = client.getData('/d', (e) => events.push(`${e.type}:${e.path}`));
    const req = await conn.next();
    expect(readRecord(req.body, R.GetDataRequest)).toEqual({ path: '/kafka/d', watch: true });
    const stat = Buffer.alloc(68);
    conn.reply(req.xid, 10n, 0, Buffer.concat([Buffer.from([0xff, 0xff, 0xff, 0xff]), stat]));
    expect((await data).data).toBeNull();
    const missing = client.exists('/e', () => {});
    conn.reply((await conn.next()).xid, 11n, Err.NONODE);
    await missing;
    const down = new Promise<void>((r) => client.onState((st) => st === 'disconnected' && r()));
    conn.socket.destroy();
    await down;
    const queued = client.exists('/q');
    const again = await peer.nextConnection();
    expect(again.handshake.lastZxidSeen).toBe(11n);
    again.accept(6000);
    const sw = await again.next();
    expect([sw.xid, sw.type]).toEqual([Xid.setWatches, OpCode.setWatches]);
    expect(readRecord(sw.body, R.SetWatches)).toEqual({ relativeZxid: 11n, dataWatches: ['/kafka/d'], existWatches: ['/kafka/e'], childWatches: [] });
    const q = await again.next();
    expect(readRecord(q.body, R.ExistsRequest).path).toBe('/kafka/q');
    again.reply(Xid.setWatches, 11n);
    again.reply(q.xid, 11n, Err.NONODE);
    expect(await queued).toBeNull();
    again.socket.write(encodeNotification(3, '/kafka/d'));
    await new Promise((r) => setTimeout(r, 50));
    again.socket.write(encodeNotification(3, '/kafka/d')); // one-shot: not delivered twice
    await new Promise((r) => setTimeout(r, 50));
    expect(events).toEqual(['3:/d']);
  });

  it('survives a server that closes the socket right after the handshake', async () => {
    const peer = await ScriptedPeer.start();
    cleanups.push(() => peer.close());
    const { client, conn } = await connected(peer);
    const down = new Promise<void>((r) => client.onState((st) => st === 'disconnected' && r()));
    conn.socket.destroy();
    await down;
    // Sent once the flaky connection is up, so lost with it: ConnectionLoss, as in Java.
    const queued = client.exists('/lost').catch((e: unknown) => e);
    const flaky = await peer.nextConnection();
    flaky.accept(6000);
    flaky.socket.end(); // the ConnectResponse and the close arrive together
    expect(await queued).toMatchObject({ code: Err.CONNECTIONLOSS });
    const good = await peer.nextConnection();
    good.accept(6000);
    const after = client.exists('/after');
    const req = await good.next();
    expect(readRecord(req.body, R.ExistsRequest).path).toBe('/after');
    good.reply(req.xid, 1n, Err.NONODE);
    expect(await after).toBeNull();
    expect(client.currentState).toBe('connected');
  });

  it('gives up on a reconnect handshake that is never answered and resumes the session on the next attempt', async () => {
    const peer = await ScriptedPeer.start();
    cleanups.push(() => peer.close());
    const { client, conn } = await connected(peer, { sessionTimeoutMs: 3000 });
    const states: ZkState[] = [];
    client.onState((s) => states.push(s));
    conn.socket.destroy();
    // A server starting up can take the TCP connection and never answer it (Apache ZooKeeper does).
    const silent = await peer.nextConnection();
    expect(silent.handshake.sessionId).toBe(0x1234n);
    const next = await peer.nextConnection();
    expect(next.handshake.sessionId).toBe(0x1234n);
    next.accept(3000);
    const after = client.exists('/after');
    const req = await next.next();
    next.reply(req.xid, 1n, Err.NONODE);
    expect(await after).toBeNull();
    expect(states).toEqual(['disconnected', 'connected']);
    expect(silent.closed).toBe(true);
  }, 30_000);

  it('reads replies that waited behind a stalled event loop before declaring the server silent', async () => {
    const peer = await ScriptedPeer.start();
    cleanups.push(() => peer.close());
    const { client, conn } = await connected(peer, { sessionTimeoutMs: 1500 });
    const states: ZkState[] = [];
    client.onState((s) => states.push(s));
    const got = client.exists('/x');
    const req = await conn.next();
    conn.reply(req.xid, 1n, Err.NONODE);
    // Block past the read timeout (1000 ms) with the reply already in the client's socket.
    const until = performance.now() + 1500;
    while (performance.now() < until) {
      // busy
    }
    expect(await got).toBeNull();
    await new Promise((r) => setTimeout(r, 100));
    expect(states).toEqual([]);
    expect(client.currentState).toBe('connected');
  }, 30_000);

  it('tries the hosts in order, skipping one that refuses', async () => {
    const peer = await ScriptedPeer.start();
    cleanups.push(() => peer.close());
    const dead = createServer();
    await new Promise<void>((r) => dead.listen(0, '127.0.0.1', () => r()));
    const deadPort = (dead.address() as { port: number }).port;
    dead.close();
    const clientP = ZkClient.connect({ connectString: `127.0.0.1:${deadPort},127.0.0.1:${peer.port}`, sessionTimeoutMs: 6000 });
    const conn = await peer.nextConnection();
    conn.accept(6000);
    const client = await clientP;
    cleanups.push(() => client.close());
    expect(client.sessionTimeoutMs).toBe(6000);
  });
});
