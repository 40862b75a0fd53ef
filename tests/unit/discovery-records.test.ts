// LAN discovery's pure parts: our own records, and a table of hostile records from neighbours, read
// after a round trip through DNS wire format (dns-packet, the codec multicast-dns uses).
import { describe, expect, it } from 'vitest';
import { decode, encode, type Answer, type Packet } from 'dns-packet';
import {
  advertisementRecords,
  asksForHearths,
  isSignalingPath,
  isUsableAddress,
  MAX_RECORDS_PER_PACKET,
  MAX_SERVICES_PER_PACKET,
  MAX_TTL_S,
  readSightings,
  readTxt,
  signalingUrl,
  SERVICE_TYPE,
} from '../../electron/discovery/records.js';
import {
  applySighting,
  expirePeers,
  FIRST_QUERY_INTERVAL_MS,
  MAX_PEERS,
  MAX_PEERS_PER_ADDRESS,
  MAX_QUERY_INTERVAL_MS,
  nextQueryInterval,
  peerUrls,
  type PeerTable,
} from '../../electron/discovery/peer-table.js';
import type { Sighting } from '../../electron/discovery/records.js';

const SOURCE = '192.168.1.20';
const INSTANCE = `hearth-0123456789ab.${SERVICE_TYPE}`;
const HOST = 'hearth-0123456789ab.local';

/** What a packet looks like after the network: encoded and decoded again. */
function onTheWire(answers: Answer[], additionals: Answer[] = []): Packet {
  return decode(encode({ type: 'response', answers, additionals }));
}

/** As received: through the wire when the codec can carry it; otherwise as decoded data (a 64-character label or a TXT string over 255 bytes cannot be encoded, but another decoder's output is no safer). */
function asReceived(answers: Answer[]): unknown {
  try {
    return onTheWire(answers);
  } catch {
    return { type: 'response', answers };
  }
}

function honest(overrides: { ptr?: Partial<Answer>; srv?: Partial<Answer>; txt?: Partial<Answer>; a?: Partial<Answer> } = {}): Answer[] {
  return [
    { type: 'PTR', name: SERVICE_TYPE, ttl: 120, data: INSTANCE, ...overrides.ptr } as Answer,
    { type: 'SRV', name: INSTANCE, ttl: 120, data: { port: 5318, target: HOST }, ...overrides.srv } as Answer,
    { type: 'TXT', name: INSTANCE, ttl: 120, data: ['v=1', 'path=/signal'], ...overrides.txt } as Answer,
    { type: 'A', name: HOST, ttl: 120, data: SOURCE, ...overrides.a } as Answer,
  ];
}

describe('our own advertisement', () => {
  it('reads back, through DNS wire format, as the signaling URL we serve', () => {
    const records = advertisementRecords({
      label: 'hearth-aabbccddeeff',
      port: 5319,
      path: '/signal',
      addresses: ['10.0.0.7', '192.168.1.20'],
    });
    expect(readSightings(onTheWire(records), '10.0.0.7')).toEqual({
      sightings: [
        {
          kind: 'service',
          instance: `hearth-aabbccddeeff.${SERVICE_TYPE}`,
          url: 'ws://10.0.0.7:5319/signal',
          address: '10.0.0.7',
          ttlSeconds: 120,
        },
      ],
      ignored: 0,
    });
    // The same packet seen from the host's other interface gives that interface's address.
    expect(readSightings(onTheWire(records), '192.168.1.20').sightings[0]).toMatchObject({ url: 'ws://192.168.1.20:5319/signal' });
  });

  it('says goodbye with TTL 0', () => {
    const records = advertisementRecords({ label: 'hearth-aabbccddeeff', port: 5319, path: '/', addresses: ['10.0.0.7'] }, 0);
    expect(readSightings(onTheWire(records), '10.0.0.7').sightings).toEqual([
      { kind: 'goodbye', instance: `hearth-aabbccddeeff.${SERVICE_TYPE}`, address: '10.0.0.7' },
    ]);
  });

  it('answers PTR and ANY questions for the service type, nothing else', () => {
    const query = (questions: { name: string; type: string }[]) => decode(encode({ type: 'query', questions } as Packet));
    expect(asksForHearths(query([{ name: SERVICE_TYPE, type: 'PTR' }]))).toBe(true);
    expect(asksForHearths(query([{ name: '_HEARTH._TCP.LOCAL', type: 'ANY' }]))).toBe(true);
    expect(asksForHearths(query([{ name: '_http._tcp.local', type: 'PTR' }]))).toBe(false);
    expect(asksForHearths(query([{ name: SERVICE_TYPE, type: 'A' }]))).toBe(false);
    expect(asksForHearths({ questions: 'nope' })).toBe(false);
    expect(asksForHearths(null)).toBe(false);
  });
});

describe('a neighbour’s records', () => {
  it('an honest record gives its URL; names compare without regard to case', () => {
    expect(readSightings(onTheWire(honest()), SOURCE).sightings).toEqual([
      { kind: 'service', instance: INSTANCE, url: 'ws://192.168.1.20:5318/signal', address: SOURCE, ttlSeconds: 120 },
    ]);
    const shouting = onTheWire(
      honest({
        ptr: { name: '_HEARTH._TCP.LOCAL', data: INSTANCE.toUpperCase() } as Partial<Answer>,
        srv: { name: INSTANCE.toUpperCase() } as Partial<Answer>,
        txt: { name: INSTANCE.toUpperCase() } as Partial<Answer>,
      }),
    );
    expect(readSightings(shouting, SOURCE).sightings).toHaveLength(1);
    // Records may come as additionals, as DNS-SD responders put SRV/TXT/A.
    const [ptr, ...rest] = honest();
    expect(readSightings(onTheWire([ptr!], rest), SOURCE).sightings).toHaveLength(1);
  });

  it.each<[string, Parameters<typeof honest>[0], string?]>([
    ['points at another address than its own', { a: { data: '192.168.1.99' } as Partial<Answer> }],
    ['points at this machine’s loopback', { a: { data: '127.0.0.1' } as Partial<Answer> }, '127.0.0.1'],
    ['points at 0.0.0.0', { a: { data: '0.0.0.0' } as Partial<Answer> }, '0.0.0.0'],
    ['points at a multicast group', { a: { data: '224.0.0.251' } as Partial<Answer> }, '224.0.0.251'],
    ['points at the broadcast address', { a: { data: '255.255.255.255' } as Partial<Answer> }, '255.255.255.255'],
    ['has port 0', { srv: { data: { port: 0, target: HOST } } as Partial<Answer> }],
    ['has an SRV target other than its A record', { srv: { data: { port: 5318, target: 'elsewhere.local' } } as Partial<Answer> }],
    [
      'has an SRV target outside .local',
      { srv: { data: { port: 5318, target: 'evil.example.com' } } as Partial<Answer>, a: { name: 'evil.example.com' } as Partial<Answer> },
    ],
    ['has no TXT record', { txt: { name: 'someone-else._hearth._tcp.local' } as Partial<Answer> }],
    ['is another version', { txt: { data: ['v=2', 'path=/signal'] } as Partial<Answer> }],
    ['has no version', { txt: { data: ['path=/signal'] } as Partial<Answer> }],
    ['has a path with a host in it', { txt: { data: ['v=1', 'path=//evil.example.com/x'] } as Partial<Answer> }],
    ['has a path with a query', { txt: { data: ['v=1', 'path=/signal?token=1'] } as Partial<Answer> }],
    ['has a path with a fragment', { txt: { data: ['v=1', 'path=/signal#x'] } as Partial<Answer> }],
    ['has a path that climbs', { txt: { data: ['v=1', 'path=/a/../b'] } as Partial<Answer> }],
    ['has a path with a space', { txt: { data: ['v=1', 'path=/a b'] } as Partial<Answer> }],
    ['has a path with user info', { txt: { data: ['v=1', 'path=@evil.example.com/'] } as Partial<Answer> }],
    ['has a relative path', { txt: { data: ['v=1', 'path=signal'] } as Partial<Answer> }],
    ['has a 1000-character path', { txt: { data: ['v=1', `path=/${'a'.repeat(999)}`] } as Partial<Answer> }],
    ['has an instance name of another service', { ptr: { data: 'hearth-1._http._tcp.local' } as Partial<Answer> }],
    [
      'has an instance label with a space',
      {
        ptr: { data: `evil label.${SERVICE_TYPE}` } as Partial<Answer>,
        srv: { name: `evil label.${SERVICE_TYPE}` } as Partial<Answer>,
        txt: { name: `evil label.${SERVICE_TYPE}` } as Partial<Answer>,
      },
    ],
    [
      'has an instance label over 63 characters',
      {
        ptr: { data: `${'a'.repeat(64)}.${SERVICE_TYPE}` } as Partial<Answer>,
        srv: { name: `${'a'.repeat(64)}.${SERVICE_TYPE}` } as Partial<Answer>,
        txt: { name: `${'a'.repeat(64)}.${SERVICE_TYPE}` } as Partial<Answer>,
      },
    ],
  ])('a record that %s is ignored', (_what, overrides, source = SOURCE) => {
    const reading = readSightings(asReceived(honest(overrides)), source);
    expect(reading.sightings).toEqual([]);
    expect(reading.ignored).toBe(1);
  });

  it('malformed shapes never throw and give nothing', () => {
    for (const packet of [
      null,
      undefined,
      42,
      'response',
      [],
      { answers: 'x' },
      { answers: [null, 1, 'a', []] },
      { answers: [{ type: 'PTR', name: SERVICE_TYPE, data: 42, ttl: 120 }] },
      { answers: [{ type: 'PTR', name: SERVICE_TYPE, data: INSTANCE, ttl: -1 }] },
      { answers: [{ type: 'PTR', name: SERVICE_TYPE, data: INSTANCE, ttl: 1.5 }] },
      { answers: [...honest().slice(0, 1), { type: 'SRV', name: INSTANCE, ttl: 120, data: null }] },
      {
        answers: [
          ...honest().slice(0, 1),
          { type: 'SRV', name: INSTANCE, ttl: 120, data: { port: '5318', target: HOST } },
          ...honest().slice(2),
        ],
      },
      { answers: [...honest().slice(0, 2), { type: 'TXT', name: INSTANCE, ttl: 120, data: [{}] }, ...honest().slice(3)] },
    ]) {
      expect(() => readSightings(packet, SOURCE)).not.toThrow();
      expect(readSightings(packet, SOURCE).sightings).toEqual([]);
    }
    // A port out of range cannot even be encoded; as decoded data it is refused too.
    expect(
      readSightings(
        {
          answers: [
            ...honest().slice(0, 1),
            { type: 'SRV', name: INSTANCE, ttl: 120, data: { port: 70_000, target: HOST } },
            ...honest().slice(2),
          ],
        },
        SOURCE,
      ).sightings,
    ).toEqual([]);
  });

  it.each<[string, unknown]>([
    ['100,000 answers', { type: 'response', answers: Array.from({ length: 100_000 }, () => honest()[0]) }],
    ['a TXT of 100,000 strings', { type: 'response', answers: honest({ txt: { data: Array.from({ length: 100_000 }, () => 'v=1') } }) }],
    ['a 1 MB name', { type: 'response', answers: honest({ ptr: { data: `${'a'.repeat(1_000_000)}.${SERVICE_TYPE}` } }) }],
    [
      'records of the wrong kinds of data',
      {
        type: 'response',
        answers: [
          { type: 'PTR', name: SERVICE_TYPE, ttl: 1, data: Buffer.alloc(9) },
          { type: 'SRV', name: INSTANCE, ttl: 1, data: null },
          { type: 'TXT', name: INSTANCE, ttl: 1, data: [1, {}, null] },
        ],
      },
    ],
    ['answers that are not a list', { type: 'response', answers: 'PTR', additionals: { length: 1e9 } }],
    [
      'a query of 100,000 questions',
      { type: 'query', questions: Array.from({ length: 100_000 }, () => ({ type: 'PTR', name: 'x.local' })) },
    ],
  ])('%s is read in bounded time without a throw', (_what, packet) => {
    const started = performance.now();
    expect(() => readSightings(packet, SOURCE)).not.toThrow();
    expect(() => asksForHearths(packet)).not.toThrow();
    expect(performance.now() - started).toBeLessThan(1_000);
  });

  it('packets damaged on the wire (flipped bytes, cut short, random) never make the readers throw', () => {
    const wire = encode({ type: 'response', answers: honest() });
    // A fixed-seed generator, so a failure can be replayed.
    let seed = 12;
    const random = () => (seed = (seed * 1_103_515_245 + 12_345) % 2 ** 31) / 2 ** 31;
    let decoded = 0;
    for (let round = 0; round < 3_000; round += 1) {
      const bytes =
        round % 3 === 2
          ? Buffer.from(Array.from({ length: Math.floor(random() * 512) }, () => Math.floor(random() * 256)))
          : Buffer.from(wire);
      if (round % 3 === 0)
        for (let flip = 0; flip < 1 + Math.floor(random() * 8); flip += 1)
          bytes[Math.floor(random() * bytes.length)] = Math.floor(random() * 256);
      const cut = round % 3 === 1 ? bytes.subarray(0, Math.floor(random() * bytes.length)) : bytes;
      let packet: unknown;
      try {
        packet = decode(cut);
      } catch {
        continue;
      }
      decoded += 1;
      expect(() => readSightings(packet, SOURCE)).not.toThrow();
      expect(() => asksForHearths(packet)).not.toThrow();
    }
    expect(decoded).toBeGreaterThan(100);
  });

  it('a TTL that claims years is cut to MAX_TTL_S; TTL 0 is a goodbye', () => {
    const forever = onTheWire(
      honest({ ptr: { ttl: 2 ** 31 - 1 }, srv: { ttl: 2 ** 31 - 1 }, txt: { ttl: 2 ** 31 - 1 }, a: { ttl: 2 ** 31 - 1 } }),
    );
    expect(readSightings(forever, SOURCE).sightings[0]).toMatchObject({ kind: 'service', ttlSeconds: MAX_TTL_S });
    expect(readSightings(onTheWire(honest({ ptr: { ttl: 0 } })), SOURCE).sightings).toEqual([
      { kind: 'goodbye', instance: INSTANCE, address: SOURCE },
    ]);
    expect(readSightings(onTheWire(honest({ srv: { ttl: 0 } })), SOURCE).sightings).toEqual([
      { kind: 'goodbye', instance: INSTANCE, address: SOURCE },
    ]);
    // The shortest of the record TTLs counts.
    expect(readSightings(onTheWire(honest({ a: { ttl: 30 } })), SOURCE).sightings[0]).toMatchObject({ ttlSeconds: 30 });
  });

  it('reads at most MAX_RECORDS_PER_PACKET records and MAX_SERVICES_PER_PACKET services of a packet', () => {
    const filler: Answer[] = Array.from({ length: 200 }, (_unused, index) => ({
      type: 'A',
      name: `x${index}.local`,
      ttl: 120,
      data: '10.0.0.1',
    }));
    // The honest service comes after the first 64 records: not read.
    expect(readSightings(onTheWire([...filler, ...honest()]), SOURCE).sightings).toEqual([]);
    expect(MAX_RECORDS_PER_PACKET).toBe(64);
    const many: Answer[] = [];
    for (let index = 0; index < 12; index += 1) {
      const instance = `hearth-${index}.${SERVICE_TYPE}`;
      many.push({ type: 'PTR', name: SERVICE_TYPE, ttl: 120, data: instance });
    }
    for (let index = 0; index < 12; index += 1) {
      const instance = `hearth-${index}.${SERVICE_TYPE}`;
      many.push(
        { type: 'SRV', name: instance, ttl: 120, data: { port: 5000 + index, target: HOST } },
        { type: 'TXT', name: instance, ttl: 120, data: ['v=1'] },
      );
    }
    many.push({ type: 'A', name: HOST, ttl: 120, data: SOURCE });
    const reading = readSightings(onTheWire(many), SOURCE);
    expect(reading.sightings).toHaveLength(MAX_SERVICES_PER_PACKET);
    expect(reading.ignored).toBe(12 - MAX_SERVICES_PER_PACKET);
    // No path in TXT means '/', as y-webrtc servers are usually served.
    expect(reading.sightings[0]).toMatchObject({ url: `ws://${SOURCE}:5000/` });
  });

  it('a hostile path cannot make the path check slow', () => {
    const started = performance.now();
    expect(isSignalingPath(`/${'a/'.repeat(60)}a!`)).toBe(false);
    expect(isSignalingPath(`/${'a.'.repeat(60)}!`)).toBe(false);
    expect(performance.now() - started).toBeLessThan(50);
  });
});

describe('record fields', () => {
  it.each([
    ['192.168.1.20', true],
    ['10.0.0.1', true],
    ['169.254.3.4', true],
    ['127.0.0.1', false],
    ['127.1.2.3', false],
    ['0.0.0.0', false],
    ['0.1.2.3', false],
    ['224.0.0.251', false],
    ['239.255.255.250', false],
    ['255.255.255.255', false],
    ['192.168.001.020', false],
    ['192.168.1', false],
    ['192.168.1.256', false],
    ['::1', false],
    ['fe80::1', false],
    ['localhost', false],
    [' 192.168.1.20', false],
    [42, false],
  ])('address %s usable: %s', (address, usable) => {
    expect(isUsableAddress(address)).toBe(usable);
  });

  it.each([
    ['/', true],
    ['/signal', true],
    ['/a/b.c/d-e_f~g/', true],
    ['', false],
    ['signal', false],
    ['//host', false],
    ['/a//b', false],
    ['/./a', false],
    ['/a/..', false],
    ['/a?b', false],
    ['/a#b', false],
    ['/a%2F', false],
    ['/ä', false],
    [`/${'a'.repeat(128)}`, false],
  ])('path %j acceptable: %s', (path, ok) => {
    expect(isSignalingPath(path)).toBe(ok);
  });

  it('builds URLs only from acceptable parts', () => {
    expect(signalingUrl('10.0.0.2', 5318, '/signal')).toBe('ws://10.0.0.2:5318/signal');
    expect(signalingUrl('10.0.0.2', 0, '/signal')).toBeNull();
    expect(signalingUrl('10.0.0.2', 65_536, '/signal')).toBeNull();
    expect(signalingUrl('10.0.0.2', 80.5, '/signal')).toBeNull();
    expect(signalingUrl('127.0.0.1', 5318, '/signal')).toBeNull();
    expect(signalingUrl('10.0.0.2', 5318, '//x')).toBeNull();
  });

  it('reads TXT key=value strings; the first of a repeated key wins; keys ignore case', () => {
    expect(readTxt([Buffer.from('v=1'), Buffer.from('PATH=/a'), Buffer.from('path=/b'), Buffer.from('flag'), Buffer.from('=x')])).toEqual(
      new Map([
        ['v', '1'],
        ['path', '/a'],
        ['flag', ''],
      ]),
    );
    expect(readTxt('v=1')).toEqual(new Map([['v', '1']]));
    expect(readTxt([42])).toBeNull();
  });
});

describe('the table of neighbours', () => {
  const service = (instance: string, address = SOURCE, ttlSeconds = 120, port = 5318): Sighting => ({
    kind: 'service',
    instance,
    url: `ws://${address}:${port}/signal`,
    address,
    ttlSeconds,
  });
  const empty: PeerTable = new Map();

  it('remembers, refreshes and expires neighbours by their TTL', () => {
    let table = applySighting(empty, service('a', SOURCE, 10), 1_000);
    expect(peerUrls(table)).toEqual([`ws://${SOURCE}:5318/signal`]);
    expect(peerUrls(expirePeers(table, 10_999))).toHaveLength(1);
    expect(peerUrls(expirePeers(table, 11_000))).toEqual([]);
    table = applySighting(table, service('a', SOURCE, 10), 8_000);
    expect(peerUrls(expirePeers(table, 17_000))).toHaveLength(1);
    // A service that moves to another port is followed.
    table = applySighting(table, service('a', SOURCE, 10, 6000), 8_000);
    expect(peerUrls(table)).toEqual([`ws://${SOURCE}:6000/signal`]);
  });

  it('forgets a neighbour that says goodbye, but only when the goodbye comes from its own address', () => {
    const table = applySighting(empty, service('a'), 0);
    expect(applySighting(table, { kind: 'goodbye', instance: 'a', address: '192.168.1.66' }, 1)).toBe(table);
    expect(peerUrls(applySighting(table, { kind: 'goodbye', instance: 'a', address: SOURCE }, 1))).toEqual([]);
    expect(applySighting(empty, { kind: 'goodbye', instance: 'nobody', address: SOURCE }, 1)).toBe(empty);
  });

  it('keeps a known instance for the host that announced it first', () => {
    const table = applySighting(empty, service('a'), 0);
    expect(peerUrls(applySighting(table, service('a', '192.168.1.66'), 1))).toEqual([`ws://${SOURCE}:5318/signal`]);
  });

  it('holds at most MAX_PEERS neighbours and MAX_PEERS_PER_ADDRESS per address; the known ones keep their place', () => {
    let table = empty;
    for (let index = 0; index < 10; index += 1) table = applySighting(table, service(`flood-${index}`, '10.0.0.66', 120, 6000 + index), 0);
    expect(table.size).toBe(MAX_PEERS_PER_ADDRESS);
    for (let index = 0; index < 100; index += 1) table = applySighting(table, service(`host-${index}`, `10.0.1.${index + 1}`), 0);
    expect(table.size).toBe(MAX_PEERS);
    expect(table.has('host-0')).toBe(true);
    expect(table.has(`host-${MAX_PEERS}`)).toBe(false);
    // Known neighbours are still refreshed when the table is full.
    const refreshed = applySighting(table, service('host-0', '10.0.1.1', 600), 50_000);
    expect(refreshed.get('host-0')?.expiresAt).toBe(650_000);
  });

  it('asks again at a doubling interval, capped', () => {
    const intervals = [FIRST_QUERY_INTERVAL_MS];
    while (intervals.length < 10) intervals.push(nextQueryInterval(intervals.at(-1)!));
    expect(intervals).toEqual([1_000, 2_000, 4_000, 8_000, 16_000, 32_000, 60_000, 60_000, 60_000, 60_000]);
    expect(MAX_QUERY_INTERVAL_MS).toBe(60_000);
    expect(nextQueryInterval(0)).toBe(2);
  });
});
