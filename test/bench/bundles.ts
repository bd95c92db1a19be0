/**
 * Lambda bundles: builds each function (the seven areas, api, maintenance) the way serverless-esbuild packages it (bundled,
 * minified, Node 20 CommonJS, AWS SDK v3 clients included and tree-shaken) and measures its size
 * and its module-load time: the median of several cold `node` runs requiring it, beside a bare
 * `node -e 0` measured the same way.
 */
import { build } from 'esbuild';
import { spawnSync } from 'node:child_process';
import { gzipSync } from 'node:zlib';
import { mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';

export interface BundleFigure {
  area: string;
  bytes: number;
  gzip_bytes: number;
  load_ms_median: number;
  /** Load time over the bare `node -e 0` start-up. */
  load_ratio: number;
}

function medianMs(args: string[], runs: number): number {
  const times: number[] = [];
  for (let i = 0; i < runs; i += 1) {
    const start = process.hrtime.bigint();
    const child = spawnSync(process.execPath, args, { stdio: ['ignore', 'ignore', 'pipe'], env: { PATH: process.env.PATH ?? '' } });
    const elapsed = Number(process.hrtime.bigint() - start) / 1e6;
    if (child.status !== 0) throw new Error(`node ${args.join(' ')} failed: ${child.stderr.toString().slice(0, 300)}`);
    times.push(elapsed);
  }
  times.sort((a, b) => a - b);
  return times[Math.floor(times.length / 2)]!;
}

export async function measureBundles(root: string, runs = 7): Promise<{ node_bare_ms: number; bundles: BundleFigure[] }> {
  const dir = mkdtempSync(join(tmpdir(), 'trailwarden-bundles-'));
  try {
    const names = readdirSync(resolve(root, 'functions'), { withFileTypes: true })
      .filter((entry) => entry.isDirectory())
      .map((entry) => entry.name);
    const entryPoints = Object.fromEntries(names.map((name) => [name, resolve(root, `functions/${name}/handler.ts`)]));
    await build({
      entryPoints,
      outdir: dir,
      bundle: true,
      minify: true,
      platform: 'node',
      target: 'node20',
      format: 'cjs',
      logLevel: 'error',
    });
    const bare = medianMs(['-e', '0'], runs);
    const bundles = names.map((area) => {
      const file = join(dir, `${area}.js`);
      const code = readFileSync(file);
      const load = medianMs(['-e', `require(${JSON.stringify(file)})`], runs);
      return {
        area,
        bytes: code.length,
        gzip_bytes: gzipSync(code).length,
        load_ms_median: Number(load.toFixed(1)),
        load_ratio: Number((load / bare).toFixed(2)),
      };
    });
    return { node_bare_ms: Number(bare.toFixed(1)), bundles };
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}
