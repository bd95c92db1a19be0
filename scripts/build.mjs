// Bundles the CLI and the benchmark into dist/ with esbuild, so `npx trailwarden`
// starts from one file without a TypeScript runtime. Native better-sqlite3 stays external.
import { build } from 'esbuild';
import { existsSync } from 'node:fs';

const entryPoints = {
  cli: 'shared/cli/main.ts',
  bench: 'test/bench/bench.ts',
  stack: 'shared/aws/serverless-config.ts',
};
const present = Object.fromEntries(Object.entries(entryPoints).filter(([, file]) => existsSync(file)));

await build({
  entryPoints: present,
  outdir: 'dist',
  bundle: true,
  platform: 'node',
  target: 'node20',
  format: 'cjs',
  sourcemap: true,
  external: ['better-sqlite3', 'esbuild'],
  logLevel: 'warning',
});
