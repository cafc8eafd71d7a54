// The connector plugins the worker knows: the built-in FileStream connectors, plus JavaScript
// modules found through plugin.path. A `connector.class` names a plugin by its full class name,
// its simple name, or its simple name without the `Connector` suffix (FileStreamSource), as
// Kafka's Plugins.connectorClass resolves it.
//
// plugin.path lists files and directories. A `.js`/`.mjs`/`.cjs` file is a module; a directory
// holds modules and module folders (with a package.json or an index.js), one level deep, the way
// Kafka scans a plugin directory. Every export that is a class shaped like a connector (its
// instances have `type`, `start`, `taskClass` and `taskConfigs`) becomes a plugin, named by its
// static `className` if set, else by its class name. Java archives (.jar) cannot run here and are
// skipped with a note (the FileStream connectors they usually hold are built in).
import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { extname, join, resolve } from 'node:path';
import { pathToFileURL } from 'node:url';
import type { Logger } from '../log.js';
import type { Connector } from './api.js';
import { FileStreamSinkConnector } from './connectors/file-sink.js';
import { FileStreamSourceConnector } from './connectors/file-source.js';

export interface ConnectorPlugin {
  /** The full class name, e.g. org.apache.kafka.connect.file.FileStreamSourceConnector. */
  className: string;
  type: 'source' | 'sink';
  version: string;
  create(): Connector;
  /** Where it came from: 'builtin' or the module's path. */
  location: string;
}

type ConnectorClass = new () => Connector;

const MODULE_EXTENSIONS = new Set(['.js', '.mjs', '.cjs']);

export class PluginNotFoundError extends Error {
  readonly javaClassName = 'org.apache.kafka.connect.errors.ConnectException';
}

function simpleName(className: string): string {
  return className.slice(className.lastIndexOf('.') + 1);
}

function looksLikeConnector(value: unknown): value is ConnectorClass {
  if (typeof value !== 'function' || !value.prototype) return false;
  const p = value.prototype as Record<string, unknown>;
  return typeof p.start === 'function' && typeof p.taskClass === 'function' && typeof p.taskConfigs === 'function' && typeof p.stop === 'function';
}

function describe(cls: ConnectorClass, exportName: string, location: string): ConnectorPlugin | undefined {
  const instance = new cls();
  if (instance.type !== 'source' && instance.type !== 'sink') return undefined;
  const named = (cls as unknown as { className?: unknown }).className;
  const className = typeof named === 'string' && named !== '' ? named : exportName === 'default' ? cls.name : exportName;
  let version = 'undefined';
  try {
    version = String(instance.version());
  } catch {
    // Kafka shows "undefined" for a connector whose version() fails.
  }
  return { className, type: instance.type, version, create: () => new cls(), location };
}

export class PluginRegistry {
  private readonly plugins: ConnectorPlugin[] = [];

  constructor(private readonly log?: Logger) {
    for (const cls of [FileStreamSinkConnector, FileStreamSourceConnector]) this.add(describe(cls, cls.name, 'builtin')!);
  }

  get connectors(): readonly ConnectorPlugin[] {
    return this.plugins;
  }

  add(plugin: ConnectorPlugin): void {
    if (this.plugins.some((p) => p.className === plugin.className)) {
      this.log?.warn(`Connector plugin ${plugin.className} from ${plugin.location} is already loaded; keeping the first one`);
      return;
    }
    this.plugins.push(plugin);
  }

  /** Loads every plugin module on plugin.path. A module that fails to load is logged and skipped. */
  async loadPluginPath(entries: readonly string[], cwd: string): Promise<void> {
    for (const entry of entries) {
      const path = resolve(cwd, entry.trim());
      if (!existsSync(path)) {
        this.log?.warn(`Plugin path ${path} does not exist`);
        continue;
      }
      for (const module of this.modulesAt(path, 0)) await this.loadModule(module);
    }
  }

  private modulesAt(path: string, depth: number): string[] {
    const stat = statSync(path);
    if (stat.isFile()) {
      if (MODULE_EXTENSIONS.has(extname(path))) return [path];
      if (extname(path) === '.jar') this.log?.info(`Skipping ${path}: Java plugins cannot run in ktool (the FileStream connectors are built in)`);
      return [];
    }
    if (!stat.isDirectory()) return [];
    const entry = packageEntry(path);
    if (entry) return [entry];
    if (depth > 1) return [];
    const found: string[] = [];
    for (const name of readdirSync(path).sort()) {
      if (name === 'node_modules' || name.startsWith('.')) continue;
      found.push(...this.modulesAt(join(path, name), depth + 1));
    }
    return found;
  }

  private async loadModule(file: string): Promise<void> {
    let mod: Record<string, unknown>;
    try {
      mod = (await import(pathToFileURL(file).href)) as Record<string, unknown>;
    } catch (err) {
      this.log?.error(`Failed to load plugin module ${file}`, err);
      return;
    }
    // A CommonJS module's `module.exports = { A, B }` arrives as the default export.
    const fromDefault = mod.default !== null && typeof mod.default === 'object' ? Object.entries(mod.default as Record<string, unknown>) : [];
    const seen = new Set<unknown>();
    for (const [name, value] of [...Object.entries(mod), ...fromDefault]) {
      if (!looksLikeConnector(value) || seen.has(value)) continue;
      seen.add(value);
      try {
        const plugin = describe(value, name, file);
        if (plugin) {
          this.add(plugin);
          this.log?.info(`Loaded plugin ${plugin.className} (${plugin.type}, version ${plugin.version}) from ${file}`);
        }
      } catch (err) {
        this.log?.error(`Failed to instantiate connector ${name} from ${file}`, err);
      }
    }
  }

  /** The plugin `connector.class` names (full name, simple name, or simple name less `Connector`). */
  find(classOrAlias: string): ConnectorPlugin {
    const name = classOrAlias.trim();
    const exact = this.plugins.find((p) => p.className === name);
    if (exact) return exact;
    const matches = this.plugins.filter((p) => simpleName(p.className) === name || simpleName(p.className) === `${name}Connector`);
    if (matches.length === 1) return matches[0]!;
    if (matches.length > 1) {
      throw new PluginNotFoundError(`More than one connector matches alias ${name}. Please use full package and class name instead. Classes found: ${matches.map((p) => p.className).join(', ')}`);
    }
    throw new PluginNotFoundError(`Failed to find any class that implements Connector and which name matches ${name}, available connectors are: ${this.plugins.map((p) => p.className).join(', ')}`);
  }
}

/** A folder's package entry: package.json's `main` (or `exports` string), else index.{js,mjs,cjs}. */
function packageEntry(dir: string): string | undefined {
  const pkgFile = join(dir, 'package.json');
  if (existsSync(pkgFile)) {
    try {
      const pkg = JSON.parse(readFileSync(pkgFile, 'utf8')) as { main?: unknown; exports?: unknown };
      const main = typeof pkg.exports === 'string' ? pkg.exports : typeof pkg.main === 'string' ? pkg.main : undefined;
      if (main) return resolve(dir, main);
    } catch {
      // A broken package.json: fall back to the index file.
    }
  }
  for (const index of ['index.js', 'index.mjs', 'index.cjs']) if (existsSync(join(dir, index))) return join(dir, index);
  return undefined;
}
