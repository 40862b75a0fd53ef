// Devices that sign their edits, in one process, for the signed-change suites: each opens a community
// with its own identity (its doc's client id bound to it), and `deliver` hands one device's changes to
// another the way the exchange would. The network and separate processes are tests/integration/.
import * as Y from 'yjs';
import { foundCommunity, joinCommunity, openCommunity } from '../../shared/community/lifecycle.js';
import { foundingId } from '../../shared/community/log/write.js';
import { generateIdentity, type Identity } from '../../shared/identity/identity.js';
import { MemoryStore } from '../../shared/store/memory-store.js';
import type { ChangeLog } from '../../shared/sync/change-log.js';

export interface Device {
  readonly identity: Identity;
  readonly doc: Y.Doc;
  readonly changes: ChangeLog;
  /** Everything this device signed, in order. */
  readonly sent: Uint8Array[];
}

export async function device(communityId: string, identity?: Identity): Promise<Device> {
  const id = identity ?? (await generateIdentity());
  const sent: Uint8Array[] = [];
  const opened = await openCommunity({ store: new MemoryStore(), communityId, device: id });
  opened.changes!.onSigned((change) => sent.push(change));
  // The binding change was signed before anyone could listen: take it from the log.
  sent.push(...opened.changes!.missing(new Map([...opened.changes!.heads()].filter(([client]) => client !== opened.changes!.client))));
  return { identity: id, doc: opened.doc, changes: opened.changes!, sent };
}

/** Delivers everything `from` signed (and everything it holds) to `to`. */
export async function deliver(from: Device, to: Device): Promise<void> {
  await from.changes.flush();
  await to.changes.receive(from.changes.missing(to.changes.heads()));
}

/** A signed community Olu has just founded, with nobody else in it yet. */
export async function foundedCommunity(): Promise<{ owner: Device; communityId: string }> {
  const founderIdentity = await generateIdentity();
  const { communityId, nonce } = await foundingId(founderIdentity);
  const owner = await device(communityId, founderIdentity);
  await foundCommunity(owner.doc, owner.identity, {
    communityId,
    nonce,
    name: 'Circle',
    purpose: '',
    kind: 'mastermind',
    founder: { id: owner.identity.memberId, displayName: 'Olu' },
  });
  return { owner, communityId };
}

/** A signed community: Olu founds it, Mina joins, and each has the other's changes. */
export async function signedCommunity(): Promise<{ owner: Device; member: Device; communityId: string }> {
  const { owner, communityId } = await foundedCommunity();
  const member = await device(communityId);
  await deliver(owner, member);
  await joinCommunity(member.doc, member.identity, { communityId, member: { id: member.identity.memberId, displayName: 'Mina' } });
  await deliver(member, owner);
  return { owner, member, communityId };
}

/** A post body of one paragraph. */
export const body = (text: string) => ({ type: 'doc', content: [{ type: 'paragraph', content: [{ type: 'text', text }] }] });
