// The standalone herder (Kafka's StandaloneHerder): the one place that knows every connector's
// config, target state (RUNNING, PAUSED, STOPPED), instance and tasks. The REST API and the
// command line both go through it. Changes run one at a time, in arrival order; reads see the
// state between changes. Configs live in memory only, as in Kafka's standalone mode: the
// connector files on the command line are the persistent definition.
import type { Logger } from '../log.js';
import { connectionSettings } from '../client/client-config.js';
import { GroupAdmin } from '../client/group-admin.js';
import { KafkaWireClient } from '../client/wire-client.js';
import type { ConfigMap } from './api.js';
import { configKeyInfo, configValueToString, validateConfig, type ConfigKey, type ConfigValueResult } from './config-def.js';
import { connectorConfigKeys, validateCommonConfig } from './connector-config.js';
import { resolveConverterClass } from './converters/index.js';
import { alreadyExists, badRequest, notFound, ConnectRestError } from './herder-errors.js';
import { offsetKey, type FileOffsetStore } from './offset-store.js';
import type { ConnectorPlugin, PluginRegistry } from './plugins.js';
import { adminProperties } from './worker-config.js';
import type { ActiveTopics, TargetState, Worker, WorkerConnector } from './worker.js';
import type { WorkerTask } from './worker-task.js';

export interface ConnectorInfo {
  name: string;
  config: ConfigMap;
  tasks: Array<{ connector: string; task: number }>;
  type: 'source' | 'sink' | 'unknown';
}

interface StateInfo {
  state: string;
  worker_id: string;
  trace?: string;
}

export interface ConnectorStateInfo {
  name: string;
  connector: StateInfo;
  tasks: Array<StateInfo & { id: number }>;
  type: 'source' | 'sink' | 'unknown';
}

export interface OffsetEntry {
  partition: Record<string, unknown> | null;
  offset: Record<string, unknown> | null;
}

interface Entry {
  name: string;
  config: ConfigMap;
  plugin: ConnectorPlugin;
  target: TargetState;
  connector: WorkerConnector | undefined;
  taskConfigs: ConfigMap[];
  tasks: WorkerTask[];
}

/** Java's Map.toString, which Kafka's messages embed. */
const javaMap = (m: ConfigMap): string => `{${Object.entries(m).map(([k, v]) => `${k}=${v}`).join(', ')}}`;

export class StandaloneHerder {
  private readonly entries = new Map<string, Entry>();
  private queue: Promise<unknown> = Promise.resolve();
  private readonly log: Logger;

  constructor(
    private readonly worker: Worker,
    private readonly plugins: PluginRegistry,
    private readonly offsets: FileOffsetStore,
    private readonly activeTopics: ActiveTopics,
    readonly workerId: string,
    readonly kafkaClusterId: string,
    logger: Logger,
    private readonly env: NodeJS.ProcessEnv,
  ) {
    this.log = logger.child('org.apache.kafka.connect.runtime.standalone.StandaloneHerder');
    worker.onTaskReconfiguration = (name, connector) => void this.reconfigureTasks(name, connector).catch((err) => this.log.error(`Failed to reconfigure tasks of connector ${name}`, err));
  }

  /** A connector asked for new task configs: restart its tasks if they changed. */
  private reconfigureTasks(name: string, connector: WorkerConnector): Promise<void> {
    return this.serial(async () => {
      const e = this.entries.get(name);
      if (!e || e.connector !== connector || e.target === 'STOPPED') return;
      const fresh = await this.worker.taskConfigs(connector);
      if (JSON.stringify(fresh) === JSON.stringify(e.taskConfigs)) return;
      this.log.info(`Reconfiguring tasks of connector ${name}`);
      await this.worker.stopTasks(e.tasks);
      e.taskConfigs = fresh;
      e.tasks = fresh.map((c, i) => this.worker.startTask(connector, i, c, e.target === 'PAUSED'));
    });
  }

  /** Runs changes one at a time, in order. */
  private serial<T>(fn: () => Promise<T>): Promise<T> {
    const run = this.queue.then(fn, fn);
    this.queue = run.catch(() => {});
    return run;
  }

  private entry(name: string, message = `Connector ${name} not found`): Entry {
    const e = this.entries.get(name);
    if (!e) throw notFound(message);
    return e;
  }

  // ---- reads --------------------------------------------------------------------------------

  connectors(): string[] {
    return [...this.entries.keys()];
  }

  connectorInfo(name: string): ConnectorInfo {
    const e = this.entry(name);
    return { name, config: { ...e.config }, tasks: e.taskConfigs.map((_, task) => ({ connector: name, task })), type: e.plugin.type };
  }

  connectorConfig(name: string): ConfigMap {
    return { ...this.entry(name).config };
  }

  connectorStatus(name: string): ConnectorStateInfo {
    const e = this.entry(name, `No status found for connector ${name}`);
    return { name, connector: this.connectorState(e), tasks: e.tasks.map((t) => ({ id: t.id.task, ...this.taskState(t) })), type: e.plugin.type };
  }

  taskStatus(name: string, task: number): StateInfo & { id: number } {
    const t = this.entries.get(name)?.tasks[task];
    if (!t) throw notFound(`No status found for task ${name}-${task}`);
    return { id: task, ...this.taskState(t) };
  }

  taskConfigs(name: string): Array<{ id: { connector: string; task: number }; config: ConfigMap }> {
    return this.entry(name).taskConfigs.map((config, task) => ({ id: { connector: name, task }, config: { ...config } }));
  }

  private connectorState(e: Entry): StateInfo {
    const c = e.connector;
    let state: string = c?.state ?? 'UNASSIGNED';
    if (state !== 'FAILED' && e.target !== 'RUNNING') state = e.target;
    return withTrace({ state, worker_id: this.workerId }, state === 'FAILED' ? c?.trace : undefined);
  }

  private taskState(t: WorkerTask): StateInfo {
    return withTrace({ state: t.state, worker_id: this.workerId }, t.state === 'FAILED' ? t.trace : undefined);
  }

  /** GET /connectors/{c}/topics: the topics the connector has used. */
  connectorTopics(name: string): string[] {
    this.entry(name);
    return this.activeTopics.of(name);
  }

  resetConnectorTopics(name: string): void {
    this.entry(name);
    this.activeTopics.reset(name);
  }

  // ---- validation ---------------------------------------------------------------------------

  /** Kafka's ConfigInfos for a connector config (PUT /connector-plugins/{p}/config/validate). */
  validate(config: ConfigMap): { name: string; error_count: number; groups: string[]; configs: unknown[] } {
    const className = config['connector.class'];
    if (className === undefined || className.trim() === '') throw badRequest(`Connector config ${javaMap(config)} contains no connector type`);
    let plugin: ConnectorPlugin;
    try {
      plugin = this.plugins.find(className);
    } catch (err) {
      throw badRequest((err as Error).message);
    }
    const instance = plugin.create();
    const commonKeys = connectorConfigKeys(plugin.type);
    const common = validateCommonConfig(plugin.type, config);
    for (const key of ['key.converter', 'value.converter'] as const) {
      const value = config[key]?.trim();
      if (value && resolveConverterClass(value) === undefined) {
        common.find((r) => r.name === key)?.errors.push(`Invalid value ${value} for configuration ${key}: Class ${value} could not be found.`);
      }
    }
    const ownKeys = instance.config().filter((k) => !commonKeys.some((c) => c.name === k.name));
    const own = validateConfig(ownKeys, config);
    const extra = instance.validate?.(config) ?? {};
    for (const [key, messages] of Object.entries(extra)) {
      const r = [...common, ...own].find((x) => x.name === key);
      if (r) r.errors.push(...messages);
    }
    const keys: ConfigKey[] = [...commonKeys, ...ownKeys];
    const results: ConfigValueResult[] = [...common, ...own];
    const groups: string[] = [];
    for (const k of keys) if (k.group && !groups.includes(k.group)) groups.push(k.group);
    return {
      name: className,
      error_count: results.reduce((n, r) => n + r.errors.length, 0),
      groups,
      configs: keys.map((k, i) => ({
        definition: configKeyInfo(k),
        value: {
          name: k.name,
          value: configValueToString(results[i]!.value as never, k.type),
          recommended_values: k.validValues ? [...k.validValues] : [],
          errors: results[i]!.errors,
          visible: true,
        },
      })),
    };
  }

  /** Throws Kafka's 400 when a config has errors; returns the plugin otherwise. */
  private checkConfig(config: ConfigMap): ConnectorPlugin {
    const infos = this.validate(config);
    if (infos.error_count > 0) {
      const messages = (infos.configs as Array<{ value: { errors: string[] } }>).flatMap((c) => c.value.errors);
      throw badRequest([
        `Connector configuration is invalid and contains the following ${infos.error_count} error(s):`,
        ...messages,
        'You can also find the above list of errors at the endpoint `/connector-plugins/{connectorType}/config/validate`',
      ].join('\n'));
    }
    return this.plugins.find(config['connector.class']!);
  }

  // ---- changes ------------------------------------------------------------------------------

  /** Creates or (with allowReplace) updates a connector; `created` says which. */
  putConnectorConfig(name: string, config: ConfigMap, allowReplace: boolean, initialState: TargetState = 'RUNNING'): Promise<{ created: boolean; info: ConnectorInfo }> {
    return this.serial(async () => {
      const full = { ...config, name };
      const plugin = this.checkConfig(full);
      const existing = this.entries.get(name);
      if (existing && !allowReplace) throw alreadyExists(`Connector ${name} already exists`);
      if (existing) await this.stopEntry(existing);
      const entry: Entry = { name, config: full, plugin, target: existing?.target ?? initialState, connector: undefined, taskConfigs: [], tasks: [] };
      this.entries.set(name, entry);
      await this.startEntry(entry);
      return { created: !existing, info: this.connectorInfo(name) };
    });
  }

  deleteConnector(name: string): Promise<void> {
    return this.serial(async () => {
      const e = this.entry(name);
      await this.stopEntry(e);
      this.entries.delete(name);
      this.activeTopics.reset(name);
      this.log.info(`Removed connector ${name}`);
    });
  }

  pauseConnector(name: string): Promise<void> {
    return this.serial(async () => {
      const e = this.entry(name, `Unknown connector ${name}`);
      if (e.target === 'STOPPED') await this.setTarget(e, 'PAUSED');
      e.target = 'PAUSED';
      if (e.connector && e.connector.state === 'RUNNING') e.connector.state = 'PAUSED';
      for (const t of e.tasks) t.pause();
      this.log.info(`Paused connector ${name}`);
    });
  }

  resumeConnector(name: string): Promise<void> {
    return this.serial(async () => {
      const e = this.entry(name, `Unknown connector ${name}`);
      await this.setTarget(e, 'RUNNING');
      this.log.info(`Resumed connector ${name}`);
    });
  }

  stopConnector(name: string): Promise<void> {
    return this.serial(async () => {
      const e = this.entries.get(name);
      if (!e) throw new ConnectRestError(500, `No connector \`${name}\` configured`);
      await this.stopEntry(e);
      e.target = 'STOPPED';
      e.taskConfigs = [];
      this.log.info(`Stopped connector ${name}`);
    });
  }

  /** Moves a connector between RUNNING/PAUSED and STOPPED, starting it if it was stopped. */
  private async setTarget(e: Entry, target: TargetState): Promise<void> {
    const wasStopped = e.target === 'STOPPED';
    e.target = target;
    if (wasStopped) {
      await this.startEntry(e);
      return;
    }
    if (e.connector && (e.connector.state === 'RUNNING' || e.connector.state === 'PAUSED')) e.connector.state = target === 'PAUSED' ? 'PAUSED' : 'RUNNING';
    for (const t of e.tasks) (target === 'PAUSED' ? t.pause() : t.resume());
  }

  /**
   * Restarts the connector instance and/or tasks (POST /connectors/{c}/restart). Returns the
   * status with what is being restarted shown as RESTARTING, or undefined for the plain form.
   */
  restartConnector(name: string, includeTasks: boolean, onlyFailed: boolean): Promise<ConnectorStateInfo | undefined> {
    return this.serial(async () => {
      const e = this.entry(name, `Unknown connector: ${name}`);
      const plain = !includeTasks && !onlyFailed;
      const restartConnector = !onlyFailed || e.connector?.state === 'FAILED';
      const restartTasks = includeTasks ? e.tasks.filter((t) => !onlyFailed || t.state === 'FAILED') : [];
      const status = this.connectorStatus(name);
      if (restartConnector) status.connector.state = 'RESTARTING';
      for (const t of status.tasks) if (restartTasks.some((r) => r.id.task === t.id)) t.state = 'RESTARTING';
      for (const s of [status.connector, ...status.tasks]) if (s.state === 'RESTARTING') delete s.trace;
      if (e.target === 'STOPPED') return plain ? undefined : status;
      if (restartConnector) {
        this.log.info(`Restarting connector ${name}`);
        if (e.connector) await this.worker.stopConnector(e.connector);
        e.connector = await this.worker.startConnector(name, e.plugin, e.config, e.target);
        const fresh = await this.worker.taskConfigs(e.connector);
        if (JSON.stringify(fresh) !== JSON.stringify(e.taskConfigs)) {
          await this.worker.stopTasks(e.tasks);
          e.taskConfigs = fresh;
          e.tasks = fresh.map((c, i) => this.worker.startTask(e.connector!, i, c, e.target === 'PAUSED'));
          return plain ? undefined : status;
        }
      }
      for (const t of restartTasks) await this.restartTaskNow(e, t.id.task);
      return plain ? undefined : status;
    });
  }

  restartTask(name: string, task: number): Promise<void> {
    return this.serial(async () => {
      const e = this.entry(name);
      if (!e.tasks[task]) throw notFound(`Task ${name}-${task} not found`);
      await this.restartTaskNow(e, task);
    });
  }

  private async restartTaskNow(e: Entry, task: number): Promise<void> {
    this.log.info(`Restarting task ${e.name}-${task}`);
    await this.worker.stopTasks([e.tasks[task]!]);
    if (!e.connector?.instance) return;
    e.tasks[task] = this.worker.startTask(e.connector, task, e.taskConfigs[task]!, e.target === 'PAUSED');
  }

  private async startEntry(e: Entry): Promise<void> {
    e.connector = await this.worker.startConnector(e.name, e.plugin, e.config, e.target);
    if (e.target === 'STOPPED') {
      e.taskConfigs = [];
      e.tasks = [];
      return;
    }
    e.taskConfigs = await this.worker.taskConfigs(e.connector);
    e.tasks = e.taskConfigs.map((c, i) => this.worker.startTask(e.connector!, i, c, e.target === 'PAUSED'));
  }

  private async stopEntry(e: Entry): Promise<void> {
    await this.worker.stopTasks(e.tasks);
    e.tasks = [];
    if (e.connector) await this.worker.stopConnector(e.connector);
    e.connector = undefined;
  }

  /** Stops every connector (worker shutdown): tasks commit their offsets on the way out. */
  stopAll(): Promise<void> {
    return this.serial(async () => {
      await Promise.all([...this.entries.values()].map((e) => this.stopEntry(e)));
    });
  }

  // ---- offsets ------------------------------------------------------------------------------

  async connectorOffsets(name: string): Promise<OffsetEntry[]> {
    const e = this.entry(name);
    if (e.plugin.type === 'source') {
      return this.offsets.entriesOf(name).filter(([, offset]) => offset !== null).map(([partition, offset]) => ({ partition, offset }));
    }
    return this.withGroupAdmin(name, async (admin) => {
      const committed = await admin.committedOffsets(`connect-${name}`);
      return committed.map((c) => ({ partition: { kafka_topic: c.topic, kafka_partition: c.partition }, offset: { kafka_offset: Number(c.offset) } }));
    });
  }

  /** PATCH (alter) or DELETE (reset, `offsets` undefined) of a stopped connector's offsets. */
  modifyOffsets(name: string, offsets: OffsetEntry[] | undefined): Promise<string> {
    return this.serial(async () => {
      const e = this.entry(name);
      if (e.target !== 'STOPPED' || e.tasks.length > 0) {
        throw badRequest(`Connectors must be in the STOPPED state before their offsets can be modified. This can be done for the specified connector by issuing a 'PUT' request to the '/connectors/${name}/stop' endpoint`);
      }
      const what = offsets === undefined ? 'reset' : 'altered';
      if (e.plugin.type === 'source') {
        const updates = new Map<string, Record<string, unknown> | null>();
        const list = offsets ?? this.offsets.entriesOf(name).map(([partition]) => ({ partition, offset: null }));
        for (const o of list) updates.set(offsetKey(name, o.partition), o.offset);
        this.offsets.set(updates);
      } else {
        await this.withGroupAdmin(name, async (admin) => {
          const group = `connect-${name}`;
          if (offsets === undefined) {
            const results = await admin.deleteGroups([group]);
            const failed = results.find((r) => r.error !== null && r.error.errorCode !== 69);
            if (failed?.error) throw failed.error;
            return;
          }
          const parsed = offsets.map((o) => sinkOffset(o));
          const toAlter = parsed.filter((o) => o.offset !== null) as Array<{ topic: string; partition: number; offset: bigint }>;
          const toDelete = parsed.filter((o) => o.offset === null);
          if (toAlter.length > 0) await admin.alterOffsets(group, toAlter);
          if (toDelete.length > 0) await admin.deleteOffsets(group, toDelete);
        });
      }
      return `The offsets for this connector have been ${what} successfully`;
    });
  }

  private async withGroupAdmin<T>(name: string, fn: (admin: GroupAdmin) => Promise<T>): Promise<T> {
    const props = adminProperties(this.worker.config, this.entries.get(name)?.config);
    const client = new KafkaWireClient(connectionSettings(this.worker.config.bootstrapServers, props, this.env, `${name}-admin`));
    try {
      return await fn(new GroupAdmin(client));
    } finally {
      client.close();
    }
  }
}

function withTrace(info: StateInfo, trace: string | undefined): StateInfo {
  return trace ? { ...info, trace } : info;
}

/** A sink offset entry: {kafka_topic, kafka_partition} → {kafka_offset} or null. */
function sinkOffset(o: OffsetEntry): { topic: string; partition: number; offset: bigint | null } {
  const p = o.partition ?? {};
  const topic = p.kafka_topic;
  const partition = p.kafka_partition;
  if (typeof topic !== 'string' || typeof partition !== 'number') throw badRequest('Each partition of a sink connector offset must have kafka_topic and kafka_partition');
  if (o.offset === null) return { topic, partition, offset: null };
  const offset = o.offset.kafka_offset;
  if (typeof offset !== 'number' || !Number.isInteger(offset) || offset < 0) throw badRequest('Each offset of a sink connector must have a non-negative kafka_offset');
  return { topic, partition, offset: BigInt(offset) };
}
