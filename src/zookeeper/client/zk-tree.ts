// Tree helpers over ZkClient, with Kafka's semantics (KafkaZkClient.createRecursive /
// deleteRecursive): parents are created with null data, and races with other writers are
// tolerated where Kafka tolerates them.
import { CreateMode } from '../protocol/constants.js';
import { Err, KeeperError } from '../protocol/keeper-errors.js';
import { parentOf } from '../protocol/paths.js';
import type { ZkClient } from './zk-client.js';

/**
 * Creates `path` with `data`, creating missing parents (null data, persistent) first. With
 * `throwIfExists` false a NODEEXISTS on `path` itself is ignored, as in Kafka's
 * createRecursive(throwIfPathExists = false).
 */
export async function createRecursive(zk: ZkClient, path: string, data: Buffer | null, opts: { mode?: number; throwIfExists?: boolean } = {}): Promise<void> {
  const mode = opts.mode ?? CreateMode.PERSISTENT;
  try {
    await zk.create(path, data, { mode });
    return;
  } catch (err) {
    if (isCode(err, Err.NODEEXISTS) && !opts.throwIfExists) return;
    if (!isCode(err, Err.NONODE)) throw err;
  }
  await createParents(zk, parentOf(path));
  try {
    await zk.create(path, data, { mode });
  } catch (err) {
    if (!(isCode(err, Err.NODEEXISTS) && !opts.throwIfExists)) throw err;
  }
}

async function createParents(zk: ZkClient, path: string): Promise<void> {
  if (path === '/') return;
  try {
    await zk.create(path, null);
  } catch (err) {
    if (isCode(err, Err.NODEEXISTS)) return;
    if (!isCode(err, Err.NONODE)) throw err;
    await createParents(zk, parentOf(path));
    await createRecursive(zk, path, null);
  }
}

/** Deletes `path` and everything under it; a node that is already gone is fine. */
export async function deleteRecursive(zk: ZkClient, path: string): Promise<void> {
  let children: string[];
  try {
    children = (await zk.getChildren(path)).children;
  } catch (err) {
    if (isCode(err, Err.NONODE)) return;
    throw err;
  }
  await Promise.all(children.map((c) => deleteRecursive(zk, path === '/' ? `/${c}` : `${path}/${c}`)));
  try {
    await zk.delete(path, -1);
  } catch (err) {
    if (!isCode(err, Err.NONODE)) throw err;
  }
}

export function isCode(err: unknown, code: number): err is KeeperError {
  return err instanceof KeeperError && err.code === code;
}
