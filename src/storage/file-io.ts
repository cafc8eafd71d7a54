// Positional synchronous file I/O that finishes the job: the kernel may move fewer bytes than asked
// (signals, odd file systems), and a short write left unnoticed would tear a batch on disk.
import { readSync, writeSync } from 'node:fs';

/** Writes buf[offset, offset + length) at file position `position`, retrying short writes. */
export function writeFully(fd: number, buf: Uint8Array, offset: number, length: number, position: number): void {
  while (length > 0) {
    const n = writeSync(fd, buf, offset, length, position);
    offset += n;
    length -= n;
    position += n;
  }
}

/** Reads up to `length` bytes at `position`; returns fewer only at end of file. */
export function readFully(fd: number, buf: Uint8Array, offset: number, length: number, position: number): number {
  let total = 0;
  while (total < length) {
    const n = readSync(fd, buf, offset + total, length - total, position + total);
    if (n === 0) break;
    total += n;
  }
  return total;
}
