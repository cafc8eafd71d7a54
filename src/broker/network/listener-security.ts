// What a listener's security protocol asks of its connections, read from Kafka's broker keys:
// SSL and SASL_SSL listeners get Node TLS options (the keystore, and a truststore when
// ssl.client.auth asks for client certificates); SASL_PLAINTEXT and SASL_SSL listeners get the
// SASL mechanisms they accept, with their users. Each ssl.*, sasl.* key may be given for one
// listener as `listener.name.<listener>.<key>` (lower-case listener name), as in Kafka.
//
// Mechanisms:
// - PLAIN, with its users in the listener's JAAS entry, as Kafka's PlainLoginModule takes them:
//   `listener.name.sasl_ssl.plain.sasl.jaas.config=org.apache.kafka.common.security.plain.
//   PlainLoginModule required user_alice="alice-secret";` (or the `KafkaServer` section of the
//   file that -Djava.security.auth.login.config names in KAFKA_OPTS);
// - SCRAM-SHA-256 and SCRAM-SHA-512, with the credentials stored through
//   AlterUserScramCredentials (`kafka-configs --entity-type users --alter --add-config
//   'SCRAM-SHA-256=[password=...]'`): salt, stored key and server key, never the password.
// GSSAPI needs Kerberos and is not here.
import { readFileSync } from 'node:fs';
import { randomBytes, timingSafeEqual } from 'node:crypto';
import type { TlsOptions } from 'node:tls';
import { brokerValue, ConfigError, type Listener } from '../../config/broker-config.js';
import type { Properties } from '../../config/properties.js';
import { keystoreOptions, protocolOptions, truststoreOptions } from '../../config/ssl-stores.js';
import { parseJaasConfig, parseJaasFileSection, type JaasEntry } from '../../client/jaas.js';
import { fromSaslName, isScramMechanism, scramAttributes, ScramHash, xor, type ScramCredential, type ScramMechanism } from '../../protocol/scram.js';

const PLAIN_LOGIN_MODULE = 'org.apache.kafka.common.security.plain.PlainLoginModule';

/** One step of an exchange; `error` is what the client is told (never the password). */
export type SaslStep =
  | { kind: 'challenge'; response: Buffer }
  | { kind: 'done'; response: Buffer }
  | { kind: 'failed'; error: string };

/** One client's exchange, token by token. */
export interface SaslSession {
  step(token: Buffer): SaslStep;
}

export interface SaslServerConfig {
  /** sasl.enabled.mechanisms, as the client is told in SaslHandshake. */
  mechanisms: string[];
  /** An exchange for a mechanism the client chose from `mechanisms`. */
  start(mechanism: string): SaslSession;
}

/** Looks up a user's stored SCRAM credential. */
export type ScramCredentials = (user: string, mechanism: ScramMechanism) => ScramCredential | undefined;

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

export function listenerSecurity(l: Listener, props: Properties, scram: ScramCredentials = () => undefined, env: NodeJS.ProcessEnv = process.env): ListenerSecurity {
  const get = listenerSetting(props, l.name);
  const security: ListenerSecurity = {};
  if (l.securityProtocol === 'SSL' || l.securityProtocol === 'SASL_SSL') security.tls = tlsOptions(l, get);
  if (l.securityProtocol === 'SASL_PLAINTEXT' || l.securityProtocol === 'SASL_SSL') security.sasl = saslConfig(l, props, get, scram, env);
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
  const opts: TlsOptions = { ...own, ...truststoreOptions(get, configError), ...protocolOptions(get, 'ssl.enabled.protocols') };
  if (clientAuth !== 'none') {
    opts.requestCert = true;
    opts.rejectUnauthorized = clientAuth === 'required';
  }
  return opts;
}

function saslConfig(l: Listener, props: Properties, get: (key: string) => string | undefined, scram: ScramCredentials, env: NodeJS.ProcessEnv): SaslServerConfig {
  const mechanisms = (get('sasl.enabled.mechanisms') ?? 'GSSAPI').split(',').map((m) => m.trim().toUpperCase()).filter((m) => m !== '');
  for (const m of mechanisms) {
    if (m !== 'PLAIN' && !isScramMechanism(m)) {
      throw configError(`SASL mechanism ${m} in sasl.enabled.mechanisms of listener ${l.name} is not supported by ktool's broker (supported: PLAIN, SCRAM-SHA-256, SCRAM-SHA-512)`);
    }
  }
  const users = mechanisms.includes('PLAIN') ? plainUsers(l, props, env) : new Map<string, Buffer>();
  return {
    mechanisms,
    start(mechanism): SaslSession {
      if (isScramMechanism(mechanism)) return scramSession(mechanism, scram);
      return { step: (token) => checkPlain(token, users) };
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
function checkPlain(token: Buffer, users: ReadonlyMap<string, Buffer>): SaslStep {
  const failed = (error: string): SaslStep => ({ kind: 'failed', error });
  const parts = token.toString('utf8').split('\u0000');
  if (parts.length !== 3) return failed(`Invalid SASL/PLAIN response: expected 3 tokens, got ${parts.length}`);
  const [authzid, username, password] = parts as [string, string, string];
  if (username === '') return failed('Authentication failed: username not specified');
  if (password === '') return failed('Authentication failed: password not specified');
  const expected = users.get(username);
  const given = Buffer.from(password, 'utf8');
  // Compared in constant time; an unknown user costs the same as a wrong password.
  const reference = expected ?? given;
  const same = reference.length === given.length && timingSafeEqual(reference, given) && expected !== undefined;
  if (!same) return failed('Authentication failed: Invalid username or password');
  if (authzid !== '' && authzid !== username) return failed('Authentication failed: Client requested an authorization id that is different from username');
  return { kind: 'done', response: Buffer.alloc(0) };
}

/**
 * RFC 5802's server side in two steps: client-first → server-first (nonce, salt, iterations);
 * client-final → server-final (the server signature) once the proof matches the stored key. No
 * channel binding, as in Kafka. Any failure is Kafka's one message, whatever went wrong.
 */
function scramSession(mechanism: ScramMechanism, credentials: ScramCredentials): SaslSession {
  const scram = new ScramHash(mechanism);
  const invalid: SaslStep = { kind: 'failed', error: `Authentication failed during authentication due to invalid credentials with SASL mechanism ${mechanism}` };
  let expect: { gs2: string; clientFirstBare: string; serverFirst: string; nonce: string; credential: ScramCredential } | undefined;
  let finished = false;
  return {
    step(token) {
      if (finished) return invalid;
      const text = token.toString('utf8');
      if (expect === undefined) {
        // gs2 header: "n,," or "y,," (no channel binding), optionally with an authzid "n,a=name,".
        const m = /^([ny]),(a=[^,]*)?,(.*)$/s.exec(text);
        if (!m) return invalid;
        const clientFirstBare = m[3]!;
        const attrs = scramAttributes(clientFirstBare);
        const user = fromSaslName(attrs.get('n') ?? '');
        const clientNonce = attrs.get('r');
        const authzid = m[2] === undefined ? '' : fromSaslName(m[2].slice(2));
        const credential = user === '' ? undefined : credentials(user, mechanism);
        if (!clientNonce || credential === undefined || (authzid !== '' && authzid !== user)) {
          finished = true;
          return invalid;
        }
        const nonce = clientNonce + randomBytes(18).toString('base64');
        const serverFirst = `r=${nonce},s=${credential.salt.toString('base64')},i=${credential.iterations}`;
        expect = { gs2: `${m[1]},${m[2] ?? ''},`, clientFirstBare, serverFirst, nonce, credential };
        return { kind: 'challenge', response: Buffer.from(serverFirst, 'utf8') };
      }
      finished = true;
      const proofAt = text.lastIndexOf(',p=');
      if (proofAt < 0) return invalid;
      const attrs = scramAttributes(text);
      // The nonce must end with ours, as Kafka checks it: librdkafka sends its own nonce before
      // the server's (which already starts with it), and Kafka accepts that.
      if (attrs.get('c') !== Buffer.from(expect.gs2, 'utf8').toString('base64') || !(attrs.get('r') ?? '').endsWith(expect.nonce)) return invalid;
      const proof = Buffer.from(attrs.get('p') ?? '', 'base64');
      const { storedKey, serverKey } = expect.credential;
      if (proof.length !== storedKey.length) return invalid;
      const authMessage = `${expect.clientFirstBare},${expect.serverFirst},${text.slice(0, proofAt)}`;
      const clientKey = xor(proof, scram.hmac(storedKey, authMessage));
      if (!timingSafeEqual(scram.h(clientKey), storedKey)) return invalid;
      return { kind: 'done', response: Buffer.from(`v=${scram.hmac(serverKey, authMessage).toString('base64')}`, 'utf8') };
    },
  };
}
