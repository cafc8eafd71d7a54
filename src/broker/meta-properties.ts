// meta.properties in each log dir, as Kafka's KRaft brokers write it (version 1: node.id,
// cluster.id, directory.id). An empty log dir is formatted on first start; a dir formatted for
// another node id is refused, as Kafka refuses it.
import { existsSync, mkdirSync, writeFileSync, renameSync } from 'node:fs';
import { join } from 'node:path';
import { readPropertiesFile } from '../config/properties.js';
import { randomUuid, uuidToBase64 } from './metadata/uuid.js';

export interface MetaProperties {
  nodeId: number;
  clusterId: string;
  directoryId: string;
}

export class MetaPropertiesError extends Error {
  readonly code = 'META_PROPERTIES';
}

export function readMetaProperties(dir: string): MetaProperties | undefined {
  const file = join(dir, 'meta.properties');
  if (!existsSync(file)) return undefined;
  const p = readPropertiesFile(file);
  const nodeId = Number(p.get('node.id') ?? p.get('broker.id'));
  const clusterId = p.get('cluster.id');
  if (!Number.isInteger(nodeId) || !clusterId) throw new MetaPropertiesError(`Invalid meta.properties in ${dir}: node.id and cluster.id are required`);
  return { nodeId, clusterId, directoryId: p.get('directory.id') ?? uuidToBase64(randomUuid()) };
}

/** `zkMode`: version 0 with broker.id, the only form a ZooKeeper-mode Kafka 2.x broker accepts. */
export function writeMetaProperties(dir: string, meta: MetaProperties, zkMode = false): void {
  const text = zkMode
    ? `#\n#${new Date().toString()}\ncluster.id=${meta.clusterId}\nversion=0\nbroker.id=${meta.nodeId}\n`
    : `#\n#${new Date().toString()}\n` + `node.id=${meta.nodeId}\ndirectory.id=${meta.directoryId}\nversion=1\ncluster.id=${meta.clusterId}\n`;
  const file = join(dir, 'meta.properties');
  writeFileSync(`${file}.tmp`, text);
  renameSync(`${file}.tmp`, file);
}

/**
 * Formats empty dirs and checks that every dir belongs to this node and one cluster. In ZooKeeper
 * mode `zkClusterId` is /cluster/id: new dirs take it and existing ones must match, as Kafka checks.
 */
export function prepareLogDirs(dirs: readonly string[], nodeId: number, zkClusterId?: string): { clusterId: string; formatted: string[] } {
  const found = dirs.map((d) => {
    mkdirSync(d, { recursive: true });
    return readMetaProperties(d);
  });
  const clusterIds = new Set(found.filter((m) => m !== undefined).map((m) => m!.clusterId));
  if (clusterIds.size > 1) throw new MetaPropertiesError(`Invalid cluster.id in log dirs: found ${[...clusterIds].join(', ')}`);
  for (let i = 0; i < dirs.length; i++) {
    const m = found[i];
    if (m && m.nodeId !== nodeId) {
      throw new MetaPropertiesError(`Stored node id ${m.nodeId} in ${dirs[i]} doesn't match the configured node.id ${nodeId}. If you moved your data, make sure your configured node id matches.`);
    }
  }
  const stored = [...clusterIds][0];
  if (zkClusterId !== undefined && stored !== undefined && stored !== zkClusterId) {
    throw new MetaPropertiesError(
      `The Cluster ID ${zkClusterId} doesn't match stored clusterId Some(${stored}) in meta.properties. The broker is trying to join the wrong cluster. Configured zookeeper.connect may be wrong.`,
    );
  }
  const clusterId = zkClusterId ?? stored ?? uuidToBase64(randomUuid());
  const formatted: string[] = [];
  for (let i = 0; i < dirs.length; i++) {
    if (found[i]) continue;
    writeMetaProperties(dirs[i]!, { nodeId, clusterId, directoryId: uuidToBase64(randomUuid()) }, zkClusterId !== undefined);
    formatted.push(dirs[i]!);
  }
  return { clusterId, formatted };
}
