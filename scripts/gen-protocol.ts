// Generates src/protocol/messages/ from Kafka's JSON message schemas: one module per API with
// its request/response field lists (names, types, versions) and TypeScript types for them.
// Also generates src/protocol/coordinator-records/ from the schemas of the records that group and
// transaction coordinators keep in __consumer_offsets and __transaction_state.
// Usage: npm run gen:protocol [-- <kafka-protocol dir>]   (default ../shared/reference/kafka-protocol)
import { readdirSync, readFileSync, writeFileSync, mkdirSync, rmSync } from 'node:fs';
import { join, resolve, dirname } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = resolve(dirname(fileURLToPath(import.meta.url)), '..');
const reference = resolve(process.argv[2] ?? join(root, '..', 'shared', 'reference', 'kafka-protocol'));
const source = join(reference, 'messages');
const outDir = join(root, 'src', 'protocol', 'messages');
const coordinatorSources = ['group-coordinator', 'transaction-coordinator'].map((d) => join(reference, 'coordinator-records', d));
const coordinatorOutDir = join(root, 'src', 'protocol', 'coordinator-records');

interface JsonField {
  name: string;
  type: string;
  /** Absent on fields that only exist as tagged fields. */
  versions?: string;
  nullableVersions?: string;
  taggedVersions?: string;
  tag?: number;
  default?: string | number | boolean;
  flexibleVersions?: string;
  fields?: JsonField[];
}
interface JsonMessage {
  apiKey?: number;
  type: string;
  name: string;
  validVersions: string;
  flexibleVersions?: string;
  listeners?: string[];
  latestVersionUnstable?: boolean;
  fields?: JsonField[];
  commonStructs?: Array<{ name: string; versions: string; fields: JsonField[] }>;
}

/** Removes // comments outside string literals, then parses. */
function parseJsonWithComments(text: string): JsonMessage {
  let out = '';
  let inString = false;
  for (let i = 0; i < text.length; i++) {
    const c = text[i]!;
    if (inString) {
      out += c;
      if (c === '\\') out += text[++i] ?? '';
      else if (c === '"') inString = false;
    } else if (c === '"') {
      inString = true;
      out += c;
    } else if (c === '/' && text[i + 1] === '/') {
      while (i < text.length && text[i] !== '\n') i++;
      out += '\n';
    } else {
      out += c;
    }
  }
  return JSON.parse(out) as JsonMessage;
}

function versions(spec: string | undefined): string | undefined {
  if (spec === undefined) return undefined;
  const s = spec.trim();
  if (s === 'none') return 'NO_VERSIONS';
  if (s.endsWith('+')) return `[${Number(s.slice(0, -1))}, MAX_VERSION]`;
  const [a, b] = s.split('-');
  return `[${Number(a)}, ${Number(b ?? a)}]`;
}

const PRIMITIVES = new Set(['bool', 'int8', 'int16', 'uint16', 'int32', 'uint32', 'int64', 'float64', 'string', 'bytes', 'records', 'uuid']);

const camel = (s: string): string => s.charAt(0).toLowerCase() + s.slice(1);

function defaultLiteral(f: JsonField, base: string): string | undefined {
  if (f.default === undefined) return undefined;
  const d = String(f.default).trim();
  if (d === 'null') return 'null';
  switch (base) {
    case 'bool': return d === 'true' ? 'true' : 'false';
    case 'int64': return `${BigInt(d)}n`;
    case 'string': return JSON.stringify(d);
    case 'int8': case 'int16': case 'uint16': case 'int32': case 'uint32': case 'float64':
      return String(Number(d));
    default: return undefined;
  }
}

class Emitter {
  constructor(private readonly structs: Map<string, JsonField[]>) {}

  fields(list: JsonField[], indent: string): string {
    if (list.length === 0) return '[]';
    return `[\n${list.map((f) => `${indent}  ${this.field(f, indent + '  ')},`).join('\n')}\n${indent}]`;
  }

  private resolve(f: JsonField): { base: string; array: boolean; fields?: JsonField[] } {
    const array = f.type.startsWith('[]');
    const base = array ? f.type.slice(2) : f.type;
    if (PRIMITIVES.has(base)) return { base, array };
    const fields = f.fields ?? this.structs.get(base);
    if (!fields) throw new Error(`unknown struct type ${base} in field ${f.name}`);
    return { base: 'struct', array, fields };
  }

  private field(f: JsonField, indent: string): string {
    const t = this.resolve(f);
    const parts = [`name: '${camel(f.name)}'`, `type: '${t.base}'`];
    if (t.array) parts.push('array: true');
    parts.push(`versions: ${versions(f.versions ?? f.taggedVersions)}`);
    if (f.nullableVersions) parts.push(`nullable: ${versions(f.nullableVersions)}`);
    if (f.tag !== undefined) parts.push(`tag: ${f.tag}`, `taggedVersions: ${versions(f.taggedVersions)}`);
    if (f.flexibleVersions) parts.push(`flexible: ${versions(f.flexibleVersions)}`);
    const d = t.array ? undefined : defaultLiteral(f, t.base);
    if (d !== undefined) parts.push(`default: ${d}`);
    if (t.fields) parts.push(`fields: ${this.fields(t.fields, indent)}`);
    return `{ ${parts.join(', ')} }`;
  }

  type(list: JsonField[], indent: string): string {
    const lines = list.map((f) => {
      const t = this.resolve(f);
      let ts: string;
      switch (t.base) {
        case 'bool': ts = 'boolean'; break;
        case 'int64': ts = 'bigint'; break;
        case 'string': case 'uuid': ts = 'string'; break;
        case 'bytes': case 'records': ts = 'Buffer'; break;
        case 'struct': ts = this.type(t.fields!, indent + '  '); break;
        default: ts = 'number';
      }
      if (t.array) ts = `Array<${ts}>`;
      const nullable = f.nullableVersions !== undefined || t.base === 'records';
      return `${indent}  ${camel(f.name)}: ${ts}${nullable ? ' | null' : ''};`;
    });
    return lines.length === 0 ? 'Record<string, never>' : `{\n${lines.join('\n')}\n${indent}}`;
  }
}

function messageParts(m: JsonMessage): { schema: string; type: string } {
  const structs = new Map<string, JsonField[]>();
  for (const s of m.commonStructs ?? []) structs.set(s.name, s.fields);
  const e = new Emitter(structs);
  // Retired APIs (keys 4-7 in Kafka 4.0) have no fields and no versions.
  const fields = m.fields ?? [];
  const schema = `{\n  name: '${m.name}',\n  validVersions: ${versions(m.validVersions)},\n  flexibleVersions: ${versions(m.flexibleVersions ?? 'none')},\n  fields: ${e.fields(fields, '  ')},\n}`;
  return { schema, type: e.type(fields, '') };
}

const kebab = (s: string): string => s.replace(/([a-z0-9])([A-Z])/g, '$1-$2').toLowerCase();

const files = readdirSync(source).filter((f) => f.endsWith('.json')).sort();
const messages = files.map((f) => parseJsonWithComments(readFileSync(join(source, f), 'utf8')));
const byKey = new Map<number, { request?: JsonMessage; response?: JsonMessage }>();
const others: JsonMessage[] = [];
for (const m of messages) {
  if (m.type === 'request' || m.type === 'response') {
    const entry = byKey.get(m.apiKey!) ?? {};
    entry[m.type] = m;
    byKey.set(m.apiKey!, entry);
  } else {
    others.push(m);
  }
}

rmSync(outDir, { recursive: true, force: true });
mkdirSync(outDir, { recursive: true });
const header = (from: string[]): string =>
  `// Generated by scripts/gen-protocol.ts from Kafka's ${from.join(' and ')}. Do not edit.\n`;
/** The import line for a generated module: only the names its body uses. */
const schemaImport = (body: string, type: string): string => {
  const names = ['MAX_VERSION', 'NO_VERSIONS'].filter((n) => body.includes(n));
  return `import { ${[...names, `type ${type}`].join(', ')} } from '../schema.js';\n\n`;
};

const index: Array<{ key: number; api: string; module: string }> = [];
for (const [key, { request, response }] of [...byKey].sort((a, b) => a[0] - b[0])) {
  if (!request || !response) throw new Error(`api key ${key} lacks a request or response schema`);
  const api = request.name.replace(/Request$/, '');
  const module = kebab(api);
  const req = messageParts(request);
  const res = messageParts(response);
  const unstable = Boolean(request.latestVersionUnstable || response.latestVersionUnstable);
  const body =
      `export type ${request.name} = ${req.type};\n\nexport type ${response.name} = ${res.type};\n\n` +
      `export const ${api}: ApiSchema = {\n  apiKey: ${key},\n  name: '${api}',\n  listeners: ${JSON.stringify(request.listeners ?? [])},\n` +
      `  latestVersionUnstable: ${unstable},\n  request: ${req.schema.replace(/\n/g, '\n  ')},\n  response: ${res.schema.replace(/\n/g, '\n  ')},\n};\n`;
  writeFileSync(join(outDir, `${module}.ts`), header([`${request.name}.json`, `${response.name}.json`]) + schemaImport(body, 'ApiSchema') + body);
  index.push({ key, api, module });
}

for (const m of others) {
  const parts = messageParts(m);
  const body = `export type ${m.name} = ${parts.type};\n\nexport const ${m.name}Schema: MessageSchema = ${parts.schema};\n`;
  writeFileSync(join(outDir, `${kebab(m.name)}.ts`), header([`${m.name}.json`]) + schemaImport(body, 'MessageSchema') + body);
}

writeFileSync(
  join(outDir, 'index.ts'),
  header(['message schemas']) +
    `import type { ApiSchema } from '../schema.js';\n` +
    index.map((i) => `import { ${i.api} } from './${i.module}.js';`).join('\n') +
    `\n\n${index.map((i) => `export * from './${i.module}.js';`).join('\n')}\n` +
    `${others.map((m) => `export * from './${kebab(m.name)}.js';`).join('\n')}\n\n` +
    `/** Every API Kafka defines, in API-key order. */\nexport const ALL_APIS: readonly ApiSchema[] = [\n${index.map((i) => `  ${i.api},`).join('\n')}\n];\n\n` +
    `export const API_BY_KEY: ReadonlyMap<number, ApiSchema> = new Map(ALL_APIS.map((a) => [a.apiKey, a]));\n`,
);
console.log(`generated ${index.length} APIs and ${others.length} other schemas into ${outDir}`);

// Coordinator records: data schemas only, each a MessageSchema plus its type.
rmSync(coordinatorOutDir, { recursive: true, force: true });
mkdirSync(coordinatorOutDir, { recursive: true });
const records = coordinatorSources.flatMap((dir) =>
  readdirSync(dir).filter((f) => f.endsWith('.json')).sort().map((f) => parseJsonWithComments(readFileSync(join(dir, f), 'utf8'))),
);
for (const m of records) {
  const parts = messageParts(m);
  const body = `export type ${m.name} = ${parts.type};\n\nexport const ${m.name}Schema: MessageSchema = ${parts.schema};\n`;
  writeFileSync(join(coordinatorOutDir, `${kebab(m.name)}.ts`), header([`${m.name}.json`]) + schemaImport(body, 'MessageSchema') + body);
}
writeFileSync(
  join(coordinatorOutDir, 'index.ts'),
  header(['coordinator record schemas']) + records.map((m) => `export * from './${kebab(m.name)}.js';`).join('\n') + '\n',
);
console.log(`generated ${records.length} coordinator record schemas into ${coordinatorOutDir}`);
