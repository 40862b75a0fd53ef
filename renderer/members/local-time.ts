// "14:05 their time": what the clock says where a member lives, how far that is from here, and the
// grouped list of zones the profile's picker offers. Intl is the only source of zone rules.
import { instantToWallTime, zoneOffsetMs } from '../../shared/events/time-zone.js';
import { isMemberTimeZone } from '../../shared/community/member-profile.js';
import { localTimeZone, timeZones } from '../sessions/format.js';

/** "Lisbon", "Buenos Aires", "UTC": the place a zone is named after. */
export function placeOf(zone: string): string {
  return (zone.split('/').pop() ?? zone).replace(/_/g, ' ');
}

/** "14:05" in the member's zone (in this device's 12- or 24-hour style), with the weekday when it is another day there. */
export function timeThere(zone: string, at: number, hereZone = localTimeZone()): string {
  const time = new Date(at).toLocaleTimeString(undefined, { timeZone: zone, hour: 'numeric', minute: '2-digit' });
  const there = instantToWallTime(at, zone);
  const here = instantToWallTime(at, hereZone);
  if (there.year === here.year && there.month === here.month && there.day === here.day) return time;
  return `${new Date(at).toLocaleDateString(undefined, { timeZone: zone, weekday: 'short' })} ${time}`;
}

/** "3 h ahead of you", "1 h 30 min behind you", "same time as you". */
export function differenceFromHere(zone: string, at: number, hereZone = localTimeZone()): string {
  const minutes = Math.round((zoneOffsetMs(zone, at) - zoneOffsetMs(hereZone, at)) / 60_000);
  if (minutes === 0) return 'same time as you';
  const size = Math.abs(minutes);
  const hours = Math.floor(size / 60);
  const rest = size % 60;
  const amount = [hours ? `${hours} h` : '', rest ? `${rest} min` : ''].filter(Boolean).join(' ');
  return `${amount} ${minutes > 0 ? 'ahead of' : 'behind'} you`;
}

export interface ZoneGroup {
  readonly region: string;
  readonly zones: readonly { readonly zone: string; readonly label: string }[];
}

/** Every zone the profile accepts, grouped by region ("Europe": "Berlin (GMT+2)", …), for a <select>. */
export function zoneGroups(at = Date.now()): ZoneGroup[] {
  const groups = new Map<string, { zone: string; label: string }[]>();
  for (const zone of timeZones()) {
    if (!isMemberTimeZone(zone)) continue;
    const slash = zone.indexOf('/');
    const region = slash > 0 ? zone.slice(0, slash) : 'Other';
    const offset = new Intl.DateTimeFormat('en-US', { timeZone: zone, timeZoneName: 'shortOffset' })
      .formatToParts(at)
      .find((part) => part.type === 'timeZoneName')?.value;
    const place =
      slash > 0
        ? zone
            .slice(slash + 1)
            .replace(/_/g, ' ')
            .replace(/\//g, ' – ')
        : zone;
    const list = groups.get(region) ?? [];
    list.push({ zone, label: offset ? `${place} (${offset})` : place });
    groups.set(region, list);
  }
  return [...groups]
    .sort(([a], [b]) => (a === 'Other' ? 1 : b === 'Other' ? -1 : a.localeCompare(b)))
    .map(([region, zones]) => ({ region, zones: zones.sort((a, b) => a.label.localeCompare(b.label)) }));
}
