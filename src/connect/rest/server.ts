// The REST server (node:http, no framework): reads the JSON body, dispatches through routes.ts and
// writes JSON answers. Every error is Kafka's body {"error_code":N,"message":"..."} with N the
// HTTP status: herder refusals carry theirs, malformed JSON is 400, a non-JSON content type 415,
// and anything unexpected 500.
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { Logger } from '../../log.js';
import { ConnectRestError } from '../herder-errors.js';
import { route, type RouteContext } from './routes.js';

const MAX_BODY = 16 * 1024 * 1024;

export interface RestServer {
  /** The address actually bound (port 0 becomes the chosen port). */
  host: string;
  port: number;
  /** Starts answering requests (before this, every request gets 503). */
  ready(ctx: RouteContext): void;
  close(): Promise<void>;
}

function readBody(req: IncomingMessage): Promise<string> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    let size = 0;
    req.on('data', (c: Buffer) => {
      size += c.length;
      if (size > MAX_BODY) {
        reject(new ConnectRestError(413, 'HTTP 413 Request Entity Too Large'));
        req.destroy();
        return;
      }
      chunks.push(c);
    });
    req.on('end', () => resolve(Buffer.concat(chunks).toString('utf8')));
    req.on('error', reject);
  });
}

/** Writes the answer; returns the body's size in bytes (for the request log). */
function send(res: ServerResponse, status: number, body?: unknown, headers: Record<string, string> = {}): number {
  if (body === undefined) {
    res.writeHead(status, headers);
    res.end();
    return 0;
  }
  const text = JSON.stringify(body);
  const length = Buffer.byteLength(text);
  res.writeHead(status, { 'Content-Type': 'application/json', 'Content-Length': length, ...headers });
  res.end(text);
  return length;
}

const MONTHS = ['Jan', 'Feb', 'Mar', 'Apr', 'May', 'Jun', 'Jul', 'Aug', 'Sep', 'Oct', 'Nov', 'Dec'];

/** The NCSA request-log time Kafka's RestServer writes: `22/Nov/2026:05:48:09 +0000` (UTC). */
function requestLogTime(d: Date): string {
  const p = (n: number): string => String(n).padStart(2, '0');
  return `${p(d.getUTCDate())}/${MONTHS[d.getUTCMonth()]}/${d.getUTCFullYear()}:${p(d.getUTCHours())}:${p(d.getUTCMinutes())}:${p(d.getUTCSeconds())} +0000`;
}

const errorBody = (status: number, message: string): unknown => ({ error_code: status, message });

async function handle(req: IncomingMessage, res: ServerResponse, ctx: RouteContext | undefined, log: Logger): Promise<void> {
  const started = Date.now();
  const url = new URL(req.url ?? '/', 'http://localhost');
  const method = (req.method ?? 'GET').toUpperCase();
  let status = 500;
  let bytes = 0;
  try {
    if (!ctx) throw new ConnectRestError(503, 'Worker is still starting up');
    const { handler, params } = route(method, url.pathname);
    const text = await readBody(req);
    let body: unknown;
    if (text.trim() !== '') {
      const type = (req.headers['content-type'] ?? '').toLowerCase();
      if (type !== '' && !type.includes('json')) throw new ConnectRestError(415, 'HTTP 415 Unsupported Media Type');
      try {
        body = JSON.parse(text);
      } catch (err) {
        throw new ConnectRestError(400, `Unrecognized JSON in request body: ${(err as Error).message}`);
      }
    }
    const out = await handler({ method, params, query: url.searchParams, body }, ctx);
    status = out.status;
    bytes = send(res, out.status, out.body, out.headers);
  } catch (err) {
    status = err instanceof ConnectRestError ? err.status : 500;
    if (!(err instanceof ConnectRestError)) log.error(`Uncaught exception in REST call to ${url.pathname}`, err);
    bytes = send(res, status, errorBody(status, (err as Error)?.message ?? String(err)));
  } finally {
    // Kafka's request log line (RestServer's RequestLog).
    log.info(`${req.socket.remoteAddress ?? '-'} - - [${requestLogTime(new Date(started))}] "${method} ${req.url ?? '/'} HTTP/${req.httpVersion}" ${status} ${bytes} "-" "${req.headers['user-agent'] ?? '-'}" ${Date.now() - started}`);
  }
}

/** Binds the listener (host '' = every interface). Requests get 503 until ready() is called. */
export function startRestServer(host: string, port: number, log: Logger): Promise<RestServer> {
  let ctx: RouteContext | undefined;
  const requestLog = log.child('org.apache.kafka.connect.runtime.rest.RestServer');
  const server: Server = createServer((req, res) => void handle(req, res, ctx, requestLog));
  return new Promise((resolve, reject) => {
    server.once('error', reject);
    server.listen({ host: host === '' ? undefined : host, port }, () => {
      server.off('error', reject);
      const address = server.address() as AddressInfo;
      resolve({
        host: address.address,
        port: address.port,
        ready: (c) => {
          ctx = c;
        },
        close: () =>
          new Promise<void>((done) => {
            server.close(() => done());
            server.closeAllConnections();
          }),
      });
    });
  });
}
