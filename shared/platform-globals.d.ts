// The few globals that every runtime Hearth runs in (browsers, Electron, Node 20) has, declared here so
// shared/ can use them without seeing the DOM or Node typings. Add only what all three provide.
declare global {
  interface Console {
    error(...data: unknown[]): void;
    warn(...data: unknown[]): void;
  }
  var console: Console;

  interface Crypto {
    getRandomValues<T extends ArrayBufferView>(array: T): T;
  }
  var crypto: Crypto;

  function setTimeout(callback: () => void, ms?: number): unknown;
  function clearTimeout(handle: unknown): void;

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
