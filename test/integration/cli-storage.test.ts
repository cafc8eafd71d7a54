// kafka-storage as the KRaft quickstarts use it: `random-uuid`, then `format --standalone -t <id>
// -c <server.properties>`, then the broker starts with that cluster id (and with the SCRAM users
// `--add-scram` bootstrapped), through the real ktool binary; its texts and exit codes for
// formatted dirs, --ignore-formatted, info and argparse4j errors.
import { rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { Broker } from '../../src/broker/index.js';
import { brokerConfigFrom } from '../../src/config/broker-config.js';
import { readPropertiesFile } from '../../src/config/properties.js';
import { silentLogger } from '../../src/log.js';
import { runCli } from '../helpers/run-cli.js';
import { assertBuilt, runKtool } from '../helpers/run-process.js';
import { tempDir } from '../helpers/start-broker.js';

const dirs: string[] = [];
afterEach(() => {
  for (const d of dirs.splice(0)) rmSync(d, { recursive: true, force: true });
});

/** A server.properties for node 1 with its log dir in a temp dir. */
function serverConfig(): { config: string; logDir: string } {
  const root = tempDir('ktool-storage-');
  dirs.push(root);
  const logDir = join(root, 'kraft-combined-logs');
  const config = join(root, 'server.properties');
  writeFileSync(config, `process.roles=broker,controller\nnode.id=1\nlisteners=PLAINTEXT://127.0.0.1:0\nlog.dirs=${logDir}\n`);
  return { config, logDir };
}

describe('kafka-storage', () => {
  it('formats as the KRaft 4.x quickstart does, and the broker starts in that cluster', async () => {
    assertBuilt();
    const { config, logDir } = serverConfig();
    const uuid = await runKtool(['kafka-storage.sh', 'random-uuid'], { timeoutMs: 30_000 });
    expect(uuid.code).toBe(0);
    const id = uuid.stdout.trim();
    expect(id).toMatch(/^[A-Za-z0-9_][A-Za-z0-9_-]{21}$/);
    const formatted = await runKtool(['kafka-storage', 'format', '--standalone', '-t', id, '-c', config], { timeoutMs: 30_000 });
    expect(formatted).toMatchObject({ code: 0, stdout: `Formatting dynamic metadata voter directory ${logDir} with metadata.version 4.0-IV3.\n` });
    const meta = readPropertiesFile(join(logDir, 'meta.properties'));
    expect(Object.fromEntries(meta)).toMatchObject({ 'cluster.id': id, 'node.id': '1', version: '1' });
    const broker = await Broker.start(brokerConfigFrom(readPropertiesFile(config)), silentLogger);
    try {
      expect(broker.clusterId).toBe(id);
    } finally {
      await broker.close();
    }
  });

  it('refuses a formatted dir unless --ignore-formatted, and says when all are formatted', async () => {
    const { config, logDir } = serverConfig();
    const id = (await runCli(['storage', 'random-uuid'])).stdout.trim();
    expect((await runCli(['storage', 'format', '-t', id, '-c', config])).stdout).toBe(`Formatting metadata directory ${logDir} with metadata.version 4.0-IV3.\n`);
    const again = await runCli(['storage', 'format', '-t', id, '-c', config]);
    expect(again.code).toBe(1);
    expect(again.stderr).toBe(`Log directory ${logDir} is already formatted. Use --ignore-formatted to ignore this directory and format the others.\n`);
    expect(await runCli(['storage', 'format', '-t', id, '-c', config, '--ignore-formatted'])).toMatchObject({ code: 0, stdout: 'All of the log directories are already formatted.\n' });
    const info = await runCli(['storage', 'info', '-c', config]);
    expect(info.code).toBe(0);
    expect(info.stdout).toMatch(new RegExp(`^Found log directory:\n  ${logDir}\n\nFound metadata: \\{cluster.id=${id}, directory.id=[A-Za-z0-9_-]{22}, node.id=1, version=1\\}\n\n$`));
  });

  it('bootstraps SCRAM users with --add-scram', async () => {
    const { config } = serverConfig();
    const id = (await runCli(['storage', 'random-uuid'])).stdout.trim();
    const r = await runCli(['storage', 'format', '-t', id, '-c', config, '--add-scram', 'SCRAM-SHA-512=[name=alice,iterations=8192,password=alice-secret]']);
    expect(r.code, r.stderr).toBe(0);
    const broker = await Broker.start(brokerConfigFrom(readPropertiesFile(config)), silentLogger);
    try {
      expect(broker.state.metadata.scramUsers().get('alice')).toEqual([{ mechanism: 'SCRAM-SHA-512', iterations: 8192 }]);
      const described = await runCli(['configs', '--bootstrap-server', `127.0.0.1:${broker.port}`, '--describe', '--user', 'alice']);
      expect(described.stdout).toBe("SCRAM credential configs for user-principal 'alice' are SCRAM-SHA-512=iterations=8192\n");
    } finally {
      await broker.close();
    }
  });

  it('answers bad arguments as argparse4j does', async () => {
    const none = await runCli(['storage']);
    expect(none.code).toBe(1);
    expect(none.stderr).toBe('usage: kafka-storage [-h] {info,format,version-mapping,feature-dependencies,random-uuid} ...\nkafka-storage: error: too few arguments\n');
    const bogus = await runCli(['storage', 'bogus']);
    expect(bogus.stderr).toContain("kafka-storage: error: argument action: invalid choice: 'bogus' (choose from 'info', 'format', 'version-mapping', 'feature-dependencies', 'random-uuid')");
    const noId = await runCli(['storage', 'format', '-c', 'x.properties']);
    expect(noId.code).toBe(1);
    expect(noId.stderr).toMatch(/^usage: kafka-storage format \[-h\] --config CONFIG --cluster-id CLUSTER_ID[\s\S]*kafka-storage format: error: argument --cluster-id is required\n$/);
    const { config } = serverConfig();
    const badId = await runCli(['storage', 'format', '-t', 'not-a-uuid', '-c', config]);
    expect(badId.code).toBe(1);
    expect(badId.stderr).toContain('Cluster ID string not-a-uuid does not appear to be a valid UUID');
  });
});
