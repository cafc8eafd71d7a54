// The cluster's topic metadata: names, ids, partition counts and config overrides, plus the
// dynamic broker configs (kafka-configs --broker / --broker-defaults). Kept in memory
// and persisted to `ktool-metadata.json` in the first log dir on every change (written to a temp
// file, fsynced, then renamed, so a crash leaves the old or the new version, never a torn one).
import { closeSync, existsSync, fsyncSync, openSync, readFileSync, renameSync, writeSync } from 'node:fs';
import { join } from 'node:path';
import { randomUuid } from './uuid.js';
import { INTERNAL_TOPICS } from './topic-names.js';
import type { ScramCredential } from '../../protocol/scram.js';

export const METADATA_FILE = 'ktool-metadata.json';

export interface TopicInfo {
  readonly name: string;
  readonly id: string;
  partitions: number;
  readonly configs: Map<string, string>;
  readonly internal: boolean;
}

interface StoredTopic {
  name: string;
  id: string;
  partitions: number;
  configs: Record<string, string>;
}

interface StoredScramCredential {
  iterations: number;
  salt: string;
  storedKey: string;
  serverKey: string;
}

/** The entity name of the cluster-wide dynamic broker defaults, as Kafka names its znode. */
export const DEFAULT_BROKER_ENTITY = '<default>';

export class ClusterMetadata {
  private readonly topics = new Map<string, TopicInfo>();
  /** Dynamic broker configs by entity: a broker id, or DEFAULT_BROKER_ENTITY. */
  private readonly brokerConfigMaps = new Map<string, Map<string, string>>();
  private readonly ids = new Map<string, TopicInfo>();
  /** SCRAM credentials by user, then by mechanism name (SCRAM-SHA-256, SCRAM-SHA-512). */
  private readonly scram = new Map<string, Map<string, ScramCredential>>();

  private constructor(private readonly file: string) {}

  static load(dir: string): ClusterMetadata {
    const md = new ClusterMetadata(join(dir, METADATA_FILE));
    if (existsSync(md.file)) {
      const stored = JSON.parse(readFileSync(md.file, 'utf8')) as {
        topics: StoredTopic[];
        brokerConfigs?: Record<string, Record<string, string>>;
        scramCredentials?: Record<string, Record<string, StoredScramCredential>>;
      };
      for (const t of stored.topics) md.put(t.name, t.id, t.partitions, new Map(Object.entries(t.configs)));
      for (const [entity, configs] of Object.entries(stored.brokerConfigs ?? {})) md.brokerConfigMaps.set(entity, new Map(Object.entries(configs)));
      for (const [user, byMechanism] of Object.entries(stored.scramCredentials ?? {})) {
        const creds = new Map<string, ScramCredential>();
        for (const [mechanism, c] of Object.entries(byMechanism)) {
          creds.set(mechanism, { iterations: c.iterations, salt: Buffer.from(c.salt, 'base64'), storedKey: Buffer.from(c.storedKey, 'base64'), serverKey: Buffer.from(c.serverKey, 'base64') });
        }
        md.scram.set(user, creds);
      }
    }
    return md;
  }

  private put(name: string, id: string, partitions: number, configs: Map<string, string>): TopicInfo {
    const t: TopicInfo = { name, id, partitions, configs, internal: INTERNAL_TOPICS.has(name) };
    this.topics.set(name, t);
    this.ids.set(id, t);
    return t;
  }

  get(name: string): TopicInfo | undefined {
    return this.topics.get(name);
  }

  byId(id: string): TopicInfo | undefined {
    return this.ids.get(id);
  }

  all(): TopicInfo[] {
    return [...this.topics.values()].sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
  }

  create(name: string, partitions: number, configs: Map<string, string>, id = randomUuid()): TopicInfo {
    const t = this.put(name, id, partitions, configs);
    this.save();
    return t;
  }

  /** Registers a topic found on disk without rewriting the file for each one. */
  adopt(name: string, id: string, partitions: number): TopicInfo {
    return this.put(name, id, partitions, new Map());
  }

  delete(name: string): void {
    const t = this.topics.get(name);
    if (!t) return;
    this.topics.delete(name);
    this.ids.delete(t.id);
    this.save();
  }

  setPartitions(name: string, partitions: number): void {
    this.topics.get(name)!.partitions = partitions;
    this.save();
  }

  setConfigs(name: string, configs: ReadonlyMap<string, string>): void {
    const t = this.topics.get(name)!;
    t.configs.clear();
    for (const [k, v] of configs) t.configs.set(k, v);
    this.save();
  }

  /** The dynamic configs of a broker id or of DEFAULT_BROKER_ENTITY (empty when none). */
  brokerConfigs(entity: string): ReadonlyMap<string, string> {
    return this.brokerConfigMaps.get(entity) ?? new Map();
  }

  setBrokerConfigs(entity: string, configs: ReadonlyMap<string, string>): void {
    if (configs.size === 0) this.brokerConfigMaps.delete(entity);
    else this.brokerConfigMaps.set(entity, new Map(configs));
    this.save();
  }

  /** A user's credential for one SCRAM mechanism. */
  scramCredential(user: string, mechanism: string): ScramCredential | undefined {
    return this.scram.get(user)?.get(mechanism);
  }

  /** Every user with SCRAM credentials, with the mechanisms and iterations (never the keys). */
  scramUsers(): Map<string, Array<{ mechanism: string; iterations: number }>> {
    const out = new Map<string, Array<{ mechanism: string; iterations: number }>>();
    for (const [user, creds] of this.scram) out.set(user, [...creds].map(([mechanism, c]) => ({ mechanism, iterations: c.iterations })));
    return out;
  }

  /** Applies upsertions (a credential) and deletions (null) at once, then saves. */
  alterScramCredentials(changes: ReadonlyArray<{ user: string; mechanism: string; credential: ScramCredential | null }>): void {
    for (const { user, mechanism, credential } of changes) {
      let creds = this.scram.get(user);
      if (credential === null) {
        creds?.delete(mechanism);
        if (creds?.size === 0) this.scram.delete(user);
        continue;
      }
      if (!creds) this.scram.set(user, (creds = new Map()));
      creds.set(mechanism, credential);
    }
    this.save();
  }

  save(): void {
    const data = {
      version: 1,
      topics: this.all().map((t) => ({ name: t.name, id: t.id, partitions: t.partitions, configs: Object.fromEntries(t.configs) })),
      brokerConfigs: Object.fromEntries([...this.brokerConfigMaps].map(([entity, m]) => [entity, Object.fromEntries(m)])),
      scramCredentials: Object.fromEntries([...this.scram].map(([user, creds]) => [user, Object.fromEntries([...creds].map(([mechanism, c]) => [
        mechanism, { iterations: c.iterations, salt: c.salt.toString('base64'), storedKey: c.storedKey.toString('base64'), serverKey: c.serverKey.toString('base64') },
      ]))])),
    };
    const tmp = `${this.file}.tmp`;
    const fd = openSync(tmp, 'w');
    try {
      writeSync(fd, JSON.stringify(data, null, 2) + '\n');
      fsyncSync(fd);
    } finally {
      closeSync(fd);
    }
    renameSync(tmp, this.file);
  }
}
