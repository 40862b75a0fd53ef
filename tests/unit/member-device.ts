// A member's device for log and rotation tests: its signing identity, its key-agreement key (what a
// rotation wraps for), and the device id wraps are filed under.
import { generateIdentity, type Identity } from '../../shared/identity/identity.js';
import { deviceIdOf, generateAgreementKey, type AgreementKeyPair } from '../../shared/sync/epochs.js';

export interface Device {
  identity: Identity;
  agreement: AgreementKeyPair;
  deviceId: string;
}

export async function member(): Promise<Device> {
  const [identity, agreement] = await Promise.all([generateIdentity(), generateAgreementKey()]);
  return { identity, agreement, deviceId: await deviceIdOf(identity.publicKey) };
}
