// A broker's own znodes, as KafkaServer.startup and KafkaZkClient write them (Kafka 2.8): the
// chroot, the persistent top-level paths, /cluster/id, and the ephemeral /brokers/ids/<id>
// registration created with Kafka's checked-ephemeral multi (create null, then setData version 0).
import type { Logger } from '../../log.js';
import { ZkClient, type Stat } from '../../zookeeper/client/zk-client.js';
import { createRecursive, isCode } from '../../zookeeper/client/zk-tree.js';
import { CreateMode, Ids } from '../../zookeeper/protocol/constants.js';
import { Err, KeeperError } from '../../zookeeper/protocol/keeper-errors.js';
import { OpCode } from '../../zookeeper/protocol/op-codes.js';
import { parseConnectString } from '../../zookeeper/protocol/paths.js';
import { PERSISTENT_ZK_PATHS, ZkPaths, brokerIdPath, decodeClusterId, encodeBrokerRegistration, encodeClusterId, type BrokerEndpoint } from '../../zookeeper/kafka-znodes.js';
import type { ZkSession } from './zk-session.js';

/**
 * Creates the chroot of `connectString` through a chroot-less session first, as
 * KafkaServer.initZkClient does (ZooKeeper itself would refuse everything under a missing chroot).
 */
export async function ensureChroot(connectString: string, sessionTimeoutMs: number, connectTimeoutMs: number, log: Logger): Promise<void> {
  const { chroot } = parseConnectString(connectString);
  if (!chroot) return;
  const hosts = connectString.slice(0, connectString.indexOf('/'));
  const zk = await ZkClient.connect({ connectString: hosts, sessionTimeoutMs, connectTimeoutMs });
  try {
    if ((await zk.exists(chroot)) === null) {
      await createRecursive(zk, chroot, null);
      log.info(`Created zookeeper path ${chroot}`);
    }
  } finally {
    await zk.close();
  }
}

/** ZkData.PersistentZkPaths: each created with null data (and parents); existing ones are fine. */
export async function createTopLevelPaths(session: ZkSession): Promise<void> {
  for (const path of PERSISTENT_ZK_PATHS) await session.retry((zk) => createRecursive(zk, path, null));
}

/** The cluster id in /cluster/id, created from `candidate` when absent (losing a race adopts the winner's). */
export async function getOrCreateClusterId(session: ZkSession, candidate: string): Promise<string> {
  const read = async (): Promise<string | undefined> => {
    try {
      return decodeClusterId((await session.retry((zk) => zk.getData(ZkPaths.clusterId))).data);
    } catch (err) {
      if (isCode(err, Err.NONODE)) return undefined;
      throw err;
    }
  };
  const existing = await read();
  if (existing !== undefined) return existing;
  try {
    await session.retry((zk) => createRecursive(zk, ZkPaths.clusterId, encodeClusterId(candidate), { throwIfExists: true }));
    return candidate;
  } catch (err) {
    if (!isCode(err, Err.NODEEXISTS)) throw err;
    return (await read())!;
  }
}

/** Stat as Java's Stat.toString prints it (jute CSV), with its trailing newline. */
export function statCsv(s: Stat): string {
  return `${[s.czxid, s.mzxid, s.ctime, s.mtime, s.version, s.cversion, s.aversion, s.ephemeralOwner, s.dataLength, s.numChildren, s.pzxid].join(',')}\n`;
}

export interface Registration {
  /** The broker epoch: the registration node's czxid. */
  brokerEpoch: bigint;
  sessionId: bigint;
}

/**
 * KafkaZkClient.registerBroker: one multi (create ephemeral with null data, setData version 0).
 * If the node exists and this session owns it, that is success; if the previous session of this
 * broker owns it, it is replaced; anyone else's node is a NodeExists failure.
 */
export async function registerBroker(session: ZkSession, id: number, endpoints: BrokerEndpoint[], log: Logger, previousSessionId?: bigint): Promise<Registration> {
  const path = brokerIdPath(id);
  const data = encodeBrokerRegistration({ id, endpoints, jmxPort: -1, timestamp: String(Date.now()) });
  log.info(`Creating ${path} (is it secure? false)`);
  const zk = session.client;
  let stat: Stat;
  try {
    stat = await createCheckedEphemeral(zk, path, data);
  } catch (err) {
    if (!isCode(err, Err.NODEEXISTS)) throw err;
    const existing = (await zk.getData(path)).stat;
    if (existing.ephemeralOwner === zk.sessionId) {
      stat = existing;
    } else if (previousSessionId !== undefined && existing.ephemeralOwner === previousSessionId) {
      await zk.delete(path, existing.version).catch((e: unknown) => {
        if (!isCode(e, Err.NONODE)) throw e;
      });
      stat = await createCheckedEphemeral(zk, path, data);
    } else {
      const owner = `0x${BigInt.asUintN(64, existing.ephemeralOwner).toString(16)}`;
      throw new KeeperError(Err.NODEEXISTS, `${path} (owned by session ${owner}, not this session ${zk.sessionIdHex})`);
    }
  }
  log.info(`Stat of the created znode at ${path} is: ${statCsv(stat)}`);
  const addresses = endpoints.map((e) => `${e.listenerName}://${e.host.includes(':') ? `[${e.host}]` : e.host}:${e.port}`).join(',');
  log.info(`Registered broker ${id} at path ${path} with addresses: ${addresses}, czxid (broker epoch): ${stat.czxid}`);
  return { brokerEpoch: stat.czxid, sessionId: zk.sessionId };
}

async function createCheckedEphemeral(zk: ZkClient, path: string, data: Buffer): Promise<Stat> {
  const results = await zk.multi([
    { type: OpCode.create, request: { path, data: null, acl: Ids.OPEN_ACL_UNSAFE, flags: CreateMode.EPHEMERAL } },
    { type: OpCode.setData, request: { path, data, version: 0 } },
  ]);
  return (results[1]!.response as { stat: Stat }).stat;
}
