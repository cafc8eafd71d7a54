// The "ideal broker" reference for kcat -C: what the same consume costs when the broker takes no
// time at all. First a recording proxy stands between kcat and the real ktool broker and keeps
// every request with the response the broker gave (and how long it took). Then a replay server
// answers a second, identical kcat run from that recording: at once, from memory, except where
// the broker parked the request (a Fetch at the log end waits fetch.wait.max.ms, in Kafka as
// here, and that wait is what lets librdkafka report the partition's end), which is replayed
// after the same wait. kcat against the replay is the floor any broker could reach with this
// kcat on this machine; ktool's time beside it is the broker's share.
//
// The broker behind it must advertise the replay's port (advertised.listeners), so that kcat
// comes back to this port, not to the broker's own, after reading Metadata.
import { connect, createServer, type Server, type Socket } from 'node:net';
import { FrameReader } from '../src/protocol/frame-reader.js';

/**
 * A small answer (no records) that took longer than this was parked (a long poll), not worked
 * on; a large one that was slow (a cold read, a pause) is replayed at once like the rest.
 */
const PARKED_MS = 100;
const PARKED_MAX_BYTES = 1024;
const PRODUCE = 0;

interface Recorded {
  response: Buffer;
  parkedMs: number;
}

/** Request frame without its size and with the correlation id zeroed: the same request, whenever it is sent. */
function keyOf(frame: Buffer): string {
  const copy = Buffer.from(frame);
  copy.writeInt32BE(0, 4);
  return copy.toString('base64');
}

function frameOf(payload: Buffer, correlationId: number): Buffer {
  const out = Buffer.allocUnsafe(4 + payload.length);
  out.writeInt32BE(payload.length, 0);
  payload.copy(out, 4);
  out.writeInt32BE(correlationId, 4);
  return out;
}

function listen(server: Server, port: number): Promise<void> {
  return new Promise((resolve, reject) => {
    server.once('error', reject);
    server.listen(port, '127.0.0.1', () => resolve());
  });
}

export class ReplayBroker {
  private readonly recorded = new Map<string, Recorded>();
  private server: Server | undefined;
  private readonly sockets = new Set<Socket>();
  /** Requests the replay had no recording for (they were forwarded to the real broker). */
  misses = 0;

  /** `port` is where clients connect (and what the broker advertises); `upstreamPort` is the broker's own. */
  constructor(
    private readonly port: number,
    private readonly upstreamPort: number,
  ) {}

  /** Starts the recording proxy to the real broker. */
  async record(): Promise<void> {
    await this.start((client) => {
      const upstream = connect({ port: this.upstreamPort, host: '127.0.0.1' });
      // Produce requests (the data going in) are passed through unrecorded: the replay is for consumers.
      const sent: Array<{ key: string | null; at: number }> = [];
      const fromClient = new FrameReader(1 << 30);
      const fromBroker = new FrameReader(1 << 30);
      client.on('data', (chunk: Buffer) => {
        for (const frame of fromClient.push(chunk)) sent.push({ key: frame.readInt16BE(0) === PRODUCE ? null : keyOf(frame), at: performance.now() });
        upstream.write(chunk);
      });
      upstream.on('data', (chunk: Buffer) => {
        for (const frame of fromBroker.push(chunk)) {
          const request = sent.shift();
          if (request === undefined || request.key === null) continue;
          const tookMs = performance.now() - request.at;
          const parked = tookMs > PARKED_MS && frame.length < PARKED_MAX_BYTES;
          if (!this.recorded.has(request.key)) this.recorded.set(request.key, { response: frame, parkedMs: parked ? tookMs : 0 });
        }
        client.write(chunk);
      });
      const close = (): void => {
        client.destroy();
        upstream.destroy();
      };
      client.on('close', close).on('error', close);
      upstream.on('close', close).on('error', close);
    });
  }

  /** Stops recording and answers from the recording, on the same port. */
  async replay(): Promise<void> {
    await this.stop();
    await this.start((client) => this.serve(client));
  }

  private async start(onClient: (client: Socket) => void): Promise<void> {
    const server = createServer((client) => {
      this.sockets.add(client);
      client.on('close', () => this.sockets.delete(client));
      onClient(client);
    });
    this.server = server;
    await listen(server, this.port);
  }

  /** Closes the server and every connection it accepted. */
  async stop(): Promise<void> {
    const server = this.server;
    this.server = undefined;
    for (const s of this.sockets) s.destroy();
    if (server) await new Promise<void>((resolve) => server.close(() => resolve()));
  }

  private serve(client: Socket): void {
    const frames = new FrameReader(1 << 30);
    let upstream: Socket | undefined;
    // Answers leave in request order, as a broker's do, even when one of them waits.
    let chain = Promise.resolve();
    client.on('data', (chunk: Buffer) => {
      for (const frame of frames.push(chunk)) {
        const correlationId = frame.readInt32BE(4);
        const hit = this.recorded.get(keyOf(frame));
        if (hit === undefined) {
          this.misses++;
          upstream ??= this.forwardTo(client);
          upstream.write(frameOf(frame, correlationId));
          continue;
        }
        const out = frameOf(hit.response, correlationId);
        chain = hit.parkedMs > 0
          ? chain.then(() => new Promise<void>((resolve) => setTimeout(() => (client.write(out), resolve()), hit.parkedMs)))
          : chain.then(() => void client.write(out));
      }
    });
    client.on('error', () => client.destroy());
  }

  private forwardTo(client: Socket): Socket {
    const upstream = connect({ port: this.upstreamPort, host: '127.0.0.1' });
    upstream.on('data', (chunk: Buffer) => client.write(chunk));
    upstream.on('error', () => client.destroy());
    client.on('close', () => upstream.destroy());
    return upstream;
  }
}
