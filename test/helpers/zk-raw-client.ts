// A minimal ZooKeeper client over a raw socket, for protocol tests: it sends exactly the frames
// it is told to (via src/zookeeper/protocol), checks that replies come back in xid order and
// collects watch notifications. Every wait is bounded.
import { connect, type Socket } from 'node:net';
import { FrameReader } from '../../src/protocol/frame-reader.js';
import { Reader } from '../../src/protocol/reader.js';
import { Writer } from '../../src/protocol/writer.js';
import { decodeConnectResponse, encodeConnectRequest, encodeRequest, frame, type ConnectResponse } from '../../src/zookeeper/protocol/frames.js';
import { readRecord, writeRecord, type Rec, type RecordSchema } from '../../src/zookeeper/protocol/jute.js';
import { readMultiResponse, writeMultiRequest, type MultiOp, type MultiResult } from '../../src/zookeeper/protocol/multi.js';
import { OpCode, Xid, opSpec } from '../../src/zookeeper/protocol/op-codes.js';
import * as R from '../../src/zookeeper/protocol/records.js';

export interface RawReply<T = Record<string, unknown>> {
  xid: number;
  zxid: bigint;
  err: number;
  body?: T;
}

export interface ConnectOptions {
  timeout?: number;
  sessionId?: bigint;
  passwd?: Buffer;
  lastZxidSeen?: bigint;
  /** Send the trailing read-only byte (current clients do). */
  readOnlyByte?: boolean;
}

interface Pending {
  xid: number;
  parse: (r: Reader) => unknown;
  resolve: (reply: RawReply<never>) => void;
  reject: (err: Error) => void;
}

export class RawZk {
  readonly notifications: { type: number; path: string }[] = [];
  session!: ConnectResponse;
  handshakeReadOnly: boolean | undefined;
  private pending: Pending[] = [];
  private xid = 0;
  private readonly frames = new FrameReader(1 << 24);
  private connectWaiter: ((body: Buffer) => void) | undefined;
  private waiters: (() => void)[] = [];
  closed = false;
  readonly closedPromise: Promise<void>;

  private constructor(readonly socket: Socket) {
    this.closedPromise = new Promise((resolve) => socket.on('close', () => {
      this.closed = true;
      for (const p of this.pending) p.reject(new Error('connection closed'));
      this.pending = [];
      this.wake();
      resolve();
    }));
    socket.on('error', () => {});
    socket.on('data', (chunk) => {
      for (const f of this.frames.push(chunk)) this.onFrame(f);
    });
  }

  static async open(port: number): Promise<RawZk> {
    const socket = connect({ host: '127.0.0.1', port });
    await new Promise<void>((resolve, reject) => {
      socket.once('connect', () => resolve());
      socket.once('error', reject);
    });
    return new RawZk(socket);
  }

  /** Opens a connection and performs the handshake. */
  static async connect(port: number, opts: ConnectOptions = {}): Promise<RawZk> {
    const zk = await RawZk.open(port);
    await zk.handshake(opts);
    return zk;
  }

  async handshake(opts: ConnectOptions = {}): Promise<ConnectResponse> {
    const body = withTimeout(new Promise<Buffer>((resolve) => (this.connectWaiter = resolve)), 5000, 'ConnectResponse');
    const req = { protocolVersion: 0, lastZxidSeen: opts.lastZxidSeen ?? 0n, timeOut: opts.timeout ?? 4000, sessionId: opts.sessionId ?? 0n, passwd: opts.passwd ?? Buffer.alloc(16) };
    // An old (pre-3.3) client sends the record without the trailing read-only byte.
    this.socket.write(opts.readOnlyByte === false ? frame((w: Writer) => void writeRecord(w, R.ConnectRequest, req)) : encodeConnectRequest(req, false));
    const hs = decodeConnectResponse(await body);
    this.session = hs.record;
    this.handshakeReadOnly = hs.readOnly;
    return hs.record;
  }

  private onFrame(f: Buffer): void {
    if (this.connectWaiter) {
      const w = this.connectWaiter;
      this.connectWaiter = undefined;
      w(f);
      return;
    }
    const r = new Reader(f);
    const header = readRecord(r, R.ReplyHeader);
    if (header.xid === Xid.notification) {
      const ev = readRecord(r, R.WatcherEvent);
      this.notifications.push({ type: ev.type, path: ev.path });
      this.wake();
      return;
    }
    const p = this.pending.shift();
    if (!p) throw new Error(`unexpected reply xid ${header.xid}`);
    if (p.xid !== header.xid) {
      p.reject(new Error(`Xid out of order. Got Xid ${header.xid} expected ${p.xid}`));
      return;
    }
    const body = header.err === 0 && r.remaining > 0 ? p.parse(r) : undefined;
    p.resolve({ ...header, body } as RawReply<never>);
  }

  private wake(): void {
    const ws = this.waiters;
    this.waiters = [];
    for (const w of ws) w();
  }

  /** Sends a request frame already built, expecting a reply with `xid`. */
  sendRaw<T>(buf: Buffer, xid: number, parse: (r: Reader) => unknown = () => undefined): Promise<RawReply<T>> {
    const reply = new Promise<RawReply<T>>((resolve, reject) => this.pending.push({ xid, parse, resolve: resolve as never, reject }));
    this.socket.write(buf);
    return withTimeout(reply, 5000, `reply to xid ${xid}`);
  }

  /** One request of `type` with its record from op-codes; the reply body parsed by the op's response record. */
  req<T = Record<string, unknown>>(type: number, body?: Record<string, unknown>, xid = ++this.xid): Promise<RawReply<T>> {
    const spec = opSpec(type);
    const response = spec?.response;
    return this.sendRaw<T>(encodeRequest(xid, type, spec?.request as RecordSchema, body as never), xid, response ? (r) => readRecord(r, response) : undefined);
  }

  multi(ops: MultiOp[], type: number = OpCode.multi): Promise<RawReply<MultiResult[]>> {
    const xid = ++this.xid;
    const buf = frame((w: Writer) => {
      writeRecord(w, R.RequestHeader, { xid, type });
      writeMultiRequest(w, ops);
    });
    return this.sendRaw<MultiResult[]>(buf, xid, (r) => readMultiResponse(r));
  }

  ping(): Promise<RawReply> {
    return this.sendRaw(encodeRequest(Xid.ping, OpCode.ping), Xid.ping);
  }

  auth(scheme: string, auth: string): Promise<RawReply> {
    return this.sendRaw(encodeRequest(Xid.auth, OpCode.auth, R.AuthPacket, { type: 0, scheme, auth: Buffer.from(auth) }), Xid.auth);
  }

  setWatches(body: Rec<typeof R.SetWatches2>, v2 = true): Promise<RawReply> {
    const buf = v2 ? encodeRequest(Xid.setWatches, OpCode.setWatches2, R.SetWatches2, body) : encodeRequest(Xid.setWatches, OpCode.setWatches, R.SetWatches, body);
    return this.sendRaw(buf, Xid.setWatches);
  }

  /** Waits until `count` notifications have arrived (bounded). */
  async waitNotifications(count: number, timeoutMs = 5000): Promise<{ type: number; path: string }[]> {
    const deadline = Date.now() + timeoutMs;
    while (this.notifications.length < count) {
      if (this.closed) throw new Error(`closed with ${this.notifications.length}/${count} notifications`);
      const left = deadline - Date.now();
      if (left <= 0) throw new Error(`timed out with ${this.notifications.length}/${count} notifications: ${JSON.stringify(this.notifications)}`);
      await new Promise<void>((resolve) => {
        const t = setTimeout(resolve, left);
        this.waiters.push(() => {
          clearTimeout(t);
          resolve();
        });
      });
    }
    return this.notifications.splice(0, count);
  }

  /** Waits until the server closes the connection (bounded). */
  waitClosed(timeoutMs = 5000): Promise<void> {
    return withTimeout(this.closedPromise, timeoutMs, 'connection close');
  }

  close(): void {
    this.socket.destroy();
  }
}

export function withTimeout<T>(p: Promise<T>, ms: number, what: string): Promise<T> {
  let timer: NodeJS.Timeout;
  return Promise.race([
    p.finally(() => clearTimeout(timer)),
    new Promise<T>((_, reject) => (timer = setTimeout(() => reject(new Error(`timed out waiting for ${what}`)), ms))),
  ]);
}

/** Sends `word` on a fresh connection and returns the whole text reply. */
export async function fourLetterWord(port: number, word: string): Promise<string> {
  const socket = connect({ host: '127.0.0.1', port });
  const chunks: Buffer[] = [];
  socket.on('data', (c) => chunks.push(c));
  const done = new Promise<void>((resolve) => socket.on('close', () => resolve()));
  socket.on('error', () => {});
  socket.write(word);
  await withTimeout(done, 5000, `${word} reply`);
  return Buffer.concat(chunks).toString('utf8');
}
