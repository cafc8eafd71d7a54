// One TCP (or TLS) connection to one broker, speaking the Kafka protocol through src/protocol.
// On open it negotiates versions with ApiVersions (and authenticates when SASL is configured);
// afterwards `request` picks the highest version both sides support for each API. Requests are
// pipelined: each is written at once and the broker answers in order, so a FIFO of pending calls
// pairs responses with requests (the correlation id is checked, never searched for). A request
// the broker never answers (Produce with acks=0) goes through `sendOneWay` and stays out of it.
import { connect as netConnect, type Socket } from 'node:net';
import { connect as tlsConnect, type ConnectionOptions } from 'node:tls';
import { decodeMessage, encodeMessage, isFlexible } from '../protocol/codec.js';
import { readResponseHeader, responseHeaderIsFlexible, writeRequestHeader } from '../protocol/headers.js';
import { ApiVersions } from '../protocol/messages/api-versions.js';
import { SaslAuthenticate } from '../protocol/messages/sasl-authenticate.js';
import { SaslHandshake } from '../protocol/messages/sasl-handshake.js';
import type { ApiVersionsResponse } from '../protocol/messages/api-versions.js';
import type { SaslAuthenticateResponse } from '../protocol/messages/sasl-authenticate.js';
import type { SaslHandshakeResponse } from '../protocol/messages/sasl-handshake.js';
import { Reader } from '../protocol/reader.js';
import type { ApiSchema } from '../protocol/schema.js';
import { Writer } from '../protocol/writer.js';
import type { SaslSettings } from './client-config.js';
// Framing is shared with the broker: pure byte-stream code that holds no broker state.
import { FrameReader } from '../protocol/frame-reader.js';
import { ErrorCode, KafkaProtocolError } from './kafka-errors.js';
import { saslExchange } from './sasl.js';

export interface BrokerAddress {
  host: string;
  port: number;
  /** -1, -2… for bootstrap addresses, as the Java client numbers them. */
  nodeId: number;
}

export interface BrokerConnectionOptions {
  clientId: string;
  tls?: ConnectionOptions;
  sasl?: SaslSettings;
  connectTimeoutMs: number;
  requestTimeoutMs: number;
}

/** The connection failed or closed: pending and later requests fail with this. */
export class NetworkError extends Error {
  readonly code = 'NETWORK_ERROR';
  constructor(message: string, options?: { cause?: unknown }) {
    super(message, options);
    this.name = 'NetworkError';
  }
}

/** The broker does not support any version of an API that we can use. */
export class UnsupportedVersionError extends Error {
  readonly code = 'UNSUPPORTED_VERSION';
  constructor(message: string) {
    super(message);
    this.name = 'UnsupportedVersionError';
  }
}

interface Pending {
  correlationId: number;
  api: ApiSchema;
  version: number;
  resolve(value: unknown): void;
  reject(err: Error): void;
  timer: NodeJS.Timeout;
}

interface VersionRange {
  min: number;
  max: number;
}

/** Fetch responses can be large (fetch.max.bytes is 50 MB by default); anything beyond 1 GiB is corrupt. */
const MAX_RESPONSE_BYTES = 1024 * 1024 * 1024;

const CLIENT_SOFTWARE = { clientSoftwareName: 'ktool', clientSoftwareVersion: '4.0.0' };

export class BrokerConnection {
  private readonly pending: Pending[] = [];
  /** One-way requests not yet written out (they fail with the connection). */
  private readonly oneWay = new Set<{ resolve(): void; reject(err: Error): void }>();
  private readonly frames = new FrameReader(MAX_RESPONSE_BYTES);
  private nextCorrelationId = 1;
  private failure: Error | undefined;
  private apiVersions = new Map<number, VersionRange>();

  private constructor(
    private readonly socket: Socket,
    readonly address: BrokerAddress,
    private readonly opts: BrokerConnectionOptions,
  ) {
    socket.on('data', (chunk: Buffer) => this.onData(chunk));
    socket.on('error', (err) => this.fail(new NetworkError(`${this.describe()}: ${err.message}`, { cause: err })));
    socket.on('close', () => this.fail(new NetworkError(`Connection to ${this.describe()} was disconnected`)));
  }

  /** Connects, negotiates API versions and authenticates. */
  static async open(address: BrokerAddress, opts: BrokerConnectionOptions, signal?: AbortSignal): Promise<BrokerConnection> {
    const socket = await connectSocket(address, opts, signal);
    const conn = new BrokerConnection(socket, address, opts);
    try {
      await conn.negotiateVersions();
      if (opts.sasl) await conn.authenticate(opts.sasl);
      return conn;
    } catch (err) {
      conn.close();
      throw err;
    }
  }

  get isOpen(): boolean {
    return this.failure === undefined;
  }

  /** `node 1 (localhost/127.0.0.1:9092)`-style, for messages. */
  describe(): string {
    return `node ${this.address.nodeId} (${this.address.host}:${this.address.port})`;
  }

  /** Highest version of `api` both sides support, within [min, max] if the caller needs that. */
  version(api: ApiSchema, limits: { min?: number; max?: number } = {}): number {
    const broker = this.apiVersions.get(api.apiKey);
    const ours = api.request.validVersions;
    const ourMax = Math.min(limits.max ?? Infinity, ours[1] - (api.latestVersionUnstable ? 1 : 0));
    const ourMin = Math.max(limits.min ?? 0, ours[0]);
    if (!broker) throw new UnsupportedVersionError(`The broker does not support ${api.name}`);
    const v = Math.min(ourMax, broker.max);
    if (v < ourMin || v < broker.min) {
      throw new UnsupportedVersionError(`The broker does not support ${api.name} versions ${ourMin} to ${ourMax} (it supports ${broker.min} to ${broker.max})`);
    }
    return v;
  }

  supports(api: ApiSchema): boolean {
    return this.apiVersions.has(api.apiKey);
  }

  /** Sends a request at the highest common version; resolves with the decoded response body. */
  request<Res>(api: ApiSchema, body: object, opts: { min?: number; max?: number; timeoutMs?: number } = {}): Promise<Res> {
    return this.send<Res>(api, this.version(api, opts), body, opts.timeoutMs);
  }

  send<Res>(api: ApiSchema, version: number, body: object, timeoutMs = this.opts.requestTimeoutMs): Promise<Res> {
    if (this.failure) return Promise.reject(this.failure);
    const correlationId = this.nextCorrelationId++;
    const frame = this.frame(api, version, body, correlationId);
    return new Promise<Res>((resolve, reject) => {
      const timer = setTimeout(() => {
        // Responses arrive in order, so a lost one poisons the connection: close it, as Kafka does.
        this.fail(new NetworkError(`Timed out waiting for a response to ${api.name} from ${this.describe()} after ${timeoutMs} ms`));
      }, timeoutMs);
      this.pending.push({ correlationId, api, version, resolve: resolve as (v: unknown) => void, reject, timer });
      this.write(frame);
    });
  }

  /**
   * Sends a request the broker does not answer (Produce with acks=0). Nothing joins the queue
   * of pending responses, so later responses still pair with their requests. Resolves once the
   * bytes are handed to the operating system; rejects if the connection fails first.
   */
  sendOneWay(api: ApiSchema, version: number, body: object): Promise<void> {
    if (this.failure) return Promise.reject(this.failure);
    const frame = this.frame(api, version, body, this.nextCorrelationId++);
    return new Promise<void>((resolve, reject) => {
      const entry = { resolve, reject };
      this.oneWay.add(entry);
      this.write(frame, (err) => {
        this.oneWay.delete(entry);
        if (err) reject(this.failure ?? new NetworkError(`${this.describe()}: ${err.message}`, { cause: err }));
        else resolve();
      });
    });
  }

  /** The correlation id of the request sent last (for log lines that name it). */
  get lastCorrelationId(): number {
    return this.nextCorrelationId - 1;
  }

  /** The size-prefixed request: header and body, as chunks (record batches are not copied). */
  private frame(api: ApiSchema, version: number, body: object, correlationId: number): Buffer[] {
    const w = new Writer();
    const flexible = isFlexible(api.request, version);
    writeRequestHeader(w, { apiKey: api.apiKey, apiVersion: version, correlationId, clientId: this.opts.clientId }, flexible);
    encodeMessage(api.request, version, body, w);
    const size = Buffer.allocUnsafe(4);
    size.writeInt32BE(w.length);
    return [size, ...w.finish()];
  }

  /** Writes a frame; requests written in the same tick leave in one batch of syscalls. */
  private write(chunks: Buffer[], done?: (err?: Error | null) => void): void {
    this.socket.cork();
    const last = chunks.length - 1;
    for (let i = 0; i < last; i++) this.socket.write(chunks[i]!);
    this.socket.write(chunks[last]!, done);
    process.nextTick(() => this.socket.uncork());
  }

  close(): void {
    this.fail(new NetworkError(`Connection to ${this.describe()} was closed`));
  }

  private onData(chunk: Buffer): void {
    let frames: Buffer[];
    try {
      frames = this.frames.push(chunk);
    } catch (err) {
      this.fail(new NetworkError(`${this.describe()}: ${(err as Error).message}`));
      return;
    }
    for (const frame of frames) {
      const call = this.pending.shift();
      if (!call) {
        this.fail(new NetworkError(`Unexpected response from ${this.describe()}`));
        return;
      }
      clearTimeout(call.timer);
      try {
        call.resolve(this.decode(call, frame));
      } catch (err) {
        call.reject(err as Error);
        this.fail(new NetworkError(`Malformed ${call.api.name} response from ${this.describe()}: ${(err as Error).message}`));
        return;
      }
    }
  }

  private decode(call: Pending, frame: Buffer): unknown {
    const r = new Reader(frame);
    const flexible = responseHeaderIsFlexible(call.api.apiKey, isFlexible(call.api.response, call.version));
    const correlationId = readResponseHeader(r, flexible);
    if (correlationId !== call.correlationId) {
      throw new Error(`correlation id ${correlationId} does not match the expected ${call.correlationId}`);
    }
    // A broker that does not know our ApiVersions version answers in the v0 layout (KIP-511).
    if (call.api === ApiVersions && frame.readInt16BE(r.pos) === ErrorCode.UNSUPPORTED_VERSION) {
      return decodeMessage(ApiVersions.response, 0, r);
    }
    return decodeMessage(call.api.response, call.version, r);
  }

  private fail(err: Error): void {
    if (this.failure) return;
    this.failure = err;
    for (const call of this.pending.splice(0)) {
      clearTimeout(call.timer);
      call.reject(err);
    }
    for (const entry of this.oneWay) entry.reject(err);
    this.oneWay.clear();
    this.socket.destroy();
  }

  private async negotiateVersions(): Promise<void> {
    let version = ApiVersions.request.validVersions[1];
    for (let attempt = 0; attempt < 3; attempt++) {
      const res = await this.send<ApiVersionsResponse>(ApiVersions, version, CLIENT_SOFTWARE);
      if (res.errorCode === ErrorCode.UNSUPPORTED_VERSION) {
        const theirs = res.apiKeys.find((k) => k.apiKey === ApiVersions.apiKey);
        version = theirs ? Math.min(version - 1, theirs.maxVersion) : 0;
        continue;
      }
      if (res.errorCode !== 0) throw new KafkaProtocolError(res.errorCode);
      this.apiVersions = new Map(res.apiKeys.map((k) => [k.apiKey, { min: k.minVersion, max: k.maxVersion }]));
      return;
    }
    throw new UnsupportedVersionError(`${this.describe()} did not agree on an ApiVersions version`);
  }

  private async authenticate(sasl: SaslSettings): Promise<void> {
    const exchange = saslExchange(sasl);
    const handshake = await this.request<SaslHandshakeResponse>(SaslHandshake, { mechanism: exchange.mechanism }, { min: 1 });
    if (handshake.errorCode === 33) {
      throw new KafkaProtocolError(33, `Client SASL mechanism '${exchange.mechanism}' not enabled in the server, enabled mechanisms are [${handshake.mechanisms.join(', ')}]`);
    }
    if (handshake.errorCode !== 0) throw new KafkaProtocolError(handshake.errorCode);
    if (!this.supports(SaslAuthenticate)) {
      throw new UnsupportedVersionError(`${this.describe()} does not support SaslAuthenticate (brokers before Kafka 1.0 are not supported with SASL)`);
    }
    let message: Buffer | null = exchange.initial();
    while (message) {
      const res: SaslAuthenticateResponse = await this.request<SaslAuthenticateResponse>(SaslAuthenticate, { authBytes: message });
      if (res.errorCode !== 0) throw new KafkaProtocolError(res.errorCode, res.errorMessage);
      message = exchange.step(res.authBytes);
    }
  }
}

function connectSocket(address: BrokerAddress, opts: BrokerConnectionOptions, signal?: AbortSignal): Promise<Socket> {
  return new Promise((resolve, reject) => {
    const { host, port } = address;
    if (signal?.aborted) {
      reject(new NetworkError('The client is closed'));
      return;
    }
    const socket = opts.tls
      ? tlsConnect({ host, port, servername: /^[\d.:]+$/.test(host) ? undefined : host, ...opts.tls })
      : netConnect({ host, port });
    const readyEvent = opts.tls ? 'secureConnect' : 'connect';
    const timer = setTimeout(() => {
      socket.destroy();
      reject(new NetworkError(`Connection to node ${address.nodeId} (${host}:${port}) timed out after ${opts.connectTimeoutMs} ms`));
    }, opts.connectTimeoutMs);
    const onAbort = (): void => {
      clearTimeout(timer);
      socket.destroy();
      reject(new NetworkError('The client is closed'));
    };
    signal?.addEventListener('abort', onAbort, { once: true });
    socket.once(readyEvent, () => {
      clearTimeout(timer);
      signal?.removeEventListener('abort', onAbort);
      socket.removeAllListeners('error');
      socket.setNoDelay(true);
      resolve(socket);
    });
    socket.once('error', (err) => {
      clearTimeout(timer);
      signal?.removeEventListener('abort', onAbort);
      socket.destroy();
      reject(new NetworkError(`Connection to node ${address.nodeId} (${host}:${port}) could not be established: ${err.message}`, { cause: err }));
    });
  });
}
