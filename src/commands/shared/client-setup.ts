// Small pieces every client command needs: reading a client properties file the way the Java
// tools report a missing one, merging file < inline < forced properties, and naming the Java
// exception class of an error for the tools' stderr log lines.
import { resolve } from 'node:path';
import { readPropertiesFile, type Properties } from '../../config/properties.js';
import { KtoolError } from '../../errors.js';

export function loadClientProperties(path: string | undefined, cwd: string): Properties {
  if (path === undefined) return new Map();
  try {
    return readPropertiesFile(resolve(cwd, path));
  } catch (err) {
    const e = err as NodeJS.ErrnoException;
    const why = e.code === 'ENOENT' ? 'No such file or directory' : e.code === 'EACCES' ? 'Permission denied' : e.message;
    throw new KtoolError('CONFIG_FILE', `${path} (${why})`, { cause: err });
  }
}

/** Later maps win: `mergeProperties(file, inline)`. */
export function mergeProperties(...layers: ReadonlyArray<ReadonlyMap<string, string>>): Properties {
  const out: Properties = new Map();
  for (const layer of layers) for (const [k, v] of layer) out.set(k, v);
  return out;
}

/** The Java exception class a Kafka tool would name for this error. */
export function javaClassOf(err: unknown): string {
  const named = (err as { javaClass?: unknown } | null)?.javaClass;
  if (typeof named === 'string') return named;
  if ((err as Error | null)?.name === 'NetworkError') return 'org.apache.kafka.common.errors.NetworkException';
  if (err instanceof KtoolError) return 'java.lang.IllegalArgumentException';
  return 'org.apache.kafka.common.KafkaException';
}

export function messageOf(err: unknown): string {
  return err instanceof Error ? err.message : String(err);
}
