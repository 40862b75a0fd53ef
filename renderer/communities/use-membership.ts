// React's view of a community's verified membership and moderation (shared/community/membership-log):
// re-verified whenever the logs or the member directory change. Verification is async (WebCrypto), so
// the newest read wins and a slower older one is dropped.
import { createContext, useContext, useEffect, useState } from 'react';
import type * as Y from 'yjs';
import { membersMap } from '../../shared/community/commands.js';
import { membershipLog, moderationLog } from '../../shared/community/log/entries.js';
import { readMembership, type Membership } from '../../shared/community/log/replay.js';
import type { Identity } from '../../shared/identity/identity.js';

/** This device's signing identity; provided by the community home. */
export const IdentityContext = createContext<Identity | null>(null);

export function useIdentity(): Identity | null {
  return useContext(IdentityContext);
}

/** Null until the first verification of this document finished (not another document's result). */
export function useMembership(doc: Y.Doc, communityId: string): Membership | null {
  const [read, setRead] = useState<{ doc: Y.Doc; membership: Membership } | null>(null);
  useEffect(() => {
    let latest = 0;
    let disposed = false;
    const refresh = () => {
      const run = ++latest;
      readMembership(doc, communityId).then(
        (result) => {
          if (!disposed && run === latest) setRead({ doc, membership: result });
        },
        () => undefined,
      );
    };
    // Only the logs and the member directory (the fallback for older communities) decide roles.
    const watched = [membershipLog(doc), moderationLog(doc), membersMap(doc)];
    for (const map of watched) map.observe(refresh);
    refresh();
    return () => {
      disposed = true;
      for (const map of watched) map.unobserve(refresh);
    };
  }, [doc, communityId]);
  return read?.doc === doc ? read.membership : null;
}
