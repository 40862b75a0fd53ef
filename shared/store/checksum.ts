// The checksum stored beside every log row (and inside every file-store record): CRC-32, which catches
// every single-bit flip and almost all accidental damage. It is not a defence against a deliberate
// forger (anyone who can rewrite the bytes can rewrite the CRC); peers' changes are signed for that.
import CRC32 from 'crc-32';

/** CRC-32 (IEEE) of `bytes` as an unsigned 32-bit integer; `seed` continues a CRC over earlier bytes. */
export function crc32(bytes: Uint8Array, seed?: number): number {
  // crc-32 returns a signed int32; the unsigned form is what a DataView writes and reads back.
  return CRC32.buf(bytes, seed === undefined ? undefined : seed | 0) >>> 0;
}
