// The Content-Security-Policy sent with every page of the app, by the shell's app:// protocol and by browser mode's host.

export interface CspOptions {
  /** Development loads the renderer from Vite's dev server, which needs a few allowances. */
  readonly dev: boolean;
}

export function contentSecurityPolicy({ dev }: CspOptions): string {
  const directives: Record<string, readonly string[]> = {
    'default-src': ["'self'"],
    // Peers write the content the app shows; with no inline or remote script, text that slips past
    // React's escaping still cannot run. Vite's dev server injects one inline module (React Fast
    // Refresh's preamble), so development alone allows inline scripts.
    'script-src': dev ? ["'self'", "'unsafe-inline'"] : ["'self'"],
    // React's `style` props become inline style attributes; styles cannot run code in Chromium.
    'style-src': ["'self'", "'unsafe-inline'"],
    // data: and blob: are how images a member attaches are shown without writing them to disk.
    'img-src': ["'self'", 'data:', 'blob:'],
    'font-src': ["'self'", 'data:'],
    // The app talks to the network only through WebSocket signaling (y-webrtc). The servers are
    // the member's own choice and their LAN peers' addresses found by mDNS, so no host list can be
    // written down here; plain ws: is needed because a signaling server on the same Wi-Fi or on
    // loopback has no TLS certificate. No http(s): the renderer never fetches from the network, so
    // an injected fetch() cannot send a community's data anywhere. WebRTC's own peer connections
    // are not governed by connect-src.
    'connect-src': ["'self'", 'ws:', 'wss:'],
    'object-src': ["'none'"],
    'base-uri': ["'none'"],
    'frame-ancestors': ["'none'"],
    'form-action': ["'none'"],
  };
  return Object.entries(directives)
    .map(([name, sources]) => `${name} ${sources.join(' ')}`)
    .join('; ');
}
