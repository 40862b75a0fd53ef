// Random identifiers for records and members. Web Crypto is a standard global in browsers, Electron
// and Node 20, so this stays free of platform imports.

// Crockford's base32 alphabet: 32 letters, so every byte maps without bias (byte & 31).
const ALPHABET = '0123456789abcdefghjkmnpqrstvwxyz';

/** A 16-character id (80 random bits), safe in URLs, file names and IndexedDB keys. */
export function newId(length = 16): string {
  const bytes = new Uint8Array(length);
  globalThis.crypto.getRandomValues(bytes);
  let id = '';
  for (const byte of bytes) id += ALPHABET[byte & 31];
  return id;
}

export const ID_PATTERN = /^[0-9a-z]{8,64}$/;
