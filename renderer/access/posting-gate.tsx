// Whether this member may post in the open community now, and if not, why and what to do about it.
// The community home decides (from the verified membership log); the threads composer asks here.
import { createContext, useContext } from 'react';
import { ScrollText } from 'lucide-react';

export type PostingGate =
  | { readonly open: true }
  | { readonly open: false; readonly reason: string; readonly action?: { readonly label: string; readonly run: () => void } };

export const OPEN_GATE: PostingGate = { open: true };

export const PostingGateContext = createContext<PostingGate>(OPEN_GATE);

export function usePostingGate(): PostingGate {
  return useContext(PostingGateContext);
}

/** Stands where a composer would: the reason posting is closed, and the way to open it if there is one. */
export function PostingClosed({ gate }: { gate: Extract<PostingGate, { open: false }> }) {
  return (
    <div className="posting-closed" role="note">
      <ScrollText size={18} aria-hidden="true" />
      <p>{gate.reason}</p>
      {gate.action ? (
        <button type="button" className="button primary tight" onClick={gate.action.run}>
          {gate.action.label}
        </button>
      ) : null}
    </div>
  );
}
