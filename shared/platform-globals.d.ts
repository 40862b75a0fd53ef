// The few globals that every runtime Hearth runs in (browsers, Electron, Node 20) has, declared here so
// Only tsconfig.shared.json includes this file: the other layers get the real DOM and Node typings.
// shared/ can use them without seeing the DOM or Node typings. Add only what all three provide.
declare global {
  interface Console {
    error(...data: unknown[]): void;
    warn(...data: unknown[]): void;
  }
  var console: Console;

  interface Crypto {
    getRandomValues<T extends ArrayBufferView>(array: T): T;
    readonly subtle: SubtleCrypto;
  }
  var crypto: Crypto;

  // Web Crypto, as much of it as shared/ uses (HKDF, AES-GCM, SHA-256).
  type BufferSource = ArrayBufferView | ArrayBuffer;
  interface CryptoKey {
    readonly type: string;
    readonly extractable: boolean;
    readonly algorithm: object;
    readonly usages: string[];
  }
  type AlgorithmIdentifier = string | { name: string; [key: string]: unknown };
  interface SubtleCrypto {
    importKey(
      format: 'raw' | 'pkcs8',
      keyData: BufferSource,
      algorithm: AlgorithmIdentifier,
      extractable: boolean,
      keyUsages: string[],
    ): Promise<CryptoKey>;
    deriveBits(algorithm: AlgorithmIdentifier, baseKey: CryptoKey, length: number): Promise<ArrayBuffer>;
    deriveKey(
      algorithm: AlgorithmIdentifier,
      baseKey: CryptoKey,
      derivedKeyType: AlgorithmIdentifier,
      extractable: boolean,
      keyUsages: string[],
    ): Promise<CryptoKey>;
    encrypt(algorithm: AlgorithmIdentifier, key: CryptoKey, data: BufferSource): Promise<ArrayBuffer>;
    decrypt(algorithm: AlgorithmIdentifier, key: CryptoKey, data: BufferSource): Promise<ArrayBuffer>;
    digest(algorithm: AlgorithmIdentifier, data: BufferSource): Promise<ArrayBuffer>;
    // ECDSA P-256 identities (shared/identity).
    generateKey(algorithm: AlgorithmIdentifier, extractable: boolean, keyUsages: string[]): Promise<CryptoKeyPair>;
    exportKey(format: 'raw' | 'pkcs8', key: CryptoKey): Promise<ArrayBuffer>;
    // The desktop's sealed identity key (shared/identity/private-key.ts) reads a key's public point.
    exportKey(format: 'jwk', key: CryptoKey): Promise<JsonWebKey>;
    sign(algorithm: AlgorithmIdentifier, key: CryptoKey, data: BufferSource): Promise<ArrayBuffer>;
    verify(algorithm: AlgorithmIdentifier, key: CryptoKey, signature: BufferSource, data: BufferSource): Promise<boolean>;
  }
  interface JsonWebKey {
    kty?: string;
    crv?: string;
    x?: string;
    y?: string;
  }
  interface CryptoKeyPair {
    readonly privateKey: CryptoKey;
    readonly publicKey: CryptoKey;
  }

  class TextEncoder {
    encode(input?: string): Uint8Array;
  }
  class TextDecoder {
    constructor(label?: string, options?: { fatal?: boolean });
    decode(input?: BufferSource): string;
  }
  function btoa(data: string): string;
  function atob(data: string): string;

  function setTimeout(callback: () => void, ms?: number): unknown;
  function clearTimeout(handle: unknown): void;
  function setInterval(callback: () => void, ms?: number): unknown;
  function clearInterval(handle: unknown): void;

  class URL {
    constructor(url: string, base?: string);
    readonly href: string;
    readonly protocol: string;
    readonly hostname: string;
    readonly pathname: string;
    readonly username: string;
    readonly password: string;
  }
}

export {};
