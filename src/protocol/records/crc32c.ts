// CRC-32C (Castagnoli), the checksum of RecordBatch v2 and of producer-state snapshots. A thin
// wrapper so the rest of the code names the polynomial it means and accepts views of a larger
// buffer without copying; the native implementation uses the SSE4.2/ARMv8 CRC instructions.
import { crc32c as nativeCrc32c } from '@node-rs/crc32';

/** CRC-32C of buf[start, end), as an unsigned 32-bit number. */
export function crc32c(buf: Uint8Array, start = 0, end = buf.length): number {
  const view = start === 0 && end === buf.length ? buf : buf.subarray(start, end);
  return nativeCrc32c(view) >>> 0;
}
