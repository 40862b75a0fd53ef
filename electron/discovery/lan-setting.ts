// Whether this Hearth serves signaling on the LAN and advertises it: the one explicit switch for LAN
// exposure. Flags win over the environment, the environment over the default.
//   --lan / --no-lan            on / off
//   HEARTH_LAN=1 / HEARTH_LAN=0 on / off
//   HEARTH_LAN_ADDRESS=a.b.c.d  listen and advertise on that one IPv4 address (default: every interface)
// The desktop app defaults to on, browser mode to off; electron/discovery/README.md says why.
import { isUsableAddress } from './records.js';

export type LanSetting =
  { readonly ok: true; readonly on: boolean; readonly address?: string } | { readonly ok: false; readonly error: string };

export function lanSetting(argv: readonly string[], env: Readonly<Record<string, string | undefined>>, defaultOn: boolean): LanSetting {
  let on = defaultOn;
  const fromEnv = env.HEARTH_LAN;
  if (fromEnv !== undefined && fromEnv !== '') {
    if (fromEnv !== '1' && fromEnv !== '0')
      return {
        ok: false,
        error: `HEARTH_LAN is “${fromEnv}”; use 1 (serve signaling on the LAN and find other Hearths) or 0 (this machine only).`,
      };
    on = fromEnv === '1';
  }
  // The last flag given wins, as in most command lines.
  for (const argument of argv) {
    if (argument === '--lan') on = true;
    else if (argument === '--no-lan') on = false;
  }
  const address = env.HEARTH_LAN_ADDRESS;
  if (address === undefined || address === '') return { ok: true, on };
  if (!isUsableAddress(address))
    return {
      ok: false,
      error: `HEARTH_LAN_ADDRESS is “${address}”; use one of this machine’s IPv4 addresses on the LAN, e.g. 192.168.1.20.`,
    };
  return { ok: true, on, address };
}
