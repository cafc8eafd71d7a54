// The CLI contract without a broker: which stream, which text, which exit code.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { findCommand } from '../../../src/cli.js';
import { serverStartOptions } from '../../../src/commands/server-start.js';
import { runCli } from '../../helpers/run-cli.js';

const runDir = mkdtempSync(join(tmpdir(), 'ktool-cli-test-'));
afterAll(() => rmSync(runDir, { recursive: true, force: true }));

describe('ktool top level', () => {
  it('--version prints the Kafka version on stdout, exit 0', async () => {
    expect(await runCli(['--version'])).toMatchObject({ code: 0, stdout: '4.0.0\n', stderr: '' });
  });

  it('--help lists the working commands on stdout, exit 0', async () => {
    const r = await runCli(['--help']);
    expect(r.code).toBe(0);
    for (const c of ['topics', 'console-producer', 'console-consumer', 'server-start', 'server-stop']) expect(r.stdout).toContain(c);
  });

  it('an unknown command fails', async () => {
    const r = await runCli(['no-such-command']);
    expect(r.code).toBe(1);
    expect(r.stderr).toContain("unknown command 'no-such-command'");
  });

  it.each([
    ['topics', 'topics'], ['kafka-topics', 'topics'], ['kafka-topics.sh', 'topics'], ['kafka-topics.bat', 'topics'],
    ['kafka-console-consumer.sh', 'console-consumer'], ['kafka-server-stop', 'server-stop'], ['kafka-configs.sh', 'configs'], ['kafka-log-dirs', 'log-dirs'], ['kafka-reassign-partitions.sh', undefined],
  ])('resolves %s to %s', (name, command) => {
    expect(findCommand(name)?.name).toBe(command);
  });
});

describe('Kafka-style usage errors', () => {
  it('an unknown option prints the reason and the option table on stderr, exit 1', async () => {
    // (--zookeeper is known: ktool supports it as Kafka 2.x did. Abbreviations are not.)
    const r = await runCli(['kafka-topics.sh', '--bootstrap-server', 'localhost:9092', '--list', '--bootstrap', 'localhost:2181']);
    expect(r.code).toBe(1);
    expect(r.stdout).toBe('');
    expect(r.stderr.split('\n')[0]).toBe('bootstrap is not a recognized option');
    expect(r.stderr).toMatch(/\nOption +Description\n------ +-----------\n/);
    expect(r.stderr).toContain('--bootstrap-server <String: server to');
  });

  it('--help prints usage on stderr and exits 1, as jopt tools do', async () => {
    const r = await runCli(['topics', '--help']);
    expect(r.code).toBe(1);
    expect(r.stdout).toBe('');
    expect(r.stderr.split('\n')[0]).toBe('This tool helps to create, delete, describe, or change a topic.');
  });

  it('no arguments prints usage, exit 1', async () => {
    const r = await runCli(['topics']);
    expect(r.code).toBe(1);
    expect(r.stderr.split('\n')[0]).toBe('Create, delete, describe, or change a topic.');
  });

  it('<command> --version prints the version on stdout, exit 0', async () => {
    for (const c of ['topics', 'console-producer', 'console-consumer', 'server-start']) {
      expect(await runCli([c, '--version'])).toMatchObject({ code: 0, stdout: '4.0.0\n' });
    }
  });

  it('topics without an action gives the exact message', async () => {
    const r = await runCli(['topics', '--bootstrap-server', 'localhost:9092']);
    expect(r.code).toBe(1);
    expect(r.stderr.split('\n')[0]).toBe('Command must include exactly one action: --list, --describe, --create, --alter or --delete');
  });

  it('topics without --bootstrap-server: message only, exit 1', async () => {
    expect(await runCli(['topics', '--list'])).toMatchObject({ code: 1, stdout: '', stderr: '--bootstrap-server must be specified\n' });
  });

  it('a missing option value and a bad number', async () => {
    const a = await runCli(['console-consumer', '--bootstrap-server']);
    expect(a.code).toBe(1);
    expect(a.stderr.split('\n')[0]).toBe('Option bootstrap-server requires an argument');
    const b = await runCli(['console-consumer', '--bootstrap-server', 'h:1', '--topic', 't', '--max-messages', 'ten']);
    expect(b.stderr.split('\n')[0]).toBe("Cannot parse argument 'ten' of option max-messages");
  });

  it('single-dash long options work', async () => {
    const r = await runCli(['console-consumer', '-bootstrap-server', 'h:1', '-topic', 't', '-offset', '3']);
    expect(r.stderr.split('\n')[0]).toBe('The partition is required when offset is specified.');
  });

  it('dispatches on the name of the link the binary was invoked through', async () => {
    const r = await runCli(['--help'], { argv0: '/opt/kafka/bin/kafka-console-producer.sh' });
    expect(r.code).toBe(1);
    expect(r.stderr.split('\n')[0]).toBe('This tool helps to read data from standard input and publish it to Kafka.');
  });

  it('kafka-consumer-groups.sh dispatches to consumer-groups', async () => {
    expect(await runCli(['kafka-consumer-groups.sh', '--version'])).toMatchObject({ code: 0, stdout: '4.0.0\n', stderr: '' });
    const r = await runCli(['consumer-groups']);
    expect(r.code).toBe(1);
    expect(r.stderr.split('\n')[0]).toBe('This tool helps to list all consumer groups, describe a consumer group, delete consumer group info, or reset consumer group offsets.');
  });

  it('a missing --command-config file is reported like Java', async () => {
    const r = await runCli(['topics', '--bootstrap-server', 'h:1', '--list', '--command-config', '/nonexistent/admin.properties']);
    expect(r).toMatchObject({ code: 1, stderr: '/nonexistent/admin.properties (No such file or directory)\n' });
  });
});

describe('server scripts', () => {
  it('server-start parses [-daemon] [file] [--override k=v]...', () => {
    const io = { stdout: { write: () => true } } as never;
    expect(serverStartOptions([], io)).toEqual({ daemon: false, propertiesFile: undefined, overrides: [] });
    expect(serverStartOptions(['-daemon', 'config/server.properties', '--override', 'a=1', '--override', 'b=2'], io)).toEqual({ daemon: true, propertiesFile: 'config/server.properties', overrides: ['a=1', 'b=2'] });
    expect(serverStartOptions(['--override', 'a=1'], io)).toEqual({ daemon: false, propertiesFile: undefined, overrides: ['a=1'] });
  });

  it('server-start rejects stray positionals', async () => {
    const r = await runCli(['server-start', 'server.properties', 'extra', 'more']);
    expect(r.code).toBe(1);
    expect(r.stderr.split('\n')[0]).toBe('Found non argument parameters: extra,more');
  });

  it('server-start --help prints the usage line, exit 1', async () => {
    const r = await runCli(['kafka-server-start.sh', '--help']);
    expect(r.code).toBe(1);
    expect(r.stderr.split('\n')[0]).toBe('USAGE: ktool server-start [-daemon] [server.properties] [--override property=value]*');
  });

  it('server-stop with nothing running prints "No kafka server to stop" and exits 1', async () => {
    expect(await runCli(['server-stop'], { env: { KTOOL_RUN_DIR: runDir } })).toMatchObject({ code: 1, stdout: 'No kafka server to stop\n', stderr: '' });
  });
});
