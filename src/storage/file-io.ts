// The storage's file I/O: every descriptor a segment or an index opens, writes, reads, fsyncs or
// truncates goes through here, positional and synchronous (except the background fsync of rolled
// segments), and finishing the job: the kernel may move fewer bytes than asked (signals, odd file
// systems), and a short write left unnoticed would tear a batch on disk.
//
// It is also the one seam for disk faults in tests: injectFaults() installs a hook that sees
// each operation with the path it concerns and may fail it with an errno error (EIO, ENOSPC...),
// for writes after writing part of the bytes (a torn write). Nothing else of the log is mocked.
// Checkpoint files (checkpoint.ts) are written without this seam.
import { closeSync, fsync, fsyncSync, ftruncateSync, openSync, readSync, writeSync } from 'node:fs';

export type FileOp = 'open' | 'write' | 'read' | 'fsync' | 'truncate';

export interface FileFault {
  /** The error the operation fails with, e.g. ioError('ENOSPC'). */
  error: NodeJS.ErrnoException;
  /** Writes only: write this many of the bytes first, then fail (a torn write). */
  afterBytes?: number;
}

/** Decides the fate of one operation on `path`; undefined lets it through. `length` is 0 except for reads and writes. */
export type FaultHook = (op: FileOp, path: string, length: number) => FileFault | undefined;

let hook: FaultHook | null = null;
const paths = new Map<number, string>();

/** Installs (or, with null, removes) the fault hook. For tests. */
export function injectFaults(fn: FaultHook | null): void {
  hook = fn;
}

/** An error shaped like the one Node's fs raises for `code` (ENOSPC, EIO...). */
export function ioError(code: string, syscall = 'write', path?: string): NodeJS.ErrnoException {
  const err = new Error(`${code}: injected fault, ${syscall}${path ? ` '${path}'` : ''}`) as NodeJS.ErrnoException;
  err.code = code;
  err.syscall = syscall;
  if (path !== undefined) err.path = path;
  return err;
}

function fault(op: FileOp, fd: number, length: number): FileFault | undefined {
  return hook === null ? undefined : hook(op, paths.get(fd) ?? '', length);
}

/** Descriptors open through openFile and not yet closed. */
export function openFileCount(): number {
  return paths.size;
}

export function openFile(path: string, flags: string): number {
  if (hook !== null) {
    const f = hook('open', path, 0);
    if (f) throw f.error;
  }
  const fd = openSync(path, flags);
  paths.set(fd, path);
  return fd;
}

export function closeFile(fd: number): void {
  paths.delete(fd);
  closeSync(fd);
}

/** Writes buf[offset, offset + length) at file position `position`, retrying short writes. */
export function writeFully(fd: number, buf: Uint8Array, offset: number, length: number, position: number): void {
  const f = fault('write', fd, length);
  if (f) {
    writeAll(fd, buf, offset, Math.min(f.afterBytes ?? 0, length), position);
    throw f.error;
  }
  writeAll(fd, buf, offset, length, position);
}

function writeAll(fd: number, buf: Uint8Array, offset: number, length: number, position: number): void {
  while (length > 0) {
    const n = writeSync(fd, buf, offset, length, position);
    offset += n;
    length -= n;
    position += n;
  }
}

/** Reads up to `length` bytes at `position`; returns fewer only at end of file. */
export function readFully(fd: number, buf: Uint8Array, offset: number, length: number, position: number): number {
  const f = fault('read', fd, length);
  if (f) throw f.error;
  let total = 0;
  while (total < length) {
    const n = readSync(fd, buf, offset + total, length - total, position + total);
    if (n === 0) break;
    total += n;
  }
  return total;
}

export function fsyncFile(fd: number): void {
  const f = fault('fsync', fd, 0);
  if (f) throw f.error;
  fsyncSync(fd);
}

/** fsync on the thread pool; the caller keeps `fd` open until `done` runs. */
export function fsyncFileAsync(fd: number, done: (err: NodeJS.ErrnoException | null) => void): void {
  const f = fault('fsync', fd, 0);
  if (f) {
    setImmediate(() => done(f.error));
    return;
  }
  fsync(fd, done);
}

export function truncateFile(fd: number, length: number): void {
  const f = fault('truncate', fd, 0);
  if (f) throw f.error;
  ftruncateSync(fd, length);
}
