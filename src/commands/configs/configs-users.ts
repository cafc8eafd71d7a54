// kafka-configs for `--entity-type users`: SCRAM credentials (KIP-554) and the users' client
// quotas, as ConfigCommand handles them with --bootstrap-server. Altering quotas (and anything
// with `clients`) is refused clearly: ktool does not speak AlterClientQuotas yet.
import { KtoolError } from '../../errors.js';
import { isScramMechanism, SCRAM_MIN_ITERATIONS, type ScramMechanism } from '../../protocol/scram.js';
import type { ScramUpsertion, UserAdmin } from '../../client/user-admin.js';
import { javaDoubleToString } from '../../connect/data/java-text.js';
import type { CliIO } from '../shared/io.js';
import { illegalArgument } from './configs-options.js';

const QUOTA_KEYS = new Set(['producer_byte_rate', 'consumer_byte_rate', 'request_percentage', 'controller_mutation_rate']);
/** ConfigCommand's default when `iterations=` is left out (or -1). */
const DEFAULT_ITERATIONS = 4096;

/** A Scala Set's toString, as Kafka's messages print the offending names. */
const scalaSet = (names: readonly string[]): string => `Set(${names.join(', ')})`;

const noQuotas = (): KtoolError => new KtoolError('UNSUPPORTED_ENTITY_TYPE', 'ktool configs does not alter client quotas yet: only the SCRAM credentials of users (SCRAM-SHA-256, SCRAM-SHA-512).');

/** `[iterations=8192,]password=secret` (brackets already dropped), as ConfigCommand reads it. */
function upsertion(mechanism: ScramMechanism, value: string): ScramUpsertion {
  const m = /^(?:iterations=(-?[0-9]*),)?password=(.*)$/s.exec(value);
  if (!m) throw illegalArgument(`Invalid credential property ${mechanism}=${value}`);
  const iterations = m[1] !== undefined && m[1] !== '-1' ? Number(m[1]) : DEFAULT_ITERATIONS;
  if (!Number.isInteger(iterations)) throw illegalArgument(`Invalid credential property ${mechanism}=${value}`);
  if (iterations < SCRAM_MIN_ITERATIONS) throw illegalArgument(`Iterations ${iterations} is less than the minimum ${SCRAM_MIN_ITERATIONS} required for ${mechanism}`);
  return { mechanism, iterations, password: m[2]! };
}

export async function alterUser(admin: UserAdmin, user: string, toAdd: ReadonlyMap<string, string>, toDelete: readonly string[], io: CliIO): Promise<void> {
  const unknownAdd = [...toAdd.keys()].filter((k) => !isScramMechanism(k) && !QUOTA_KEYS.has(k));
  if (unknownAdd.length > 0) throw illegalArgument(`Only quota and SCRAM credential configs can be added for 'users' using --bootstrap-server. Unexpected config names: ${scalaSet(unknownAdd)}`);
  const unknownDelete = toDelete.filter((k) => !isScramMechanism(k) && !QUOTA_KEYS.has(k));
  if (unknownDelete.length > 0) throw illegalArgument(`Only quota and SCRAM credential configs can be deleted for 'users' using --bootstrap-server. Unexpected config names: ${scalaSet(unknownDelete)}`);
  const scramAdd = [...toAdd].filter(([k]) => isScramMechanism(k)) as Array<[ScramMechanism, string]>;
  const scramDelete = toDelete.filter(isScramMechanism);
  const quotas = [...toAdd.keys(), ...toDelete].some((k) => QUOTA_KEYS.has(k));
  if (scramAdd.length > 0 || scramDelete.length > 0) {
    if (user === '') throw illegalArgument('The use of --entity-default or --user-defaults is not allowed with User SCRAM Credentials using --bootstrap-server.');
    if (quotas) throw illegalArgument("Cannot alter both quota and SCRAM credential configs simultaneously for 'users' using --bootstrap-server.");
  }
  if (quotas) throw noQuotas();
  await admin.alterScramCredentials(user, scramAdd.map(([mechanism, value]) => upsertion(mechanism, value)), scramDelete);
  io.stdout.write(user !== '' ? `Completed updating config for user ${user}.\n` : 'Completed updating default config for users in the cluster.\n');
}

/** Quota lines, then (for named users or all users, never the default) SCRAM lines. */
export async function describeUsers(admin: UserAdmin, names: readonly string[], io: CliIO): Promise<void> {
  const targets: Array<string | null> = names.length === 0 ? [null] : names.map((n) => n);
  for (const name of targets) {
    const entries = await admin.describeClientQuotas('user', name === '' ? null : name, name === null);
    for (const e of entries) {
      const who = e.entity.map((c) => (c.name === null ? `the default ${c.type}-principal` : `${c.type}-principal '${c.name}'`)).join(', ');
      io.stdout.write(`Quota configs for ${who} are ${e.values.map((v) => `${v.key}=${javaDoubleToString(v.value)}`).join(', ')}\n`);
    }
  }
  if (names.includes('')) return;
  for (const u of await admin.describeScramCredentials(names)) {
    if (u.error !== null) {
      io.stdout.write(`Error retrieving SCRAM credential configs for user-principal '${u.user}': ${u.error.javaClass.split('.').pop()}: ${u.error.message}\n`);
      continue;
    }
    io.stdout.write(`SCRAM credential configs for user-principal '${u.user}' are ${u.credentials.map((c) => `${c.mechanism}=iterations=${c.iterations}`).join(', ')}\n`);
  }
}
