// A Hearth member without a window: one community, its file store and its sync, driven by JSON lines
// on stdin and reporting JSON lines on stdout. Integration tests and benchmarks run several of these as
// separate processes (y-webrtc allows one doc per room per process) over real WebRTC on loopback.
// Over 400 lines: one command loop whose cases (including the hostile member's) share the open
// community, its identity and its sync; the flows themselves live in shared/ (lifecycle, log, sync).
import { createHash } from 'node:crypto';
import { createInterface } from 'node:readline';
import wrtc from '@roamhq/wrtc';
import { WebSocket } from 'ws';
import * as Y from 'yjs';
import { createCommunity, upsertMember } from '../../shared/community/commands.js';
import { membershipLog, moderationLog, type MembershipEntry, type Role } from '../../shared/community/log/entries.js';
import { createThread, postsMap } from '../../shared/threads/commands.js';
import { readThread } from '../../shared/threads/queries.js';
import { richTextToPlainText } from '../../shared/rich-text/plain-text.js';
import { readMembership } from '../../shared/community/log/replay.js';
import { writeMembershipChange, type MembershipChange } from '../../shared/community/log/write.js';
import { foundCommunity, joinCommunity, openCommunity } from '../../shared/community/lifecycle.js';
import { readCommunity } from '../../shared/community/queries.js';
import { removeMember } from '../../shared/community/removal.js';
import { generateIdentity, type Identity } from '../../shared/identity/identity.js';
import { acceptLink, newLinkCode, offerLink, parseLinkCode } from '../../shared/identity/device-link.js';
import { fromBase64Url, toBase64Url } from '../../shared/sync/bytes.js';
import { sha256Hex } from '../../shared/crypto.js';
import { startCommunitySync, type CommunitySync } from '../../shared/sync/community-sync.js';
import { startEpochSync, type EpochSync } from '../../shared/sync/epoch-sync.js';
import { deviceIdOf, generateAgreementKey, makeRotation, recipientsOf, type EpochSecret } from '../../shared/sync/epochs.js';
import { loopbackOnly } from '../../shared/sync/loopback-ice.js';
import { FileStore } from '../store/file-store.js';
import { startLanSignaling } from '../discovery/lan-signaling.js';
import { errorMessage } from '../../shared/errors.js';

// y-webrtc's signaling client uses the global WebSocket, which Node 20 does not have.
(globalThis as { WebSocket?: unknown }).WebSocket ??= WebSocket;

export interface HeadlessPeerConfig {
  readonly communityId: string;
  /** base64url of the community secret. */
  readonly secret: string;
  readonly signaling: readonly string[];
  readonly storeDir: string;
  readonly memberId: string;
  readonly displayName: string;
  /** Like a desktop Hearth: serve signaling on this IPv4 address and use the servers LAN discovery finds. */
  readonly lan?: { readonly address: string };
  /**
   * A signing identity and key-agreement key (private halves as JWK): the peer then writes signed
   * create/join entries, follows key rotations (shared/sync/epoch-sync.ts) and can remove members.
   */
  readonly identity?: { readonly memberId: string; readonly publicKey: string; readonly privateKeyJwk: JsonWebKey };
  readonly agreement?: { readonly publicKey: string; readonly privateKeyJwk: JsonWebKey };
  /** The founder's nonce (shared/community/membership-log.ts foundingId). */
  readonly nonce?: string;
  /** The key epoch `secret` belongs to (an invite from after a rotation). */
  readonly epoch?: number;
  /** Stay in the held epoch's room whatever the log says, as a removed member's modified app would. */
  readonly ignoreRotations?: boolean;
  /**
   * A new device: link to the identity of the device showing this code (shared/identity/device-link.ts)
   * before anything else; the community, its secret and the member id then come from the grant.
   */
  readonly linkCode?: string;
  /** Overrides the connect watchdog (shared/sync/community-sync.ts), e.g. to prove connections open without it. */
  readonly connectStallMs?: number;
}

type Command =
  | { cmd: 'create'; name: string; purpose?: string }
  | { cmd: 'join' }
  | { cmd: 'type'; text: string }
  | { cmd: 'fill'; bytes: number; seed?: number }
  | { cmd: 'snapshot' }
  | { cmd: 'status' }
  | { cmd: 'flush' }
  | { cmd: 'blob-put'; bytes: number; seed?: number }
  | { cmd: 'blob-get'; hash: string }
  | { cmd: 'remove'; memberId: string }
  | { cmd: 'role'; memberId: string; role: Role }
  | { cmd: 'membership' }
  | { cmd: 'link-offer' }
  | { cmd: 'contains'; text: string }
  | { cmd: 'pause' }
  /** A hostile member's moves (tests/integration/hostile-member.test.ts): sign any membership entry with this peer's key, dated as asked. */
  | { cmd: 'sign'; entry: Record<string, unknown> & { kind: string; at?: number } }
  /** A rotation from the held epoch: wrapped for every device ('all', this one included), this device only ('self'), or junk for all but this one. */
  | { cmd: 'rotate'; wraps: 'all' | 'self' | 'junk'; at?: number }
  | { cmd: 'resume' }
  /** Content moves: a thread whose post names `as` (default: this member) as its author. */
  | { cmd: 'post'; title: string; text: string; as?: string }
  /** Overwrites a post's body in the document directly, past the command that allows only its author. */
  | { cmd: 'rewrite-post'; postId: string; text: string }
  /** A plain map delete of a log entry (the append-only attack). */
  | { cmd: 'delete-entry'; log: 'membership' | 'moderation'; entryId: string }
  | { cmd: 'posts' }
  | { cmd: 'exit' };

const SCRATCH = 'scratch';

/** A post body of one paragraph. */
function paragraph(text: string) {
  return { type: 'doc', content: [{ type: 'paragraph', content: [{ type: 'text', text }] }] };
}

function emit(event: Record<string, unknown>): void {
  process.stdout.write(`${JSON.stringify(event)}\n`);
}

/** A stable fingerprint of what a member sees: equal on two peers means they converged. */
export function contentDigest(doc: Y.Doc): string {
  const view = readCommunity(doc);
  return createHash('sha256')
    .update(JSON.stringify({ meta: view.meta, members: view.members, scratch: doc.getText(SCRATCH).toString() }))
    .digest('hex');
}

async function main(): Promise<void> {
  const given = JSON.parse(process.env.HEARTH_PEER_CONFIG ?? '{}') as HeadlessPeerConfig;
  const network = process.env.HEARTH_LOOPBACK_ONLY === '1' ? loopbackOnly(wrtc) : wrtc;
  const linked = given.linkCode ? await linkThisDevice(given, network) : null;
  const config: HeadlessPeerConfig = linked?.config ?? given;
  const secret = fromBase64Url(config.secret);
  if (!secret) throw new Error('HEARTH_PEER_CONFIG.secret is not base64url.');
  const store = new FileStore(config.storeDir);
  const identity = linked?.identity ?? (config.identity ? await importIdentity(config.identity) : null);
  // A peer without an identity of its own still signs what it writes (with a key made for this run):
  // members accept nothing unsigned. Such a peer is no member, so only an unsigned community takes it.
  const { doc, persisted, report, changes } = await openCommunity({
    store,
    communityId: config.communityId,
    persist: { onError: (error) => emit({ event: 'error', message: String(error) }) },
    device: identity ?? (await generateIdentity()),
    epoch: config.epoch ?? 0,
  });
  // Damage is never silent: the test or bench driving this peer sees what was set aside and why. Sync
  // starts below, after the load, so its first sync step 1 asks members for what did not load.
  if (report.setAside > 0 || report.blocked > 0 || report.tornTailBytes > 0)
    emit({
      event: 'store-damage',
      setAside: report.setAside,
      blocked: report.blocked,
      tornTailBytes: report.tornTailBytes,
      problems: report.problems,
    });
  // Neighbours found before sync starts are collected, later ones handed to the running sync.
  const found = new Set<string>();
  let useServer = (url: string) => void found.add(url);
  const lan = config.lan
    ? await startLanSignaling({
        path: '/signal',
        listenAddress: config.lan.address,
        interfaceAddress: config.lan.address,
        onChange: (urls) => {
          emit({ event: 'lan-peers', urls });
          for (const url of urls) useServer(url);
        },
      })
    : null;
  const signalingUrls = [...config.signaling, ...(lan ? [lan.localUrl] : []), ...found];
  const agreementKey =
    linked?.agreementKey ??
    (config.agreement
      ? await crypto.subtle.importKey('jwk', config.agreement.privateKeyJwk, { name: 'ECDH', namedCurve: 'P-256' }, false, ['deriveBits'])
      : null);
  let held: EpochSecret = { epoch: config.epoch ?? 0, secret };
  const startPlain = (syncDoc: Y.Doc, epoch: EpochSecret, awareness?: Parameters<typeof startCommunitySync>[0]['awareness']) =>
    startCommunitySync({
      doc: syncDoc,
      communityId: config.communityId,
      secret: epoch.secret,
      epoch: epoch.epoch,
      signalingUrls,
      wrtc: network,
      statusIntervalMs: 250,
      ...(config.connectStallMs ? { connectStallMs: config.connectStallMs } : {}),
      ...(awareness ? { awareness } : {}),
      ...(changes && syncDoc === doc ? { changes } : {}),
    });
  const epochSync: EpochSync | null =
    identity && !config.ignoreRotations
      ? await startEpochSync({
          doc,
          communityId: config.communityId,
          held,
          memberId: identity.memberId,
          deviceId: await deviceIdOf(identity.publicKey),
          signingKey: identity.publicKey,
          agreementPrivateKey: agreementKey,
          start: async (syncDoc, epoch, awareness) => {
            const started = await startPlain(syncDoc, epoch, awareness);
            await started.ready;
            return started;
          },
          onAdvance: async (to) => {
            held = to;
            emit({ event: 'epoch', epoch: to.epoch, secret: toBase64Url(to.secret) });
          },
        })
      : null;
  const sync: CommunitySync = epochSync ?? (await startPlain(doc, held));
  epochSync?.onAccess((access) => emit({ event: 'access', ...access }));
  useServer = (url) => void sync.addSignalingUrl(url);
  for (const url of lan?.peers() ?? []) useServer(url);
  await sync.ready;
  sync.awareness.setLocalStateField('user', { id: config.memberId, name: config.displayName });
  sync.onStatus((status) => emit({ event: 'status', ...status }));
  // Library files this member holds (in memory: the headless peer has no library UI of its own).
  const blobs = new Map<string, Uint8Array>();
  sync.serveBlobs(async (hash) => blobs.get(hash) ?? null);
  emit({
    event: 'ready',
    rowsRead: report.rowsRead,
    setAside: report.setAside,
    blocked: report.blocked,
    digest: contentDigest(doc),
    ...(lan ? { lanUrl: lan.localUrl } : {}),
  });

  const lines = createInterface({ input: process.stdin });
  for await (const line of lines) {
    if (!line.trim()) continue;
    const command = JSON.parse(line) as Command;
    switch (command.cmd) {
      case 'create': {
        const founding = {
          name: command.name,
          purpose: command.purpose ?? '',
          kind: 'mastermind',
          founder: { id: config.memberId, displayName: config.displayName },
        } as const;
        // The app's own founding when this peer has a signing identity; without one, a community from
        // before signed roles (tests of that path).
        if (identity && config.nonce) {
          const agreementKey = config.agreement?.publicKey;
          await foundCommunity(doc, identity, {
            ...founding,
            communityId: config.communityId,
            nonce: config.nonce,
            ...(agreementKey ? { agreementKey } : {}),
          });
        } else createCommunity(doc, { ...founding, id: config.communityId });
        break;
      }
      case 'join': {
        const member = { id: config.memberId, displayName: config.displayName };
        const agreementKey = config.agreement?.publicKey;
        if (identity)
          await joinCommunity(doc, identity, { communityId: config.communityId, member, ...(agreementKey ? { agreementKey } : {}) });
        else upsertMember(doc, member);
        break;
      }
      case 'remove':
        if (!identity) throw new Error('remove needs an identity');
        await removeMember(doc, identity, config.communityId, command.memberId, held);
        break;
      case 'role':
        if (!identity) throw new Error('role needs an identity');
        await writeMembershipChange(doc, identity, config.communityId, { kind: 'role', subject: command.memberId, role: command.role });
        break;
      case 'link-offer': {
        if (!identity) throw new Error('link-offer needs an identity');
        const code = await newLinkCode();
        emit({ event: 'link-code', code: code.text });
        // In the background: the command loop keeps answering while the other device arrives.
        offerLink({
          code,
          start: (linkDoc, room) =>
            startCommunitySync({ doc: linkDoc, communityId: room.roomId, secret: room.secret, signalingUrls, wrtc: network }),
          authorize: async (request) => {
            await writeMembershipChange(doc, identity, config.communityId, {
              kind: 'device',
              subject: identity.memberId,
              publicKey: request.publicKey,
              agreementKey: request.agreementKey,
            });
            return {
              memberId: identity.memberId,
              profile: { displayName: config.displayName },
              communities: [
                {
                  id: config.communityId,
                  name: readCommunity(doc).meta?.name ?? '',
                  secret: toBase64Url(held.secret),
                  epoch: held.epoch,
                  signalingHints: [...config.signaling],
                },
              ],
            };
          },
        }).then(
          (request) => emit({ event: 'link-done', deviceName: request.deviceName }),
          (error: unknown) => emit({ event: 'link-failed', message: errorMessage(error) }),
        );
        break;
      }
      case 'sign': {
        if (!identity) throw new Error('sign needs an identity');
        const { at, ...fields } = command.entry;
        // A join carries the signer's keys like the app's own (shared/community/log/write.ts writeJoin).
        const keys =
          fields.kind === 'join'
            ? { publicKey: identity.publicKey, ...(config.agreement ? { agreementKey: config.agreement.publicKey } : {}) }
            : {};
        const change = { subject: identity.memberId, ...fields, ...keys } as unknown as MembershipChange;
        const entry: MembershipEntry = await writeMembershipChange(doc, identity, config.communityId, change, at ?? Date.now());
        emit({ event: 'signed', entryId: entry.id, kind: entry.kind, at: entry.at });
        break;
      }
      case 'rotate': {
        if (!identity) throw new Error('rotate needs an identity');
        const membership = await readMembership(doc, config.communityId);
        const mine = await deviceIdOf(identity.publicKey);
        const everyone = (await recipientsOf(membership)).filter((recipient) => recipient.deviceId !== mine);
        const self = config.agreement ? [{ deviceId: mine, agreementKey: config.agreement.publicKey }] : [];
        const { fields } = await makeRotation(
          config.communityId,
          held,
          command.wraps === 'self' ? self : [...everyone, ...self],
          membership.rotations[held.epoch - 1]?.entryId,
        );
        // Junk: same length, last bytes changed, so the wrap no longer opens (AES-GCM's tag fails).
        const junk = (wrap: string) => `${wrap.slice(0, -4)}${wrap.endsWith('AAAA') ? 'BBBB' : 'AAAA'}`;
        const wraps =
          command.wraps === 'junk'
            ? Object.fromEntries(Object.entries(fields.wraps).map(([id, wrap]) => [id, id === mine ? wrap : junk(wrap)]))
            : fields.wraps;
        const entry = await writeMembershipChange(
          doc,
          identity,
          config.communityId,
          { kind: 'rotate', subject: config.communityId, ...fields, wraps },
          command.at ?? Date.now(),
        );
        emit({ event: 'rotated', entryId: entry.id, epoch: fields.epoch, at: entry.at });
        break;
      }
      case 'contains':
        emit({ event: 'contains', text: command.text, found: doc.getText(SCRATCH).toString().includes(command.text) });
        break;
      case 'post': {
        const by = command.as ?? identity?.memberId ?? config.memberId;
        const { thread, post } = createThread(doc, { title: command.title, body: paragraph(command.text), by });
        await changes?.flush();
        emit({ event: 'posted', threadId: thread.id, postId: post.id });
        break;
      }
      case 'rewrite-post': {
        const record = postsMap(doc).get(command.postId);
        if (record instanceof Y.Map) record.set('body', paragraph(command.text));
        await changes?.flush();
        emit({ event: 'rewritten', postId: command.postId, found: record instanceof Y.Map });
        break;
      }
      case 'delete-entry': {
        const map = command.log === 'membership' ? membershipLog(doc) : moderationLog(doc);
        const found = map.has(command.entryId);
        map.delete(command.entryId);
        await changes?.flush();
        emit({ event: 'deleted', entryId: command.entryId, found });
        break;
      }
      case 'posts': {
        const posts = [...postsMap(doc).keys()].flatMap((postId) => {
          const threadId = (postsMap(doc).get(postId) as Y.Map<unknown> | undefined)?.get('threadId');
          const post = typeof threadId === 'string' ? readThread(doc, threadId)?.posts.find((view) => view.id === postId) : undefined;
          return post ? [{ id: post.id, authorId: post.authorId, text: post.body ? richTextToPlainText(post.body) : null }] : [];
        });
        emit({ event: 'posts', posts });
        break;
      }
      case 'membership': {
        const membership = await readMembership(doc, config.communityId);
        emit({
          event: 'membership',
          roles: Object.fromEntries(membership.roles),
          removed: [...membership.removed],
          epoch: held.epoch,
          rotations: membership.rotations.length,
          rejected: membership.rejected.length,
          access: epochSync?.access() ?? null,
          reasons: membership.rejected.map((entry) => entry.reason),
          waiting: [...membership.waiting.keys()],
          flagged: (() => {
            const access = epochSync?.access();
            return access?.kind === 'member' ? (access.flagged?.length ?? 0) : 0;
          })(),
          audit: membership.audit.map((entry) => ({ id: entry.id, kind: entry.kind, subject: entry.subject, at: entry.at })),
          entries: [...membershipLog(doc).entries()].map(([id, value]) => ({
            id,
            kind: (value as { kind?: unknown } | null)?.kind ?? null,
          })),
          rejectedIds: membership.rejected.map((entry) => entry.entryId),
          changes: changes?.counters() ?? null,
        });
        break;
      }
      case 'type':
        doc.getText(SCRATCH).insert(doc.getText(SCRATCH).length, command.text);
        break;
      case 'fill': {
        // Deterministic filler in 64 KiB inserts, like a big pasted document.
        let state = command.seed ?? 1;
        const text = doc.getText(SCRATCH);
        for (let written = 0; written < command.bytes; written += 65_536) {
          let chunk = '';
          for (let index = 0; index < Math.min(65_536, command.bytes - written); index += 1) {
            state = (state * 1103515245 + 12345) % 2 ** 31;
            chunk += String.fromCharCode(97 + (state % 26));
          }
          text.insert(text.length, chunk);
        }
        break;
      }
      case 'blob-put': {
        const bytes = new Uint8Array(command.bytes);
        let state = command.seed ?? 1;
        for (let index = 0; index < bytes.length; index += 1) {
          state = (state * 1103515245 + 12345) % 2 ** 31;
          bytes[index] = state >>> 16;
        }
        const hash = await sha256Hex(bytes);
        blobs.set(hash, bytes);
        emit({ event: 'blob-stored', hash, size: bytes.byteLength });
        break;
      }
      case 'blob-get': {
        const started = Date.now();
        const bytes = await sync.requestBlob(command.hash);
        const verified = bytes ? (await sha256Hex(bytes)) === command.hash : false;
        if (bytes && verified) blobs.set(command.hash, bytes);
        emit({ event: 'blob', hash: command.hash, size: bytes?.byteLength ?? 0, verified, ms: Date.now() - started });
        break;
      }
      case 'snapshot':
        emit({
          event: 'snapshot',
          digest: contentDigest(doc),
          scratchLength: doc.getText(SCRATCH).length,
          members: readCommunity(doc).members.map((member) => member.displayName),
        });
        break;
      case 'status':
        emit({ event: 'status', ...sync.status() });
        break;
      case 'flush':
        await persisted.flush();
        emit({ event: 'flushed', digest: contentDigest(doc), scratchLength: doc.getText(SCRATCH).length });
        break;
      case 'pause':
        sync.pause();
        break;
      case 'resume':
        sync.resume();
        break;
      case 'exit':
        sync.destroy();
        await lan?.close();
        await persisted.close();
        emit({ event: 'exited' });
        process.exit(0);
    }
    emit({ event: 'done', cmd: command.cmd });
  }
}

/** The new device's side of a link: its own keys, the grant, and the config it implies. */
async function linkThisDevice(
  given: HeadlessPeerConfig,
  network: unknown,
): Promise<{ config: HeadlessPeerConfig; identity: Identity; agreementKey: CryptoKey }> {
  const parsed = await parseLinkCode(given.linkCode);
  if (!parsed.ok) throw new Error(parsed.error);
  const [signing, agreement] = await Promise.all([generateIdentity(), generateAgreementKey()]);
  const grant = await acceptLink({
    code: parsed.code,
    start: (linkDoc, room) =>
      startCommunitySync({ doc: linkDoc, communityId: room.roomId, secret: room.secret, signalingUrls: given.signaling, wrtc: network }),
    request: { publicKey: signing.publicKey, agreementKey: agreement.publicKey, deviceName: given.displayName },
  });
  const community = grant.communities[0];
  if (!community) throw new Error('The grant carries no community.');
  emit({ event: 'linked', memberId: grant.memberId, communities: grant.communities.map((item) => item.id) });
  return {
    config: { ...given, communityId: community.id, secret: community.secret, epoch: community.epoch, memberId: grant.memberId },
    identity: { memberId: grant.memberId, publicKey: signing.publicKey, privateKey: signing.privateKey },
    agreementKey: agreement.privateKey,
  };
}

async function importIdentity(config: NonNullable<HeadlessPeerConfig['identity']>): Promise<Identity> {
  const privateKey = await crypto.subtle.importKey('jwk', config.privateKeyJwk, { name: 'ECDSA', namedCurve: 'P-256' }, false, ['sign']);
  return { memberId: config.memberId, publicKey: config.publicKey, privateKey };
}

main().catch((error: unknown) => {
  emit({ event: 'fatal', message: error instanceof Error ? (error.stack ?? error.message) : String(error) });
  process.exit(1);
});
