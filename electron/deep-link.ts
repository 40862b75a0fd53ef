// hearth:// links handed to the desktop app by the operating system (a clicked invite link): finds one
// in a launch's arguments or an open-url event, and passes on only what looks like an invite code. The
// renderer's parseInvite does the real validation and shows the member any error.

export const HEARTH_SCHEME = 'hearth';
const JOIN_PREFIX = 'hearth://join/';
const MAX_LINK_CHARS = 8_192;

/** The invite code in a hearth://join/ link, or null for anything else. */
export function joinCodeFromUrl(value: unknown): string | null {
  if (typeof value !== 'string' || value.length > MAX_LINK_CHARS) return null;
  if (!value.toLowerCase().startsWith(JOIN_PREFIX)) return null;
  let code = value.slice(JOIN_PREFIX.length).replace(/\/+$/, '');
  try {
    code = decodeURIComponent(code);
  } catch {
    return null;
  }
  return /^HEARTH1-[A-Za-z0-9_-]+$/.test(code) ? code : null;
}

/** Windows and Linux pass the link as a command-line argument, to a first or a second instance. */
export function joinCodeFromArgv(argv: readonly unknown[]): string | null {
  for (const argument of argv) {
    const code = joinCodeFromUrl(argument);
    if (code) return code;
  }
  return null;
}
