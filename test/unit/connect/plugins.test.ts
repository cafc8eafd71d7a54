import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { PluginRegistry } from '../../../src/connect/plugins.js';
import { tempDir } from '../../helpers/start-broker.js';

const sink = (cls: string, className: string) => `export class ${cls} {
  static className = '${className}';
  type = 'sink';
  version() { return '9'; }
  config() { return []; }
  start() {}
  taskClass() { return class {}; }
  taskConfigs() { return []; }
  stop() {}
}\n`;

describe('PluginRegistry', () => {
  it('resolves the built-ins by full name, simple name and simple name without Connector', () => {
    const r = new PluginRegistry();
    for (const name of ['org.apache.kafka.connect.file.FileStreamSourceConnector', 'FileStreamSourceConnector', 'FileStreamSource']) {
      expect(r.find(name).className).toBe('org.apache.kafka.connect.file.FileStreamSourceConnector');
    }
    expect(r.find('FileStreamSink').type).toBe('sink');
    expect(() => r.find('Nope')).toThrow('Failed to find any class that implements Connector and which name matches Nope, available connectors are: org.apache.kafka.connect.file.FileStreamSinkConnector, org.apache.kafka.connect.file.FileStreamSourceConnector');
  });

  it('loads JavaScript modules from plugin.path files, folders and packages, and skips jars', async () => {
    const dir = tempDir('ktool-plugins-');
    writeFileSync(join(dir, 'single.mjs'), sink('ASinkConnector', 'com.a.ASinkConnector'));
    mkdirSync(join(dir, 'folder', 'pkg'), { recursive: true });
    writeFileSync(join(dir, 'folder', 'pkg', 'package.json'), JSON.stringify({ type: 'module', main: 'lib.js' }));
    writeFileSync(join(dir, 'folder', 'pkg', 'lib.js'), sink('BSinkConnector', 'com.b.BSinkConnector') + sink('Other', 'com.c.BSinkConnector'));
    writeFileSync(join(dir, 'folder', 'connect-file-4.0.0.jar'), 'PK');
    writeFileSync(join(dir, 'folder', 'broken.mjs'), 'export const x = ;');
    const lines: string[] = [];
    const log = { trace() {}, debug() {}, info: (m: string) => lines.push(m), warn: (m: string) => lines.push(m), error: (m: string) => lines.push(m), child: () => log };
    const r = new PluginRegistry(log);
    await r.loadPluginPath([join(dir, 'single.mjs'), join(dir, 'folder'), 'missing-dir'], dir);
    expect(r.find('com.a.ASinkConnector').version).toBe('9');
    expect(r.find('ASink').className).toBe('com.a.ASinkConnector');
    expect(() => r.find('BSink')).toThrow('More than one connector matches alias BSink. Please use full package and class name instead. Classes found: com.b.BSinkConnector, com.c.BSinkConnector');
    expect(lines.some((l) => l.includes('connect-file-4.0.0.jar'))).toBe(true);
    expect(lines.some((l) => l.startsWith('Failed to load plugin module') && l.includes('broken.mjs'))).toBe(true);
    expect(lines.some((l) => l.includes('missing-dir does not exist'))).toBe(true);
  });
});
