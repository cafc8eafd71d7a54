// One client TCP connection (NIOServerCnxn): the first 4 bytes may be a four-letter word;
// otherwise int32-length frames, the first a ConnectRequest and then requests. Requests are handled
// in arrival order and replies leave in that order (the server's outbox holds each until the log
// has made the writes before it durable); notifications are interleaved. A frame larger than
// jute.maxbuffer, or one without a readable header, closes this connection and nothing else.
import type { Socket } from 'node:net';
import { FrameReader, FrameTooLargeError } from '../../protocol/frame-reader.js';
import { Reader } from '../../protocol/reader.js';
import type { Logger } from '../../log.js';
import { encodeNotification } from '../protocol/frames.js';
import { readRecord } from '../protocol/jute.js';
import { OpCode } from '../protocol/op-codes.js';
import * as R from '../protocol/records.js';
import { remoteIpId, type AuthId } from './acl.js';
import type { ConnectionView, LatencyStats } from './four-letter-words.js';
import { isFourLetterWord } from './four-letter-words.js';
import type { Caller, Reply } from './request-processor.js';
import { sessionHex } from './sessions.js';

/** What a connection asks of the server. */
export interface ConnectionHost {
  readonly logger: Logger;
  readonly maxBuffer: number;
  /** Handles the ConnectRequest frame (refusing means closing the connection). */
  connect(conn: Connection, body: Buffer): void;
  /** Handles a request of an established session. */
  request(conn: Connection, xid: number, type: number, r: Reader): Reply | undefined;
  /** Runs `fn` once the log is durable up to `barrier`, in submission order. */
  defer(barrier: number, fn: () => void): void;
  fourLetterWord(word: string, conn: Connection): string | undefined;
  connectionClosed(conn: Connection): void;
}

const HIGH_WATER = 4 * 1024 * 1024;

/** FinalRequestProcessor's lastOp codes, as `cons` prints them. */
const LAST_OP: ReadonlyMap<number, string> = new Map([
  [OpCode.ping, 'PING'], [OpCode.createSession, 'SESS'], [OpCode.multi, 'MULT'], [OpCode.multiRead, 'MLTR'],
  [OpCode.create, 'CREA'], [OpCode.create2, 'CREA'], [OpCode.createTTL, 'CREA'], [OpCode.createContainer, 'CREA'],
  [OpCode.delete, 'DELE'], [OpCode.setData, 'SETD'], [OpCode.reconfig, 'RECO'], [OpCode.setACL, 'SETA'],
  [OpCode.closeSession, 'CLOS'], [OpCode.sync, 'SYNC'], [OpCode.check, 'CHEC'], [OpCode.exists, 'EXIS'],
  [OpCode.getData, 'GETD'], [OpCode.setWatches, 'SETW'], [OpCode.setWatches2, 'SETW'], [OpCode.addWatch, 'ADDW'],
  [OpCode.getACL, 'GETA'], [OpCode.getChildren, 'GETC'], [OpCode.getChildren2, 'GETC'], [OpCode.getAllChildrenNumber, 'GETACN'],
  [OpCode.checkWatches, 'CHKW'], [OpCode.removeWatches, 'REMW'], [OpCode.whoAmI, 'HOMI'], [OpCode.getEphemerals, 'GETE'],
]);

const emptyLatency = (): LatencyStats => ({ count: 0, total: 0, min: Number.MAX_SAFE_INTEGER, max: 0 });

export class Connection implements Caller, ConnectionView {
  sessionId = 0n;
  readonly authInfo: AuthId[];
  readonly remoteIp: string;
  readonly remote: string;
  /** Set by the server when the request carried no trailing read-only byte. */
  oldClient = false;
  timeout = 0;
  /** 'new' until a ConnectRequest; 'closing' once no more requests are taken. */
  state: 'new' | 'open' | 'closing' | 'closed' = 'new';
  readonly established = Date.now();
  received = 0;
  sent = 0;
  lastOp = 'NA';
  lastCxid = 0;
  lastZxid = 0n;
  lastResponse = 0;
  lastLatency = 0;
  latency = emptyLatency();
  private head: Buffer | undefined = Buffer.alloc(0);
  private readonly frames: FrameReader;
  private readonly sessionlessTimer: NodeJS.Timeout | undefined;
  private readonly log: Logger;

  constructor(
    readonly socket: Socket,
    private readonly host: ConnectionHost,
    sessionlessTimeoutMs: number,
  ) {
    this.log = host.logger.child('org.apache.zookeeper.server.NIOServerCnxn');
    this.remoteIp = remoteIpId(socket.remoteAddress);
    this.remote = `/${this.remoteIp}:${socket.remotePort ?? 0}`;
    this.authInfo = [{ scheme: 'ip', id: this.remoteIp }];
    this.frames = new FrameReader(host.maxBuffer);
    socket.setNoDelay(true);
    socket.on('data', (chunk: Buffer) => this.onData(chunk));
    socket.on('error', () => {}); // 'close' follows; a reset is an ordinary disconnect
    socket.on('close', () => this.onClose());
    socket.on('drain', () => socket.resume());
    this.sessionlessTimer = setTimeout(() => {
      if (this.state === 'new') this.close('no session established in time');
    }, sessionlessTimeoutMs);
    this.sessionlessTimer.unref();
  }

  /** `stat` shows the selection interest ops: 1 (read) while reading, 0 when paused. */
  get interestOps(): number {
    return this.socket.isPaused() ? 0 : 1;
  }

  private onData(chunk: Buffer): void {
    if (this.state === 'closing' || this.state === 'closed') return;
    if (this.head) {
      // Only the first 4 bytes of a fresh connection may be a four-letter word.
      const head = Buffer.concat([this.head, chunk]);
      if (head.length < 4) {
        this.head = head;
        return;
      }
      this.head = undefined;
      const word = head.toString('latin1', 0, 4);
      if (isFourLetterWord(word)) {
        this.fourLetterWord(word);
        return;
      }
      chunk = head;
    }
    let frames: Buffer[];
    try {
      frames = this.frames.push(chunk);
    } catch (err) {
      if (err instanceof FrameTooLargeError) {
        this.log.warn(`Closing connection to ${this.remote}: packet length ${err.size} is either a malformed message or too large to process (length is greater than jute.maxbuffer=${err.limit})`);
      }
      this.close('bad frame');
      return;
    }
    for (const f of frames) {
      if (!this.accepting()) return;
      this.onFrame(f);
    }
    if (this.socket.writableLength > HIGH_WATER) this.socket.pause();
  }

  /** Whether requests are still taken (a request may have started closing the connection). */
  private accepting(): boolean {
    return this.state === 'new' || this.state === 'open';
  }

  private fourLetterWord(word: string): void {
    this.state = 'closing';
    this.log.info(`Processing ${word} command from ${this.remote}`);
    const text = this.host.fourLetterWord(word, this) ?? '';
    this.socket.end(text);
  }

  private onFrame(body: Buffer): void {
    this.received++;
    if (this.state === 'new') {
      this.state = 'open';
      if (this.sessionlessTimer) clearTimeout(this.sessionlessTimer);
      this.host.connect(this, body);
      return;
    }
    let header;
    const r = new Reader(body);
    try {
      header = readRecord(r, R.RequestHeader);
    } catch {
      this.log.warn(`Closing connection to ${this.remote}: request of ${body.length} bytes without a request header`);
      this.close('bad request header');
      return;
    }
    const started = Date.now();
    const reply = this.host.request(this, header.xid, header.type, r);
    if (!reply) return;
    if (reply.close) this.state = 'closing';
    const op = LAST_OP.get(header.type) ?? 'NA';
    this.host.defer(reply.barrier, () => {
      this.recordResponse(op, header.xid, started);
      this.send(reply.frame);
      if (reply.close) this.end();
    });
  }

  private recordResponse(op: string, xid: number, started: number): void {
    const now = Date.now();
    const lat = now - started;
    this.lastOp = op;
    if (xid >= 0) this.lastCxid = xid;
    this.lastResponse = now;
    this.lastLatency = lat;
    this.latency.count++;
    this.latency.total += lat;
    this.latency.min = Math.min(this.latency.min, lat);
    this.latency.max = Math.max(this.latency.max, lat);
  }

  resetStats(): void {
    this.received = 0;
    this.sent = 0;
    this.latency = emptyLatency();
    this.lastOp = 'NA';
    this.lastLatency = 0;
    this.lastResponse = 0;
  }

  /** Writes a whole frame (reply, ConnectResponse or notification). */
  send(frame: Buffer): void {
    if (this.state === 'closed' || this.socket.destroyed) return;
    this.sent++;
    this.socket.write(frame);
  }

  notify(type: number, path: string): void {
    this.send(encodeNotification(type, path));
  }

  /** Closes after what has been written so far is flushed. */
  end(): void {
    if (this.state === 'closed') return;
    this.state = 'closing';
    this.socket.end();
  }

  /** Closes now; queued replies are dropped. */
  close(reason: string): void {
    if (this.state === 'closed') return;
    this.state = 'closing';
    this.log.debug(`Closing connection to ${this.remote}: ${reason}`);
    this.socket.destroy();
  }

  private onClose(): void {
    if (this.state === 'closed') return;
    this.state = 'closed';
    if (this.sessionlessTimer) clearTimeout(this.sessionlessTimer);
    const who = this.sessionId === 0n ? '(no session established for client)' : `which had sessionid ${sessionHex(this.sessionId)}`;
    this.log.info(`Closed socket connection for client ${this.remote} ${who}`);
    this.host.connectionClosed(this);
  }
}
