/**
 * `npm run bench:s3 [-- --events N]`: `trailwarden replay s3://…` from the local S3 (fauxqs) against a
 * local replay of the same files, each the bundled CLI in a process of its own on a new SQLite database.
 * Prints events/s of each, their ratio, and the replay process's peak RSS in each quarter of its run
 * (sampled from /proc every 200 ms): flat quarters mean memory does not grow with the events read.
 *
 * Generates N events (default 1,000,000) from the bundled samples, gzips each file as a CloudTrail log
 * file and puts it under an organization trail's keys (one per delivery minute), and keeps the same
 * gzipped files in a local directory.
 */
import { spawn } from 'node:child_process';
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { pathToFileURL } from 'node:url';
import { parseArgs } from 'node:util';
import { Worker } from 'node:worker_threads';
import { gzipSync } from 'node:zlib';
import { CreateBucketCommand, PutObjectCommand, S3Client } from '@aws-sdk/client-s3';
import { ROOT } from '../support/cli-process';
import { generateEvents } from '../support/generated-events';

const ACCOUNT = '111122223333';

async function startLocalS3(): Promise<{ endpoint: string; stop: () => Promise<void> }> {
  const app = pathToFileURL(join(ROOT, 'node_modules', 'fauxqs', 'dist', 'app.js')).href;
  const worker = new Worker(
    `const { parentPort } = require('node:worker_threads');
     import(${JSON.stringify(app)}).then(async ({ buildApp }) => {
       const app = buildApp({ logger: false });
       const endpoint = await app.listen({ port: 0, host: '127.0.0.1' });
       parentPort.on('message', () => app.close().then(() => parentPort.close()));
       parentPort.postMessage({ endpoint });
     });`,
    { eval: true },
  );
  const { endpoint } = await new Promise<{ endpoint: string }>((ok, fail) => {
    worker.once('message', ok);
    worker.once('error', fail);
  });
  return {
    endpoint,
    stop: async () => {
      const exited = new Promise((ok) => worker.once('exit', ok));
      worker.postMessage('stop');
      await exited;
    },
  };
}

interface Run {
  events: number;
  seconds: number;
  /** Peak RSS (MiB) in each quarter of the run's time. */
  rssQuarters: number[];
}

function rssMiB(pid: number): number | undefined {
  try {
    const match = /VmRSS:\s+(\d+) kB/.exec(readFileSync(`/proc/${pid}/status`, 'utf8'));
    return match ? Number(match[1]) / 1024 : undefined;
  } catch {
    return undefined;
  }
}

async function runReplay(args: string[], env: NodeJS.ProcessEnv): Promise<Run> {
  const started = Date.now();
  const child = spawn(process.execPath, [join(ROOT, 'bin', 'trailwarden.js'), 'replay', ...args, '--json'], {
    env: { PATH: process.env.PATH, ...env },
    stdio: ['ignore', 'pipe', 'inherit'],
  });
  let stdout = '';
  child.stdout.on('data', (chunk: Buffer) => {
    stdout += chunk.toString('utf8');
  });
  const samples: Array<{ at: number; rss: number }> = [];
  const timer = setInterval(() => {
    const rss = child.pid === undefined ? undefined : rssMiB(child.pid);
    if (rss !== undefined) samples.push({ at: Date.now() - started, rss });
  }, 200);
  const code = await new Promise<number | null>((ok) => child.on('close', ok));
  clearInterval(timer);
  if (code !== 0) throw new Error(`replay exited ${code}`);
  const ms = Date.now() - started;
  const rssQuarters = [0, 1, 2, 3].map((q) =>
    Math.round(Math.max(0, ...samples.filter((s) => s.at >= (q * ms) / 4 && s.at < ((q + 1) * ms) / 4).map((s) => s.rss))),
  );
  return { events: (JSON.parse(stdout) as { events: number }).events, seconds: ms / 1000, rssQuarters };
}

async function main(): Promise<void> {
  const { values } = parseArgs({ options: { events: { type: 'string', default: '1000000' } } });
  const count = Number(values.events);
  const dir = mkdtempSync(join(tmpdir(), 'trailwarden-s3-bench-'));
  const s3 = await startLocalS3();
  const client = new S3Client({
    endpoint: s3.endpoint,
    region: 'us-east-1',
    forcePathStyle: true,
    credentials: { accessKeyId: 'test', secretAccessKey: 'test' },
  });
  try {
    const generated = generateEvents(count, { samplesDir: resolve(ROOT, 'events'), dir: join(dir, 'generated') });
    const local = join(dir, 'local');
    mkdirSync(local);
    await client.send(new CreateBucketCommand({ Bucket: 'bench-trail' }));
    const start = Date.parse('2023-07-10T00:00:00Z');
    let n = 0;
    for (const file of generated.files) {
      const body = gzipSync(readFileSync(file));
      const delivered = new Date(start + n * 60_000).toISOString();
      const day = `${delivered.slice(0, 4)}/${delivered.slice(5, 7)}/${delivered.slice(8, 10)}`;
      const stamp = `${delivered.slice(0, 4)}${delivered.slice(5, 7)}${delivered.slice(8, 10)}T${delivered.slice(11, 13)}${delivered.slice(14, 16)}Z`;
      const name = `${ACCOUNT}_CloudTrail_us-east-1_${stamp}_${String(n).padStart(16, '0')}.json.gz`;
      writeFileSync(join(local, name), body);
      await client.send(
        new PutObjectCommand({
          Bucket: 'bench-trail',
          Key: `AWSLogs/o-exampleorg1/${ACCOUNT}/CloudTrail/us-east-1/${day}/${name}`,
          Body: body,
        }),
      );
      n += 1;
    }
    rmSync(generated.dir, { recursive: true, force: true });
    console.log(`${count} events in ${n} gzipped files, locally and in the local S3`);
    const localRun = await runReplay([local, '--db', join(dir, 'local.db')], {});
    const s3Run = await runReplay(['s3://bench-trail/AWSLogs/', '--db', join(dir, 's3.db'), '--endpoint-url', s3.endpoint], {
      AWS_ACCESS_KEY_ID: 'test',
      AWS_SECRET_ACCESS_KEY: 'test',
      AWS_REGION: 'us-east-1',
    });
    for (const [name, run] of [
      ['local files', localRun],
      ['local S3   ', s3Run],
    ] as const) {
      console.log(
        `${name}: ${run.events} events in ${run.seconds.toFixed(1)} s = ${Math.round(run.events / run.seconds)} events/s; peak RSS by quarter ${run.rssQuarters.join(' / ')} MiB`,
      );
    }
    console.log(`S3 / local: ${(s3Run.events / s3Run.seconds / (localRun.events / localRun.seconds)).toFixed(2)}`);
  } finally {
    client.destroy();
    await s3.stop();
    rmSync(dir, { recursive: true, force: true });
  }
}

main().catch((error) => {
  console.error(error);
  process.exitCode = 1;
});
