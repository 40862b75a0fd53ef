// An in-memory link for LAN discovery unit tests: every packet is encoded to DNS wire format and
// decoded again (with dns-packet, multicast-dns's own codec) and delivered to every member, the sender
// included, as multicast with loopback does. No socket is opened. Raw bytes can be injected to play a
// hostile neighbour.
import { decode, encode, type Packet } from 'dns-packet';
import type { DiscoveryTransport, OutgoingPacket } from '../../electron/discovery/discovery.js';

type Listener = (packet: unknown, source: { readonly address: string; readonly size: number }) => void;

export interface MemoryLink {
  /** A transport for a host with `address` on this link. */
  join(address: string): DiscoveryTransport;
  /** Delivers raw bytes to everyone as if `from` had sent them. */
  inject(bytes: Uint8Array, from: string): void;
  /** Encodes `packet` and delivers it as if `from` had sent it. */
  injectPacket(packet: Packet, from: string): void;
  /** Every packet sent through the link so far, decoded, with its sender. */
  readonly sent: { readonly from: string; readonly packet: Packet }[];
}

export function createMemoryLink(): MemoryLink {
  const members = new Map<DiscoveryTransport, Listener[]>();
  const sent: { from: string; packet: Packet }[] = [];

  function deliver(bytes: Uint8Array, from: string): void {
    // Like multicast-dns: undecodable packets are dropped before anyone sees them.
    let packet: Packet;
    try {
      packet = decode(Buffer.from(bytes));
    } catch {
      return;
    }
    sent.push({ from, packet });
    setImmediate(() => {
      for (const listeners of members.values())
        for (const listener of listeners) listener(packet, { address: from, size: bytes.byteLength });
    });
  }

  return {
    sent,
    join(address) {
      const transport: DiscoveryTransport = {
        async send(packet: OutgoingPacket) {
          if (!members.has(transport)) return;
          const wire = encode({ ...packet, questions: [...(packet.questions ?? [])], answers: [...(packet.answers ?? [])] } as Packet);
          deliver(wire, address);
        },
        onPacket(listener) {
          members.get(transport)?.push(listener);
        },
        addresses: () => [address],
        async close() {
          members.delete(transport);
        },
      };
      members.set(transport, []);
      return transport;
    },
    inject: (bytes, from) => deliver(bytes, from),
    injectPacket: (packet, from) => deliver(encode(packet), from),
  };
}
