// ZooKeeper's records (reference: zookeeper.jute), as data for the jute interpreter. Only the
// client protocol and the transaction records the server persists are here; quorum records are not.
import { record, vector } from './jute.js';

// org.apache.zookeeper.data
export const Id = record('Id', { scheme: 'ustring', id: 'ustring' });
export const ACL = record('ACL', { perms: 'int', id: Id });
export const Stat = record('Stat', {
  czxid: 'long',
  mzxid: 'long',
  ctime: 'long',
  mtime: 'long',
  version: 'int',
  cversion: 'int',
  aversion: 'int',
  ephemeralOwner: 'long',
  dataLength: 'int',
  numChildren: 'int',
  pzxid: 'long',
});
export const StatPersisted = record('StatPersisted', {
  czxid: 'long',
  mzxid: 'long',
  ctime: 'long',
  mtime: 'long',
  version: 'int',
  cversion: 'int',
  aversion: 'int',
  ephemeralOwner: 'long',
  pzxid: 'long',
});
export const ClientInfo = record('ClientInfo', { authScheme: 'ustring', user: 'ustring' });

// org.apache.zookeeper.proto: session set-up and headers
export const ConnectRequest = record('ConnectRequest', {
  protocolVersion: 'int',
  lastZxidSeen: 'long',
  timeOut: 'int',
  sessionId: 'long',
  passwd: 'buffer',
});
export const ConnectResponse = record('ConnectResponse', {
  protocolVersion: 'int',
  timeOut: 'int',
  sessionId: 'long',
  passwd: 'buffer',
});
export const RequestHeader = record('RequestHeader', { xid: 'int', type: 'int' });
export const ReplyHeader = record('ReplyHeader', { xid: 'int', zxid: 'long', err: 'int' });
export const MultiHeader = record('MultiHeader', { type: 'int', done: 'boolean', err: 'int' });
export const AuthPacket = record('AuthPacket', { type: 'int', scheme: 'ustring', auth: 'buffer' });
export const WatcherEvent = record('WatcherEvent', { type: 'int', state: 'int', path: 'ustring' });
export const ErrorResponse = record('ErrorResponse', { err: 'int' });

const paths = vector('ustring');
export const SetWatches = record('SetWatches', {
  relativeZxid: 'long',
  dataWatches: paths,
  existWatches: paths,
  childWatches: paths,
});
export const SetWatches2 = record('SetWatches2', {
  relativeZxid: 'long',
  dataWatches: paths,
  existWatches: paths,
  childWatches: paths,
  persistentWatches: paths,
  persistentRecursiveWatches: paths,
});

// org.apache.zookeeper.proto: requests and responses
const acls = vector(ACL);
export const CreateRequest = record('CreateRequest', { path: 'ustring', data: 'buffer', acl: acls, flags: 'int' });
export const CreateTTLRequest = record('CreateTTLRequest', { path: 'ustring', data: 'buffer', acl: acls, flags: 'int', ttl: 'long' });
export const CreateResponse = record('CreateResponse', { path: 'ustring' });
export const Create2Response = record('Create2Response', { path: 'ustring', stat: Stat });
export const DeleteRequest = record('DeleteRequest', { path: 'ustring', version: 'int' });
export const ExistsRequest = record('ExistsRequest', { path: 'ustring', watch: 'boolean' });
export const ExistsResponse = record('ExistsResponse', { stat: Stat });
export const GetDataRequest = record('GetDataRequest', { path: 'ustring', watch: 'boolean' });
export const GetDataResponse = record('GetDataResponse', { data: 'buffer', stat: Stat });
export const SetDataRequest = record('SetDataRequest', { path: 'ustring', data: 'buffer', version: 'int' });
export const SetDataResponse = record('SetDataResponse', { stat: Stat });
export const GetACLRequest = record('GetACLRequest', { path: 'ustring' });
export const GetACLResponse = record('GetACLResponse', { acl: acls, stat: Stat });
export const SetACLRequest = record('SetACLRequest', { path: 'ustring', acl: acls, version: 'int' });
export const SetACLResponse = record('SetACLResponse', { stat: Stat });
export const GetChildrenRequest = record('GetChildrenRequest', { path: 'ustring', watch: 'boolean' });
export const GetChildrenResponse = record('GetChildrenResponse', { children: paths });
export const GetChildren2Request = record('GetChildren2Request', { path: 'ustring', watch: 'boolean' });
export const GetChildren2Response = record('GetChildren2Response', { children: paths, stat: Stat });
export const GetAllChildrenNumberRequest = record('GetAllChildrenNumberRequest', { path: 'ustring' });
export const GetAllChildrenNumberResponse = record('GetAllChildrenNumberResponse', { totalNumber: 'int' });
export const CheckVersionRequest = record('CheckVersionRequest', { path: 'ustring', version: 'int' });
export const SyncRequest = record('SyncRequest', { path: 'ustring' });
export const SyncResponse = record('SyncResponse', { path: 'ustring' });
export const CheckWatchesRequest = record('CheckWatchesRequest', { path: 'ustring', type: 'int' });
export const RemoveWatchesRequest = record('RemoveWatchesRequest', { path: 'ustring', type: 'int' });
export const AddWatchRequest = record('AddWatchRequest', { path: 'ustring', mode: 'int' });
export const GetEphemeralsRequest = record('GetEphemeralsRequest', { prefixPath: 'ustring' });
export const GetEphemeralsResponse = record('GetEphemeralsResponse', { ephemerals: paths });
export const WhoAmIResponse = record('WhoAmIResponse', { clientInfo: vector(ClientInfo) });
export const GetSASLRequest = record('GetSASLRequest', { token: 'buffer' });
export const SetSASLResponse = record('SetSASLResponse', { token: 'buffer' });
export const ReconfigRequest = record('ReconfigRequest', {
  joiningServers: 'ustring',
  leavingServers: 'ustring',
  newMembers: 'ustring',
  curConfigId: 'long',
});

// org.apache.zookeeper.server.persistence and org.apache.zookeeper.txn: what the server logs
export const FileHeader = record('FileHeader', { magic: 'int', version: 'int', dbid: 'long' });
/** A znode in a snapshot (DataNode.serialize): data, the index of its ACL list, its stat. */
export const DataNode = record('DataNode', { data: 'buffer', acl: 'long', stat: StatPersisted });
export const TxnHeader = record('TxnHeader', { clientId: 'long', cxid: 'int', zxid: 'long', time: 'long', type: 'int' });
export const CreateTxn = record('CreateTxn', { path: 'ustring', data: 'buffer', acl: acls, ephemeral: 'boolean', parentCVersion: 'int' });
export const CreateTTLTxn = record('CreateTTLTxn', { path: 'ustring', data: 'buffer', acl: acls, parentCVersion: 'int', ttl: 'long' });
export const CreateContainerTxn = record('CreateContainerTxn', { path: 'ustring', data: 'buffer', acl: acls, parentCVersion: 'int' });
export const DeleteTxn = record('DeleteTxn', { path: 'ustring' });
export const SetDataTxn = record('SetDataTxn', { path: 'ustring', data: 'buffer', version: 'int' });
export const CheckVersionTxn = record('CheckVersionTxn', { path: 'ustring', version: 'int' });
export const SetACLTxn = record('SetACLTxn', { path: 'ustring', acl: acls, version: 'int' });
export const CreateSessionTxn = record('CreateSessionTxn', { timeOut: 'int' });
export const CloseSessionTxn = record('CloseSessionTxn', { paths2Delete: paths });
export const ErrorTxn = record('ErrorTxn', { err: 'int' });
export const Txn = record('Txn', { type: 'int', data: 'buffer' });
export const MultiTxn = record('MultiTxn', { txns: vector(Txn) });
