// This device's key-agreement key (ECDH P-256): key rotations wrap the next epoch's secret for it
// (shared/sync/epochs.ts). Like the signing key, it is a non-extractable CryptoKey that IndexedDB
// stores by structured clone; only its public half is published, in the membership log.
import { generateAgreementKey, type AgreementKeyPair } from '../../shared/sync/epochs.js';
import type { DeviceSettings } from '../store/device-store.js';

const AGREEMENT_KEY = 'agreementKey';

function isPair(value: unknown): value is AgreementKeyPair {
  if (typeof value !== 'object' || value === null) return false;
  const { publicKey, privateKey } = value as Record<string, unknown>;
  return (
    typeof publicKey === 'string' &&
    typeof CryptoKey !== 'undefined' &&
    privateKey instanceof CryptoKey &&
    privateKey.type === 'private' &&
    privateKey.algorithm.name === 'ECDH'
  );
}

/**
 * The stored key, or a new one made and stored now. A stored value that does not hold together is
 * replaced: the rotations already wrapped for the old key cannot be opened by anyone else either,
 * and this device asks for a fresh invite if it is left behind (the community says so).
 */
export async function ensureAgreementKey(store: DeviceSettings): Promise<AgreementKeyPair> {
  const stored = await store.getSetting(AGREEMENT_KEY);
  if (isPair(stored)) return stored;
  const pair = await generateAgreementKey();
  await store.putSetting(AGREEMENT_KEY, pair);
  return pair;
}
