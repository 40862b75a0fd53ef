// What the renderer's features may ask of the store on this device, each as the narrowest interface
// it needs: settings, the library's file bytes, thread read marks, or all of it with the community
// documents. DexieStore is the one implementation; a feature typed against these takes any store
// that keeps the same promises (an in-memory one in a test).
import type { Table } from 'dexie';
import type { CommunityStore } from '../../shared/store/store.js';

/** A file's bytes, kept beside the documents and keyed by the SHA-256 of its content (hex). */
export interface BlobRow {
  hash: string;
  bytes: Uint8Array;
  type: string;
  size: number;
  storedAt: number;
}

/** Local, per-member "read up to" marks (e.g. the last post seen in a thread); never synced. */
export interface ReadMarkRow {
  communityId: string;
  itemId: string;
  /** Whatever the feature needs to compare with: a timestamp, a count, a post id. */
  value: unknown;
  at: number;
}

/** Small values kept on this device only (profile, network settings, keys' records); never synced. */
export interface DeviceSettings {
  getSetting(key: string): Promise<unknown>;
  putSetting(key: string, value: unknown): Promise<void>;
}

/** The library's file bytes on this device, keyed by the SHA-256 of their content. */
export interface BlobRows {
  readonly db: { readonly blobs: Table<BlobRow, string> };
}

/** This member's "read up to" marks, watched live for unread counts; never synced. */
export interface ReadMarkRows {
  readonly db: { readonly readMarks: Table<ReadMarkRow, [string, string]> };
}

/** Everything a community's sections may use: the communities' documents and what stays on this device. */
export interface DeviceStore extends CommunityStore, DeviceSettings {
  readonly db: BlobRows['db'] & ReadMarkRows['db'];
  /** Takes a community off this device (leaving it); library files stay. */
  deleteCommunity(communityId: string): Promise<void>;
}
