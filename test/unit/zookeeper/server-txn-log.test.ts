// The transaction log and snapshots: ZooKeeper's record framing, recovery at every truncation
// point of the last record, corruption handling, and snapshot round trips.
import { mkdtempSync, readFileSync, readdirSync, rmSync, statSync, truncateSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { createLogger, silentLogger, type LogSink } from '../../../src/log.js';
import { OpCode } from '../../../src/zookeeper/protocol/op-codes.js';
import { DataTree, OPEN_ACL } from '../../../src/zookeeper/server/data-tree.js';
import { decodeSnapshot, encodeSnapshot, listSnapshots, purge } from '../../../src/zookeeper/server/snapshot.js';
import { adler32, encodeLogRecord, fileHeader, LOG_MAGIC, readLogsAfter, scanLog, TxnLog } from '../../../src/zookeeper/server/txn-log.js';
import { decodeTxn, encodeTxn, type Txn } from '../../../src/zookeeper/server/txn.js';

const dirs: string[] = [];
const tmp = (): string => {
  const d = mkdtempSync(join(tmpdir(), 'ktool-zklog-'));
  dirs.push(d);
  return d;
};
afterEach(() => {
  for (const d of dirs.splice(0)) rmSync(d, { recursive: true, force: true });
});

const createTxn = (zxid: bigint, path: string): Txn => ({
  header: { clientId: 5n, cxid: Number(zxid), zxid, time: 1000n, type: OpCode.create },
  body: { type: OpCode.create, rec: { path, data: Buffer.from('data'), acl: OPEN_ACL, ephemeral: false, parentCVersion: Number(zxid) } },
});

const logBytes = (txns: Txn[]): Buffer => Buffer.concat([fileHeader(LOG_MAGIC, 0n), ...txns.map((t) => encodeLogRecord(encodeTxn(t)))]);

describe('txn records', () => {
  it('computes Adler-32 as java.util.zip.Adler32', () => {
    expect(adler32(Buffer.from('Wikipedia'))).toBe(0x11e60398);
    expect(adler32(Buffer.alloc(0))).toBe(1);
    expect(adler32(Buffer.alloc(100000, 0xff))).toBe(0x149a302c);
  });

  it('round-trips every txn type, multi included', () => {
    const multi: Txn = {
      header: { clientId: 1n, cxid: 2, zxid: 3n, time: 4n, type: OpCode.multi },
      body: { type: OpCode.multi, ops: [createTxn(3n, '/a').body, { type: OpCode.setData, rec: { path: '/a', data: null, version: 1 } }, { type: OpCode.error, rec: { err: -101 } }] },
    };
    const session: Txn = { header: { clientId: 9n, cxid: 0, zxid: 5n, time: 6n, type: OpCode.createSession }, body: { type: OpCode.createSession, rec: { timeOut: 6000 } } };
    for (const t of [createTxn(1n, '/x'), multi, session]) expect(decodeTxn(encodeTxn(t))).toEqual(t);
  });
});

describe('scanLog recovery', () => {
  it('keeps every whole record at every truncation point of the last one', () => {
    const txns = [createTxn(1n, '/a'), createTxn(2n, '/b'), createTxn(3n, '/c')];
    const full = logBytes(txns);
    const lastStart = logBytes(txns.slice(0, 2)).length;
    expect(scanLog(full)).toEqual({ txns, validBytes: full.length });
    for (let cut = lastStart; cut < full.length; cut++) {
      const scan = scanLog(full.subarray(0, cut));
      expect(scan.txns).toEqual(txns.slice(0, 2));
      expect(scan.validBytes).toBe(lastStart);
      expect(scan.problem === undefined).toBe(cut === lastStart);
    }
  });

  it('stops at a flipped byte anywhere in the last record', () => {
    const txns = [createTxn(1n, '/a'), createTxn(2n, '/b')];
    const full = logBytes(txns);
    const lastStart = logBytes(txns.slice(0, 1)).length;
    for (let at = lastStart; at < full.length; at++) {
      const bad = Buffer.from(full);
      bad[at] = bad[at]! ^ 0x10;
      const scan = scanLog(bad);
      expect(scan.txns).toEqual(txns.slice(0, 1));
      expect(scan.problem).toBeDefined();
    }
  });

  it('treats ZooKeeper zero padding as the end of the log', () => {
    const full = Buffer.concat([logBytes([createTxn(1n, '/a')]), Buffer.alloc(4096)]);
    const scan = scanLog(full);
    expect(scan.txns).toHaveLength(1);
    expect(scan.problem).toBeUndefined();
  });

  it('truncates a torn newest file on disk and refuses damage in an older one', () => {
    const dir = tmp();
    writeFileSync(join(dir, 'log.1'), logBytes([createTxn(1n, '/a'), createTxn(2n, '/b')]));
    const torn = logBytes([createTxn(3n, '/c'), createTxn(4n, '/d')]);
    writeFileSync(join(dir, 'log.3'), torn.subarray(0, torn.length - 5));
    const lines: string[] = [];
    const sink: LogSink = { write: (l: string) => lines.push(l) };
    const got = readLogsAfter(dir, 1n, createLogger('t', sink));
    expect(got.map((t) => t.header.zxid)).toEqual([2n, 3n]);
    expect(statSync(join(dir, 'log.3')).size).toBe(logBytes([createTxn(3n, '/c')]).length);
    expect(lines.join('')).toMatch(/WARN Transaction log .*log\.3: torn record/);
    // Damage in log.1 with log.3 after it: an error, not a silent skip.
    truncateSync(join(dir, 'log.1'), 40);
    expect(() => readLogsAfter(dir, 0n, silentLogger)).toThrow(/damaged/);
    // A file entirely covered by the snapshot is not even read.
    expect(readLogsAfter(dir, 2n, silentLogger).map((t) => t.header.zxid)).toEqual([3n]);
  });
});

describe('TxnLog appends', () => {
  it('groups appends into one write+fsync and reports them durable in order', async () => {
    const dir = tmp();
    const durable: number[] = [];
    const log = new TxnLog(dir, { forceSync: true, logger: silentLogger, onDurable: (s) => durable.push(s), onError: (e) => { throw e; } });
    for (let i = 1; i <= 5; i++) expect(log.append(createTxn(BigInt(i), `/n${i}`))).toBe(i);
    log.roll();
    log.append(createTxn(6n, '/n6'));
    await log.close();
    expect(durable.at(-1)).toBe(6);
    expect(durable.length).toBeLessThanOrEqual(2);
    expect(readdirSync(dir).sort()).toEqual(['log.1', 'log.6']);
    expect(scanLog(readFileSync(join(dir, 'log.1'))).txns).toHaveLength(5);
    expect(readLogsAfter(dir, 0n, silentLogger).map((t) => t.header.zxid)).toEqual([1n, 2n, 3n, 4n, 5n, 6n]);
  });
});

describe('snapshots', () => {
  it('round-trips the tree, ACL lists, null data and sessions; rejects a damaged file', () => {
    const t = new DataTree();
    const secret = [{ perms: 31, id: { scheme: 'digest', id: 'u:x' } }];
    t.createNode('/a', null, OPEN_ACL, 0n, -1, 1n, 7n);
    t.createNode('/a/b', Buffer.from('bee'), secret, 77n, -1, 2n, 8n);
    t.setData('/a', Buffer.alloc(0), 1, 3n, 9n);
    const bytes = encodeSnapshot(t, new Map([[77n, 6000]]));
    const back = decodeSnapshot(bytes, 3n);
    expect(back.sessions).toEqual(new Map([[77n, 6000]]));
    expect(back.tree.get('/a')!.data).toEqual(Buffer.alloc(0));
    expect(back.tree.get('/a/b')!.acl).toEqual(secret);
    expect(back.tree.get('/a/b')!.stat).toEqual(t.get('/a/b')!.stat);
    expect(back.tree.ephemerals.get(77n)).toEqual(new Set(['/a/b']));
    expect(back.tree.nodeCount).toBe(t.nodeCount);
    const bad = Buffer.from(bytes);
    bad[40] = bad[40]! ^ 1;
    expect(() => decodeSnapshot(bad, 3n)).toThrow();
    expect(() => decodeSnapshot(bytes.subarray(0, bytes.length - 2), 3n)).toThrow();
  });

  it('purges all but the newest snapshots and the logs they no longer need', () => {
    const dir = tmp();
    for (const z of [1, 5, 9, 12]) writeFileSync(join(dir, `snapshot.${z.toString(16)}`), 'x');
    for (const z of [1, 2, 6, 10, 13]) writeFileSync(join(dir, `log.${z.toString(16)}`), 'x');
    purge(dir, dir, 3);
    expect(listSnapshots(dir).map((s) => s.zxid)).toEqual([12n, 9n, 5n]);
    expect(readdirSync(dir).filter((f) => f.startsWith('log.')).sort()).toEqual(['log.6', 'log.a', 'log.d']);
  });
});
