// A look at LAN discovery from the command line: serves a signaling service on the LAN, advertises it
// like a running Hearth, and prints JSON lines — {"event":"ready","url":…} with its own signaling URL,
// then {"event":"peers","urls":[…]} each time the neighbours' list changes. It stops (saying goodbye)
// on SIGTERM, SIGINT, "exit" on stdin or when stdin closes.
//   HEARTH_LAN_ADDRESS=10.0.0.5 node dist/peer/discovery-probe.mjs
// Integration tests run it inside network namespaces; a person can run it to see which Hearths are around.
import { createInterface } from 'node:readline';
import { lanSetting } from './lan-setting.js';
import { startLanSignaling } from './lan-signaling.js';
import { lanAddresses } from './discovery.js';
import { errorMessage } from '../../shared/errors.js';

function emit(event: Record<string, unknown>): void {
  process.stdout.write(`${JSON.stringify(event)}\n`);
}

async function main(): Promise<void> {
  const setting = lanSetting([], process.env, true);
  if (!setting.ok) throw new Error(setting.error);
  const lan = await startLanSignaling({
    path: '/signal',
    ...(setting.address ? { listenAddress: setting.address, interfaceAddress: setting.address } : {}),
    onChange: (urls) => emit({ event: 'peers', urls }),
    log: (line) => emit({ event: 'log', line }),
  });
  const address = setting.address ?? lanAddresses()[0] ?? '127.0.0.1';
  emit({ event: 'ready', url: `ws://${address}:${lan.port}/signal`, instance: lan.discovery.instance });
  let stopping = false;
  const stop = async () => {
    if (stopping) return;
    stopping = true;
    await lan.close();
    emit({ event: 'exited' });
    process.exit(0);
  };
  process.once('SIGTERM', () => void stop());
  process.once('SIGINT', () => void stop());
  const lines = createInterface({ input: process.stdin });
  lines.on('line', (line) => {
    if (line.trim() === 'exit') void stop();
  });
  lines.on('close', () => void stop());
}

main().catch((error: unknown) => {
  emit({ event: 'fatal', message: errorMessage(error) });
  process.exit(1);
});
