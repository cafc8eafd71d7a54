// What a listener's security protocol asks of its connections, read from Kafka's broker keys:
// SSL and SASL_SSL listeners get Node TLS options (the keystore, and a truststore when
// ssl.client.auth asks for client certificates); SASL_PLAINTEXT and SASL_SSL listeners get the
// SASL mechanisms they accept, with their users. Each ssl.*, sasl.* key may be given for one
// listener as `listener.name.<listener>.<key>` (lower-case listener name), as in Kafka.
//
// Mechanisms: PLAIN, with its users in the listener's JAAS entry, as Kafka's PlainLoginModule
// takes them: `listener.name.sasl_ssl.plain.sasl.jaas.config=org.apache.kafka.common.security.
// plain.PlainLoginModule required user_alice="alice-secret";` (or the `KafkaServer` section of
// the file that -Djava.security.auth.login.config names in KAFKA_OPTS). SCRAM needs credentials
// stored through the controller and GSSAPI needs Kerberos: neither is here.
import { readFileSync } from 'node:fs';
import { timingSafeEqual } from 'node:crypto';
import type { TlsOptions } from 'node:tls';
import { brokerValue, ConfigError, type Listener } from '../../config/broker-config.js';
import type { Properties } from '../../config/properties.js';
import { keystoreOptions, truststoreOptions } from '../../config/ssl-stores.js';
import { parseJaasConfig, parseJaasFileSection, type JaasEntry } from '../../client/jaas.js';

const PLAIN_LOGIN_MODULE = 'org.apache.kafka.common.security.plain.PlainLoginModule';

/** Checks one client's SASL token; `error` is what the client is told (never the password). */
export type SaslOutcome = { ok: true; principal: string } | { ok: false; error: string };

export interface SaslServerConfig {
  /** sasl.enabled.mechanisms, as the client is told in SaslHandshake. */
  mechanisms: string[];
  authenticate(mechanism: string, token: Buffer): SaslOutcome;
}

export interface ListenerSecurity {
  tls?: TlsOptions;
  sasl?: SaslServerConfig;
}

const configError = (message: string): ConfigError => new ConfigError(message);

/** A key as this listener sees it: its listener.name. override, else the broker-wide value. */
function listenerSetting(props: Properties, listener: string): (key: string) => string | undefined {
  const prefix = `listener.name.${listener.toLowerCase()}.`;
  return (key) => props.get(prefix + key) ?? brokerValue(props, key);
}

export function listenerSecurity(l: Listener, props: Properties, env: NodeJS.ProcessEnv = process.env): ListenerSecurity {
  const get = listenerSetting(props, l.name);
  const security: ListenerSecurity = {};
  if (l.securityProtocol === 'SSL' || l.securityProtocol === 'SASL_SSL') security.tls = tlsOptions(l, get);
  if (l.securityProtocol === 'SASL_PLAINTEXT' || l.securityProtocol === 'SASL_SSL') security.sasl = saslConfig(l, props, get, env);
  return security;
}

function tlsOptions(l: Listener, get: (key: string) => string | undefined): TlsOptions {
  const own = keystoreOptions(get, configError);
  if (own.pfx === undefined && own.key === undefined) {
    throw configError(`Listener ${l.name} (${l.securityProtocol}) needs a keystore: ssl.keystore.location (PKCS12 or PEM), or ssl.keystore.key with ssl.keystore.certificate.chain`);
  }
  const clientAuth = (get('ssl.client.auth') ?? 'none').trim().toLowerCase();
  if (clientAuth !== 'none' && clientAuth !== 'requested' && clientAuth !== 'required') {
    throw configError(`Invalid value ${clientAuth} for configuration ssl.client.auth: String must be one of: required, requested, none`);
  }
  const opts: TlsOptions = { ...own, ...truststoreOptions(get, configError) };
  if (clientAuth !== 'none') {
    opts.requestCert = true;
    opts.rejectUnauthorized = clientAuth === 'required';
  }
  const protocols = get('ssl.enabled.protocols');
  if (protocols && !protocols.includes('TLSv1.2') && protocols.includes('TLSv1.3')) opts.minVersion = 'TLSv1.3';
  return opts;
}

function saslConfig(l: Listener, props: Properties, get: (key: string) => string | undefined, env: NodeJS.ProcessEnv): SaslServerConfig {
  const mechanisms = (get('sasl.enabled.mechanisms') ?? 'GSSAPI').split(',').map((m) => m.trim().toUpperCase()).filter((m) => m !== '');
  for (const m of mechanisms) {
    if (m !== 'PLAIN') throw configError(`SASL mechanism ${m} in sasl.enabled.mechanisms of listener ${l.name} is not supported by ktool's broker (supported: PLAIN)`);
  }
  const users = plainUsers(l, props, env);
  return {
    mechanisms,
    authenticate(mechanism, token) {
      if (mechanism !== 'PLAIN') return { ok: false, error: `Unsupported SASL mechanism ${mechanism}` };
      return checkPlain(token, users);
    },
  };
}

/** The `user_<name>="<password>"` options of the listener's PlainLoginModule entry. */
function plainUsers(l: Listener, props: Properties, env: NodeJS.ProcessEnv): Map<string, Buffer> {
  const listener = l.name.toLowerCase();
  let entries: JaasEntry[] | undefined;
  try {
    const inline = props.get(`listener.name.${listener}.plain.sasl.jaas.config`);
    if (inline) entries = parseJaasConfig(inline);
    const file = /-Djava\.security\.auth\.login\.config=(\S+)/.exec(env.KAFKA_OPTS ?? '')?.[1];
    if (!entries && file) {
      const text = readFileSync(file, 'utf8');
      entries = parseJaasFileSection(text, `${listener}.KafkaServer`) ?? parseJaasFileSection(text, 'KafkaServer');
    }
  } catch (e) {
    throw configError(`Invalid JAAS configuration for listener ${l.name}: ${(e as Error).message}`);
  }
  const entry = entries?.find((e) => e.loginModule === PLAIN_LOGIN_MODULE);
  if (!entry) {
    throw configError(`Could not find a 'KafkaServer' or '${listener}.KafkaServer' entry in the JAAS configuration (set listener.name.${listener}.plain.sasl.jaas.config to a ${PLAIN_LOGIN_MODULE} entry with user_<name>="<password>" options)`);
  }
  const users = new Map<string, Buffer>();
  for (const [key, value] of Object.entries(entry.options)) if (key.startsWith('user_')) users.set(key.slice(5), Buffer.from(value, 'utf8'));
  return users;
}

/** RFC 4616: [authzid] NUL authcid NUL passwd, checked as Kafka's PlainSaslServer checks it. */
function checkPlain(token: Buffer, users: ReadonlyMap<string, Buffer>): SaslOutcome {
  const parts = token.toString('utf8').split('\u0000');
  if (parts.length !== 3) return { ok: false, error: `Invalid SASL/PLAIN response: expected 3 tokens, got ${parts.length}` };
  const [authzid, username, password] = parts as [string, string, string];
  if (username === '') return { ok: false, error: 'Authentication failed: username not specified' };
  if (password === '') return { ok: false, error: 'Authentication failed: password not specified' };
  const expected = users.get(username);
  const given = Buffer.from(password, 'utf8');
  // Compared in constant time; an unknown user costs the same as a wrong password.
  const reference = expected ?? given;
  const same = reference.length === given.length && timingSafeEqual(reference, given) && expected !== undefined;
  if (!same) return { ok: false, error: 'Authentication failed: Invalid username or password' };
  if (authzid !== '' && authzid !== username) return { ok: false, error: 'Authentication failed: Client requested an authorization id that is different from username' };
  return { ok: true, principal: username };
}
