// CRC-32C (Castagnoli), the checksum of RecordBatch v2 and of producer-state snapshots. A thin
// wrapper so the rest of the code names the polynomial it means and accepts views of a larger
// buffer without copying; the native implementation uses the SSE4.2/ARMv8 CRC instructions.
// It loads on first use: its loader probes the C library (process.report), which costs tens of
// milliseconds that a starting broker or a CLI command that never checksums should not pay.
import { createRequire } from 'node:module';

type Crc32c = (input: Uint8Array, initial?: number) => number;
let native: Crc32c | undefined;

function load(): Crc32c {
  return (native = (createRequire(import.meta.url)('@node-rs/crc32') as { crc32c: Crc32c }).crc32c);
}

/** CRC-32C of buf[start, end), as an unsigned 32-bit number. */
export function crc32c(buf: Uint8Array, start = 0, end = buf.length): number {
  const view = start === 0 && end === buf.length ? buf : buf.subarray(start, end);
  return (native ?? load())(view) >>> 0;
}
