// Who may open a signaling connection (electron/signaling/admission.ts), against tables of hostile
// Origin headers and of the address spellings a socket can report.
import { describe, expect, it } from 'vitest';
import { addressGroup, isAllowedSignalingOrigin } from '../../electron/signaling/admission.js';

describe('isAllowedSignalingOrigin', () => {
  it.each([
    // No header: a non-browser client (headless peer, y-webrtc in Node); browsers always send one.
    [undefined],
    // The desktop renderer (app://hearth), and loopback pages on any port: browser mode's own page, and
    // a member's page reaching another member's LAN listener with its own loopback origin.
    ['app://hearth'],
    ['APP://Hearth'],
    ['http://127.0.0.1:5317'],
    ['http://127.0.0.1:5173'],
    ['http://127.0.0.1'],
    ['http://localhost:5317'],
    ['http://LOCALHOST:5317'],
    ['http://[::1]:5317'],
    ['http://127.0.0.1:65535'],
    ['http://127.0.0.1:1'],
  ])('admits %j', (origin) => {
    expect(isAllowedSignalingOrigin(origin)).toBe(true);
  });

  it.each([
    ['https://evil.example'],
    ['null'],
    ['NULL'],
    [''],
    [' '],
    ['file://'],
    ['file:///home/member/index.html'],
    // Look-alikes of the loopback names and of the app's host.
    ['http://127.0.0.1.evil.com'],
    ['http://127.0.0.1.evil.com:5317'],
    ['http://localhost.evil'],
    ['http://localhost.'],
    ['http://localhost.:5317'],
    ['http://127.0.0.1.'],
    ['http://evil-localhost'],
    ['http://localhost@evil.example'],
    ['http://evil.example@localhost'],
    ['http://user:pass@127.0.0.1:5317'],
    ['http://evil.example#@127.0.0.1'],
    ['http://127.0.0.1:5317@evil.example'],
    ['app://hearth.evil'],
    ['app://hearth:1'],
    ['app://evil'],
    ['app://hearth/'],
    ['app://hearth.'],
    // Other loopback spellings a browser never sends as an origin, and other machines' addresses.
    ['http://127.0.0.2:5317'],
    ['http://127.1'],
    ['http://2130706433'],
    ['http://0x7f000001'],
    ['http://[::ffff:127.0.0.1]'],
    ['http://[0:0:0:0:0:0:0:1]'],
    ['http://192.168.1.20:5317'],
    // Ports: out of range, zero, leading zeros, empty, not a number.
    ['http://127.0.0.1:0'],
    ['http://127.0.0.1:65536'],
    ['http://127.0.0.1:99999'],
    ['http://127.0.0.1:05317'],
    ['http://127.0.0.1:'],
    ['http://127.0.0.1:53a7'],
    // A path, query or trailing slash: never part of an origin.
    ['http://127.0.0.1:5317/'],
    ['http://127.0.0.1:5317/signal'],
    ['http://127.0.0.1:5317?x'],
    // Other schemes on loopback, and whitespace or control characters around a good one.
    ['https://127.0.0.1:5317'],
    ['ws://127.0.0.1:5317'],
    ['chrome-extension://abcdefghijklmnop'],
    ['http://127.0.0.1:5317 '],
    [' http://127.0.0.1:5317'],
    ['http://127.0.0.1:5317\n'],
    ['http://127.0.0.1:5317\r\nX-Evil: 1'],
    // Repeated headers, which Node joins with ", ", or hands over as a list.
    ['http://127.0.0.1:5317, https://evil.example'],
    [['http://127.0.0.1:5317', 'https://evil.example']],
    [['app://hearth']],
  ])('refuses %j', (origin) => {
    expect(isAllowedSignalingOrigin(origin)).toBe(false);
  });
});

describe('addressGroup', () => {
  it.each([
    ['127.0.0.1', '127.0.0.1'],
    ['192.168.1.20', '192.168.1.20'],
    // IPv4 peers on a dual-stack socket count as the IPv4 address they are.
    ['::ffff:127.0.0.1', '127.0.0.1'],
    ['::FFFF:192.168.1.20', '192.168.1.20'],
    // IPv6 by its /64, however the address is spelled.
    ['::1', '0:0:0:0::/64'],
    ['2001:db8:1:2::1', '2001:db8:1:2::/64'],
    ['2001:db8:1:2:ffff:ffff:ffff:ffff', '2001:db8:1:2::/64'],
    ['2001:0DB8:0001:0002:0000:0000:0000:0009', '2001:db8:1:2::/64'],
    ['2001:db8::1', '2001:db8:0:0::/64'],
    ['fe80::1%eth0', 'fe80:0:0:0::/64'],
    ['fe80::2%wlan0', 'fe80:0:0:0::/64'],
    ['64:ff9b::192.0.2.1', '64:ff9b:0:0::/64'],
    ['::', '0:0:0:0::/64'],
    // Nothing readable: one shared group, so oddness is no way around the limit.
    [undefined, 'unknown'],
    ['', 'unknown'],
    ['not an address', 'unknown'],
    ['999.1.1.1', 'unknown'],
    ['1:2:3:4:5:6:7:8:9', 'unknown'],
  ])('%j counts as %j', (address, group) => {
    expect(addressGroup(address)).toBe(group);
  });

  it('puts every address of one /64 in one group and neighbouring /64s in others', () => {
    const groups = new Set(Array.from({ length: 50 }, (_, index) => addressGroup(`2001:db8:aa:bb:${index.toString(16)}::${index}`)));
    expect([...groups]).toEqual(['2001:db8:aa:bb::/64']);
    expect(addressGroup('2001:db8:aa:bc::1')).not.toBe(addressGroup('2001:db8:aa:bb::1'));
  });
});
