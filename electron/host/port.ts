// Parses a port number given on the command line or in HEARTH_PORT.

/** A whole number from 0 (any free port) to 65535, or null. */
export function parsePort(value: string): number | null {
  if (!/^\d{1,5}$/.test(value.trim())) return null;
  const port = Number(value);
  return port <= 65_535 ? port : null;
}
