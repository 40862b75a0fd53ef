// What a member sees when the community moved to a key epoch this device was not given: removed by a
// facilitator, or joined with an invite from before a removal. Nothing on the device is deleted.
import { useEffect, useState } from 'react';
import { KeyRound, Unlink, UserX } from 'lucide-react';
import type { EpochAccess, EpochSync } from '../../shared/sync/epoch-sync.js';
import { relativeTime } from '../ui/relative-time.js';

export function useEpochAccess(sync: EpochSync | null): EpochAccess | null {
  const [access, setAccess] = useState<EpochAccess | null>(() => sync?.access() ?? null);
  useEffect(() => (sync ? sync.onAccess(setAccess) : undefined), [sync]);
  return access;
}

export function AccessBanner({ access, nameOf }: { access: EpochAccess | null; nameOf: (memberId: string) => string }) {
  if (!access || access.kind !== 'excluded') return null;
  if (access.removed) {
    return (
      <div className="banner danger access-banner" role="alert">
        <UserX size={18} aria-hidden="true" />
        <div className="grow">
          <strong>You were removed from this community</strong> by {nameOf(access.by)} {relativeTime(access.at)}. What was here until then
          stays on this device to read; nothing written since reaches you, and nothing you write reaches anyone.
        </div>
      </div>
    );
  }
  if (access.unlinked) {
    return (
      <div className="banner warn access-banner" role="alert">
        <Unlink size={18} aria-hidden="true" />
        <div className="grow">
          <strong>This device was unlinked</strong> {relativeTime(access.at)}, from another of your devices. What was here until then stays
          on this device to read; nothing new reaches it, and nothing it writes counts as you. To use it again, link it again from your
          other device.
        </div>
      </div>
    );
  }
  return (
    <div className="banner warn access-banner" role="alert">
      <KeyRound size={18} aria-hidden="true" />
      <div className="grow">
        <strong>This community has moved to a new key that this device was not given.</strong> The invite you used is from before a member
        was removed, or this device was offline when it happened. Ask a member for a new invite; nothing on this device is lost.
      </div>
    </div>
  );
}
