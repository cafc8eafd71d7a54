// The transaction log, in ZooKeeper's own format (FileTxnLog) under <dataLogDir>/version-2:
//
//   log.<hex zxid of the first txn>:  FileHeader{magic "ZKLG", version 2, dbid 0}
//   then per txn:  crc:int64 (Adler-32 of the bytes)  len:int32  bytes (TxnHeader + txn)  0x42
//
// (ZooKeeper pads files with zeros in 64 MB blocks; a zero length marks the end. ktool does not pad.)
// Every txn is appended before its request is answered: appends made while a write+fsync is in
// flight are grouped into the next one, so concurrent clients share fsyncs. `durable` tells the
// server which appends may be acknowledged. Recovery keeps every whole record and truncates a torn
// or corrupt tail of the newest file; damage in an older file is an error, never silently dropped.
import { closeSync, fdatasync, fsyncSync, ftruncateSync, openSync, readFileSync, readdirSync, writeSync, writev } from 'node:fs';
import { join } from 'node:path';
import { promisify } from 'node:util';
import type { Logger } from '../../log.js';
import { fsyncDirectory } from '../../storage/checkpoint.js';
import { decodeTxn, encodeTxn, type Txn } from './txn.js';

const writevAsync = promisify(writev);
const fdatasyncAsync = promisify(fdatasync);

export const LOG_MAGIC = 0x5a4b4c47; // "ZKLG"
export const SNAP_MAGIC = 0x5a4b534e; // "ZKSN"
const END_OF_RECORD = 0x42;
const HEADER_BYTES = 16;

export function adler32(buf: Buffer, start = 0, end = buf.length, seed = 1): number {
  let a = seed & 0xffff;
  let b = (seed >>> 16) & 0xffff;
  let i = start;
  while (i < end) {
    // 3800 bytes keep the sums below 2^32 between reductions.
    const stop = Math.min(end, i + 3800);
    for (; i < stop; i++) {
      a += buf[i]!;
      b += a;
    }
    a %= 65521;
    b %= 65521;
  }
  return ((b << 16) | a) >>> 0;
}

export function logFileName(zxid: bigint): string {
  return `log.${zxid.toString(16)}`;
}

/** `log.<hex>` / `snapshot.<hex>` → zxid, or undefined for other names. */
export function zxidOfFile(name: string, prefix: 'log' | 'snapshot'): bigint | undefined {
  const m = new RegExp(`^${prefix}\\.([0-9a-fA-F]{1,16})$`).exec(name);
  return m ? BigInt.asIntN(64, BigInt(`0x${m[1]}`)) : undefined;
}

export function fileHeader(magic: number, dbid: bigint): Buffer {
  const b = Buffer.alloc(HEADER_BYTES);
  b.writeInt32BE(magic, 0);
  b.writeInt32BE(2, 4);
  b.writeBigInt64BE(dbid, 8);
  return b;
}

/** One log record's bytes. */
export function encodeLogRecord(txnBytes: Buffer): Buffer {
  const out = Buffer.alloc(8 + 4 + txnBytes.length + 1);
  out.writeBigInt64BE(BigInt(adler32(txnBytes)), 0);
  out.writeInt32BE(txnBytes.length, 8);
  txnBytes.copy(out, 12);
  out[out.length - 1] = END_OF_RECORD;
  return out;
}

export interface LogScan {
  readonly txns: Txn[];
  /** Bytes of the file that hold whole, valid records (the header included). */
  readonly validBytes: number;
  /** Why reading stopped before the end of the file, if it did. */
  readonly problem?: string;
}

/** Reads every valid record of a log file's bytes, stopping at the first torn or corrupt one. */
export function scanLog(buf: Buffer): LogScan {
  if (buf.length < HEADER_BYTES) return { txns: [], validBytes: 0, problem: buf.length === 0 ? 'empty file' : 'truncated file header' };
  if (buf.readInt32BE(0) !== LOG_MAGIC) return { txns: [], validBytes: 0, problem: 'bad magic number' };
  const txns: Txn[] = [];
  let pos = HEADER_BYTES;
  const stop = (problem: string): LogScan => ({ txns, validBytes: pos, problem });
  while (pos < buf.length) {
    if (buf.length - pos < 12) return stop(`torn record header at offset ${pos}`);
    const crc = buf.readBigInt64BE(pos);
    const len = buf.readInt32BE(pos + 8);
    // ZooKeeper's pre-allocated zero padding: the end of the log.
    if (len === 0 && crc === 0n) {
      return buf.subarray(pos).every((b) => b === 0) ? { txns, validBytes: pos } : stop(`zero-length record at offset ${pos}`);
    }
    if (len < 0 || len > buf.length - pos - 12) return stop(`torn record at offset ${pos} (length ${len})`);
    const end = pos + 12 + len;
    if (end >= buf.length) return stop(`torn record at offset ${pos} (no end marker)`);
    if (buf[end] !== END_OF_RECORD) return stop(`bad end marker at offset ${end}`);
    if (BigInt(adler32(buf, pos + 12, end)) !== crc) return stop(`checksum mismatch in record at offset ${pos}`);
    let txn: Txn;
    try {
      txn = decodeTxn(buf.subarray(pos + 12, end));
    } catch (err) {
      return stop(`undecodable record at offset ${pos}: ${(err as Error).message}`);
    }
    txns.push(txn);
    pos = end + 1;
  }
  return { txns, validBytes: pos };
}

export interface LogFile {
  readonly name: string;
  readonly zxid: bigint;
}

/** The `log.<hex>` (or `snapshot.<hex>`) files in `dir`, oldest first; none when it is missing. */
export function listZxidFiles(dir: string, prefix: 'log' | 'snapshot' = 'log'): LogFile[] {
  let names: string[];
  try {
    names = readdirSync(dir);
  } catch {
    return [];
  }
  return names
    .map((name) => ({ name, zxid: zxidOfFile(name, prefix) }))
    .filter((f): f is LogFile => f.zxid !== undefined)
    .sort((a, b) => (a.zxid < b.zxid ? -1 : a.zxid > b.zxid ? 1 : 0));
}

/**
 * Reads the txns after `fromZxid`, in order. A bad tail of the newest file is truncated (logged);
 * a bad record in an older file, with later files after it, throws.
 */
export function readLogsAfter(dir: string, fromZxid: bigint, logger: Logger): Txn[] {
  const files = listZxidFiles(dir);
  const out: Txn[] = [];
  for (let i = 0; i < files.length; i++) {
    const next = files[i + 1];
    // A file whose successor starts at or before fromZxid + 1 holds nothing newer.
    if (next && next.zxid <= fromZxid + 1n) continue;
    const path = join(dir, files[i]!.name);
    const scan = scanLog(readFileSync(path));
    if (scan.problem !== undefined) {
      if (next) throw new Error(`Transaction log ${path} is damaged (${scan.problem}) and is followed by ${next.name}; refusing to skip transactions`);
      logger.warn(`Transaction log ${path}: ${scan.problem}; truncating it to ${scan.validBytes} bytes (${scan.txns.length} whole transactions kept)`);
      truncateFile(path, scan.validBytes);
    }
    for (const t of scan.txns) if (t.header.zxid > fromZxid) out.push(t);
  }
  return out;
}

function truncateFile(path: string, size: number): void {
  const fd = openSync(path, 'r+');
  try {
    ftruncateSync(fd, size);
    fsyncSync(fd);
  } finally {
    closeSync(fd);
  }
}

interface OpenFile {
  readonly fd: number;
  readonly name: string;
  pending: Buffer[];
}

/** The appending side of the log. */
export class TxnLog {
  private current: OpenFile | undefined;
  /** Files with data not yet written, oldest first (a roll may leave one behind the current). */
  private dirty: OpenFile[] = [];
  private appended = 0;
  private durableSeq = 0;
  private flushing: Promise<void> | undefined;
  private failed: Error | undefined;
  private txnsInFile = 0;

  constructor(
    private readonly dir: string,
    private readonly opts: { forceSync: boolean; logger: Logger; onDurable: (seq: number) => void; onError: (err: Error) => void },
  ) {}

  /** Sequence number of the last append; a reply may go out once `durable` reaches it. */
  get appendedSeq(): number {
    return this.appended;
  }

  get durable(): number {
    return this.durableSeq;
  }

  get txnCountInFile(): number {
    return this.txnsInFile;
  }

  append(txn: Txn): number {
    if (this.failed) throw this.failed;
    if (!this.current) this.current = this.create(txn.header.zxid);
    const file = this.current;
    if (file.pending.length === 0) this.dirty.push(file);
    file.pending.push(encodeLogRecord(encodeTxn(txn)));
    this.txnsInFile++;
    this.appended++;
    this.schedule();
    return this.appended;
  }

  /** The next append starts a new file (after a snapshot). */
  roll(): void {
    const old = this.current;
    this.current = undefined;
    this.txnsInFile = 0;
    if (!old) return;
    // Closed once its pending records are written (now, if nothing is in flight).
    this.retired.push(old);
    if (!this.flushing) this.closeRetired();
  }

  private retired: OpenFile[] = [];

  private closeRetired(): void {
    this.retired = this.retired.filter((f) => {
      if (f.pending.length > 0) return true;
      closeSync(f.fd);
      return false;
    });
  }

  private create(zxid: bigint): OpenFile {
    const name = logFileName(zxid);
    const fd = openSync(join(this.dir, name), 'w');
    writeSync(fd, fileHeader(LOG_MAGIC, 0n));
    fsyncDirectory(this.dir);
    this.opts.logger.info(`Creating new log file: ${name}`);
    return { fd, name, pending: [] };
  }

  private schedule(): void {
    if (this.flushing) return;
    // setImmediate lets every request already read from the sockets join this fsync.
    this.flushing = new Promise<void>((resolve) => setImmediate(resolve)).then(() => this.flushLoop());
  }

  private async flushLoop(): Promise<void> {
    try {
      while (this.dirty.length > 0) {
        const target = this.appended;
        const files = this.dirty;
        this.dirty = [];
        for (const f of files) {
          const bufs = f.pending;
          f.pending = [];
          await writevAsync(f.fd, bufs);
          if (this.opts.forceSync) await fdatasyncAsync(f.fd);
        }
        this.durableSeq = target;
        this.opts.onDurable(target);
      }
      this.closeRetired();
    } catch (err) {
      this.failed = err as Error;
      this.opts.onError(err as Error);
    } finally {
      this.flushing = undefined;
    }
  }

  /** Waits for everything appended so far to be durable, then closes the file. */
  async close(): Promise<void> {
    while (this.flushing) await this.flushing;
    if (this.current) closeSync(this.current.fd);
    this.current = undefined;
    this.closeRetired();
  }
}
