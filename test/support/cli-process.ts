/**
 * The CLI as a separate process, for what only a process can show: a SIGKILL in the middle of a
 * replay, two writers on one database. The CLI is bundled once per test file from the sources (as
 * `npm run build` does), so the test never runs a stale build.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { existsSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { build } from 'esbuild';

/** The package root (where package.json is), from this file in the sources or bundled into dist/ (`npm run reliability`). */
function packageRoot(): string {
  let dir = __dirname;
  while (!existsSync(join(dir, 'package.json')) && dirname(dir) !== dir) dir = dirname(dir);
  return dir;
}

export const ROOT = packageRoot();

/**
 * Bundles a script written against the sources (imports relative to the package root, e.g.
 * `./shared/shells/cli/main`) into a temporary directory; returns the file to run with node.
 */
export async function bundleScript(source: string): Promise<string> {
  const dir = mkdtempSync(join(tmpdir(), 'trailwarden-cli-'));
  const entry = join(dir, 'entry.ts');
  writeFileSync(
    entry,
    source.replace(/from '\.\/(shared\/[^']+)'/g, (_all, path: string) => `from ${JSON.stringify(join(ROOT, path))}`),
  );
  const outfile = join(dir, 'script.js');
  await build({
    entryPoints: [entry],
    outfile,
    bundle: true,
    platform: 'node',
    target: 'node20',
    format: 'cjs',
    external: ['better-sqlite3'],
    nodePaths: [join(ROOT, 'node_modules')],
    logLevel: 'error',
  });
  return outfile;
}

/**
 * Bundles shared/shells/cli/main.ts with its launcher, and beside it the worker entry of a parallel replay
 * (replay-worker.js), as `npm run build` lays out dist/; returns the script to run with node.
 */
export async function bundleCli(): Promise<string> {
  const script = await bundleScript(
    "import { main } from './shared/shells/cli/main';\nmain(process.argv.slice(2)).then((code) => { process.exitCode = code; });\n",
  );
  await build({
    entryPoints: [join(ROOT, 'shared/adapters/workers/replay-worker.ts')],
    outfile: join(dirname(script), 'replay-worker.js'),
    bundle: true,
    platform: 'node',
    target: 'node20',
    format: 'cjs',
    nodePaths: [join(ROOT, 'node_modules')],
    logLevel: 'error',
  });
  return script;
}

export interface CliRun {
  code: number | null;
  signal: NodeJS.Signals | null;
  stdout: string;
  stderr: string;
}

/** Starts the bundled CLI; `done` settles when the process exits (killed or not). */
export function startCli(script: string, args: string[], env: NodeJS.ProcessEnv = {}): { child: ChildProcess; done: Promise<CliRun> } {
  const child = spawn(process.execPath, [script, ...args], {
    cwd: ROOT,
    env: { PATH: process.env.PATH, NODE_PATH: join(ROOT, 'node_modules'), ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let stdout = '';
  let stderr = '';
  child.stdout!.on('data', (chunk: Buffer) => {
    stdout += chunk.toString('utf8');
  });
  child.stderr!.on('data', (chunk: Buffer) => {
    stderr += chunk.toString('utf8');
  });
  const done = new Promise<CliRun>((resolveRun) => {
    child.on('close', (code, signal) => resolveRun({ code, signal, stdout, stderr }));
  });
  return { child, done };
}

/** Runs the bundled CLI to its end. */
export function runCliProcess(script: string, args: string[], env: NodeJS.ProcessEnv = {}): Promise<CliRun> {
  return startCli(script, args, env).done;
}

/**
 * Another process holding a SQLite database's write lock (an open BEGIN IMMEDIATE transaction) for
 * `holdMs`: resolves once it holds it.
 */
export function holdDatabaseLock(db: string, holdMs: number): Promise<void> {
  const script = `
    const Database = require('better-sqlite3');
    const db = new Database(${JSON.stringify(db)});
    db.exec('BEGIN IMMEDIATE');
    process.stdout.write('locked\\n');
    setTimeout(() => { db.exec('COMMIT'); db.close(); }, ${holdMs});
  `;
  const child = spawn(process.execPath, ['-e', script], {
    env: { PATH: process.env.PATH, NODE_PATH: join(ROOT, 'node_modules') },
    stdio: ['ignore', 'pipe', 'inherit'],
  });
  return new Promise((locked, failed) => {
    child.stdout!.once('data', () => locked());
    child.once('error', failed);
    child.once('exit', (code) => failed(new Error(`the lock holder exited (${code}) before locking`)));
  });
}
