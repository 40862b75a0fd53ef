// Which links may leave the app. A pure guard shared by the desktop shell and browser mode: anything a
// peer wrote can end up here, so everything but plain web and mail links is refused.

export type ExternalUrlVerdict = { readonly ok: true; readonly url: string } | { readonly ok: false; readonly reason: string };

const ALLOWED_PROTOCOLS = new Set(['http:', 'https:', 'mailto:']);
const MAX_URL_LENGTH = 4096;

export function checkExternalUrl(value: unknown): ExternalUrlVerdict {
  if (typeof value !== 'string') return { ok: false, reason: 'A link must be text.' };
  const trimmed = value.trim();
  if (trimmed.length === 0) return { ok: false, reason: 'The link is empty.' };
  if (trimmed.length > MAX_URL_LENGTH) return { ok: false, reason: 'The link is too long.' };
  // Control characters (C0, DEL and C1) and backslashes are how scheme and host confusion is
  // smuggled past parsers.
  if (/[\u0000-\u001f\u007f-\u009f\\]/.test(trimmed)) return { ok: false, reason: 'The link contains characters that are not allowed.' };
  let url: URL;
  try {
    url = new URL(trimmed);
  } catch {
    return { ok: false, reason: 'That is not a valid link.' };
  }
  // Percent-encoding makes a link up to nine times longer ("€" becomes "%E2%82%AC"); the limit is on
  // what is opened, not on what was typed.
  if (url.href.length > MAX_URL_LENGTH) return { ok: false, reason: 'The link is too long.' };
  if (!ALLOWED_PROTOCOLS.has(url.protocol)) {
    return { ok: false, reason: `Links of the kind “${url.protocol}” are not opened, only web and e-mail links.` };
  }
  if (url.protocol === 'mailto:') {
    if (url.pathname.length === 0) return { ok: false, reason: 'The e-mail link has no address.' };
    return { ok: true, url: url.href };
  }
  if (url.hostname.length === 0) return { ok: false, reason: 'The link has no host.' };
  // Credentials in a link are a phishing device ("https://bank.com@evil.example").
  if (url.username !== '' || url.password !== '') return { ok: false, reason: 'Links with a user name or password are not opened.' };
  return { ok: true, url: url.href };
}

/** Runs `open` only for an allowed link; the side effect is passed in so the guard stays testable. */
export function openExternalUrl(value: unknown, open: (url: string) => void): ExternalUrlVerdict {
  const verdict = checkExternalUrl(value);
  if (verdict.ok) open(verdict.url);
  return verdict;
}
