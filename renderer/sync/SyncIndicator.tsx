// The sync status of a community, in its header: a coloured dot and a sentence that never claims
// more than is true, and a details dialog with servers, peers, problems seen, the signed changes applied
// and refused (each reason in plain words: refusals.ts), and "work offline".
import { useId, useState } from 'react';
import { WifiOff } from 'lucide-react';
import type { LogKeeper } from '../../shared/community/log/guard.js';
import type { CommunitySync } from '../../shared/sync/community-sync.js';
import { Dialog } from '../ui/Dialog.js';
import { relativeTime } from '../ui/relative-time.js';
import { describeSync, useSyncStatus } from './use-sync.js';
import { DialogHeader } from '../ui/DialogHeader.js';
import { DialogFooter } from '../ui/DialogFooter.js';
import { describeApplied, describeRefused } from './refusals.js';

export function SyncIndicator({ sync, logKeeper = null }: { sync: CommunitySync | null; logKeeper?: LogKeeper | null }) {
  const status = useSyncStatus(sync);
  const [open, setOpen] = useState(false);
  const [paused, setPaused] = useState(false);
  const titleId = useId();
  const { label, tone } = describeSync(status);
  const shown = paused ? 'Working offline · saved on this device' : label;
  const problems = status ? status.counters.rejected + status.counters.malformed + status.counters.oversize : 0;
  return (
    <>
      <button
        type="button"
        className={`status-button status ${paused ? 'offline' : tone}`}
        onClick={() => setOpen(true)}
        aria-label={`Sync: ${shown}. Show details`}
      >
        <span className="dot" aria-hidden="true" /> {shown}
      </button>
      <Dialog open={open} onClose={() => setOpen(false)} labelledBy={titleId}>
        <div className="dialog-form">
          <DialogHeader
            titleId={titleId}
            title="Sync"
            lede="Members’ devices exchange changes directly, encrypted with this community’s key."
            onClose={() => setOpen(false)}
          />
          {status ? (
            <dl className="details-list">
              <div>
                <dt>Status</dt>
                <dd>{shown}</dd>
              </div>
              <div>
                <dt>Members’ devices connected</dt>
                <dd>
                  {status.peers} ({status.syncedPeers} up to date)
                </dd>
              </div>
              <div>
                <dt>Signaling servers reached</dt>
                <dd>{status.signalingConnected}</dd>
              </div>
              <div>
                <dt>Last change received</dt>
                <dd>{status.lastExchangeAt ? relativeTime(status.lastExchangeAt) : 'not yet'}</dd>
              </div>
              <div>
                <dt>Messages ignored</dt>
                <dd>
                  {problems === 0
                    ? 'none'
                    : `${status.counters.rejected} not from a member or altered, ${status.counters.malformed} malformed, ${status.counters.oversize} too large or out of order`}
                </dd>
              </div>
              {status.changes ? (
                <>
                  <div>
                    <dt>Signed changes from members’ devices</dt>
                    <dd>{describeApplied(status.changes)}</dd>
                  </div>
                  <div>
                    <dt>Changes refused</dt>
                    <dd>{describeRefused(status.changes)}</dd>
                  </div>
                </>
              ) : null}
              <div>
                <dt>Membership and moderation log entries written back</dt>
                <dd>{describeRestored(logKeeper?.restored() ?? 0)}</dd>
              </div>
            </dl>
          ) : (
            <p className="hint">Sync has not started for this community.</p>
          )}
          <DialogFooter actionLabel="Done" onAction={() => setOpen(false)}>
            {sync ? (
              <button
                type="button"
                className="button"
                onClick={() => {
                  if (paused) sync.resume();
                  else sync.pause();
                  setPaused(!paused);
                }}
              >
                <WifiOff size={16} aria-hidden="true" /> {paused ? 'Go back online' : 'Work offline'}
              </button>
            ) : null}
          </DialogFooter>
        </div>
      </Dialog>
    </>
  );
}

/** Entries of the membership or moderation log that a member's device deleted, and this one wrote back. */
export function describeRestored(count: number): string {
  if (count === 0) return 'none: nothing was deleted';
  return `${count === 1 ? 'one entry' : `${count} entries`} deleted by a member’s device, and written back`;
}
