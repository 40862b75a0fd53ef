// A network policy for tests and for "this machine only" setups: WebRTC may use loopback candidates
// (127.0.0.0/8, ::1) and nothing else. It wraps an RTCPeerConnection class so that remote candidates
// on any other address are never added, whether they come trickled or inside an SDP; since both
// sides apply it, no connectivity check ever leaves the loopback interface.

export function isLoopbackCandidate(candidate: string): boolean {
  // candidate:<foundation> <component> <transport> <priority> <address> <port> typ <type> …
  const address = candidate.replace(/^a=/, '').split(/\s+/)[4];
  if (address === undefined) return false;
  return /^127\.\d{1,3}\.\d{1,3}\.\d{1,3}$/.test(address) || address === '::1' || address === '0:0:0:0:0:0:0:1';
}

export function stripNonLoopbackCandidates(sdp: string): string {
  return sdp
    .split(/\r\n/)
    .filter((line) => !line.startsWith('a=candidate:') || isLoopbackCandidate(line))
    .join('\r\n');
}

interface CandidateInit {
  readonly candidate?: string;
}
interface DescriptionInit {
  readonly type?: string;
  readonly sdp?: string;
}
type PeerConnectionClass = new (...args: never[]) => {
  addIceCandidate(candidate?: CandidateInit | null, ...rest: never[]): Promise<void>;
  setRemoteDescription(description: DescriptionInit, ...rest: never[]): Promise<void>;
};

export interface WrtcLike {
  readonly RTCPeerConnection: PeerConnectionClass;
  readonly [name: string]: unknown;
}

/** The same WebRTC implementation, restricted to loopback candidates (simple-peer's `wrtc` option). */
export function loopbackOnly<T extends WrtcLike>(wrtc: T): T {
  const Base = wrtc.RTCPeerConnection;
  class LoopbackPeerConnection extends Base {
    override addIceCandidate(candidate?: CandidateInit | null, ...rest: never[]): Promise<void> {
      if (candidate && candidate.candidate && !isLoopbackCandidate(candidate.candidate)) return Promise.resolve();
      return super.addIceCandidate(candidate, ...rest);
    }
    override setRemoteDescription(description: DescriptionInit, ...rest: never[]): Promise<void> {
      const filtered = description.sdp ? { type: description.type, sdp: stripNonLoopbackCandidates(description.sdp) } : description;
      return super.setRemoteDescription(filtered, ...rest);
    }
  }
  return { ...wrtc, RTCPeerConnection: LoopbackPeerConnection };
}
