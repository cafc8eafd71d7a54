// The standalone worker's configuration (Kafka's WorkerConfig + StandaloneConfig): Kafka's key
// names and defaults, parsed once into a typed object. Producer and consumer settings are built as
// Connect builds them: bootstrap.servers plus the `producer.` / `consumer.` prefixed keys over
// Connect's own client defaults; top-level security keys reach only the admin lookups, as in Kafka.
// One difference on purpose: with no `listeners` (nor rest.host.name/rest.port) the REST API
// binds 127.0.0.1:8083 instead of every interface.
import { ConfigException, parseConfig, type ConfigKey } from './config-def.js';

export interface RestListener {
  protocol: 'http';
  /** The address to bind; '' means every interface. */
  host: string;
  port: number;
}

export interface WorkerConfig {
  /** Every worker property as given. */
  props: Readonly<Record<string, string>>;
  bootstrapServers: string;
  keyConverter: string;
  valueConverter: string;
  headerConverter: string;
  offsetsFile: string;
  offsetFlushIntervalMs: number;
  offsetFlushTimeoutMs: number;
  taskShutdownTimeoutMs: number;
  listener: RestListener;
  advertisedHost: string | undefined;
  advertisedPort: number | undefined;
  pluginPath: string[];
}

const WORKER_KEYS: readonly ConfigKey[] = [
  { name: 'bootstrap.servers', type: 'LIST', defaultValue: ['localhost:9092'], importance: 'HIGH', documentation: 'Kafka brokers to connect to.' },
  { name: 'key.converter', type: 'CLASS', importance: 'HIGH', documentation: 'Converter of record keys.' },
  { name: 'value.converter', type: 'CLASS', importance: 'HIGH', documentation: 'Converter of record values.' },
  { name: 'header.converter', type: 'CLASS', defaultValue: 'org.apache.kafka.connect.storage.SimpleHeaderConverter', importance: 'LOW', documentation: 'Converter of record headers.' },
  { name: 'offset.storage.file.filename', type: 'STRING', importance: 'HIGH', documentation: 'File that keeps source connector offsets.' },
  { name: 'offset.flush.interval.ms', type: 'LONG', defaultValue: 60000, importance: 'LOW', documentation: 'How often offsets are committed.' },
  { name: 'offset.flush.timeout.ms', type: 'LONG', defaultValue: 5000, importance: 'LOW', documentation: 'How long an offset commit may wait for outstanding records.' },
  { name: 'task.shutdown.graceful.timeout.ms', type: 'LONG', defaultValue: 5000, importance: 'LOW', documentation: 'How long a task may take to stop.' },
  { name: 'listeners', type: 'LIST', defaultValue: null, importance: 'LOW', documentation: 'REST listeners.' },
  { name: 'rest.host.name', type: 'STRING', defaultValue: null, importance: 'LOW', documentation: 'Deprecated REST host.' },
  { name: 'rest.port', type: 'INT', defaultValue: 8083, importance: 'LOW', documentation: 'Deprecated REST port.' },
  { name: 'rest.advertised.host.name', type: 'STRING', defaultValue: null, importance: 'LOW', documentation: 'Host name given out as the worker id.' },
  { name: 'rest.advertised.port', type: 'INT', defaultValue: null, importance: 'LOW', documentation: 'Port given out as the worker id.' },
  { name: 'plugin.path', type: 'LIST', defaultValue: null, importance: 'LOW', documentation: 'Where connector plugins are found.' },
];

/** `http://host:port`; host may be empty (every interface) or a bracketed IPv6 address. */
export function parseListener(text: string): RestListener {
  const m = /^([A-Za-z]+):\/\/(\[[^\]]*\]|[^:/]*):(\d+)\/?$/.exec(text.trim());
  if (!m) throw new ConfigException(`Could not parse listener: ${text}`);
  const protocol = m[1]!.toLowerCase();
  if (protocol === 'https') throw new ConfigException(`Listener ${text}: https is not supported by ktool's REST server; use http://`);
  if (protocol !== 'http') throw new ConfigException(`Listener protocol must be either "http" or "https", but ${m[1]} was found`);
  const port = Number(m[3]);
  if (port > 65535) throw new ConfigException(`Invalid port in listener ${text}`);
  return { protocol: 'http', host: m[2]!.replace(/^\[|\]$/g, ''), port };
}

export function workerConfig(props: Readonly<Record<string, string>>): WorkerConfig {
  const parsed = parseConfig(WORKER_KEYS, props);
  const listeners = parsed.get('listeners') as string[] | null;
  let listener: RestListener;
  if (listeners && listeners.length > 0) listener = parseListener(listeners[0]!);
  else if (props['rest.host.name'] !== undefined || props['rest.port'] !== undefined) {
    listener = { protocol: 'http', host: (parsed.get('rest.host.name') as string | null) ?? '', port: parsed.get('rest.port') as number };
  } else listener = { protocol: 'http', host: '127.0.0.1', port: 8083 };
  const offsetsFile = parsed.get('offset.storage.file.filename') as string;
  if (offsetsFile === '') throw new ConfigException('Invalid value  for configuration offset.storage.file.filename: String must be non-empty');
  return {
    props,
    bootstrapServers: (parsed.get('bootstrap.servers') as string[]).join(','),
    keyConverter: parsed.get('key.converter') as string,
    valueConverter: parsed.get('value.converter') as string,
    headerConverter: parsed.get('header.converter') as string,
    offsetsFile,
    offsetFlushIntervalMs: parsed.get('offset.flush.interval.ms') as number,
    offsetFlushTimeoutMs: parsed.get('offset.flush.timeout.ms') as number,
    taskShutdownTimeoutMs: parsed.get('task.shutdown.graceful.timeout.ms') as number,
    listener,
    advertisedHost: (parsed.get('rest.advertised.host.name') as string | null) || undefined,
    advertisedPort: (parsed.get('rest.advertised.port') as number | null) ?? undefined,
    pluginPath: ((parsed.get('plugin.path') as string[] | null) ?? []).filter((p) => p !== ''),
  };
}

/** The keys under `prefix`, with the prefix removed (Java's originalsWithPrefix). */
export function withPrefix(props: Readonly<Record<string, string>>, prefix: string): Map<string, string> {
  const out = new Map<string, string>();
  for (const [k, v] of Object.entries(props)) if (k.startsWith(prefix) && k.length > prefix.length) out.set(k.slice(prefix.length), v);
  return out;
}

/**
 * A source task's producer properties: Connect's defaults (acks=all, one request in flight so a
 * retry never reorders records, no idempotence, retry until delivered), then `producer.*` from the
 * worker, then `producer.override.*` from the connector.
 */
export function producerProperties(worker: WorkerConfig, connector: Readonly<Record<string, string>>, clientId: string): Map<string, string> {
  const props = new Map<string, string>([
    ['bootstrap.servers', worker.bootstrapServers],
    ['acks', 'all'],
    ['max.in.flight.requests.per.connection', '1'],
    ['enable.idempotence', 'false'],
    ['delivery.timeout.ms', '2147483647'],
    ['max.block.ms', '2147483647'],
    ['linger.ms', '0'],
    ['client.id', clientId],
  ]);
  for (const [k, v] of withPrefix(worker.props, 'producer.')) if (!k.startsWith('override.')) props.set(k, v);
  for (const [k, v] of withPrefix(connector, 'producer.override.')) props.set(k, v);
  return props;
}

/** A sink task's consumer properties: Connect's defaults, then `consumer.*`, then `consumer.override.*`. */
export function consumerProperties(worker: WorkerConfig, connector: Readonly<Record<string, string>>, groupId: string, clientId: string): Map<string, string> {
  const props = new Map<string, string>([
    ['bootstrap.servers', worker.bootstrapServers],
    ['group.id', groupId],
    ['enable.auto.commit', 'false'],
    ['auto.offset.reset', 'earliest'],
    ['client.id', clientId],
  ]);
  for (const [k, v] of withPrefix(worker.props, 'consumer.')) if (!k.startsWith('override.')) props.set(k, v);
  for (const [k, v] of withPrefix(connector, 'consumer.override.')) props.set(k, v);
  return props;
}

/** The admin client's properties (cluster id lookup, DLQ topic creation): top-level keys, then `admin.*`. */
export function adminProperties(worker: WorkerConfig, connector: Readonly<Record<string, string>> = {}): Map<string, string> {
  const props = new Map<string, string>();
  for (const [k, v] of Object.entries(worker.props)) if (!/^(producer|consumer|admin|key\.converter|value\.converter|header\.converter)\./.test(k)) props.set(k, v);
  props.set('bootstrap.servers', worker.bootstrapServers);
  for (const [k, v] of withPrefix(worker.props, 'admin.')) props.set(k, v);
  for (const [k, v] of withPrefix(connector, 'admin.override.')) props.set(k, v);
  return props;
}
