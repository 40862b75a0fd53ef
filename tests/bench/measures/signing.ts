// Measure 8: what signed changes cost (shared/sync/signed-change.ts, change-log.ts), in one process:
//   a. changes signed per second: signChange + the chain hash, as the change log does for each batch,
//      over keystroke-sized updates (the B4 trace typed one transaction at a time) and paste-sized
//      ones (4 KiB of text each), against Y.applyUpdate of the same updates;
//   b. changes verified and applied per second: a receiving change log's receive() of a batch of N
//      changes from another device (the author's real change log, one change per keystroke or paste,
//      its binding change first), as a peer's answer to heads or a live change arrives, against
//      Y.applyUpdate of the same updates without signing or verification; plus where receive()'s
//      time goes (decode, client id + signature, signer and membership, record rules, apply) and the
//      same receive with a headless peer's file store behind it.
// The community is an unsigned one (no founding entry): every change is verified and judged by the
// append-only rules, but no roles are read; what the bench peers of measure 4 are.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';
import * as Y from 'yjs';
import { FileStore } from '../../../electron/store/file-store.js';
import { openCommunity } from '../../../shared/community/lifecycle.js';
import { readMembership } from '../../../shared/community/log/replay.js';
import { generateIdentity, memberIdFromPublicKey, verifyBytes, type Identity } from '../../../shared/identity/identity.js';
import { newId } from '../../../shared/ids.js';
import { startChangeLog, type ChangeLog } from '../../../shared/sync/change-log.js';
import { checkChangeRules } from '../../../shared/sync/change-rules.js';
import { memberOfClient } from '../../../shared/sync/client-bindings.js';
import {
  changeHash,
  checkChange,
  communityTag,
  decodeChange,
  newClientBinding,
  signChange,
  type SignedChange,
} from '../../../shared/sync/signed-change.js';
import { progress, report, type BenchRow } from '../harness/report.js';
import { median } from '../harness/stats.js';
import { applyPatches, loadTrace } from '../harness/trace.js';

const KEYSTROKES = 2_000;
/** A batch this much larger shows whether receive() stays linear (an answer to heads holds up to ~4 MB). */
const LARGE_BATCH = 8_000;
const PASTES = 200;
const PASTE_CHARS = 4_096;
const RUNS = 5;
/** Changes received through the file store (two fsyncs a change, so fewer). */
const FILE_STORE_CHANGES = 500;
const TEXT = 'note';

/**
 * Pass criteria, and why:
 * - verify + apply ≥ 2,000 changes/s: a member typing makes ~10 changes/s and a busy 30-member room a
 *   few hundred; 2,000/s is what lets a device that was away catch up on a day of a small community's
 *   typing (tens of thousands of changes) in seconds, and keeps one live change under 0.5 ms of the
 *   receiver's thread.
 * - sign ≥ 1,000 changes/s: the log signs at most one change per BATCH_MS (4 ms) window, i.e. 250/s
 *   while typing flat out; 1,000/s leaves it at most a quarter of the thread.
 * Pastes are information only: a 4 KiB paste is one change, however long it takes to sign.
 */
const VERIFY_TARGET = 2_000;
const SIGN_TARGET = 1_000;

const rows: BenchRow[] = [];
const notes: string[] = [];
const folders: string[] = [];

function device(identity: Identity) {
  return { publicKey: identity.publicKey, privateKey: identity.privateKey, memberId: identity.memberId };
}

/** `count` updates, each one transaction, as `client` writes them into a fresh doc. */
function keystrokeUpdates(count: number, client: number): Uint8Array[] {
  const doc = new Y.Doc();
  doc.clientID = client;
  const updates: Uint8Array[] = [];
  doc.on('update', (update: Uint8Array) => updates.push(update));
  const text = doc.getText(TEXT);
  const trace = loadTrace();
  for (let i = 0; i < count; i += 1) doc.transact(() => applyPatches(text, trace.txns[i % trace.txns.length]!.patches));
  doc.destroy();
  return updates;
}

function pasteText(index: number): string {
  let text = '';
  for (let i = 0; text.length < PASTE_CHARS; i += 1) text += `Paragraph ${index}.${i}: the group's plan for next week, with notes. `;
  return text.slice(0, PASTE_CHARS);
}

function pasteUpdates(count: number, client: number): Uint8Array[] {
  const doc = new Y.Doc();
  doc.clientID = client;
  const updates: Uint8Array[] = [];
  doc.on('update', (update: Uint8Array) => updates.push(update));
  const text = doc.getText(TEXT);
  for (let i = 0; i < count; i += 1) text.insert(text.length, pasteText(i));
  doc.destroy();
  return updates;
}

/** Median over RUNS (after one warm-up) of `fn`'s milliseconds; `fn` gets a fresh setup each time. */
async function medianMs<T>(setup: () => Promise<T> | T, fn: (input: T) => Promise<unknown> | unknown): Promise<number> {
  const times: number[] = [];
  for (let run = 0; run <= RUNS; run += 1) {
    const input = await setup();
    const start = performance.now();
    await fn(input);
    const ms = performance.now() - start;
    if (run > 0) times.push(ms);
  }
  return median(times);
}

/** Y.applyUpdate of every update, one by one, into a fresh doc: the baseline of every row. */
function applyMs(updates: readonly Uint8Array[]): Promise<number> {
  return medianMs(
    () => new Y.Doc(),
    (doc) => {
      for (const update of updates) Y.applyUpdate(doc, update);
    },
  );
}

/** signChange and the chain hash for each update, as the change log signs a batch. */
async function signMs(author: Identity, updates: readonly Uint8Array[], communityId: string): Promise<number> {
  const community = await communityTag(communityId);
  const { nonce, client } = await newClientBinding(author.publicKey);
  return medianMs(
    () => null,
    async () => {
      let prev: Uint8Array | null = null;
      for (let seq = 0; seq < updates.length; seq += 1) {
        const change: SignedChange = await signChange(
          { epoch: 0, client, seq, at: Date.now(), device: author.publicKey, nonce, prev, community, update: updates[seq]! },
          author.privateKey,
        );
        prev = await changeHash(change);
      }
    },
  );
}

/**
 * The author's real change log, one change per edit (a flush after each, as edits further apart than
 * BATCH_MS go): its binding change and then one per edit. Returns the changes and the time per edit.
 */
async function authorChanges(
  author: Identity,
  communityId: string,
  edit: (doc: Y.Doc, index: number) => void,
  count: number,
): Promise<{ changes: Uint8Array[]; updates: Uint8Array[]; ms: number }> {
  const doc = new Y.Doc();
  const log = await startChangeLog({ doc, communityId, device: device(author) });
  const start = performance.now();
  for (let i = 0; i < count; i += 1) {
    edit(doc, i);
    await log.flush();
  }
  const ms = performance.now() - start;
  const changes = log.missing(new Map(), Number.POSITIVE_INFINITY);
  await log.destroy();
  doc.destroy();
  if (changes.length !== count + 1) throw new Error(`the author signed ${changes.length} changes for ${count} edits`);
  return { changes, updates: changes.map((bytes) => decodeChange(bytes)!.update), ms };
}

async function receiver(communityId: string, identity: Identity): Promise<{ doc: Y.Doc; log: ChangeLog }> {
  const doc = new Y.Doc();
  return { doc, log: await startChangeLog({ doc, communityId, device: device(identity) }) };
}

async function receiveMs(communityId: string, identity: Identity, changes: readonly Uint8Array[]): Promise<number> {
  let checked = false;
  return medianMs(
    () => receiver(communityId, identity),
    async ({ doc, log }) => {
      await log.receive(changes);
      if (!checked) {
        const counters = log.counters();
        if (counters.applied !== changes.length || counters.refused > 0 || counters.waiting > 0)
          throw new Error(
            `receive(): ${counters.applied} of ${changes.length} applied, ${counters.refused} refused, ${counters.waiting} waiting`,
          );
        checked = true;
      }
      await log.destroy();
      doc.destroy();
    },
  );
}

/** The same receive with the store a headless peer has (FileStore: the change and the applied update each fsynced). */
async function receiveWithFileStoreMs(communityId: string, identity: Identity, changes: readonly Uint8Array[]): Promise<number> {
  const times: number[] = [];
  for (let run = 0; run < 3; run += 1) {
    const dir = mkdtempSync(join(tmpdir(), 'hearth-bench-signing-'));
    folders.push(dir);
    const opened = await openCommunity({ store: new FileStore(dir), communityId, device: device(identity) });
    const start = performance.now();
    await opened.changes!.receive(changes);
    await opened.persisted.flush();
    times.push(performance.now() - start);
    if (opened.changes!.counters().applied !== changes.length) throw new Error('the file-store receiver did not apply every change');
    await opened.persisted.close();
    opened.doc.destroy();
  }
  return median(times);
}

/**
 * receive() of `changes`, and each of its steps timed on its own over the same changes, interleaved
 * run by run (receive, then every step, RUNS times after a warm-up), so that the machine's load, which
 * varies, falls on the whole and its parts alike. Medians, in ms for the whole batch.
 */
async function receiveAndBreakdown(
  communityId: string,
  identity: Identity,
  changes: readonly Uint8Array[],
): Promise<Record<string, number>> {
  const community = await communityTag(communityId);
  const decoded = changes.map((bytes) => decodeChange(bytes)!);
  const steps: Record<string, () => Promise<unknown> | unknown> = {
    decode: () => {
      for (const bytes of changes) decodeChange(bytes);
    },
    check: async () => {
      for (const change of decoded) if (!(await checkChange(change, community)).ok) throw new Error('checkChange refused');
    },
    verify: async () => {
      for (const change of decoded) await verifyBytes(change.device, change.signed, change.signature);
    },
    hash: async () => {
      for (const change of decoded) await changeHash(change);
    },
    memberId: async () => {
      for (const change of decoded) await memberIdFromPublicKey(change.device);
    },
  };
  const times: Record<string, number[]> = { receive: [], rules: [], apply: [], membership: [] };
  for (let run = 0; run <= RUNS; run += 1) {
    const keep = (name: string, ms: number) => {
      if (run > 0) (times[name] ??= []).push(ms);
    };
    const { doc: receiving, log } = await receiver(communityId, identity);
    let start = performance.now();
    await log.receive(changes);
    keep('receive', performance.now() - start);
    const counters = log.counters();
    if (counters.applied !== changes.length || counters.refused > 0 || counters.waiting > 0)
      throw new Error(
        `receive(): ${counters.applied} of ${changes.length} applied, ${counters.refused} refused, ${counters.waiting} waiting`,
      );
    await log.destroy();
    receiving.destroy();
    for (const [name, step] of Object.entries(steps)) {
      start = performance.now();
      await step();
      keep(name, performance.now() - start);
    }
    // The rules and the apply, interleaved as advance() does them; each half timed on its own.
    const doc = new Y.Doc();
    let rules = 0;
    let apply = 0;
    start = performance.now();
    const membership = await readMembership(doc, communityId);
    keep('membership', performance.now() - start);
    for (const change of decoded) {
      const memberId = await memberIdFromPublicKey(change.device);
      const ruleStart = performance.now();
      const verdict = checkChangeRules(
        doc,
        change.update,
        {
          memberId,
          standing: 'member',
          moderator: false,
          client: change.client,
          binding: { device: change.device, member: memberId, nonce: '' },
        },
        { signed: membership.signed, memberOfClient: (id) => memberOfClient(doc, id) },
      );
      const judged = performance.now();
      // The binding change is refused here only because this stand-in signer names no nonce.
      if (verdict.kind !== 'ok' && !(verdict.kind === 'reject' && verdict.reason === 'binding')) throw new Error(`rules: ${verdict.kind}`);
      Y.applyUpdate(doc, change.update);
      rules += judged - ruleStart;
      apply += performance.now() - judged;
    }
    doc.destroy();
    keep('rules', rules);
    keep('apply', apply);
  }
  return Object.fromEntries(Object.entries(times).map(([name, list]) => [name, median(list)]));
}

const perSecond = (count: number, ms: number) => (count / ms) * 1_000;

try {
  const communityId = newId();
  const [author, reader] = await Promise.all([generateIdentity(), generateIdentity()]);
  const { client } = await newClientBinding(author.publicKey);

  // a. Signing.
  const keys = keystrokeUpdates(KEYSTROKES, client);
  const pastes = pasteUpdates(PASTES, client);
  const keyBytes = median(keys.map((update) => update.byteLength));
  const pasteBytes = median(pastes.map((update) => update.byteLength));
  progress(
    `signing ${KEYSTROKES.toLocaleString('en-US')} keystroke updates (median ${keyBytes} B) and ${PASTES} pastes (median ${pasteBytes} B)…`,
  );
  const signKeys = await signMs(author, keys, communityId);
  const applyKeys = await applyMs(keys);
  const signPastes = await signMs(author, pastes, communityId);
  const applyPastes = await applyMs(pastes);
  const signKeyRate = perSecond(keys.length, signKeys);
  progress(
    `  keystrokes: ${signKeyRate.toFixed(0)} signed/s (${((signKeys / keys.length) * 1_000).toFixed(0)} µs each); Y.applyUpdate ${perSecond(keys.length, applyKeys).toFixed(0)}/s`,
  );
  progress(
    `  pastes: ${perSecond(pastes.length, signPastes).toFixed(0)} signed/s; Y.applyUpdate ${perSecond(pastes.length, applyPastes).toFixed(0)}/s`,
  );
  rows.push(
    {
      id: '8a',
      measure: `Changes signed per second, keystrokes (median update ${keyBytes} B; signChange + chain hash)`,
      baselineLabel: 'Y.applyUpdate of the same updates, per second',
      hearth: signKeyRate,
      baseline: perSecond(keys.length, applyKeys),
      unit: '/s',
      target: `≥ ${SIGN_TARGET.toLocaleString('en-US')}/s`,
      pass: signKeyRate >= SIGN_TARGET,
    },
    {
      id: '8a ·',
      measure: `Changes signed per second, ${PASTE_CHARS / 1_024} KiB pastes (median update ${pasteBytes.toLocaleString('en-US')} B)`,
      baselineLabel: 'Y.applyUpdate of the same updates, per second',
      hearth: perSecond(pastes.length, signPastes),
      baseline: perSecond(pastes.length, applyPastes),
      unit: '/s',
      pass: null,
    },
  );
  report(rows.splice(0), notes.splice(0));

  // b. Verifying and applying: the author's real change log makes the chains.
  progress('the author types and pastes through its change log (one change per edit)…');
  const trace = loadTrace();
  const typed = await authorChanges(
    author,
    communityId,
    (doc, i) => doc.transact(() => applyPatches(doc.getText(TEXT), trace.txns[i]!.patches)),
    LARGE_BATCH,
  );
  const pasted = await authorChanges(
    author,
    communityId,
    (doc, i) => doc.getText(TEXT).insert(doc.getText(TEXT).length, pasteText(i)),
    PASTES,
  );
  const keyChanges = typed.changes.slice(0, KEYSTROKES + 1);
  rows.push({
    id: '8a ·',
    measure: `… through the author's change log, one change per keystroke (${LARGE_BATCH.toLocaleString('en-US')} keystrokes, a flush after each)`,
    baselineLabel: 'Y.applyUpdate of the same updates, per second',
    hearth: perSecond(LARGE_BATCH, typed.ms),
    baseline: perSecond(keys.length, applyKeys),
    unit: '/s',
    pass: null,
  });
  const keyChangeBytes = median(keyChanges.map((bytes) => bytes.byteLength));
  progress(
    `  through the log: ${perSecond(LARGE_BATCH, typed.ms).toFixed(0)} keystrokes/s signed (flush after each); changes of ${keyChangeBytes} B (median)`,
  );
  const parts = await receiveAndBreakdown(communityId, reader, keyChanges);
  const receiveKeys = parts.receive!;
  const applyKeyChanges = await applyMs(typed.updates.slice(0, KEYSTROKES + 1));
  const receiveLarge = await receiveMs(communityId, reader, typed.changes);
  const applyLarge = await applyMs(typed.updates);
  const receivePastes = await receiveMs(communityId, reader, pasted.changes);
  const applyPasteChanges = await applyMs(pasted.updates);
  const fileChanges = keyChanges.slice(0, FILE_STORE_CHANGES + 1);
  const receiveFile = await receiveWithFileStoreMs(communityId, reader, fileChanges);
  const verifyRate = perSecond(keyChanges.length, receiveKeys);
  const largeRate = perSecond(typed.changes.length, receiveLarge);
  progress(
    `  receive() of ${keyChanges.length.toLocaleString('en-US')} keystroke changes: ${verifyRate.toFixed(0)}/s (${((receiveKeys / keyChanges.length) * 1_000).toFixed(0)} µs each); Y.applyUpdate ${perSecond(keyChanges.length, applyKeyChanges).toFixed(0)}/s`,
  );
  progress(
    `  receive() of ${typed.changes.length.toLocaleString('en-US')}: ${largeRate.toFixed(0)}/s; pastes ${perSecond(pasted.changes.length, receivePastes).toFixed(0)}/s`,
  );
  progress(`  with a file store: ${perSecond(fileChanges.length, receiveFile).toFixed(0)}/s`);

  const each = (ms: number) => ms / keyChanges.length;
  const perChange = receiveKeys / keyChanges.length;
  progress(
    `  per change (µs): receive ${(perChange * 1_000).toFixed(0)}; checkChange ${(each(parts.check!) * 1_000).toFixed(0)} (verify ${(each(parts.verify!) * 1_000).toFixed(0)}), ` +
      `chain hash ${(each(parts.hash!) * 1_000).toFixed(0)}, member id ${(each(parts.memberId!) * 1_000).toFixed(0)} (×2 in receive), decode ${(each(parts.decode!) * 1_000).toFixed(1)} (×3+), ` +
      `rules ${(each(parts.rules!) * 1_000).toFixed(0)}, apply ${(each(parts.apply!) * 1_000).toFixed(0)}; membership read ${parts.membership!.toFixed(2)} ms a batch`,
  );
  const accounted = parts.check! + parts.hash! + 2 * parts.memberId! + 3 * parts.decode! + parts.rules! + parts.apply!;
  rows.push(
    {
      id: '8b',
      measure: `Changes verified + applied per second, receive() of ${keyChanges.length.toLocaleString('en-US')} keystroke changes (${keyChangeBytes} B each) from another device`,
      baselineLabel: 'Y.applyUpdate of the same updates, per second',
      hearth: verifyRate,
      baseline: perSecond(keyChanges.length, applyKeyChanges),
      unit: '/s',
      target: `≥ ${VERIFY_TARGET.toLocaleString('en-US')}/s`,
      pass: verifyRate >= VERIFY_TARGET,
    },
    {
      id: '8b ·',
      measure: `… a batch of ${typed.changes.length.toLocaleString('en-US')} keystroke changes`,
      baselineLabel: 'Y.applyUpdate, per second',
      hearth: largeRate,
      baseline: perSecond(typed.changes.length, applyLarge),
      unit: '/s',
      pass: null,
    },
    {
      id: '8b ·',
      measure: `… ${pasted.changes.length} changes of ${PASTE_CHARS / 1_024} KiB pastes`,
      baselineLabel: 'Y.applyUpdate, per second',
      hearth: perSecond(pasted.changes.length, receivePastes),
      baseline: perSecond(pasted.changes.length, applyPasteChanges),
      unit: '/s',
      pass: null,
    },
    {
      id: '8b ·',
      measure: `… ${fileChanges.length.toLocaleString('en-US')} keystroke changes with a headless peer's file store (each change and applied update fsynced)`,
      baselineLabel: 'Y.applyUpdate, per second',
      hearth: perSecond(fileChanges.length, receiveFile),
      baseline: perSecond(keyChanges.length, applyKeyChanges),
      unit: '/s',
      pass: null,
    },
    {
      id: '8b ·',
      measure: '… per change: receive() in all',
      baselineLabel: 'Y.applyUpdate',
      hearth: perChange,
      baseline: each(applyKeyChanges),
      unit: 'ms',
      pass: null,
    },
    {
      id: '8b ·',
      measure: '… of which checkChange: client id (SHA-256) + ECDSA P-256 signature verification',
      hearth: each(parts.check!),
      baseline: perChange,
      baselineLabel: 'receive() per change',
      unit: 'ms',
      pass: null,
    },
    {
      id: '8b ·',
      measure: '… of which the record rules (checkChangeRules)',
      hearth: each(parts.rules!),
      baseline: perChange,
      baselineLabel: 'receive() per change',
      unit: 'ms',
      pass: null,
    },
    {
      id: '8b ·',
      measure: '… of which the signer: member id from the device key (SHA-256, twice a change)',
      hearth: 2 * each(parts.memberId!),
      baseline: perChange,
      baselineLabel: 'receive() per change',
      unit: 'ms',
      pass: null,
    },
    {
      id: '8b ·',
      measure: '… of which the chain hash (SHA-256 of the signed part)',
      hearth: each(parts.hash!),
      baseline: perChange,
      baselineLabel: 'receive() per change',
      unit: 'ms',
      pass: null,
    },
    {
      id: '8b ·',
      measure: '… of which Y.applyUpdate after the rules',
      hearth: each(parts.apply!),
      baseline: perChange,
      baselineLabel: 'receive() per change',
      unit: 'ms',
      pass: null,
    },
  );
  notes.push(
    `8b: per keystroke change, receive() took ${(perChange * 1_000).toFixed(0)} µs: checkChange ${(each(parts.check!) * 1_000).toFixed(0)} µs (of which ECDSA verify ${(each(parts.verify!) * 1_000).toFixed(0)} µs), ` +
      `rules ${(each(parts.rules!) * 1_000).toFixed(0)} µs, member id ×2 ${(2 * each(parts.memberId!) * 1_000).toFixed(0)} µs, chain hash ${(each(parts.hash!) * 1_000).toFixed(0)} µs, ` +
      `decodeChange ×3 ${(3 * each(parts.decode!) * 1_000).toFixed(1)} µs, apply ${(each(parts.apply!) * 1_000).toFixed(0)} µs; ` +
      `${Math.max(0, (perChange - each(accounted)) * 1_000).toFixed(0)} µs not in these (awaits between the steps, the pipeline's own bookkeeping). ` +
      `Reading the membership (once a batch while neither log changes) took ${parts.membership!.toFixed(2)} ms in this unsigned community.`,
  );
} catch (error) {
  notes.push(`8: stopped early: ${error instanceof Error ? error.message : String(error)}`);
} finally {
  report(rows, notes);
  for (const path of folders.splice(0)) rmSync(path, { recursive: true, force: true });
}
