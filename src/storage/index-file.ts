// What the offset and time indexes share: entries held in memory and written to their file
// behind the appends, several entries per write (one write per batch cost the broker two system
// calls per Produce). The file always holds a prefix of the entries; the rest go out once
// WRITE_BEHIND_BYTES of them are pending, and on flush(), close() and writePending() (the
// broker's periodic flush check). A crash can lose only entries of the active segment, whose
// indexes recovery rebuilds from the .log. A failed write never fails the append whose batch is
// already in the .log: the file then lags memory, close() tries to catch it up, and otherwise the
// next open finds it damaged and rebuilds it from the .log.
import { closeFile, fsyncFile, openFile, truncateFile, writeFully } from './file-io.js';
import { existsSync } from 'node:fs';

/** Pending entry bytes that trigger a write: a page of entries per system call. */
const WRITE_BEHIND_BYTES = 4096;

export abstract class IndexFile {
  protected count = 0;
  /** Entries [0, written) are in the file. */
  private written = 0;
  private fd: number | null = null;
  /** A write of entries failed: the file may hold damaged or fewer entries than memory. */
  private lagging = false;
  private scratch: Buffer | undefined;

  /** `path` is renamed with its segment while the cleaner swaps segments (`.cleaned` → `.swap` → plain). */
  constructor(public path: string, private readonly entrySize: number) {}

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
    if (fresh) this.count = this.written = 0;
  }

  /** The entries as loaded from the file are all in it. */
  protected loaded(): void {
    this.written = this.count;
  }

  /** An entry was added in memory: write the pending ones once there are enough of them. */
  protected added(): void {
    if (this.fd !== null && (this.count - this.written) * this.entrySize >= WRITE_BEHIND_BYTES) this.writePending();
  }

  /** Writes the entries not yet in the file, when it is open; a failure leaves the file lagging. */
  writePending(): void {
    if (this.fd === null || this.written === this.count) return;
    if (this.lagging) {
      try {
        this.writeAll();
      } catch {
        // Still lagging: close() tries again, or the next open rebuilds the file.
      }
      return;
    }
    const from = this.written;
    const length = (this.count - from) * this.entrySize;
    if (this.scratch === undefined || this.scratch.length < length) this.scratch = Buffer.allocUnsafe(Math.max(length, WRITE_BEHIND_BYTES + this.entrySize));
    for (let i = from; i < this.count; i++) this.encodeEntry(i, this.scratch, (i - from) * this.entrySize);
    try {
      writeFully(this.fd, this.scratch, 0, length, from * this.entrySize);
      this.written = this.count;
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
      this.written = this.count;
    } finally {
      if (this.fd === null) closeFile(fd);
    }
  }

  /** Forgets every entry (the file is rewritten by writeAll or truncated by open(true)). */
  clear(): void {
    this.count = this.written = 0;
  }

  /** Writes the pending entries and fsyncs the file. */
  flush(): void {
    if (this.fd === null) return;
    this.writePending();
    fsyncFile(this.fd);
  }

  /** Closes the file, trimmed to exactly its entries (rewritten if a write failed); never throws for the file's sake. */
  close(): void {
    if (this.fd === null) return;
    try {
      this.writePending();
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
