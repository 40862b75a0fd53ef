import { describe, expect, it } from 'vitest';
import { isLoopbackCandidate, stripNonLoopbackCandidates } from '../../shared/sync/loopback-ice.js';

describe('loopback-only ICE policy', () => {
  it.each([
    ['candidate:1510613869 1 udp 2122063615 127.0.0.1 41279 typ host generation 0', true],
    ['a=candidate:559267639 1 udp 2122136831 ::1 40926 typ host generation 0', true],
    ['candidate:3229573512 1 udp 2122194687 192.0.2.2 49561 typ host generation 0', false],
    ['candidate:3077952869 1 udp 2122265343 fd00::2 34526 typ host generation 0', false],
    ['candidate:1 1 udp 1 8.8.8.8 3478 typ srflx raddr 127.0.0.1 rport 1', false],
    ['candidate:1 1 udp 1 abcd-1234.local 5000 typ host', false],
    ['', false],
  ])('%s → %s', (candidate, loopback) => {
    expect(isLoopbackCandidate(candidate)).toBe(loopback);
  });

  it('strips non-loopback candidates from an SDP and keeps everything else', () => {
    const sdp = [
      'v=0',
      'a=candidate:1 1 udp 1 192.0.2.2 5000 typ host',
      'a=candidate:2 1 udp 1 127.0.0.1 5001 typ host',
      'a=end-of-candidates',
    ].join('\r\n');
    expect(stripNonLoopbackCandidates(sdp)).toBe(
      ['v=0', 'a=candidate:2 1 udp 1 127.0.0.1 5001 typ host', 'a=end-of-candidates'].join('\r\n'),
    );
  });
});
