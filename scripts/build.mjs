// Bundles the CLI, the benchmarks and the reliability campaign into dist/ with esbuild, so `npx trailwarden`
// starts from one file without a TypeScript runtime. Native better-sqlite3 stays external.
// Also builds the auditors' dashboard into dist/dashboard/ (served by `trailwarden serve`):
// its page and stylesheet copied, its TypeScript bundled for browsers.
// `node scripts/build.mjs dashboard [OUTDIR]` builds the dashboard alone (into OUTDIR: the browser test).
import { build } from 'esbuild';
import { copyFileSync, existsSync, mkdirSync } from 'node:fs';
import { join } from 'node:path';

const [only, dashboardOut = 'dist/dashboard'] = process.argv.slice(2);

const entryPoints = {
  cli: 'shared/shells/cli/main.ts',
  // The worker threads of a parallel replay (shared/adapters/workers): loaded from beside the CLI and the benchmark.
  'replay-worker': 'shared/adapters/workers/replay-worker.ts',
  bench: 'test/bench/bench.ts',
  'bench-api': 'test/bench/api-bench.ts',
  's3-replay-bench': 'test/bench/s3-replay-bench.ts',
  reliability: 'test/reliability/campaign/main.ts',
  capacity: 'test/capacity/main.ts',
  stack: 'shared/infra/serverless-config.ts',
};
const present = Object.fromEntries(Object.entries(entryPoints).filter(([, file]) => existsSync(file)));

async function buildNode() {
  await build({
    entryPoints: present,
    outdir: 'dist',
    bundle: true,
    platform: 'node',
    target: 'node20',
    format: 'cjs',
    sourcemap: true,
    // dynalite (the capacity tool's local DynamoDB) loads classic-level's native prebuilds from node_modules.
    external: ['better-sqlite3', 'esbuild', 'dynalite'],
    logLevel: 'warning',
  });
}

const DASHBOARD_SOURCE = 'shared/dashboard';
const DASHBOARD_STATIC = ['index.html', 'dashboard.css', 'favicon.svg'];

async function buildDashboard(outdir) {
  if (!existsSync(`${DASHBOARD_SOURCE}/main.ts`)) return;
  mkdirSync(outdir, { recursive: true });
  for (const file of DASHBOARD_STATIC) copyFileSync(`${DASHBOARD_SOURCE}/${file}`, join(outdir, file));
  await build({
    entryPoints: [`${DASHBOARD_SOURCE}/main.ts`],
    outfile: join(outdir, 'app.js'),
    bundle: true,
    platform: 'browser',
    target: 'es2020',
    format: 'iife',
    sourcemap: true,
    minify: true,
    tsconfig: `${DASHBOARD_SOURCE}/tsconfig.json`,
    logLevel: 'warning',
  });
}

if (only === 'dashboard') {
  await buildDashboard(dashboardOut);
} else if (only === undefined) {
  await Promise.all([buildNode(), buildDashboard('dist/dashboard')]);
} else {
  console.error('usage: node scripts/build.mjs [dashboard [OUTDIR]]');
  process.exit(2);
}
