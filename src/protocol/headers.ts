// Request and response headers. The request header is read by hand rather than by schema: the
// broker must read the key, version, correlation id and client id of any request, even one at
// a version it does not know, to answer ApiVersions (KIP-511) or log what it is closing.
import { decodeStruct, encodeStruct } from './codec.js';
import { Reader } from './reader.js';
import { Writer } from './writer.js';

export interface RequestHeader {
  apiKey: number;
  apiVersion: number;
  correlationId: number;
  clientId: string | null;
}

const EMPTY_TAGS: never[] = [];

/** Reads key, version, correlation id and client id (header v1 layout; v0 has no client id). */
export function readRequestHeaderPrefix(r: Reader, headerVersion = 1): RequestHeader {
  const apiKey = r.int16();
  const apiVersion = r.int16();
  const correlationId = r.int32();
  const clientId = headerVersion >= 1 ? r.nullableString() : null;
  return { apiKey, apiVersion, correlationId, clientId };
}

/** Skips the header's tagged-field section (request header v2). */
export function skipHeaderTags(r: Reader): void {
  decodeStruct(r, EMPTY_TAGS, 0, true);
}

export function writeRequestHeader(w: Writer, h: RequestHeader, flexible: boolean): void {
  w.int16(h.apiKey).int16(h.apiVersion).int32(h.correlationId).nullableString(h.clientId);
  if (flexible) encodeStruct(w, EMPTY_TAGS, {}, 0, true);
}

/** Response header v0 is the correlation id; v1 adds an (empty) tagged-field section. */
export function writeResponseHeader(w: Writer, correlationId: number, flexible: boolean): void {
  w.int32(correlationId);
  if (flexible) w.uvarint(0);
}

export function readResponseHeader(r: Reader, flexible: boolean): number {
  const correlationId = r.int32();
  if (flexible) skipHeaderTags(r);
  return correlationId;
}

/** ApiVersions responses always use header v0, even for flexible versions (KIP-511). */
export const API_VERSIONS_KEY = 18;

export function responseHeaderIsFlexible(apiKey: number, bodyFlexible: boolean): boolean {
  return bodyFlexible && apiKey !== API_VERSIONS_KEY;
}
