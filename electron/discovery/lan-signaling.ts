// A Hearth's presence on the LAN: its signaling service listening where neighbours can reach it, and
// LAN discovery advertising that service and listing the neighbours'. Shared by the desktop shell,
// browser mode's host and headless peers.
import { createServer, type Server } from 'node:http';
import { createSignalingServer, type SignalingOptions, type SignalingServer } from '../signaling/server.js';
import { startDiscovery, type Discovery, type DiscoveryOptions } from './discovery.js';

const ALL_INTERFACES = '0.0.0.0';

export interface LanSignalingOptions {
  /** Path signaling is served at, e.g. '/signal'. */
  readonly path: string;
  /** Preferred port; when another program holds it, any free port (discovery tells neighbours which). 0: any. */
  readonly port?: number;
  /** Where to listen: every interface by default, or one IPv4 address of this machine. */
  readonly listenAddress?: string;
  /** The interface mDNS uses; every interface by default. */
  readonly interfaceAddress?: string;
  /**
   * The relay to serve. Browser mode passes the one its app server already serves on loopback, so
   * members on this machine and on the LAN meet in one set of rooms; closing this LAN listener then
   * leaves that relay to its owner. By default a new relay is made, and closed with the listener.
   */
  readonly signaling?: SignalingServer;
  readonly signalingOptions?: SignalingOptions;
  readonly onChange?: (peers: readonly string[]) => void;
  readonly log?: (line: string) => void;
  /** Tests only. */
  readonly discovery?: Pick<DiscoveryOptions, 'transport' | 'timing'>;
}

export interface LanSignaling {
  /** Where clients on this machine reach the relay (loopback when listening on every interface). */
  readonly localUrl: string;
  readonly port: number;
  /** The neighbours' signaling URLs discovery knows now. */
  peers(): string[];
  readonly discovery: Discovery;
  close(): Promise<void>;
}

export async function startLanSignaling(options: LanSignalingOptions): Promise<LanSignaling> {
  const host = options.listenAddress ?? ALL_INTERFACES;
  const owned = options.signaling === undefined;
  const signaling =
    options.signaling ?? createSignalingServer({ ...options.signalingOptions, ...(options.log ? { log: options.log } : {}) });
  // Only WebSocket upgrades are served on the LAN; the app itself (browser mode) stays on loopback.
  const server = createServer((_request, response) => {
    response.writeHead(426, { 'Content-Type': 'text/plain; charset=utf-8', Upgrade: 'websocket' });
    response.end('Hearth signaling: connect with a WebSocket.');
  });
  signaling.attach(server, options.path);
  let port: number;
  try {
    port = await listen(server, options.port ?? 0, host);
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== 'EADDRINUSE' || !options.port) throw closeAfter(error, server, owned ? signaling : null);
    options.log?.(`Port ${options.port} is taken, so this Hearth's LAN signaling uses another one (LAN discovery tells neighbours which).`);
    port = await listen(server, 0, host).catch((second: unknown) => Promise.reject(closeAfter(second, server, owned ? signaling : null)));
  }
  // An accept that fails later (EMFILE) is an 'error' on the server: logged, not the end of the process.
  server.on('error', (error) => options.log?.(`LAN signaling: ${error.message}`));
  const discovery = startDiscovery({
    port,
    path: options.path,
    ...(options.interfaceAddress ? { interfaceAddress: options.interfaceAddress } : {}),
    ...(options.onChange ? { onChange: options.onChange } : {}),
    ...(options.log ? { log: options.log } : {}),
    ...options.discovery,
  });
  const localHost = host === ALL_INTERFACES ? '127.0.0.1' : host;
  return {
    localUrl: `ws://${localHost}:${port}${options.path}`,
    port,
    discovery,
    peers: () => discovery.peers(),
    async close() {
      await discovery.close();
      if (owned) signaling.close();
      await new Promise<void>((resolve) => {
        server.close(() => resolve());
        server.closeAllConnections();
      });
    },
  };
}

function listen(server: Server, port: number, host: string): Promise<number> {
  return new Promise((resolve, reject) => {
    const onError = (error: Error) => reject(error);
    server.once('error', onError);
    server.listen(port, host, () => {
      server.off('error', onError);
      const address = server.address();
      resolve(typeof address === 'object' && address ? address.port : port);
    });
  });
}

function closeAfter(error: unknown, server: Server, signaling: SignalingServer | null): unknown {
  signaling?.close();
  server.close();
  return error;
}
