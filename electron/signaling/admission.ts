// Who may open a signaling connection: the Origin check on the WebSocket upgrade, and the grouping of
// remote addresses that per-address connection limits count by. Pure, so hostile tables can test them.
import { isIP } from 'node:net';
import { APP_ORIGIN } from '../security/app-path.js';

/**
 * Loopback origins on any port: browser mode serves the app from http://127.0.0.1:<port> (or the page
 * may say localhost or [::1]), and a member's page on one machine reaches another member's LAN signaling
 * listener (5318/5319) with its own loopback origin, whatever port its host got. The dev server is on
 * loopback too. Only what a browser actually sends: lowercase scheme and host (compared without regard
 * to case anyway), no path, no userinfo, no trailing dot, a port of 1–65535 without leading zeros.
 */
const LOOPBACK_ORIGIN = /^http:\/\/(?:127\.0\.0\.1|localhost|\[::1\])(?::([1-9]\d{0,4}))?$/i;
const MAX_PORT = 65_535;

/**
 * True when an upgrade with this Origin header may connect. No header at all is a non-browser client
 * (Hearth's headless peers, y-webrtc in Node, native apps): browsers always send one on a WebSocket
 * upgrade, so a missing header cannot be a web page. A present header must be the desktop renderer's
 * app://hearth (electron/security/app-path.ts) or a loopback page; `null` (sandboxed frames, file://
 * pages), other schemes and every other host are refused, so a web page the member happens to visit
 * cannot use their signaling service.
 */
export function isAllowedSignalingOrigin(origin: string | readonly string[] | undefined): boolean {
  if (origin === undefined) return true;
  // Node joins repeated Origin headers with ", "; a list is never one origin.
  if (typeof origin !== 'string') return false;
  if (origin.toLowerCase() === APP_ORIGIN) return true;
  const match = LOOPBACK_ORIGIN.exec(origin);
  if (!match) return false;
  return match[1] === undefined || Number(match[1]) <= MAX_PORT;
}

/** Hextets of an IPv6 address that name its network; a host is given a whole /64 and picks freely inside it. */
const IPV6_PREFIX_HEXTETS = 4;

/**
 * The group a remote address counts against for per-address limits: an IPv4 address as it is (an
 * IPv4-mapped IPv6 address, as a dual-stack socket reports IPv4 peers, normalised to it), an IPv6 address
 * by its /64, since one host can use any of the 2^64 addresses in its network. Anything unreadable falls
 * into one shared group, so it cannot dodge the limit by being odd.
 */
export function addressGroup(address: string | undefined): string {
  if (address === undefined) return 'unknown';
  const withoutZone = address.split('%', 1)[0]!.toLowerCase();
  const mapped = /^::ffff:(\d+\.\d+\.\d+\.\d+)$/.exec(withoutZone);
  if (mapped && isIP(mapped[1]!) === 4) return mapped[1]!;
  const family = isIP(withoutZone);
  if (family === 4) return withoutZone;
  if (family !== 6) return 'unknown';
  const hextets = expandIpv6(withoutZone);
  if (hextets === null) return 'unknown';
  return `${hextets.slice(0, IPV6_PREFIX_HEXTETS).join(':')}::/64`;
}

/** The eight hextets of a valid IPv6 address (as isIP accepted it), without leading zeros. */
function expandIpv6(address: string): string[] | null {
  // An embedded IPv4 tail (::ffff:1.2.3.4 was handled above; 64:ff9b::1.2.3.4 and the like) is two hextets.
  const tail = /(\d+)\.(\d+)\.(\d+)\.(\d+)$/.exec(address);
  let text = address;
  if (tail) {
    const [a, b, c, d] = tail.slice(1).map(Number) as [number, number, number, number];
    text = `${address.slice(0, tail.index)}${((a << 8) | b).toString(16)}:${((c << 8) | d).toString(16)}`;
  }
  const halves = text.split('::');
  if (halves.length > 2) return null;
  const head = halves[0] ? halves[0].split(':') : [];
  const rest = halves.length === 2 && halves[1] ? halves[1].split(':') : [];
  const missing = 8 - head.length - rest.length;
  if (missing < 0 || (halves.length === 1 && missing !== 0)) return null;
  return [...head, ...Array<string>(halves.length === 2 ? missing : 0).fill('0'), ...rest].map((hextet) =>
    Number.parseInt(hextet, 16).toString(16),
  );
}
