// A minimal Kafka client for tests that need exact request versions: one connection, one request
// at a time, encoded and decoded with the project's codec. No retries, no negotiation.
import { decodeMessage, encodeMessage, isFlexible } from '../../src/protocol/codec.js';
import { readResponseHeader, responseHeaderIsFlexible, writeRequestHeader } from '../../src/protocol/headers.js';
import { Reader } from '../../src/protocol/reader.js';
import type { ApiSchema } from '../../src/protocol/schema.js';
import { Writer } from '../../src/protocol/writer.js';
import { RawSocket } from './raw-socket.js';

export class RawKafkaClient {
  private correlationId = 0;

  private constructor(private readonly socket: RawSocket, readonly clientId: string) {}

  static async connect(port: number, clientId = 'raw-client'): Promise<RawKafkaClient> {
    return new RawKafkaClient(await RawSocket.open(port), clientId);
  }

  /** Sends one request at `version` and returns the decoded response (fields left out take their defaults). */
  async call<Res>(api: ApiSchema, version: number, body: object, timeoutMs = 10_000): Promise<Res> {
    const flexible = isFlexible(api.request, version);
    const correlationId = ++this.correlationId;
    const w = new Writer();
    writeRequestHeader(w, { apiKey: api.apiKey, apiVersion: version, correlationId, clientId: this.clientId }, flexible);
    encodeMessage(api.request, version, body, w);
    const payload = w.toBuffer();
    const size = Buffer.alloc(4);
    size.writeInt32BE(payload.length, 0);
    this.socket.write(Buffer.concat([size, payload]));
    const frame = await this.socket.readFrame(timeoutMs);
    if (frame === null) throw new Error(`connection closed instead of answering ${api.name} v${version}`);
    const r = new Reader(frame, 4);
    const got = readResponseHeader(r, responseHeaderIsFlexible(api.apiKey, flexible));
    if (got !== correlationId) throw new Error(`correlation id ${got}, expected ${correlationId}`);
    return decodeMessage<Res>(api.response, version, r);
  }

  close(): void {
    this.socket.close();
  }
}
