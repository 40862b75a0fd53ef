// `npm run bench`: builds what the benchmarks need, runs every measure with its baseline in the same
// run (each measure in its own Node process, one after another), prints one table and writes it to
// BENCHMARKS.md with the date, the CPU and the Node and Chromium versions. See tests/bench/README.md.
//
//   node build/bench.mjs [--only open,storage,…] [--peers 2,8,30] [--profile <measure>] [--no-write]
//                        [--skip-build] [--store-choice]
//
// Every measure is bounded (its own deadlines, and a hard time limit here); peers and browsers it
// starts are its own child processes and end with it.
import { execFileSync, spawn } from 'node:child_process';
import { existsSync, mkdirSync, writeFileSync } from 'node:fs';
import { builtinModules } from 'node:module';
import { cpus, totalmem } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { build } from 'vite';
import { buildTargets } from './build.mjs';

const ROOT = join(dirname(fileURLToPath(import.meta.url)), '..');
const OUT = join(ROOT, 'dist/bench');
const CHROMIUM = process.env.HEARTH_CHROMIUM ?? '/usr/bin/chromium';

/**
 * The measures, in the order they run; `limitS` is a hard limit on each process; `large`: it reads the
 * large community, so `generate` (which makes or checks the cache) runs first.
 */
const MEASURES = [
  { name: 'generate', title: 'Large community (generated or cached)', limitS: 480 },
  { name: 'open', title: '1. Open (Node)', limitS: 120, large: true },
  { name: 'storage', title: '3. Storage (Node)', limitS: 300 },
  {
    name: 'chromium',
    title: '1–3. Open, time to interactive and storage (Chromium)',
    limitS: 240,
    needs: ['renderer', 'host'],
    large: true,
  },
  { name: 'peers', title: '4–5. Edit → peer, initial sync', limitS: 420, needs: ['peer'], large: true },
  { name: 'search', title: '6. Search', limitS: 60, large: true },
  { name: 'memory', title: '7. Memory', limitS: 120, large: true },
  { name: 'signing', title: '8. Signed changes: sign, verify + apply', limitS: 180 },
];

const BENCH_ENTRIES = {
  generate: 'tests/bench/measures/generate.ts',
  open: 'tests/bench/measures/open.ts',
  chromium: 'tests/bench/measures/chromium.ts',
  storage: 'tests/bench/measures/storage.ts',
  peers: 'tests/bench/measures/peers.ts',
  search: 'tests/bench/measures/search.ts',
  memory: 'tests/bench/measures/memory.ts',
  signing: 'tests/bench/measures/signing.ts',
  'bench-peer': 'tests/bench/peer/bench-peer.ts',
};

function parseArgs(argv) {
  const args = { only: null, peers: null, profile: null, write: true, build: true, storeChoice: false };
  for (let i = 0; i < argv.length; i += 1) {
    const arg = argv[i];
    const value = () => {
      const next = argv[i + 1];
      if (next === undefined) throw new Error(`${arg} needs a value`);
      i += 1;
      return next;
    };
    if (arg === '--only') args.only = value().split(',');
    else if (arg === '--peers') args.peers = value();
    else if (arg === '--profile') args.profile = value();
    else if (arg === '--no-write') args.write = false;
    else if (arg === '--skip-build') args.build = false;
    else if (arg === '--store-choice') args.storeChoice = true;
    else throw new Error(`Unknown option ${arg}; see the top of build/bench.mjs.`);
  }
  return args;
}

/** The measures and the headless peer as Node bundles (dist/bench/*.mjs); packages stay in node_modules. */
async function buildBench() {
  const external = [
    ...builtinModules,
    ...builtinModules.map((name) => `node:${name}`),
    'ws',
    '@roamhq/wrtc',
    'playwright-core',
    'fake-indexeddb',
  ];
  await build({
    configFile: false,
    logLevel: 'warn',
    publicDir: false,
    build: {
      outDir: OUT,
      emptyOutDir: true,
      target: 'node20',
      minify: false,
      sourcemap: true,
      ssr: true,
      rolldownOptions: {
        input: Object.fromEntries(Object.entries(BENCH_ENTRIES).map(([name, path]) => [name, join(ROOT, path)])),
        external,
        output: { format: 'es', entryFileNames: '[name].mjs', chunkFileNames: 'chunks/[name]-[hash].mjs' },
      },
    },
    ssr: { noExternal: true, target: 'node' },
  });
  // The page that opens the large community from Chromium's own IndexedDB (measure 1 in Chromium).
  await build({
    configFile: false,
    logLevel: 'warn',
    publicDir: false,
    define: { 'process.env.NODE_ENV': '"production"' },
    build: {
      outDir: join(OUT, 'page'),
      emptyOutDir: true,
      target: 'es2023',
      minify: false,
      lib: {
        entry: join(ROOT, 'tests/bench/browser/open-page.ts'),
        formats: ['iife'],
        name: 'hearthBench',
        fileName: () => 'open-page.js',
      },
    },
  });
}

function runMeasure(measure, args) {
  return new Promise((resolve) => {
    const nodeArgs = ['--expose-gc', '--max-old-space-size=4096'];
    if (args.profile === measure.name) {
      const dir = join(ROOT, 'test-results/bench-profiles');
      mkdirSync(dir, { recursive: true });
      nodeArgs.push('--cpu-prof', `--cpu-prof-dir=${dir}`);
    }
    const env = {
      ...process.env,
      HEARTH_LOOPBACK_ONLY: '1',
      NODE_ENV: 'production',
      ...(args.peers ? { HEARTH_BENCH_PEERS: args.peers } : {}),
    };
    const started = Date.now();
    const child = spawn(process.execPath, [...nodeArgs, join(OUT, `${measure.name}.mjs`)], {
      cwd: ROOT,
      env,
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    const rows = [];
    const notes = [];
    let buffered = '';
    const onLine = (line) => {
      if (line.startsWith('@@bench ')) {
        const result = JSON.parse(line.slice('@@bench '.length));
        rows.push(...(result.rows ?? []));
        notes.push(...(result.notes ?? []));
      } else if (line.trim()) {
        console.log(`  [${measure.name}] ${line}`);
      }
    };
    child.stdout.on('data', (chunk) => {
      buffered += chunk.toString();
      const lines = buffered.split('\n');
      buffered = lines.pop() ?? '';
      lines.forEach(onLine);
    });
    let stderr = '';
    child.stderr.on('data', (chunk) => {
      stderr = (stderr + chunk.toString()).slice(-6_000);
    });
    // SIGTERM first so the measure can end its peers and browser; SIGKILL if it does not.
    const limit = setTimeout(() => {
      notes.push(`${measure.title}: stopped at its ${measure.limitS} s limit; figures it had not reported are missing.`);
      child.kill('SIGTERM');
      setTimeout(() => child.kill('SIGKILL'), 10_000).unref();
    }, measure.limitS * 1_000);
    child.once('exit', (code, signal) => {
      clearTimeout(limit);
      if (buffered) onLine(buffered);
      const seconds = (Date.now() - started) / 1_000;
      if (code !== 0) {
        notes.push(`${measure.title}: the measure ended with ${signal ?? `exit code ${code}`} after ${seconds.toFixed(0)} s.`);
        console.error(
          stderr
            .trim()
            .split('\n')
            .slice(-25)
            .map((line) => `  [${measure.name}!] ${line}`)
            .join('\n'),
        );
      }
      console.log(`  [${measure.name}] ${seconds.toFixed(1)} s`);
      resolve({ rows, notes, seconds });
    });
  });
}

// ---------------------------------------------------------------------------------------------
// The table

function formatValue(value, unit) {
  if (value === null || value === undefined || Number.isNaN(value)) return '—';
  if (unit === '/s') return `${value >= 100 ? Math.round(value).toLocaleString('en-US') : value.toFixed(1)}/s`;
  if (unit === 'B') return value >= 1_048_576 ? `${(value / 1_048_576).toFixed(2)} MB` : `${Math.round(value).toLocaleString('en-US')} B`;
  if (unit === 'ms')
    return value >= 100
      ? `${Math.round(value).toLocaleString('en-US')} ms`
      : value >= 1
        ? `${value.toFixed(1)} ms`
        : `${value.toFixed(3)} ms`;
  const digits = Math.abs(value) >= 100 ? 0 : Math.abs(value) >= 10 ? 1 : 2;
  return `${value.toFixed(digits)}${unit ? ` ${unit}` : ''}`;
}

function formatRatio(row) {
  const ratio = row.ratio !== undefined ? row.ratio : row.hearth !== null && row.baseline ? row.hearth / row.baseline : null;
  if (ratio === null || ratio === undefined || !Number.isFinite(ratio)) return '—';
  // Below 0.1 (a rate far under its baseline's), two significant digits: 0.0056×, not 0.01×.
  const digits =
    ratio >= 100
      ? Math.round(ratio).toLocaleString('en-US')
      : ratio >= 10
        ? ratio.toFixed(1)
        : ratio >= 0.1
          ? ratio.toFixed(2)
          : ratio.toPrecision(2);
  return `${digits}×`;
}

function resultOf(row) {
  if (row.pending) return 'pending';
  if (row.pass === null || row.pass === undefined) return 'info';
  return row.pass ? 'pass' : '**miss**';
}

function tableLines(rows) {
  const header = ['#', 'Measure (baseline)', 'Hearth', 'Baseline', 'Ratio', 'Target', 'Result'];
  const body = rows.map((row) => [
    row.id,
    `${row.measure}${row.baselineLabel ? ` (vs ${row.baselineLabel})` : ''}`,
    formatValue(row.hearth, row.unit),
    formatValue(row.baseline, row.baselineUnit ?? row.unit),
    formatRatio(row),
    row.target ?? '—',
    resultOf(row),
  ]);
  const escape = (cell) => String(cell).replaceAll('|', '\\|');
  const widths = header.map((_, column) => Math.max(header[column].length, ...body.map((cells) => escape(cells[column]).length)));
  const line = (cells) =>
    `| ${cells.map((cell, column) => (column >= 2 && column <= 4 ? escape(cell).padStart(widths[column]) : escape(cell).padEnd(widths[column]))).join(' | ')} |`;
  const rule = `|${widths.map((width, column) => (column >= 2 && column <= 4 ? `${'-'.repeat(width + 1)}:` : '-'.repeat(width + 2))).join('|')}|`;
  return [line(header), rule, ...body.map(line)];
}

function chromiumVersion() {
  try {
    return execFileSync(CHROMIUM, ['--version'], { encoding: 'utf8', timeout: 10_000, stdio: ['ignore', 'pipe', 'ignore'] }).trim();
  } catch {
    return 'not available';
  }
}

function machine() {
  const cpu = cpus();
  return {
    date: new Date().toISOString(),
    cpu: `${cpu[0]?.model ?? 'unknown CPU'} (${cpu.length} logical cores)`,
    memory: `${(totalmem() / 2 ** 30).toFixed(0)} GiB`,
    node: process.version,
    chromium: chromiumVersion(),
    platform: `${process.platform} ${process.arch}`,
  };
}

async function main() {
  const args = parseArgs(process.argv.slice(2));
  const chosen = MEASURES.filter((measure) => measure.name !== 'generate' && (!args.only || args.only.includes(measure.name)));
  const generate = chosen.some((measure) => measure.large) || args.only?.includes('generate');
  const selected = [...(generate ? MEASURES.slice(0, 1) : []), ...chosen];
  const started = Date.now();
  if (args.build) {
    console.log('Building the benchmarks…');
    const targets = [...new Set(selected.flatMap((measure) => measure.needs ?? []))];
    if (targets.length > 0) await buildTargets(targets);
    await buildBench();
  } else if (!existsSync(join(OUT, 'open.mjs'))) {
    throw new Error('dist/bench is missing; run without --skip-build once.');
  }
  console.log(`Built in ${((Date.now() - started) / 1_000).toFixed(0)} s. Running ${selected.map((measure) => measure.name).join(', ')}…`);

  const rows = [];
  const notes = [];
  const durations = [];
  for (const measure of selected) {
    console.log(`\n${measure.title}`);
    const result = await runMeasure(measure, args);
    rows.push(...result.rows);
    notes.push(...result.notes);
    durations.push(`${measure.name} ${result.seconds.toFixed(0)} s`);
  }
  // Grouped by measure number (a measure's Node and Chromium rows come from different processes).
  const order = (row) => Number.parseInt(row.id, 10) || 0;
  rows.sort((a, b) => order(a) - order(b));
  const seconds = (Date.now() - started) / 1_000;
  const info = machine();
  const table = tableLines(rows);
  console.log(`\n${table.join('\n')}\n`);
  for (const note of notes) console.log(`- ${note}`);
  console.log(
    `\n${info.cpu}, ${info.memory}; Node ${info.node}; ${info.chromium}. Whole run ${seconds.toFixed(0)} s (${durations.join(', ')}).`,
  );

  if (args.write) {
    const misses = [...new Set(rows.filter((row) => row.pass === false).map((row) => row.id))];
    const markdown = [
      '# Benchmarks',
      '',
      'Written by `npm run bench` (build/bench.mjs; what each measure does: tests/bench/README.md). Every figure',
      'is set against a baseline measured in the same run on the same machine; absolute times drift from machine',
      'to machine, ratios hold better. The machine below is shared and has two cores, so expect noise.',
      '',
      `- Date: ${info.date}`,
      `- CPU: ${info.cpu}; memory ${info.memory}; ${info.platform}`,
      `- Node: ${info.node}`,
      `- Chromium: ${info.chromium}`,
      `- Whole run: ${seconds.toFixed(0)} s (${durations.join(', ')})`,
      args.only ? `- Partial run: only ${args.only.join(', ')}` : '- Full run',
      '',
      ...table,
      '',
      misses.length > 0 ? `Missed: ${misses.join(', ')}.` : 'No target missed.',
      '',
      ...(notes.length > 0 ? ['## Notes', '', ...notes.map((note) => `- ${note}`), ''] : []),
      'Data: the B4 trace (automerge-paper) is the character-by-character history of the LaTeX source of',
      '"A Conflict-Free Replicated JSON Datatype" (Kleppmann & Beresford, arXiv:1608.03960), recorded by',
      "Martin Kleppmann (automerge-perf), in Joseph Gentle's editing-traces format; benchmark B4 of",
      'crdt-benchmarks. See tests/bench/fixtures/README.md.',
      '',
    ].join('\n');
    writeFileSync(join(ROOT, 'BENCHMARKS.md'), markdown);
    console.log('Wrote BENCHMARKS.md');
  }

  if (args.storeChoice) {
    // The earlier store-design comparison (y-dexie vs log + snapshot), kept runnable on request.
    console.log('\nStore choice (tests/bench/store-choice.bench.ts)…');
    await new Promise((resolve) => {
      const child = spawn(
        process.execPath,
        [join(ROOT, 'node_modules/vitest/vitest.mjs'), 'run', '--config', 'tests/bench/vitest.bench.config.ts'],
        { cwd: ROOT, stdio: 'inherit' },
      );
      child.once('exit', resolve);
    });
  }
}

main().catch((error) => {
  console.error(error instanceof Error ? (error.stack ?? error.message) : error);
  process.exit(1);
});
