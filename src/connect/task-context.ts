// What the worker hands each task runner: the configs, converters, streams and loggers a task
// needs, built once per task by the worker.
import type { Readable, Writable } from 'node:stream';
import type { Logger } from '../log.js';
import type { ConfigMap } from './api.js';
import type { ConnectorSettings } from './connector-config.js';
import type { NamedConverter } from './converters/index.js';
import type { WorkerConfig } from './worker-config.js';

export interface TaskDeps {
  worker: WorkerConfig;
  connectorConfig: ConfigMap;
  taskConfig: ConfigMap;
  settings: ConnectorSettings;
  keyConverter: NamedConverter;
  valueConverter: NamedConverter;
  env: NodeJS.ProcessEnv;
  stdin: Readable;
  stdout: Writable;
  cwd: string;
  /** Records that the connector used a topic (GET /connectors/{c}/topics). */
  activeTopic(topic: string): void;
  /** The worker's logger; runners take children named after Kafka's classes. */
  logger: Logger;
}

/** Kafka's connector log context: `[name|task-0] ` before each task log line. */
export function taskLogger(logger: Logger, loggerName: string, connector: string, task: number): Logger {
  const base = logger.child(loggerName);
  const prefix = `[${connector}|task-${task}] `;
  return {
    trace: (m) => base.trace(prefix + m),
    debug: (m) => base.debug(prefix + m),
    info: (m) => base.info(prefix + m),
    warn: (m, e) => base.warn(prefix + m, e),
    error: (m, e) => base.error(prefix + m, e),
    child: (name) => taskLogger(logger, name, connector, task),
  };
}
