// The worker runs connector instances and their tasks (Kafka's Worker): it instantiates plugins,
// starts and stops connectors, builds each task's converters and runner, and logs the lifecycle
// lines Kafka logs. A connector or task that fails to start is kept, in state FAILED with its
// trace, so the REST status can say why; it never takes the worker down.
import type { Readable, Writable } from 'node:stream';
import type { Logger } from '../log.js';
import type { ConfigMap, Connector, SinkTask, SourceTask } from './api.js';
import { connectorSettings } from './connector-config.js';
import { createConverter, type NamedConverter } from './converters/index.js';
import { javaTrace } from './error-handling.js';
import type { FileOffsetStore } from './offset-store.js';
import type { ConnectorPlugin, PluginRegistry } from './plugins.js';
import { SinkTaskRunner } from './sink-task-runner.js';
import { SourceTaskRunner } from './source-task-runner.js';
import type { TaskDeps } from './task-context.js';
import { withPrefix, type WorkerConfig } from './worker-config.js';
import { WorkerTask, taskName, type TaskId } from './worker-task.js';

/** Kafka's topic tracking: the topics a connector's tasks produced to or consumed from. */
export class ActiveTopics {
  private readonly byConnector = new Map<string, Set<string>>();

  add(connector: string, topic: string): void {
    let set = this.byConnector.get(connector);
    if (!set) this.byConnector.set(connector, (set = new Set()));
    set.add(topic);
  }

  of(connector: string): string[] {
    return [...(this.byConnector.get(connector) ?? [])].sort();
  }

  reset(connector: string): void {
    this.byConnector.delete(connector);
  }
}

export type ConnectorState = 'UNASSIGNED' | 'RUNNING' | 'PAUSED' | 'FAILED' | 'STOPPED';
export type TargetState = 'RUNNING' | 'PAUSED' | 'STOPPED';

export interface WorkerOptions {
  config: WorkerConfig;
  plugins: PluginRegistry;
  offsets: FileOffsetStore;
  logger: Logger;
  env: NodeJS.ProcessEnv;
  stdin: Readable;
  stdout: Writable;
  cwd: string;
  /** Topics each connector has used since it was created (or last reset). */
  activeTopics: ActiveTopics;
}

/** A running (or failed) connector instance. */
export class WorkerConnector {
  state: ConnectorState = 'UNASSIGNED';
  trace: string | undefined;
  instance: Connector | undefined;

  constructor(
    readonly name: string,
    readonly plugin: ConnectorPlugin,
    readonly config: ConfigMap,
  ) {}

  fail(err: unknown): void {
    this.state = 'FAILED';
    this.trace = javaTrace(err);
  }
}

/** A task that could not even be built: it fails as soon as it starts, with the reason. */
class UnbuildableTask extends WorkerTask {
  constructor(
    id: TaskId,
    log: Logger,
    private readonly error: unknown,
  ) {
    super(id, log, `WorkerTask{id=${taskName(id)}}`);
  }
  protected execute(): Promise<void> {
    return Promise.reject(this.error);
  }
  protected interrupt(): void {}
}

/** The class name a task is known by (task.class in its config, as Kafka adds it). */
function taskClassName(cls: unknown): string {
  const named = (cls as { className?: unknown }).className;
  return typeof named === 'string' && named !== '' ? named : (cls as { name?: string }).name ?? 'Task';
}

export class Worker {
  private readonly log: Logger;
  /** Set by the herder: a connector asked for its task configs to be generated again. */
  onTaskReconfiguration: (name: string, connector: WorkerConnector) => void = () => {};

  constructor(private readonly opts: WorkerOptions) {
    this.log = opts.logger.child('org.apache.kafka.connect.runtime.Worker');
  }

  get config(): WorkerConfig {
    return this.opts.config;
  }

  /** Creates and (unless the target is STOPPED) starts a connector instance. */
  async startConnector(name: string, plugin: ConnectorPlugin, config: ConfigMap, target: TargetState): Promise<WorkerConnector> {
    const wc = new WorkerConnector(name, plugin, config);
    this.log.info(`Creating connector ${name} of type ${config['connector.class']}`);
    try {
      wc.instance = plugin.create();
      this.log.info(`Instantiated connector ${name} with version ${plugin.version} of type class ${plugin.className}`);
      wc.instance.initialize?.({
        requestTaskReconfiguration: () => {
          this.log.info(`[${name}|worker] Connector ${name} asked for task reconfiguration`);
          // Only the current instance may reconfigure: a stopped or replaced one is ignored.
          if (wc.instance) this.onTaskReconfiguration(name, wc);
        },
        raiseError: (err) => {
          this.log.error(`[${name}|worker] Connector ${name} raised an error`, err);
          wc.fail(err);
        },
      });
      if (target !== 'STOPPED') {
        await wc.instance.start({ ...config });
        wc.state = target === 'PAUSED' ? 'PAUSED' : 'RUNNING';
      } else {
        wc.state = 'STOPPED';
      }
      this.log.info(`Finished creating connector ${name}`);
    } catch (err) {
      this.log.error(`[${name}|worker] Failed to start connector ${name}`, err);
      wc.fail(err);
    }
    return wc;
  }

  /** The connector's task configs, each with task.class added; fails the connector on error. */
  async taskConfigs(wc: WorkerConnector): Promise<ConfigMap[]> {
    if (!wc.instance || wc.state === 'FAILED' || wc.state === 'STOPPED') return [];
    try {
      const settings = connectorSettings(wc.config);
      const configs = await wc.instance.taskConfigs(settings.tasksMax);
      const enforce = (wc.config['tasks.max.enforce'] ?? 'true').trim().toLowerCase() !== 'false';
      if (enforce && configs.length > settings.tasksMax) {
        throw new Error(`The connector ${wc.name} has generated ${configs.length} tasks, which is greater than ${settings.tasksMax}, the maximum number of tasks it is configured to create. This behavior should be considered a bug and is disallowed.`);
      }
      const taskClass = taskClassName(wc.instance.taskClass());
      return configs.map((c) => ({ ...c, 'task.class': taskClass }));
    } catch (err) {
      this.log.error(`[${wc.name}|worker] Failed to generate task configs for connector ${wc.name}`, err);
      wc.fail(err);
      return [];
    }
  }

  async stopConnector(wc: WorkerConnector): Promise<void> {
    this.log.info(`Stopping connector ${wc.name}`);
    const instance = wc.instance;
    wc.instance = undefined;
    if (instance && wc.state !== 'STOPPED' && wc.state !== 'UNASSIGNED') {
      try {
        await instance.stop();
      } catch (err) {
        this.log.error(`[${wc.name}|worker] Error while shutting down connector ${wc.name}`, err);
      }
    }
    this.log.info(`Stopped connector ${wc.name}`);
  }

  /** Builds and starts one task of a connector. */
  startTask(wc: WorkerConnector, index: number, taskConfig: ConfigMap, paused: boolean): WorkerTask {
    const id: TaskId = { connector: wc.name, task: index };
    this.log.info(`Creating task ${taskName(id)}`);
    let runner: WorkerTask;
    try {
      const connector = wc.instance;
      if (!connector) throw new Error(`Connector ${wc.name} is not running`);
      const TaskClass = connector.taskClass();
      const task = new TaskClass();
      const deps = this.taskDeps(wc, taskConfig);
      this.log.info(`Instantiated task ${taskName(id)} with version ${task.version()} of type ${taskConfig['task.class']}`);
      runner = connector.type === 'source'
        ? new SourceTaskRunner(id, task as SourceTask, deps, this.opts.offsets)
        : new SinkTaskRunner(id, task as SinkTask, deps);
    } catch (err) {
      this.log.error(`Failed to start task ${taskName(id)}`, err);
      runner = new UnbuildableTask(id, this.log, err);
    }
    runner.start(paused);
    return runner;
  }

  async stopTasks(tasks: readonly WorkerTask[]): Promise<void> {
    await Promise.all(tasks.map(async (t) => {
      this.log.info(`Stopping task ${taskName(t.id)}`);
      await t.stop(this.opts.config.taskShutdownTimeoutMs);
    }));
  }

  private taskDeps(wc: WorkerConnector, taskConfig: ConfigMap): TaskDeps {
    const { config: worker, env, stdin, stdout, logger, cwd } = this.opts;
    return {
      worker,
      connectorConfig: wc.config,
      taskConfig,
      settings: connectorSettings(wc.config),
      keyConverter: this.converter(wc.config, 'key.converter', true),
      valueConverter: this.converter(wc.config, 'value.converter', false),
      env,
      stdin,
      stdout,
      cwd,
      logger,
      activeTopic: (topic) => this.opts.activeTopics.add(wc.name, topic),
    };
  }

  /** The connector's converter if it names one (with its own options), else the worker's. */
  private converter(connector: ConfigMap, key: 'key.converter' | 'value.converter', isKey: boolean): NamedConverter {
    const own = connector[key]?.trim();
    const source: Readonly<Record<string, string>> = own ? connector : this.opts.config.props;
    const className = own || (key === 'key.converter' ? this.opts.config.keyConverter : this.opts.config.valueConverter);
    const converter = createConverter(className, key);
    converter.configure(Object.fromEntries(withPrefix(source, `${key}.`)), isKey);
    return converter;
  }
}
