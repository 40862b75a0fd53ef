// The dialogs a community's home opens about membership: the code of conduct to accept, leaving, and
// (for moderators, from How people join) editing the code of conduct.
import type * as Y from 'yjs';
import { conductHash } from '../../shared/community/access.js';
import { updateCommunityMeta } from '../../shared/community/commands.js';
import { writeMembershipChange } from '../../shared/community/log/write.js';
import type { Identity } from '../../shared/identity/identity.js';
import { ConductDialog, EditConductDialog } from '../access/ConductDialog.js';
import { LeaveDialog } from '../access/LeaveDialog.js';

export type CommunityDialog = 'conduct' | 'edit-conduct' | 'leave';

export function CommunityDialogs({
  dialog,
  doc,
  communityId,
  communityName,
  identity,
  codeOfConduct,
  currentConduct,
  conductChanged,
  waiting,
  lastOwner,
  withEditConduct,
  onClose,
  onLeave,
}: {
  dialog: CommunityDialog | null;
  doc: Y.Doc;
  communityId: string;
  communityName: string;
  identity: Identity | null;
  codeOfConduct: string;
  /** The hash of the code of conduct as it reads now, once computed. */
  currentConduct: string | null | undefined;
  /** This member accepted an earlier text: the dialog says it changed. */
  conductChanged: boolean;
  waiting: boolean;
  lastOwner: boolean;
  /** Only the full home offers the editor; the waiting and declined screens do not. */
  withEditConduct: boolean;
  onClose: () => void;
  onLeave: () => Promise<void>;
}) {
  return (
    <>
      <ConductDialog
        open={dialog === 'conduct'}
        communityName={communityName}
        text={codeOfConduct}
        changed={conductChanged}
        onClose={onClose}
        onAccept={async () => {
          if (!identity || !currentConduct) throw new Error('This device has no identity yet.');
          await writeMembershipChange(doc, identity, communityId, {
            kind: 'conduct',
            subject: identity.memberId,
            conductHash: currentConduct,
          });
        }}
      />
      <LeaveDialog
        open={dialog === 'leave'}
        communityName={communityName}
        waiting={waiting}
        lastOwner={lastOwner}
        onClose={onClose}
        onLeave={onLeave}
      />
      {withEditConduct ? (
        <EditConductDialog
          open={dialog === 'edit-conduct'}
          initial={codeOfConduct}
          onClose={onClose}
          onSave={async (text) => {
            updateCommunityMeta(doc, { codeOfConduct: text });
            // Whoever writes the text accepts it, as the founder does at creation.
            if (text && identity)
              await writeMembershipChange(doc, identity, communityId, {
                kind: 'conduct',
                subject: identity.memberId,
                conductHash: await conductHash(text),
              });
          }}
        />
      ) : null}
    </>
  );
}
