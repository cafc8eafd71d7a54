// One TCP connection to one ZooKeeper server: the session handshake (ConnectRequest →
// ConnectResponse), then a stream of reply frames. It knows nothing of xids or watches; the
// session logic in zk-client.ts decides what a frame means and when a connection is dead.
import { connect, type Socket } from 'node:net';
import { FrameReader } from '../../protocol/frame-reader.js';
import { decodeConnectResponse, encodeConnectRequest, type ConnectRequest, type ConnectResponse } from '../protocol/frames.js';

/** The Java client's default jute.maxbuffer for what it reads (ClientCnxn.packetLen): 4 MB. */
const MAX_REPLY_BYTES = 4096 * 1024;

export interface ZkSocketHandlers {
  frame(body: Buffer): void;
  /** Called once, when the socket is gone for whatever reason (never after destroy()). */
  closed(reason: string): void;
}

export class ZkSocket {
  /** Monotonic ms of the last frame received / sent: the ping and read-timeout clocks. */
  lastRecv = performance.now();
  lastSend = performance.now();
  private handlers: ZkSocketHandlers | undefined;
  private early: Buffer[] = [];
  private closedReason: string | undefined;
  private destroyed = false;

  private constructor(
    private readonly socket: Socket,
    readonly address: string,
  ) {}

  /**
   * Opens a socket, sends the ConnectRequest (with the trailing read-only byte, as 3.3+ clients
   * do) and waits for the ConnectResponse, all within `timeoutMs`.
   */
  static open(host: string, port: number, request: ConnectRequest, timeoutMs: number): Promise<{ conn: ZkSocket; response: ConnectResponse }> {
    return new Promise((resolve, reject) => {
      const socket = connect({ host, port });
      socket.setNoDelay(true);
      const conn = new ZkSocket(socket, `${host}:${port}`);
      const reader = new FrameReader(MAX_REPLY_BYTES);
      let handshaken = false;
      const fail = (why: string): void => {
        clearTimeout(timer);
        socket.destroy();
        if (!handshaken) reject(new Error(why));
      };
      // Timers run before I/O: after an event-loop stall the ConnectResponse may be sitting unread,
      // so the verdict waits for one pass of pending I/O.
      const timer = setTimeout(() => {
        setImmediate(() => {
          if (!handshaken) fail(`Client session timed out, have not heard from server in ${timeoutMs}ms`);
        });
      }, timeoutMs);
      socket.once('connect', () => {
        socket.write(encodeConnectRequest(request, false));
        conn.lastSend = performance.now();
      });
      socket.on('data', (chunk: Buffer) => {
        let frames: Buffer[];
        try {
          frames = reader.push(chunk);
        } catch (err) {
          const why = err instanceof Error ? err.message : String(err);
          if (handshaken) conn.drop(why);
          else fail(why);
          return;
        }
        if (frames.length > 0) conn.lastRecv = performance.now();
        for (const frame of frames) {
          if (!handshaken) {
            handshaken = true;
            clearTimeout(timer);
            try {
              resolve({ conn, response: decodeConnectResponse(frame).record });
            } catch (err) {
              socket.destroy();
              reject(err);
            }
            continue;
          }
          conn.deliver(frame);
        }
      });
      socket.on('error', (err) => {
        if (!handshaken) fail(err.message);
      });
      socket.on('close', () => {
        if (!handshaken) fail('Connection closed before the session was established');
        else conn.drop('Unable to read additional data from server, likely server has closed socket');
      });
    });
  }

  /** Starts delivering frames (including any that came with the handshake's chunk). */
  start(handlers: ZkSocketHandlers): void {
    this.handlers = handlers;
    const early = this.early;
    this.early = [];
    for (const frame of early) handlers.frame(frame);
    if (this.closedReason !== undefined && !this.destroyed) handlers.closed(this.closedReason);
  }

  send(frame: Buffer): void {
    if (this.closedReason !== undefined) return;
    this.socket.write(frame);
    this.lastSend = performance.now();
  }

  /** Closes the socket; the closed() handler is called (once) unless destroy() was used. */
  drop(reason: string): void {
    if (this.closedReason !== undefined) return;
    this.closedReason = reason;
    this.socket.destroy();
    if (this.handlers && !this.destroyed) this.handlers.closed(reason);
  }

  /** Closes the socket silently. */
  destroy(): void {
    this.destroyed = true;
    this.drop('closed by the client');
  }

  private deliver(frame: Buffer): void {
    if (this.closedReason !== undefined) return;
    if (this.handlers) this.handlers.frame(frame);
    else this.early.push(frame);
  }
}
