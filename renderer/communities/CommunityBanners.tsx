// The banners above a community's home: records this version could not read, damaged storage and
// whether members' copies have filled it, and a community whose content has not arrived yet.
import { useEffect, useState } from 'react';
import { AlertTriangle, CircleCheck, Hourglass } from 'lucide-react';
import type { CommunityView } from '../../shared/community/queries.js';
import { hasGap } from '../../shared/store/load-gaps.js';
import { useSyncStatus } from '../sync/use-sync.js';
import type { OpenCommunity } from './community-registry.js';
import { damageMessage } from './damage-report.js';

export function ProblemsBanner({ view }: { view: CommunityView }) {
  return (
    <div className="banner warn" role="status">
      <AlertTriangle size={18} aria-hidden="true" />
      <div className="grow">
        {view.newerSchema ? 'A member uses a newer version of Hearth; some of what they made may not show until you update. ' : null}
        {view.problems.length > 0
          ? `${view.problems.length === 1 ? 'One record' : `${view.problems.length} records`} (or parts of ${view.problems.length === 1 ? 'it' : 'them'}) in this community could not be read and ${view.problems.length === 1 ? 'is' : 'are'} left out. Nothing was deleted.`
          : null}
      </div>
    </div>
  );
}

/**
 * Damaged storage found when this community opened: what is missing, and whether members' copies have
 * filled it since. Re-rendered with every document change (the home re-reads the view), so it sees
 * the moment Yjs can apply what waited.
 */
export function DamagedStorageBanner({ community }: { community: OpenCommunity }) {
  const status = useSyncStatus(community.sync);
  const [copyArrived, setCopyArrived] = useState(false);
  const synced = (status?.syncedPeers ?? 0) > 0;
  useEffect(() => {
    if (synced) setCopyArrived(true);
  }, [synced]);
  const message = damageMessage(community.report, {
    gapOpen: hasGap(community.doc),
    copyArrived,
    peers: status?.peers ?? 0,
    filledHere: community.repairedHere,
  });
  if (!message) return null;
  return (
    <div className={message.filled ? 'banner ok' : 'banner warn'} role="status">
      {message.filled ? <CircleCheck size={18} aria-hidden="true" /> : <AlertTriangle size={18} aria-hidden="true" />}
      <div className="grow">
        <p className="banner-line">{message.lost}</p>
        <p className="banner-line">{message.repair}</p>
      </div>
    </div>
  );
}

/** A community joined from an invite whose name and content no member's device has sent yet. */
export function NotArrivedBanner({ name }: { name: string }) {
  return (
    <div className="banner warn" role="status">
      <Hourglass size={18} aria-hidden="true" />
      <div className="grow">
        You have joined <strong>{name}</strong>. Its notes, threads and members arrive as soon as another member’s Hearth is online.
      </div>
    </div>
  );
}
