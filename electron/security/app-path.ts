// Maps a request for the app's own files (app://hearth/… in the shell, http://127.0.0.1/… in browser mode) to a file inside the renderer's folder, or refuses it.
import path from 'node:path';

export const APP_SCHEME = 'app';
export const APP_HOST = 'hearth';
/** The origin Chromium gives pages served from app://hearth (a standard, secure scheme). */
export const APP_ORIGIN = `${APP_SCHEME}://${APP_HOST}`;

export type StaticPathVerdict =
  | { readonly ok: true; readonly filePath: string; readonly contentType: string }
  | { readonly ok: false; readonly status: 400 | 403 | 404 | 405; readonly reason: string };

/** Long enough for any asset Vite emits; anything longer is an attack or a bug, never a real file. */
const MAX_PATHNAME_LENGTH = 1024;
const MAX_SEGMENT_LENGTH = 255;

// Only types the renderer's build emits. Anything else is not served at all, so a stray file in the
// output folder (a source map is fine, a .env is not) cannot leak by accident.
const CONTENT_TYPES: Readonly<Record<string, string>> = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.mjs': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.svg': 'image/svg+xml',
  '.png': 'image/png',
  '.jpg': 'image/jpeg',
  '.jpeg': 'image/jpeg',
  '.webp': 'image/webp',
  '.ico': 'image/x-icon',
  '.woff2': 'font/woff2',
  '.woff': 'font/woff',
  '.json': 'application/json; charset=utf-8',
  '.map': 'application/json; charset=utf-8',
};

const INDEX_FILE = 'index.html';

// Windows opens a device, not a file, for these names even with an extension ("nul.js").
const WINDOWS_DEVICE_NAME = /^(con|prn|aux|nul|com[0-9¹²³]|lpt[0-9¹²³])(\..*)?$/i;

/** Also used for file names that reach a save dialog. */
export function isWindowsDeviceName(name: string): boolean {
  return WINDOWS_DEVICE_NAME.test(name.trim());
}
// C0 and C1 controls, DEL, and the characters Windows treats as path syntax (":" is how drive
// letters and alternate data streams are spelled; "\\" is a separator there).
const FORBIDDEN_DECODED = /[\u0000-\u001f\u007f-\u009f\\/:*?"<>|%]/;
const FORBIDDEN_RAW = /[\u0000-\u0020\u007f-\u009f\\]/;

export function contentTypeFor(filePath: string): string | undefined {
  return CONTENT_TYPES[path.extname(filePath).toLowerCase()];
}

function refuse(status: 400 | 403 | 404 | 405, reason: string): StaticPathVerdict {
  return { ok: false, status, reason };
}

/**
 * The path half of the guard: `urlPathname` is still percent-encoded, as it appears in the URL.
 * It is decoded exactly once, segment by segment, so an encoded "/" or ".." can never become a
 * separator or a parent step, and a double-encoded one ("%252e") is refused rather than left for
 * some later layer to decode again.
 */
export function resolveStaticPath(urlPathname: string, rootDir: string): StaticPathVerdict {
  if (typeof urlPathname !== 'string' || !urlPathname.startsWith('/')) return refuse(400, 'The path must start with "/".');
  if (urlPathname.length > MAX_PATHNAME_LENGTH) return refuse(400, 'The path is too long.');
  if (FORBIDDEN_RAW.test(urlPathname)) return refuse(400, 'The path contains characters that are not allowed.');

  const rawSegments = urlPathname.slice(1).split('/');
  const segments: string[] = [];
  for (const [index, raw] of rawSegments.entries()) {
    // A trailing "/" is a route ("/notes/"); an empty segment anywhere else ("//server/share",
    // "/a//b") is how UNC paths and root-relative tricks are spelled.
    if (raw === '') {
      if (index === rawSegments.length - 1) continue;
      return refuse(400, 'The path has an empty segment.');
    }
    let decoded: string;
    try {
      decoded = decodeURIComponent(raw);
    } catch {
      return refuse(400, 'The path is not valid percent-encoding.');
    }
    if (decoded === '.' || decoded === '..') return refuse(400, 'The path may not step out of its folder.');
    if (decoded.length > MAX_SEGMENT_LENGTH) return refuse(400, 'A part of the path is too long.');
    if (FORBIDDEN_DECODED.test(decoded)) return refuse(400, 'The path contains characters that are not allowed.');
    if (isWindowsDeviceName(decoded)) return refuse(400, 'The path names a device, not a file.');
    // Dotfiles are never part of the build; refusing them keeps e.g. a stray .env private.
    if (decoded.startsWith('.')) return refuse(403, 'Hidden files are not served.');
    segments.push(decoded);
  }

  const root = path.resolve(rootDir);
  const last = segments.at(-1);
  // No extension means a client-side route ("/communities/abc"): the single-page app handles it.
  const isRoute = last === undefined || path.extname(last) === '' || urlPathname.endsWith('/');
  const relative = isRoute ? [INDEX_FILE] : segments;
  const contentType = contentTypeFor(relative.at(-1) ?? INDEX_FILE);
  if (contentType === undefined) return refuse(404, 'Files of that kind are not served.');

  const filePath = path.resolve(root, ...relative);
  // The segment checks above should make this unreachable; it stays because it is the one check
  // that does not depend on having thought of every trick. The separator stops "/root-evil" from
  // passing as inside "/root".
  if (!filePath.startsWith(root + path.sep)) return refuse(403, 'The path leaves the app folder.');
  return { ok: true, filePath, contentType };
}

// Segments a URL parser would silently fold away ("..", "%2e%2E"): seeing one in a request means
// someone is probing, so it is refused instead of served from wherever it happens to land.
const DOT_SEGMENT = /^(?:\.|%2e){1,2}$/i;

/** The whole guard for the shell's app:// protocol: method, scheme, host, then the path. */
export function resolveAppRequest(method: string, requestUrl: string, rootDir: string): StaticPathVerdict {
  if (method !== 'GET' && method !== 'HEAD') return refuse(405, 'Only GET and HEAD are allowed.');
  if (typeof requestUrl !== 'string' || requestUrl.length > MAX_PATHNAME_LENGTH * 2) return refuse(400, 'The address is too long.');
  const beforeQuery = requestUrl.split(/[?#]/, 1)[0] ?? '';
  if (FORBIDDEN_RAW.test(beforeQuery)) return refuse(400, 'The address contains characters that are not allowed.');
  if (beforeQuery.split('/').some((segment) => DOT_SEGMENT.test(segment))) return refuse(400, 'The path may not step out of its folder.');
  let url: URL;
  try {
    url = new URL(requestUrl);
  } catch {
    return refuse(400, 'That is not a valid address.');
  }
  // Chromium lowercases the host of a standard scheme; Node's parser does not for unknown schemes.
  if (url.protocol !== `${APP_SCHEME}:` || url.host.toLowerCase() !== APP_HOST || url.username !== '' || url.password !== '') {
    return refuse(403, 'Only the app’s own files are served.');
  }
  return resolveStaticPath(url.pathname === '' ? '/' : url.pathname, rootDir);
}
