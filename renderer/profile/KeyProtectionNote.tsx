// One line in Settings on where this device keeps the member's identity key (device-identity.ts).
import type { KeyProtection } from './device-identity.js';

function whereTheKeyIs(protection: KeyProtection): string | null {
  if (protection.where === 'keychain') return 'Your identity key is sealed with this computer’s keychain.';
  switch (protection.why) {
    // Browser mode has no keychain to speak of; its storage is already named beside the version.
    case 'browser-mode':
      return null;
    case 'no-keychain':
      return 'Your identity key is kept in Hearth’s storage on this device: no system keychain was available to seal it.';
    case 'made-before-keychain':
      return 'Your identity key is kept in Hearth’s storage on this device, where it was made before Hearth used the system keychain.';
  }
}

export function KeyProtectionNote({ protection }: { protection: KeyProtection | null | undefined }) {
  const text = protection ? whereTheKeyIs(protection) : null;
  if (!text) return null;
  return (
    <p className="hint" style={{ fontSize: 'var(--text-xs)', color: 'var(--text-muted)' }}>
      {text}
    </p>
  );
}
