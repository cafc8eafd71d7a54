// multi (14) and multiRead (22): a run of (MultiHeader, op record) pairs closed by a
// MultiHeader{-1, done, -1}, in both directions. Replies carry one result per op; a failed
// transaction answers every op with an error result (ErrorResponse).
import { ProtocolError } from '../../protocol/errors.js';
import type { Reader } from '../../protocol/reader.js';
import type { Writer } from '../../protocol/writer.js';
import { readRecord, writeRecord, type RecordSchema } from './jute.js';
import { OpCode } from './op-codes.js';
import * as R from './records.js';

const REQUEST_RECORDS: ReadonlyMap<number, RecordSchema> = new Map<number, RecordSchema>([
  [OpCode.create, R.CreateRequest],
  [OpCode.create2, R.CreateRequest],
  [OpCode.createContainer, R.CreateRequest],
  [OpCode.createTTL, R.CreateTTLRequest],
  [OpCode.delete, R.DeleteRequest],
  [OpCode.setData, R.SetDataRequest],
  [OpCode.check, R.CheckVersionRequest],
  [OpCode.getData, R.GetDataRequest],
  [OpCode.getChildren, R.GetChildrenRequest],
]);

/** Result bodies by result type; delete and check results have none. */
const RESULT_RECORDS: ReadonlyMap<number, RecordSchema | undefined> = new Map<number, RecordSchema | undefined>([
  [OpCode.create, R.CreateResponse],
  [OpCode.create2, R.Create2Response],
  [OpCode.delete, undefined],
  [OpCode.check, undefined],
  [OpCode.setData, R.SetDataResponse],
  [OpCode.getData, R.GetDataResponse],
  [OpCode.getChildren, R.GetChildrenResponse],
  [OpCode.error, R.ErrorResponse],
]);

export interface MultiOp {
  /** The op code: create, create2, createContainer, createTTL, delete, setData, check, getData, getChildren. */
  readonly type: number;
  readonly request: Record<string, unknown>;
}

export interface MultiResult {
  /** The result type: the op's (create2 for every create variant but create), or -1 for an error. */
  readonly type: number;
  readonly err: number;
  readonly response?: Record<string, unknown>;
}

const END = { type: -1, done: true, err: -1 };

export function writeMultiRequest(w: Writer, ops: readonly MultiOp[]): void {
  for (const op of ops) {
    const schema = REQUEST_RECORDS.get(op.type);
    if (!schema) throw new TypeError(`op ${op.type} cannot be part of a multi`);
    writeRecord(w, R.MultiHeader, { type: op.type, done: false, err: -1 });
    writeRecord(w, schema, op.request as never);
  }
  writeRecord(w, R.MultiHeader, END);
}

export function readMultiRequest(r: Reader): MultiOp[] {
  const ops: MultiOp[] = [];
  for (;;) {
    const header = readRecord(r, R.MultiHeader);
    if (header.done) return ops;
    const schema = REQUEST_RECORDS.get(header.type);
    if (!schema) throw new ProtocolError(`op ${header.type} cannot be part of a multi`);
    ops.push({ type: header.type, request: readRecord(r, schema) });
  }
}

export function writeMultiResponse(w: Writer, results: readonly MultiResult[]): void {
  for (const result of results) {
    writeRecord(w, R.MultiHeader, { type: result.type, done: false, err: result.type === OpCode.error ? result.err : 0 });
    const schema = RESULT_RECORDS.get(result.type);
    if (result.type === OpCode.error) writeRecord(w, R.ErrorResponse, { err: result.err });
    else if (schema) writeRecord(w, schema, result.response as never);
  }
  writeRecord(w, R.MultiHeader, END);
}

export function readMultiResponse(r: Reader): MultiResult[] {
  const results: MultiResult[] = [];
  for (;;) {
    const header = readRecord(r, R.MultiHeader);
    if (header.done) return results;
    if (!RESULT_RECORDS.has(header.type)) throw new ProtocolError(`unknown multi result type ${header.type}`);
    const schema = RESULT_RECORDS.get(header.type);
    const response = schema ? readRecord(r, schema) : undefined;
    const err = header.type === OpCode.error ? (response as { err: number }).err : 0;
    results.push(response === undefined ? { type: header.type, err } : { type: header.type, err, response });
  }
}
