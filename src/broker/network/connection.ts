// One client connection: frames in, responses out, strictly in request order. Requests are
// handled one at a time (as Kafka mutes a channel until its response is sent); a long-polling
// Fetch therefore delays only this connection. Anything malformed or unsupported closes this
// connection alone, logged, never the broker.
import type { Socket } from 'node:net';
import { ProtocolError } from '../../protocol/errors.js';
import { decodeMessage, encodeMessage, isFlexible } from '../../protocol/codec.js';
import { readRequestHeaderPrefix, responseHeaderIsFlexible, skipHeaderTags, writeResponseHeader, API_VERSIONS_KEY, type RequestHeader } from '../../protocol/headers.js';
import { Reader } from '../../protocol/reader.js';
import { Writer } from '../../protocol/writer.js';
import type { Logger } from '../../log.js';
import { NO_RESPONSE, type RequestContext, type RouteTable } from '../router.js';
import { FrameReader, FrameTooLargeError } from '../../protocol/frame-reader.js';
import { SaslAuthenticate, type SaslAuthenticateRequest, type SaslAuthenticateResponse } from '../../protocol/messages/sasl-authenticate.js';
import { SaslHandshake, type SaslHandshakeRequest, type SaslHandshakeResponse } from '../../protocol/messages/sasl-handshake.js';
import type { ApiSchema } from '../../protocol/schema.js';
import { ErrorCode } from '../../protocol/error-codes.js';
import type { SaslServerConfig, SaslSession } from './listener-security.js';

const UNSUPPORTED_VERSION = 35;

/**
 * Where a SASL listener's connection is in authenticating: `open` once done (or on a listener
 * without SASL); `handshake` until SaslHandshake names a mechanism; then `authenticate` for
 * SaslAuthenticate (handshake v1) or `raw` for one bare token frame (handshake v0, as Kafka
 * clients before 1.0 speak it).
 */
type SaslState = 'open' | 'handshake' | 'authenticate' | 'raw';
/** Stop reading from a client that pipelines more than this many unanswered requests. */
const MAX_QUEUED = 64;

export interface ConnectionStats {
  closedForProtocolErrors: number;
}

export class Connection {
  private readonly frames: FrameReader;
  private readonly queue: Buffer[] = [];
  private running = false;
  private closed = false;
  private corked = false;
  private saslState: SaslState;
  private session: SaslSession | undefined;
  readonly clientHost: string;

  constructor(
    private readonly socket: Socket,
    readonly id: string,
    private readonly listenerName: string,
    private readonly routes: RouteTable,
    maxRequestBytes: number,
    private readonly log: Logger,
    private readonly stats: ConnectionStats,
    private readonly sasl?: SaslServerConfig,
  ) {
    this.saslState = sasl === undefined ? 'open' : 'handshake';
    this.frames = new FrameReader(maxRequestBytes);
    this.clientHost = `/${socket.remoteAddress ?? 'unknown'}`;
    socket.setNoDelay(true);
    socket.on('data', (chunk: Buffer) => this.onData(chunk));
    socket.on('error', (err) => this.log.debug(`Connection ${id} error: ${err.message}`));
    socket.on('close', () => {
      this.closed = true;
    });
  }

  get isClosed(): boolean {
    return this.closed;
  }

  close(): void {
    if (this.closed) return;
    this.closed = true;
    this.socket.destroy();
  }

  private onData(chunk: Buffer): void {
    if (this.closed) return;
    let frames: Buffer[];
    try {
      frames = this.frames.push(chunk);
    } catch (err) {
      if (err instanceof FrameTooLargeError) {
        this.log.warn(`Closing connection ${this.id} from ${this.clientHost}: ${err.message}; the limit is socket.request.max.bytes`);
      }
      this.stats.closedForProtocolErrors++;
      this.close();
      return;
    }
    if (frames.length === 0) return;
    this.queue.push(...frames);
    if (this.queue.length > MAX_QUEUED) this.socket.pause();
    if (!this.running) void this.drain();
  }

  private async drain(): Promise<void> {
    this.running = true;
    try {
      while (this.queue.length > 0 && !this.closed) {
        const frame = this.queue.shift()!;
        if (this.queue.length <= MAX_QUEUED / 2 && this.socket.isPaused()) this.socket.resume();
        await this.handle(frame);
      }
    } finally {
      this.running = false;
    }
  }

  private async handle(frame: Buffer): Promise<void> {
    if (this.saslState === 'raw') return this.authenticate(frame, null);
    const r = new Reader(frame);
    let header: RequestHeader;
    try {
      header = readRequestHeaderPrefix(r);
    } catch (err) {
      return this.reject(`could not read a request header: ${(err as Error).message}`);
    }
    if (this.saslState !== 'open' && header.apiKey !== API_VERSIONS_KEY) return this.handleSasl(header, r);
    const route = this.routes.get(header.apiKey);
    if (!route || !this.routes.supports(header.apiKey, header.apiVersion)) {
      if (header.apiKey === API_VERSIONS_KEY) return this.answerUnsupportedApiVersions(header);
      const what = route ? `${route.api.name} v${header.apiVersion}` : `API key ${header.apiKey} v${header.apiVersion}`;
      return this.reject(`unsupported request ${what} (client ${header.clientId ?? 'null'})`);
    }
    let request: unknown;
    const flexible = isFlexible(route.api.request, header.apiVersion);
    try {
      if (flexible) skipHeaderTags(r);
      request = decodeMessage(route.api.request, header.apiVersion, r);
    } catch (err) {
      const msg = err instanceof ProtocolError ? err.message : String(err);
      return this.reject(`malformed ${route.api.name} v${header.apiVersion} request: ${msg}`);
    }
    const sent: Array<() => void> = [];
    const ctx: RequestContext = { header, clientHost: this.clientHost, connectionId: this.id, listenerName: this.listenerName, whenSent: (fn) => sent.push(fn) };
    let response: unknown;
    try {
      response = await route.handle(request, ctx);
    } catch (err) {
      this.log.error(`Error handling ${route.api.name} v${header.apiVersion} from ${this.clientHost}; closing the connection`, err);
      this.close();
      return;
    }
    if (response === NO_RESPONSE || this.closed) return;
    this.respond(route.api, header, response, sent);
  }

  /** Writes one response (size + chunks, one writev); `sent` runs once the socket has taken it all. */
  private send(w: Writer, sent: ReadonlyArray<() => void> = []): void {
    const size = Buffer.allocUnsafe(4);
    size.writeInt32BE(w.length, 0);
    const chunks = w.finish();
    const last = chunks.length - 1;
    // Writes complete in order, so the last chunk's callback means all of it was taken.
    const done = sent.length === 0 ? undefined : (err?: Error | null): void => {
      if (!err) for (const fn of sent) fn();
    };
    this.corkUntilNextTick();
    this.socket.write(size, last < 0 ? done : undefined);
    for (let i = 0; i <= last; i++) this.socket.write(chunks[i]!, i === last ? done : undefined);
  }

  /**
   * Responses written in one turn of the event loop leave in one writev: a client pipelining
   * requests (a producer's in-flight window) gets its answers together, and so sends its next
   * requests together, instead of one syscall and one wake-up per request on each side.
   */
  private corkUntilNextTick(): void {
    if (this.corked) return;
    this.corked = true;
    this.socket.cork();
    process.nextTick(() => {
      this.corked = false;
      this.socket.uncork();
    });
  }

  /** A request before authentication is done: SaslHandshake, then SaslAuthenticate; anything else closes. */
  private handleSasl(header: RequestHeader, r: Reader): void {
    const expected = this.saslState === 'handshake' ? SaslHandshake : SaslAuthenticate;
    if (header.apiKey !== expected.apiKey) {
      const name = this.routes.get(header.apiKey)?.api.name ?? `API key ${header.apiKey}`;
      return this.reject(`unexpected ${name} request during SASL ${this.saslState === 'handshake' ? 'handshake' : 'authentication'}`);
    }
    const [min, max] = expected.request.validVersions;
    if (header.apiVersion < min || header.apiVersion > max) return this.reject(`unsupported request ${expected.name} v${header.apiVersion}`);
    let request: unknown;
    try {
      const flexible = isFlexible(expected.request, header.apiVersion);
      if (flexible) skipHeaderTags(r);
      request = decodeMessage(expected.request, header.apiVersion, r);
    } catch (err) {
      return this.reject(`malformed ${expected.name} v${header.apiVersion} request: ${(err as Error).message}`);
    }
    if (this.saslState === 'handshake') return this.handshake(header, request as SaslHandshakeRequest);
    return this.authenticate((request as SaslAuthenticateRequest).authBytes, header);
  }

  private handshake(header: RequestHeader, req: SaslHandshakeRequest): void {
    const sasl = this.sasl!;
    const mechanism = req.mechanism.toUpperCase();
    const enabled = sasl.mechanisms.includes(mechanism);
    const res: SaslHandshakeResponse = { errorCode: enabled ? 0 : ErrorCode.UNSUPPORTED_SASL_MECHANISM, mechanisms: sasl.mechanisms };
    this.respond(SaslHandshake, header, res, enabled ? [] : [() => this.close()]);
    if (!enabled) {
      this.log.info(`Closing connection ${this.id} from ${this.clientHost}: unsupported SASL mechanism ${req.mechanism}`);
      return;
    }
    this.session = sasl.start(mechanism);
    this.saslState = header.apiVersion === 0 ? 'raw' : 'authenticate';
  }

  /** Takes the client's next token; `header` is null for a bare token (handshake v0), which is answered bare. */
  private authenticate(token: Buffer, header: RequestHeader | null): void {
    const step = this.session!.step(token);
    if (step.kind === 'failed') this.log.info(`Failed authentication with ${this.clientHost} (channelId=${this.id}) (${step.error})`);
    if (step.kind === 'done') this.saslState = 'open';
    if (header === null) {
      // A bare exchange has no error field: each answer is a bare token, a failure a closed connection.
      if (step.kind === 'failed') {
        this.close();
        return;
      }
      const w = new Writer();
      if (step.response.length > 0) w.raw(step.response);
      this.send(w);
      return;
    }
    const res: SaslAuthenticateResponse = step.kind === 'failed'
      ? { errorCode: ErrorCode.SASL_AUTHENTICATION_FAILED, errorMessage: step.error, authBytes: Buffer.alloc(0), sessionLifetimeMs: 0n }
      : { errorCode: 0, errorMessage: null, authBytes: step.response, sessionLifetimeMs: 0n };
    this.respond(SaslAuthenticate, header, res, step.kind === 'failed' ? [() => this.close()] : []);
  }

  /** Encodes and sends one response; `sent` runs once it is written. A body that cannot be encoded closes the connection. */
  private respond(api: ApiSchema, header: RequestHeader, body: unknown, sent: ReadonlyArray<() => void>): void {
    const w = new Writer();
    writeResponseHeader(w, header.correlationId, responseHeaderIsFlexible(header.apiKey, isFlexible(api.request, header.apiVersion)));
    try {
      encodeMessage(api.response, header.apiVersion, body, w);
    } catch (err) {
      this.log.error(`Could not encode ${api.name} v${header.apiVersion} response; closing the connection`, err);
      this.close();
      return;
    }
    this.send(w, sent);
  }

  /** KIP-511: an ApiVersions request at a version we do not know gets a v0 error response. */
  private answerUnsupportedApiVersions(header: RequestHeader): void {
    const entry = this.routes.advertised().find((a) => a.apiKey === API_VERSIONS_KEY)!;
    const w = new Writer();
    writeResponseHeader(w, header.correlationId, false);
    w.int16(UNSUPPORTED_VERSION).int32(1).int16(entry.apiKey).int16(entry.minVersion).int16(entry.maxVersion);
    this.send(w);
  }

  private reject(reason: string): void {
    this.stats.closedForProtocolErrors++;
    this.log.warn(`Closing connection ${this.id} from ${this.clientHost}: ${reason}`);
    this.close();
  }
}
