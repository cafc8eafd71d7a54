// Turns Kafka client properties (`--command-config`, `--producer.config`, `--consumer-property`…)
// into connection settings both of our clients use: bootstrap addresses, TLS options, SASL
// credentials and timeouts. Kafka's key names and defaults; what Node cannot do (JKS stores,
// GSSAPI) fails with a message that says what to use instead.
import { readFileSync } from 'node:fs';
import type { ConnectionOptions } from 'node:tls';
import type { Properties } from '../config/properties.js';
import { keystoreOptions, protocolOptions, truststoreOptions } from '../config/ssl-stores.js';
import { KtoolError } from '../errors.js';
import { parseJaasConfig, parseJaasFileSection, type JaasEntry } from './jaas.js';

export type SaslMechanism = 'PLAIN' | 'SCRAM-SHA-256' | 'SCRAM-SHA-512';

export interface SaslSettings {
  mechanism: SaslMechanism;
  username: string;
  password: string;
}

export interface HostPort {
  host: string;
  port: number;
}

export interface ConnectionSettings {
  bootstrap: HostPort[];
  clientId: string;
  /** Present when the protocol is SSL or SASL_SSL. */
  tls?: ConnectionOptions;
  sasl?: SaslSettings;
  /** request.timeout.ms */
  requestTimeoutMs: number;
  /** socket.connection.setup.timeout.ms */
  connectTimeoutMs: number;
  /** default.api.timeout.ms: how long admin calls keep retrying an unreachable cluster. */
  apiTimeoutMs: number;
  /** retry.backoff.ms */
  retryBackoffMs: number;
}

const configError = (message: string): KtoolError => new KtoolError('INVALID_CLIENT_CONFIG', message);

/** `host:port[,host:port…]`, IPv6 in brackets. Entries without a usable port are rejected. */
export function parseBootstrapServers(list: string): HostPort[] {
  const out: HostPort[] = [];
  for (const raw of list.split(',')) {
    const entry = raw.trim();
    if (entry === '') continue;
    const m = /^\[([^\]]+)\]:(\d+)$/.exec(entry) ?? /^([^:\s]+):(\d+)$/.exec(entry);
    const port = m ? Number(m[2]) : NaN;
    if (!m || port < 0 || port > 65535) throw configError(`Invalid url in bootstrap.servers: ${entry}`);
    out.push({ host: m[1]!, port });
  }
  if (out.length === 0) throw configError('No resolvable bootstrap urls given in bootstrap.servers');
  return out;
}

/** `ToolsUtils.validateBootstrapServer`, used by the producer: messages go through usage. */
export function bootstrapProblem(list: string | undefined): string | undefined {
  if (list === undefined || list.trim() === '') return 'Error while validating the bootstrap address';
  const ok = list.split(',').every((e) => /^(\[[^\]]+\]|[^:\s]+):\d+$/.test(e.trim()));
  return ok ? undefined : 'Please provide valid host:port like host1:9091,host2:9092';
}

function intProp(props: Properties, key: string, fallback: number): number {
  const v = props.get(key);
  if (v === undefined || v.trim() === '') return fallback;
  const n = Number(v.trim());
  if (!Number.isFinite(n)) throw configError(`Invalid value ${v} for configuration ${key}: Not a number of type INT`);
  return n;
}

export function connectionSettings(bootstrapServers: string, props: Properties, env: NodeJS.ProcessEnv = {}, defaultClientId = 'ktool'): ConnectionSettings {
  const protocol = (props.get('security.protocol') ?? 'PLAINTEXT').trim().toUpperCase();
  if (!['PLAINTEXT', 'SSL', 'SASL_PLAINTEXT', 'SASL_SSL'].includes(protocol)) {
    throw configError(`Invalid value ${props.get('security.protocol')} for configuration security.protocol: String must be one of: PLAINTEXT, SSL, SASL_PLAINTEXT, SASL_SSL`);
  }
  return {
    bootstrap: parseBootstrapServers(bootstrapServers),
    clientId: props.get('client.id') || defaultClientId,
    tls: protocol.endsWith('SSL') ? tlsOptions(props) : undefined,
    sasl: protocol.startsWith('SASL') ? saslSettings(props, env) : undefined,
    requestTimeoutMs: intProp(props, 'request.timeout.ms', 30000),
    connectTimeoutMs: intProp(props, 'socket.connection.setup.timeout.ms', 10000),
    apiTimeoutMs: intProp(props, 'default.api.timeout.ms', 60000),
    retryBackoffMs: intProp(props, 'retry.backoff.ms', 100),
  };
}

// ---- TLS ------------------------------------------------------------------------------------

function tlsOptions(props: Properties): ConnectionOptions {
  const get = (key: string): string | undefined => props.get(key);
  const opts: ConnectionOptions = { ...truststoreOptions(get, configError), ...keystoreOptions(get, configError), ...protocolOptions(get, 'ssl.enabled.protocols', 'ssl.protocol') };

  // An empty endpoint identification algorithm turns hostname verification off, as in Kafka.
  if ((props.get('ssl.endpoint.identification.algorithm') ?? 'https').trim() === '') {
    opts.checkServerIdentity = () => undefined;
  }
  return opts;
}

// ---- SASL -----------------------------------------------------------------------------------

const LOGIN_MODULES: Record<SaslMechanism, string> = {
  PLAIN: 'org.apache.kafka.common.security.plain.PlainLoginModule',
  'SCRAM-SHA-256': 'org.apache.kafka.common.security.scram.ScramLoginModule',
  'SCRAM-SHA-512': 'org.apache.kafka.common.security.scram.ScramLoginModule',
};

/** The JAAS entries from `sasl.jaas.config`, else from the file named in KAFKA_OPTS. */
function jaasEntries(props: Properties, env: NodeJS.ProcessEnv): JaasEntry[] {
  const inline = props.get('sasl.jaas.config');
  try {
    if (inline) return parseJaasConfig(inline);
    const file = /-Djava\.security\.auth\.login\.config=(\S+)/.exec(env.KAFKA_OPTS ?? '')?.[1];
    if (file) {
      const section = parseJaasFileSection(readFileSync(file, 'utf8'), 'KafkaClient');
      if (section) return section;
    }
  } catch (e) {
    throw configError(`Invalid JAAS configuration: ${(e as Error).message}`);
  }
  throw configError('Could not find a \'KafkaClient\' entry in the JAAS configuration. System property \'java.security.auth.login.config\' is not set');
}

function saslSettings(props: Properties, env: NodeJS.ProcessEnv): SaslSettings {
  const mechanism = (props.get('sasl.mechanism') ?? 'GSSAPI').trim().toUpperCase();
  if (mechanism !== 'PLAIN' && mechanism !== 'SCRAM-SHA-256' && mechanism !== 'SCRAM-SHA-512') {
    throw configError(`SASL mechanism ${mechanism} is not supported by ktool (supported: PLAIN, SCRAM-SHA-256, SCRAM-SHA-512)`);
  }
  const entries = jaasEntries(props, env);
  const entry = entries.find((e) => e.loginModule === LOGIN_MODULES[mechanism]) ?? entries[0]!;
  const { username, password } = entry.options;
  if (username === undefined || password === undefined) {
    throw configError(`The JAAS entry for ${entry.loginModule} must set username and password`);
  }
  return { mechanism, username, password };
}
