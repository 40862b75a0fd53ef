// How a measure hands its figures to build/bench.mjs: one line on stdout, `@@bench ` + JSON, which the
// runner collects into the table. Anything else a measure prints is shown as progress.

export interface BenchRow {
  /** Issue numbering: "1", "3b", "4 (8 peers)". */
  readonly id: string;
  readonly measure: string;
  /** What the ratio is taken against, e.g. "raw Y.applyUpdateV2". */
  readonly baselineLabel?: string;
  readonly hearth: number | null;
  readonly baseline: number | null;
  /** '/s': a rate (changes per second); its ratio is then Hearth's throughput as a share of the baseline's. */
  readonly unit: 'ms' | 'B' | 'msgs' | '/s' | '';
  /** When the baseline has another unit than Hearth's figure. */
  readonly baselineUnit?: 'ms' | 'B' | 'msgs' | '/s' | '';
  /** Defaults to hearth ÷ baseline; set to null where a ratio means nothing. */
  readonly ratio?: number | null;
  readonly target?: string;
  /** null: no target (information only). */
  readonly pass: boolean | null;
  readonly pending?: boolean;
}

export function report(rows: readonly BenchRow[], notes: readonly string[] = []): void {
  process.stdout.write(`@@bench ${JSON.stringify({ rows, notes })}\n`);
}

export function progress(line: string): void {
  process.stdout.write(`${line}\n`);
}
