// The small fixed vocabularies of ZooKeeper's protocol (ZooDefs, CreateMode, Watcher.Event).
import type { Rec } from './jute.js';
import type { ACL } from './records.js';

export type Acl = Rec<typeof ACL>;

/** ZooDefs.Perms: zkCli prints them as `cdrwa`. */
export const Perms = { READ: 1, WRITE: 2, CREATE: 4, DELETE: 8, ADMIN: 16, ALL: 31 } as const;

/** ZooDefs.Ids. */
export const Ids = {
  OPEN_ACL_UNSAFE: [{ perms: Perms.ALL, id: { scheme: 'world', id: 'anyone' } }] as Acl[],
  CREATOR_ALL_ACL: [{ perms: Perms.ALL, id: { scheme: 'auth', id: '' } }] as Acl[],
  READ_ACL_UNSAFE: [{ perms: Perms.READ, id: { scheme: 'world', id: 'anyone' } }] as Acl[],
} as const;

/** CreateRequest.flags. */
export const CreateMode = {
  PERSISTENT: 0,
  EPHEMERAL: 1,
  PERSISTENT_SEQUENTIAL: 2,
  EPHEMERAL_SEQUENTIAL: 3,
  CONTAINER: 4,
  PERSISTENT_WITH_TTL: 5,
  PERSISTENT_SEQUENTIAL_WITH_TTL: 6,
} as const;

export function isEphemeralMode(flags: number): boolean {
  return flags === CreateMode.EPHEMERAL || flags === CreateMode.EPHEMERAL_SEQUENTIAL;
}

export function isSequentialMode(flags: number): boolean {
  return flags === CreateMode.PERSISTENT_SEQUENTIAL || flags === CreateMode.EPHEMERAL_SEQUENTIAL || flags === CreateMode.PERSISTENT_SEQUENTIAL_WITH_TTL;
}

export function isTtlMode(flags: number): boolean {
  return flags === CreateMode.PERSISTENT_WITH_TTL || flags === CreateMode.PERSISTENT_SEQUENTIAL_WITH_TTL;
}

/** Watcher.Event.EventType. */
export const EventType = {
  None: -1,
  NodeCreated: 1,
  NodeDeleted: 2,
  NodeDataChanged: 3,
  NodeChildrenChanged: 4,
  DataWatchRemoved: 5,
  ChildWatchRemoved: 6,
  PersistentWatchRemoved: 7,
} as const;

/** Watcher.Event.KeeperState; the server only ever sends SyncConnected inside a WatcherEvent. */
export const KeeperState = {
  Disconnected: 0,
  SyncConnected: 3,
  AuthFailed: 4,
  ConnectedReadOnly: 5,
  SaslAuthenticated: 6,
  Expired: -112,
  Closed: 7,
} as const;

/** AddWatchRequest.mode. */
export const AddWatchMode = { PERSISTENT: 0, PERSISTENT_RECURSIVE: 1 } as const;

/** RemoveWatchesRequest / CheckWatchesRequest type (Watcher.WatcherType). */
export const WatcherType = { Children: 1, Data: 2, Any: 3 } as const;

/** ephemeralOwner of a container node. */
export const CONTAINER_EPHEMERAL_OWNER = -0x8000000000000000n;

/** Length of the session password in ConnectRequest/ConnectResponse. */
export const PASSWORD_LENGTH = 16;

/** jute.maxbuffer's default: the largest frame a server accepts (and a znode's data limit). */
export const DEFAULT_MAX_BUFFER = 0xfffff;
