// Whole frames of ZooKeeper's client protocol: an int32 length, then either the session handshake
// (ConnectRequest/ConnectResponse, with the optional trailing read-only flag) or a request/reply
// header followed by the op's record. Notifications are replies with xid -1.
import { Reader } from '../../protocol/reader.js';
import { Writer } from '../../protocol/writer.js';
import { readRecord, writeRecord, type Rec, type RecordSchema } from './jute.js';
import { Xid } from './op-codes.js';
import * as R from './records.js';

export type ConnectRequest = Rec<typeof R.ConnectRequest>;
export type ConnectResponse = Rec<typeof R.ConnectResponse>;
export type ReplyHeader = Rec<typeof R.ReplyHeader>;
export type RequestHeader = Rec<typeof R.RequestHeader>;

/** Writes the body with `fill` and puts the length in front. */
export function frame(fill: (w: Writer) => void): Buffer {
  const body = new Writer();
  fill(body);
  const chunks = body.finish();
  const size = Buffer.allocUnsafe(4);
  size.writeInt32BE(body.length, 0);
  return Buffer.concat([size, ...chunks], 4 + body.length);
}

/**
 * A session handshake. `readOnly` is the trailing flag current clients append (3.3+); a server
 * answers with one only when the request carried one.
 */
export interface Handshake<T> {
  readonly record: T;
  readonly readOnly?: boolean;
}

export function encodeConnectRequest(req: ConnectRequest, readOnly: boolean | undefined = false): Buffer {
  return frame((w) => {
    writeRecord(w, R.ConnectRequest, req);
    if (readOnly !== undefined) w.bool(readOnly);
  });
}

export function decodeConnectRequest(body: Buffer): Handshake<ConnectRequest> {
  const r = new Reader(body);
  const record = readRecord(r, R.ConnectRequest);
  return r.remaining > 0 ? { record, readOnly: r.bool() } : { record };
}

export function encodeConnectResponse(res: ConnectResponse, readOnly?: boolean): Buffer {
  return frame((w) => {
    writeRecord(w, R.ConnectResponse, res);
    if (readOnly !== undefined) w.bool(readOnly);
  });
}

export function decodeConnectResponse(body: Buffer): Handshake<ConnectResponse> {
  const r = new Reader(body);
  const record = readRecord(r, R.ConnectResponse);
  return r.remaining > 0 ? { record, readOnly: r.bool() } : { record };
}

/** A request: header, then the op's record when it has one. */
export function encodeRequest<S extends RecordSchema>(xid: number, type: number, schema?: S, body?: Rec<S>): Buffer {
  return frame((w) => {
    writeRecord(w, R.RequestHeader, { xid, type });
    if (schema) writeRecord(w, schema, body as Rec<S>);
  });
}

/** A reply: header, then the record only when err is 0 (the server sends just the header on errors). */
export function encodeReply<S extends RecordSchema>(header: ReplyHeader, schema?: S, body?: Rec<S>): Buffer {
  return frame((w) => {
    writeRecord(w, R.ReplyHeader, header);
    if (schema && header.err === 0) writeRecord(w, schema, body as Rec<S>);
  });
}

/** A watch notification: always state SyncConnected, zxid -1. */
export function encodeNotification(type: number, path: string): Buffer {
  return frame((w) => {
    writeRecord(w, R.ReplyHeader, { xid: Xid.notification, zxid: -1n, err: 0 });
    writeRecord(w, R.WatcherEvent, { type, state: 3, path });
  });
}
