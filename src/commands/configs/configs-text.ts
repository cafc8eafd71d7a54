// kafka-configs' pure pieces: reading `--add-config` (square brackets protect commas) and the
// lines `--describe` prints.
import type { DescribedConfigEntry } from '../../client/config-admin.js';
import { illegalArgument } from './configs-options.js';

/** A comma (or `=`) outside square brackets: the rest of the text has no `]` before the next `[`. */
const OUTSIDE_BRACKETS = '(?=[^\\]]*(?:\\[|$))';

/** Java's String.split with limit 0: trailing empty strings removed. */
function javaSplit(text: string, re: RegExp): string[] {
  const parts = text.split(re);
  while (parts.length > 1 && parts[parts.length - 1] === '') parts.pop();
  return parts;
}

/**
 * `k1=v1,k2=[a,b],k3=` → Map {k1 → v1, k2 → a,b, k3 → ""}, as ConfigCommand.parseConfigsToBeAdded:
 * every `[` and `]` is dropped from values, keys and values trimmed, later keys win.
 */
export function parseAddConfig(text: string): Map<string, string> {
  const pairs = javaSplit(text, new RegExp(`,${OUTSIDE_BRACKETS}`)).map((item) => item.split(new RegExp(`\\s*=\\s*${OUTSIDE_BRACKETS}`)));
  if (!pairs.every((p) => p.length === 2)) {
    throw illegalArgument('requirement failed: Invalid entity config: all configs to be added must be in the format "key=val" or  "key=[val1,val2]" to group values which contain commas.');
  }
  const out = new Map<string, string>();
  for (const [k, v] of pairs) out.set(k!.trim(), v!.replace(/[[\]]/g, '').trim());
  return out;
}

/** ConfigCommand.validatePropsKey. */
export function validateConfigKeys(keys: Iterable<string>): void {
  for (const k of keys) if (!/^[a-zA-Z0-9._-]*$/.test(k)) throw illegalArgument(`Invalid character found for config key: ${k}`);
}

/** `Dynamic configs for topic t are:` / `All configs for broker 0 are:` / the default brokers' header. */
export function describeHeader(entityType: string, entityName: string, describeAll: boolean): string {
  if (entityName === '') return `Default configs for ${entityType} in the cluster are:`;
  return `${describeAll ? 'All' : 'Dynamic'} configs for ${entityType.slice(0, -1)} ${entityName} are:`;
}

/** `  name=value sensitive=false synonyms={SOURCE:name=value, ...}` (null values print as `null`). */
export function describeLine(e: DescribedConfigEntry): string {
  const synonyms = e.synonyms.map((s) => `${s.source}:${s.name}=${s.value}`).join(', ');
  return `  ${e.name}=${e.value} sensitive=${e.isSensitive} synonyms={${synonyms}}`;
}

/** The source a describe without --all keeps for an entity (null: keep everything). */
export function dynamicSourceOf(entityType: string, entityName: string): string | null {
  if (entityType === 'topics') return 'DYNAMIC_TOPIC_CONFIG';
  if (entityType === 'brokers') return entityName === '' ? 'DYNAMIC_DEFAULT_BROKER_CONFIG' : 'DYNAMIC_BROKER_CONFIG';
  return null;
}

/** Entries to print: filtered to the entity's dynamic source unless --all, sorted by name. */
export function entriesToShow(entries: readonly DescribedConfigEntry[], entityType: string, entityName: string, describeAll: boolean): DescribedConfigEntry[] {
  const source = describeAll ? null : dynamicSourceOf(entityType, entityName);
  return entries.filter((e) => source === null || e.source === source).sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
}

export function completedMessage(entityType: string, entityName: string): string {
  return entityName !== '' ? `Completed updating config for ${entityType.slice(0, -1)} ${entityName}.` : `Completed updating default config for ${entityType} in the cluster.`;
}
