// Kafka's AdminUtils.assignReplicasToBrokers, which `kafka-topics --zookeeper` runs on the client:
// leaders round-robin from a random broker, followers shifted so that replicas spread evenly;
// with racks on every broker, the broker list alternates racks and a partition's replicas go to
// different racks first. The random start and shift come from `random` so tests can fix them.
import { KtoolError } from '../errors.js';
import { pushTo } from '../multimap.js';

export interface BrokerMetadata {
  id: number;
  rack?: string;
}

/** A failure worded and classed as Kafka's (the class goes into the tool's ERROR log line). */
export class AdminError extends KtoolError {
  constructor(
    readonly javaClass: string,
    message: string,
  ) {
    super('TOPIC_ADMIN', message);
  }
}

const errors = 'org.apache.kafka.common.errors.';

export interface AssignOptions {
  /** Both the first leader's index and the follower shift; -1 (default) means random. */
  fixedStartIndex?: number;
  /** The first partition id to assign (adding partitions); default 0. */
  startPartitionId?: number;
  /** An integer in [0, n). */
  random?: (n: number) => number;
}

/** partition id → replica broker ids, partitions in ascending order. */
export function assignReplicasToBrokers(brokers: readonly BrokerMetadata[], partitions: number, replicationFactor: number, opts: AssignOptions = {}): Map<number, number[]> {
  if (partitions <= 0) throw new AdminError(`${errors}InvalidPartitionsException`, 'Number of partitions must be larger than 0.');
  if (replicationFactor <= 0) throw new AdminError(`${errors}InvalidReplicationFactorException`, 'Replication factor must be larger than 0.');
  if (replicationFactor > brokers.length) {
    throw new AdminError(`${errors}InvalidReplicationFactorException`, `Replication factor: ${replicationFactor} larger than available brokers: ${brokers.length}.`);
  }
  const random = opts.random ?? ((n: number) => Math.floor(Math.random() * n));
  const fixed = opts.fixedStartIndex ?? -1;
  const first = Math.max(0, opts.startPartitionId ?? -1);
  if (brokers.every((b) => b.rack === undefined)) {
    return rackUnaware(brokers.map((b) => b.id), partitions, replicationFactor, fixed, first, random);
  }
  if (brokers.some((b) => b.rack === undefined)) {
    throw new AdminError('kafka.admin.AdminOperationException', 'Not all brokers have rack information for replica rack aware assignment.');
  }
  return rackAware(brokers, partitions, replicationFactor, fixed, first, random);
}

/** The index of a follower: 1 + (shift + j) mod (n - 1) places after the leader, never the leader. */
function replicaIndex(firstReplicaIndex: number, shift: number, j: number, n: number): number {
  return (firstReplicaIndex + 1 + ((shift + j) % (n - 1))) % n;
}

function rackUnaware(ids: readonly number[], partitions: number, rf: number, fixed: number, firstPartition: number, random: (n: number) => number): Map<number, number[]> {
  const n = ids.length;
  const start = fixed >= 0 ? fixed : random(n);
  let shift = fixed >= 0 ? fixed : random(n);
  const out = new Map<number, number[]>();
  for (let p = firstPartition; p < firstPartition + partitions; p++) {
    if (p > 0 && p % n === 0) shift++;
    const leader = (p + start) % n;
    const replicas = [ids[leader]!];
    for (let j = 0; j < rf - 1; j++) replicas.push(ids[replicaIndex(leader, shift, j, n)]!);
    out.set(p, replicas);
  }
  return out;
}

/** Brokers ordered rack by rack in turn (racks sorted, brokers sorted within a rack). */
export function rackAlternatedBrokers(brokers: readonly BrokerMetadata[]): number[] {
  const byRack = new Map<string, number[]>();
  for (const b of brokers) pushTo(byRack, b.rack!, b.id);
  const racks = [...byRack.keys()].sort();
  const queues = racks.map((r) => byRack.get(r)!.sort((a, b) => a - b));
  const out: number[] = [];
  for (let i = 0; out.length < brokers.length; i = (i + 1) % racks.length) {
    const next = queues[i]!.shift();
    if (next !== undefined) out.push(next);
  }
  return out;
}

function rackAware(brokers: readonly BrokerMetadata[], partitions: number, rf: number, fixed: number, firstPartition: number, random: (n: number) => number): Map<number, number[]> {
  const rackOf = new Map(brokers.map((b) => [b.id, b.rack!]));
  const numRacks = new Set(rackOf.values()).size;
  const arranged = rackAlternatedBrokers(brokers);
  const n = arranged.length;
  const start = fixed >= 0 ? fixed : random(n);
  let shift = fixed >= 0 ? fixed : random(n);
  const out = new Map<number, number[]>();
  for (let p = firstPartition; p < firstPartition + partitions; p++) {
    if (p > 0 && p % n === 0) shift++;
    const first = (p + start) % n;
    const leader = arranged[first]!;
    const replicas = [leader];
    const racks = new Set([rackOf.get(leader)!]);
    const used = new Set([leader]);
    let k = 0;
    for (let r = 0; r < rf - 1; r++) {
      for (;;) {
        const broker = arranged[replicaIndex(first, shift * numRacks, k++, n)]!;
        const rack = rackOf.get(broker)!;
        // Prefer a new rack and a new broker; once every rack (or broker) has one, allow repeats.
        if ((!racks.has(rack) || racks.size === numRacks) && (!used.has(broker) || used.size === n)) {
          replicas.push(broker);
          racks.add(rack);
          used.add(broker);
          break;
        }
      }
    }
    out.set(p, replicas);
  }
  return out;
}
