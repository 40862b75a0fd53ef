// The hash of the community's code of conduct as it reads now (conductHash is async: WebCrypto).
import { useEffect, useState } from 'react';
import { conductHash } from '../../shared/community/access.js';

/**
 * null when there is no code of conduct; undefined until the first hash is computed. While a changed
 * text is being hashed (a millisecond or so), the previous hash stands in rather than nothing, so
 * nothing that depends on it flickers.
 */
export function useConductHash(text: string | undefined): string | null | undefined {
  const [hash, setHash] = useState<string | undefined>(undefined);
  const wanted = text?.trim() ? text : null;
  useEffect(() => {
    if (wanted === null) return;
    let cancelled = false;
    conductHash(wanted).then(
      (computed) => {
        if (!cancelled) setHash(computed);
      },
      () => undefined,
    );
    return () => {
      cancelled = true;
    };
  }, [wanted]);
  if (wanted === null) return null;
  return hash;
}
