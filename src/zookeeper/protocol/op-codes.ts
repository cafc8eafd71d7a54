// ZooKeeper's op codes (ZooDefs.OpCode) with the records that follow the request and reply headers.
// Ops whose bodies need more than one record (multi, multiRead) are coded in multi.ts.
import type { RecordSchema } from './jute.js';
import * as R from './records.js';

export const OpCode = {
  notification: 0,
  create: 1,
  delete: 2,
  exists: 3,
  getData: 4,
  setData: 5,
  getACL: 6,
  setACL: 7,
  getChildren: 8,
  sync: 9,
  ping: 11,
  getChildren2: 12,
  check: 13,
  multi: 14,
  create2: 15,
  reconfig: 16,
  checkWatches: 17,
  removeWatches: 18,
  createContainer: 19,
  deleteContainer: 20,
  createTTL: 21,
  multiRead: 22,
  auth: 100,
  setWatches: 101,
  sasl: 102,
  getEphemerals: 103,
  getAllChildrenNumber: 104,
  setWatches2: 105,
  addWatch: 106,
  whoAmI: 107,
  createSession: -10,
  closeSession: -11,
  error: -1,
} as const;

export type OpName = keyof typeof OpCode;

export interface OpSpec {
  readonly code: number;
  readonly name: OpName;
  /** The record after the RequestHeader; absent when the request has no body. */
  readonly request?: RecordSchema;
  /** The record after a ReplyHeader with err = 0; absent when the reply has no body. */
  readonly response?: RecordSchema;
}

const SPECS: Partial<Record<OpName, Omit<OpSpec, 'code' | 'name'>>> = {
  create: { request: R.CreateRequest, response: R.CreateResponse },
  delete: { request: R.DeleteRequest },
  exists: { request: R.ExistsRequest, response: R.ExistsResponse },
  getData: { request: R.GetDataRequest, response: R.GetDataResponse },
  setData: { request: R.SetDataRequest, response: R.SetDataResponse },
  getACL: { request: R.GetACLRequest, response: R.GetACLResponse },
  setACL: { request: R.SetACLRequest, response: R.SetACLResponse },
  getChildren: { request: R.GetChildrenRequest, response: R.GetChildrenResponse },
  sync: { request: R.SyncRequest, response: R.SyncResponse },
  ping: {},
  getChildren2: { request: R.GetChildren2Request, response: R.GetChildren2Response },
  create2: { request: R.CreateRequest, response: R.Create2Response },
  reconfig: { request: R.ReconfigRequest, response: R.GetDataResponse },
  checkWatches: { request: R.CheckWatchesRequest },
  removeWatches: { request: R.RemoveWatchesRequest },
  createContainer: { request: R.CreateRequest, response: R.Create2Response },
  createTTL: { request: R.CreateTTLRequest, response: R.Create2Response },
  auth: { request: R.AuthPacket },
  setWatches: { request: R.SetWatches },
  sasl: { request: R.GetSASLRequest, response: R.SetSASLResponse },
  getEphemerals: { request: R.GetEphemeralsRequest, response: R.GetEphemeralsResponse },
  getAllChildrenNumber: { request: R.GetAllChildrenNumberRequest, response: R.GetAllChildrenNumberResponse },
  setWatches2: { request: R.SetWatches2 },
  addWatch: { request: R.AddWatchRequest, response: R.ErrorResponse },
  whoAmI: { response: R.WhoAmIResponse },
  closeSession: {},
  multi: {},
  multiRead: {},
};

const BY_CODE = new Map<number, OpSpec>(
  (Object.entries(SPECS) as [OpName, Omit<OpSpec, 'code' | 'name'>][]).map(([name, spec]) => [OpCode[name], { code: OpCode[name], name, ...spec }]),
);

/** The op a request header's type names, or undefined for one a client may not send. */
export function opSpec(code: number): OpSpec | undefined {
  return BY_CODE.get(code);
}

/** Special xids (ClientCnxn): notifications, pings, auth and set-watches use fixed ones. */
export const Xid = {
  notification: -1,
  ping: -2,
  auth: -4,
  setWatches: -8,
} as const;
