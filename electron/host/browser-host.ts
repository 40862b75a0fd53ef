// Browser mode's host: a small HTTP server on loopback that serves the built renderer and the host
// services the renderer asks for (app info, network), signaling at /signal, and, when LAN discovery is
// on, the same signaling on the LAN with discovery (electron/discovery/README.md).
import { createReadStream, statSync } from 'node:fs';
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AppInfo, NetworkInfo } from '../../shared/host-api.js';
import { contentSecurityPolicy } from '../security/csp.js';
import { resolveStaticPath } from '../security/app-path.js';
import { createSignalingServer } from '../signaling/server.js';
import { startLanSignaling, type LanSignaling } from '../discovery/lan-signaling.js';
import { errorMessage } from '../../shared/errors.js';

export const DEFAULT_BROWSER_PORT = 5317;
/** How many ports after the preferred one are tried when it is taken by something else. */
export const PORT_ATTEMPTS = 10;
const LOOPBACK = '127.0.0.1';
const PROBE_TIMEOUT_MS = 1_500;
/** Where y-webrtc clients reach this host's signaling server: ws://127.0.0.1:<port>/signal. */
export const SIGNAL_PATH = '/signal';
/** Preferred port of the LAN signaling listener (LAN discovery on); the desktop app's is 5318. */
export const BROWSER_LAN_SIGNALING_PORT = 5319;

export interface BrowserHostOptions {
  readonly rootDir: string;
  readonly port?: number;
  readonly version: string;
  readonly platform?: string;
  /** 'loopback' keeps members' WebRTC traffic on this machine (tests; HEARTH_LOOPBACK_ONLY=1). */
  readonly icePolicy?: NetworkInfo['icePolicy'];
  /**
   * LAN discovery (HEARTH_LAN=1 or --lan): the same relay is also served on the LAN (every interface,
   * or `address`) and advertised over mDNS. The app itself stays on loopback either way. Off when absent.
   */
  readonly lan?: { readonly address?: string; readonly port?: number };
  /** Signaling URLs of neighbours found by LAN discovery, listed in /api/network after this host's own. */
  readonly discoveredSignalingUrls?: () => readonly string[];
  readonly log?: (line: string) => void;
}

export type BrowserHostStart =
  | { readonly kind: 'started'; readonly url: string; readonly port: number; readonly lanPort?: number; close(): Promise<void> }
  | { readonly kind: 'already-running'; readonly url: string };

/** Hosts allowed in the Host header: only loopback names, so a web page cannot reach this server through DNS rebinding. */
export function isAllowedHostHeader(hostHeader: string | undefined, port: number): boolean {
  if (!hostHeader) return false;
  return [`${LOOPBACK}:${port}`, `localhost:${port}`, `[::1]:${port}`].includes(hostHeader.toLowerCase());
}

export function createBrowserHostServer(options: BrowserHostOptions, getPort: () => number): Server {
  const csp = contentSecurityPolicy({ dev: false });
  return createServer((request, response) => {
    try {
      handle(request, response);
    } catch (error) {
      options.log?.(`Request failed: ${errorMessage(error)}`);
      if (!response.headersSent) send(response, 500, 'text/plain; charset=utf-8', 'Internal error');
      else response.destroy();
    }
  });

  function handle(request: IncomingMessage, response: ServerResponse): void {
    const port = getPort();
    setSecurityHeaders(response, csp);
    if (!isAllowedHostHeader(request.headers.host, port)) return send(response, 421, 'text/plain; charset=utf-8', 'Unknown host');
    const method = request.method ?? 'GET';
    if (method !== 'GET' && method !== 'HEAD') {
      response.setHeader('Allow', 'GET, HEAD');
      return send(response, 405, 'text/plain; charset=utf-8', 'Method not allowed');
    }
    const pathname = (request.url ?? '/').split(/[?#]/, 1)[0] ?? '/';
    if (pathname === '/api/app-info') {
      const info: AppInfo = {
        name: 'Hearth',
        version: options.version,
        mode: 'browser',
        platform: options.platform ?? process.platform,
        dataLocation: `this browser’s site storage for http://${LOOPBACK}:${port}`,
      };
      response.setHeader('Cache-Control', 'no-store');
      return send(response, 200, 'application/json; charset=utf-8', JSON.stringify(info), method === 'HEAD');
    }
    if (pathname === '/api/network') {
      // The Host header passed the loopback check above, so it names this server as the page sees it.
      const own = `ws://${request.headers.host}${SIGNAL_PATH}`;
      const network: NetworkInfo = {
        signalingUrls: [...new Set([own, ...(options.discoveredSignalingUrls?.() ?? [])])],
        icePolicy: options.icePolicy ?? 'all',
      };
      response.setHeader('Cache-Control', 'no-store');
      return send(response, 200, 'application/json; charset=utf-8', JSON.stringify(network), method === 'HEAD');
    }
    if (pathname.startsWith('/api/'))
      return send(response, 404, 'application/json; charset=utf-8', JSON.stringify({ error: 'No such service' }));

    const resolved = resolveStaticPath(pathname, options.rootDir);
    if (!resolved.ok) return send(response, resolved.status, 'text/plain; charset=utf-8', resolved.reason);
    let size: number;
    try {
      const stats = statSync(resolved.filePath);
      if (!stats.isFile()) return send(response, 404, 'text/plain; charset=utf-8', 'Not found');
      size = stats.size;
    } catch {
      return send(response, 404, 'text/plain; charset=utf-8', 'Not found');
    }
    // Built assets carry a content hash in their names; index.html must always be fresh.
    response.setHeader('Cache-Control', /\/assets\//.test(pathname) ? 'public, max-age=31536000, immutable' : 'no-cache');
    response.writeHead(200, { 'Content-Type': resolved.contentType, 'Content-Length': size });
    if (method === 'HEAD') return void response.end();
    createReadStream(resolved.filePath)
      .on('error', () => response.destroy())
      .pipe(response);
  }
}

function setSecurityHeaders(response: ServerResponse, csp: string): void {
  response.setHeader('Content-Security-Policy', csp);
  response.setHeader('X-Content-Type-Options', 'nosniff');
  response.setHeader('Referrer-Policy', 'no-referrer');
  response.setHeader('X-Frame-Options', 'DENY');
  response.setHeader('Cross-Origin-Opener-Policy', 'same-origin');
  response.setHeader('Cross-Origin-Resource-Policy', 'same-origin');
}

function send(response: ServerResponse, status: number, type: string, body: string, headOnly = false): void {
  response.writeHead(status, { 'Content-Type': type, 'Content-Length': Buffer.byteLength(body) });
  response.end(headOnly ? undefined : body);
}

/**
 * Starts browser mode's host on the preferred port. If that port already serves a Hearth, the member is
 * pointed at it (their data lives in that origin's storage); if something else holds it, the next free
 * port is used and the log says so.
 */
export async function startBrowserHost(options: BrowserHostOptions): Promise<BrowserHostStart> {
  const log = options.log ?? (() => {});
  const preferred = options.port ?? DEFAULT_BROWSER_PORT;
  let port = preferred;
  let lan: LanSignaling | undefined;
  const server = createBrowserHostServer({ discoveredSignalingUrls: () => lan?.peers() ?? [], ...options }, () => port);
  for (let attempt = 0; attempt < PORT_ATTEMPTS; attempt += 1) {
    port = preferred === 0 ? 0 : preferred + attempt;
    const outcome = await listen(server, port);
    if (outcome === 'listening') {
      const address = server.address();
      port = typeof address === 'object' && address ? address.port : port;
      if (attempt > 0)
        log(`Port ${preferred} is taken by another program, so Hearth uses port ${port}. Data saved at the other port stays there.`);
      // After listening, a server's 'error' is an accept that failed (EMFILE when a flood holds every
      // descriptor): without a listener it would end the process; with one, the server keeps accepting.
      server.on('error', (error) => log(`Browser mode's server: ${error.message}`));
      const url = `http://${LOOPBACK}:${port}/`;
      // WebSocket upgrades never reach the request handler, so its Host check (the DNS-rebinding guard)
      // still covers every HTTP request while /signal accepts any Host: LAN peers connect by IP, and a
      // Host check cannot keep web pages out of a WebSocket anyway (see electron/signaling/server.ts).
      const signaling = createSignalingServer({ log });
      signaling.attach(server, SIGNAL_PATH);
      if (options.lan) {
        try {
          lan = await startLanSignaling({
            signaling,
            path: SIGNAL_PATH,
            port: options.lan.port ?? BROWSER_LAN_SIGNALING_PORT,
            listenAddress: options.lan.address,
            interfaceAddress: options.lan.address,
            log,
          });
        } catch (error) {
          log(`LAN discovery could not start, so only this machine can sync through this Hearth: ${errorMessage(error)}`);
        }
      }
      const lanPort = lan?.port;
      return {
        kind: 'started',
        url,
        port,
        ...(lanPort === undefined ? {} : { lanPort }),
        close: async () => {
          await lan?.close();
          await new Promise<void>((resolve) => {
            // Upgraded sockets are no longer the HTTP server's, so closeAllConnections would miss them.
            signaling.close();
            server.close(() => resolve());
            server.closeAllConnections();
          });
        },
      };
    }
    if (attempt === 0 && (await isHearthAt(port))) return { kind: 'already-running', url: `http://${LOOPBACK}:${port}/` };
  }
  throw new Error(`Ports ${preferred}–${preferred + PORT_ATTEMPTS - 1} are all in use. Set HEARTH_PORT to a free port and try again.`);
}

function listen(server: Server, port: number): Promise<'listening' | 'in-use'> {
  return new Promise((resolve, reject) => {
    const onError = (error: NodeJS.ErrnoException) => {
      server.off('listening', onListening);
      if (error.code === 'EADDRINUSE') resolve('in-use');
      else reject(error);
    };
    const onListening = () => {
      server.off('error', onError);
      resolve('listening');
    };
    server.once('error', onError);
    server.once('listening', onListening);
    server.listen(port, LOOPBACK);
  });
}

async function isHearthAt(port: number): Promise<boolean> {
  try {
    const response = await fetch(`http://${LOOPBACK}:${port}/api/app-info`, { signal: AbortSignal.timeout(PROBE_TIMEOUT_MS) });
    if (!response.ok) return false;
    const body = (await response.json()) as { name?: unknown };
    return body.name === 'Hearth';
  } catch {
    return false;
  }
}
