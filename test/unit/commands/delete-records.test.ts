import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { resultLines } from '../../../src/commands/delete-records.js';
import { duplicatePartitions, parseOffsetJson } from '../../../src/commands/delete-records/offset-json.js';
import { KafkaProtocolError } from '../../../src/client/kafka-errors.js';
import { runCli } from '../../helpers/run-cli.js';

describe('--offset-json-file', () => {
  it('reads Kafka\'s format; version is optional', () => {
    const entries = [{ topic: 'foo', partition: 1, offset: 1n }, { topic: 'bar', partition: 0, offset: -1n }];
    expect(parseOffsetJson('{"partitions":[{"topic":"foo","partition":1,"offset":1},{"topic":"bar","partition":0,"offset":-1}],"version":1}')).toEqual(entries);
    expect(parseOffsetJson('{"partitions":[{"topic":"foo","partition":1,"offset":1},{"topic":"bar","partition":0,"offset":-1}]}')).toEqual(entries);
  });

  it.each([
    ['{"partitions": [', 'The input string is not a valid JSON'],
    ['{"version": 1}', 'Missing partitions field'],
    ['{"version": 2, "partitions": []}', 'Not supported version field value 2'],
    ['{"version": "1", "partitions": []}', 'Expected `Integer` value, received "1"'],
    ['[1]', 'Expected JSON object, received [1]'],
    ['{"partitions": {}}', 'Expected JSON array, received {}'],
    ['{"partitions": [{"partition": 0, "offset": 1}]}', 'No such field exists: `topic`'],
    ['{"partitions": [{"topic": "t", "partition": "0", "offset": 1}]}', 'Expected `Integer` value, received "0"'],
    ['{"partitions": [{"topic": 1, "partition": 0, "offset": 1}]}', 'Expected `String` value, received 1'],
    ['{"partitions": [{"topic": "t", "partition": 0, "offset": 1.5}]}', 'Expected `Long` value, received 1.5'],
  ])('%s ⇒ %s', (json, message) => expect(() => parseOffsetJson(json)).toThrow(message));

  it('names the partitions listed twice', () => {
    expect(duplicatePartitions(parseOffsetJson('{"partitions":[{"topic":"t","partition":0,"offset":1},{"topic":"t","partition":0,"offset":2},{"topic":"t","partition":1,"offset":2}]}'))).toEqual(['t-0']);
  });
});

describe('result lines', () => {
  it('prints low watermarks and errors, TAB-separated, in partition order', () => {
    const entries = [{ topic: 't', partition: 1, offset: 5n }, { topic: 't', partition: 0, offset: 5n }];
    const results = new Map([
      ['t-0', { ok: true as const, value: 5n }],
      ['t-1', { ok: false as const, error: new KafkaProtocolError(1) }],
    ]);
    expect(resultLines(entries, results)).toBe('partition: t-0\tlow_watermark: 5\npartition: t-1\terror: org.apache.kafka.common.errors.OffsetOutOfRangeException: The requested offset is not within the range of offsets maintained by the server.\n');
  });
});

describe('ktool delete-records without a cluster', () => {
  const dir = mkdtempSync(join(tmpdir(), 'ktool-delete-records-'));
  const file = (name: string, text: string): string => {
    writeFileSync(join(dir, name), text);
    return join(dir, name);
  };

  it('no arguments or a missing required option: usage, exit 1', async () => {
    const none = await runCli(['delete-records']);
    expect(none.code).toBe(1);
    expect(none.stderr).toMatch(/^This tool helps to delete records of the given partitions down to the specified offset\.\nOption/);
    const missing = await runCli(['delete-records', '--bootstrap-server', 'h:1']);
    expect(missing.code).toBe(1);
    expect(missing.stderr.split('\n')[0]).toBe('Missing required argument "[offset-json-file]"');
  });

  it('bad input ends as an uncaught Java exception would, exit 1, nothing on stdout', async () => {
    expect(await runCli(['delete-records', '--bootstrap-server', 'h:1', '--offset-json-file', file('bad.json', 'nope')]))
      .toMatchObject({ code: 1, stdout: '', stderr: 'Exception in thread "main" org.apache.kafka.server.common.AdminOperationException: The input string is not a valid JSON\n' });
    expect(await runCli(['delete-records', '--bootstrap-server', 'h:1', '--offset-json-file', file('dup.json', '{"partitions":[{"topic":"t","partition":0,"offset":1},{"topic":"t","partition":0,"offset":1}]}')]))
      .toMatchObject({ code: 1, stdout: '', stderr: 'Exception in thread "main" org.apache.kafka.server.common.AdminCommandFailedException: Offset json file contains duplicate topic partitions: t-0\n' });
    expect(await runCli(['delete-records', '--bootstrap-server', 'h:1', '--offset-json-file', join(dir, 'absent.json')]))
      .toMatchObject({ code: 1, stderr: `Exception in thread "main" java.nio.file.NoSuchFileException: ${join(dir, 'absent.json')}\n` });
    expect(await runCli(['delete-records', '--bootstrap-server', 'h:1', '--bogus']))
      .toMatchObject({ code: 1, stderr: 'Exception in thread "main" joptsimple.UnrecognizedOptionException: bogus is not a recognized option\n' });
  });
});
