// Keeps the communities this window has opened: one Y.Doc each, bound to the local store. Opening a
// community twice returns the same doc; closing the window flushes every one of them.
import * as Y from 'yjs';
import { createCommunity, upsertMember, type NewCommunity } from '../../shared/community/commands.js';
import { readCommunityMeta } from '../../shared/community/queries.js';
import { newId } from '../../shared/ids.js';
import { persistDoc, type LoadReport, type PersistedDoc } from '../../shared/store/persist-doc.js';
import type { CommunityEntry } from '../../shared/store/store.js';
import type { DexieStore } from '../store/dexie-store.js';
import type { Profile } from '../profile/profile.js';

export interface OpenCommunity {
  readonly id: string;
  readonly doc: Y.Doc;
  readonly persisted: PersistedDoc;
  readonly report: LoadReport;
}

export class CommunityRegistry {
  private readonly open = new Map<string, Promise<OpenCommunity>>();

  constructor(
    private readonly store: DexieStore,
    private readonly onBackgroundError: (error: unknown) => void,
  ) {}

  get(id: string): Promise<OpenCommunity> {
    let opening = this.open.get(id);
    if (!opening) {
      opening = this.load(id);
      this.open.set(id, opening);
      // A failed open is not cached, so "Try again" really tries again.
      opening.catch(() => this.open.delete(id));
    }
    return opening;
  }

  async create(input: Omit<NewCommunity, 'founder'>, profile: Profile): Promise<CommunityEntry> {
    const doc = new Y.Doc();
    const id = newId();
    // Bind the store first: persistDoc records changes from the moment it is attached.
    const persisted = persistDoc(doc, id, this.store, { onError: this.onBackgroundError });
    const report = await persisted.whenLoaded;
    const meta = createCommunity(doc, { ...input, id, founder: { id: profile.memberId, displayName: profile.displayName } });
    await persisted.flush();
    const entry: CommunityEntry = { id: meta.id, name: meta.name, joinedAt: meta.createdAt, lastOpenedAt: meta.createdAt };
    await this.store.putCommunity(entry);
    this.open.set(meta.id, Promise.resolve({ id: meta.id, doc, persisted, report }));
    return entry;
  }

  /** Records that the member looked at a community now, and keeps the sidebar's name in step. */
  async touch(entry: CommunityEntry, doc: Y.Doc): Promise<CommunityEntry> {
    const name = readCommunityMeta(doc)?.name ?? entry.name;
    const touched = { ...entry, name, lastOpenedAt: Date.now() };
    await this.store.putCommunity(touched);
    return touched;
  }

  /** Keeps this member's record in each open community in step with their profile. */
  async renameMember(profile: Profile): Promise<void> {
    for (const opening of this.open.values()) {
      const community = await opening.catch(() => null);
      if (community) upsertMember(community.doc, { id: profile.memberId, displayName: profile.displayName });
    }
  }

  async closeAll(): Promise<void> {
    const openings = [...this.open.values()];
    this.open.clear();
    await Promise.all(
      openings.map(async (opening) => {
        const community = await opening.catch(() => null);
        if (!community) return;
        await community.persisted.close();
        community.doc.destroy();
      }),
    );
  }

  private async load(id: string): Promise<OpenCommunity> {
    const doc = new Y.Doc();
    const persisted = persistDoc(doc, id, this.store, { onError: this.onBackgroundError });
    try {
      const report = await persisted.whenLoaded;
      return { id, doc, persisted, report };
    } catch (error) {
      await persisted.close();
      doc.destroy();
      throw error;
    }
  }
}
