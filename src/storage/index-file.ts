// What the offset and time indexes share: entries held in memory, mirrored to their file one
// fixed-size entry at a time while the segment is active. A failed entry write never fails the
// append whose batch is already in the .log: the file then lags memory, close() tries to catch
// it up, and otherwise the next open finds it damaged and rebuilds it from the .log.
import { closeFile, fsyncFile, openFile, truncateFile, writeFully } from './file-io.js';
import { existsSync } from 'node:fs';

export abstract class IndexFile {
  protected count = 0;
  private fd: number | null = null;
  /** A write of an entry failed: the file holds fewer entries than memory. */
  private lagging = false;
  private readonly scratch: Buffer;

  /** `path` is renamed with its segment while the cleaner swaps segments (`.cleaned` → `.swap` → plain). */
  constructor(public path: string, private readonly entrySize: number) {
    this.scratch = Buffer.alloc(entrySize);
  }

  /** Writes in-memory entry `i` into `buf` at `at`. */
  protected abstract encodeEntry(i: number, buf: Buffer, at: number): void;

  get entries(): number {
    return this.count;
  }

  /** Whether the file is open for appending entries (only while its segment is active and in use). */
  get isOpen(): boolean {
    return this.fd !== null;
  }

  get sizeInBytes(): number {
    return this.count * this.entrySize;
  }

  /** Opens the file for appending entries; `fresh` truncates it first. */
  open(fresh: boolean): void {
    if (this.fd !== null) return;
    this.fd = openFile(this.path, fresh || !existsSync(this.path) ? 'w+' : 'r+');
    if (fresh) this.count = 0;
  }

  /** Writes the last in-memory entry through to the file, when it is open. */
  protected writeLast(): void {
    if (this.fd === null) return;
    const i = this.count - 1;
    this.encodeEntry(i, this.scratch, 0);
    try {
      writeFully(this.fd, this.scratch, 0, this.entrySize, i * this.entrySize);
    } catch {
      this.lagging = true;
    }
  }

  /** Replaces the file's content with the in-memory entries (after a rebuild). */
  writeAll(): void {
    const bytes = Buffer.allocUnsafe(this.sizeInBytes);
    for (let i = 0; i < this.count; i++) this.encodeEntry(i, bytes, i * this.entrySize);
    const fd = this.fd ?? openFile(this.path, 'w');
    try {
      truncateFile(fd, 0);
      writeFully(fd, bytes, 0, bytes.length, 0);
      this.lagging = false;
    } finally {
      if (this.fd === null) closeFile(fd);
    }
  }

  /** Forgets every entry (the file is rewritten by writeAll or truncated by open(true)). */
  clear(): void {
    this.count = 0;
  }

  flush(): void {
    if (this.fd !== null) fsyncFile(this.fd);
  }

  /** Closes the file, trimmed to exactly its entries (rewritten if an entry's write failed); never throws for the file's sake. */
  close(): void {
    if (this.fd === null) return;
    try {
      if (this.lagging) this.writeAll();
      else truncateFile(this.fd, this.sizeInBytes);
    } catch {
      // Left for the next open to detect and rebuild.
    } finally {
      closeFile(this.fd);
      this.fd = null;
    }
  }
}
