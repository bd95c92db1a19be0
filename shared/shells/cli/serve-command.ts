/**
 * `trailwarden serve [--db FILE] [--port N] [--host H] [--config FILE] [--notify SINK]... [--max-exports N]`
 *
 * The findings API and the dashboard on a local HTTP server: 127.0.0.1 unless `--host` says
 * otherwise (with a warning), every /api/ request authorized by a bearer token
 * (TRAILWARDEN_API_TOKEN, else a random one printed once at start), the exemption, snooze and
 * deadline sweeps at start and every minute, and a graceful stop on SIGINT or SIGTERM.
 */
import { randomBytes } from 'node:crypto';
import { existsSync } from 'node:fs';
import type { Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { userInfo } from 'node:os';
import { dirname, join } from 'node:path';
import { createLocalServer } from '../../adapters/http/local-server';
import { apiDepsOf } from '../../app/api/documents';
import type { Application } from '../../app/compose';
import type { DeadlineSweepResult } from '../../app/jobs/deadlines';
import type { ExemptionSweepResult } from '../../app/jobs/exemptions';
import { LOCAL_SWEEPS, runMaintenance, type MaintenanceRun } from '../../app/jobs/maintenance';
import type { SnoozeSweepResult } from '../../app/jobs/snoozes';
import { inertText } from '../../core/model/text';
import { composeCli, UsageError } from './compose';
import type { Io } from './io';
import { defineCommand, type ParsedArgs } from './command-line';
import { CONFIG_ENV, CONFIG_OPTION, DB_ENV, DB_OPTION, NOTIFY_OPTION } from './shared-options';

export const DEFAULT_PORT = 8080;
export const SWEEP_INTERVAL_MS = 60_000;
/**
 * How long a write of `serve` waits for another process's (a replay's batch commits within a second or
 * so); every request waits with it, so past this it is answered 503 with Retry-After instead.
 */
export const SERVE_LOCK_WAIT_MS = 5_000;

/** The package root (where package.json is), from this file in the sources or in the dist bundle. */
function packageRoot(): string {
  let dir = __dirname;
  for (let i = 0; i < 6; i += 1) {
    if (existsSync(join(dir, 'package.json'))) return dir;
    dir = dirname(dir);
  }
  return process.cwd();
}

export function defaultStaticDir(): string {
  return join(packageRoot(), 'dist', 'dashboard');
}

export function isLoopback(host: string): boolean {
  return host === 'localhost' || host === '::1' || /^127\.\d{1,3}\.\d{1,3}\.\d{1,3}$/.test(host);
}

export interface ServeOptions {
  /** The application served (its storage and delivery); the caller keeps it and closes it. */
  app: Application;
  token: string;
  port?: number;
  host?: string;
  staticDir?: string;
  /** Recorded as the actor of exemption changes. Default `local:<os user>`. */
  actor?: string;
  sweepIntervalMs?: number;
  /** Exports and reports the API runs at once; one more is answered 429 (default DEFAULT_MAX_DOCUMENTS, 2). */
  maxExports?: number;
  /** Diagnostics (sweep results and failures); never given the token. */
  log?: (line: string) => void;
}

export interface RunningServer {
  /** `http://host:port` */
  baseUrl: string;
  port: number;
  server: Server;
  /** Runs the exemption, snooze and deadline sweeps now (as at start and on the interval). */
  sweepAll: () => Promise<void>;
  /** Stops accepting requests, waits for the ones in flight, stops the sweeps and flushes the storage. */
  stop: () => Promise<void>;
}

function localActor(): string {
  try {
    return `local:${userInfo().username}`;
  } catch {
    return 'local:unknown';
  }
}

/** One line per sweep that did something or failed (nothing when they did nothing). */
function sweepLines(run: MaintenanceRun): string[] {
  const lines: string[] = [];
  const exemptions = run.results.exemptions as ExemptionSweepResult | undefined;
  const snoozes = run.results.snoozes as SnoozeSweepResult | undefined;
  const deadlines = run.results.deadlines as DeadlineSweepResult | undefined;
  if (
    exemptions &&
    (exemptions.expired.length > 0 || exemptions.reopened > 0 || exemptions.suppressed > 0 || exemptions.notificationFailures > 0)
  ) {
    lines.push(
      `exemption sweep: ${exemptions.expired.length} expired, ${exemptions.reopened} findings reopened, ${exemptions.suppressed} suppressed` +
        (exemptions.notificationFailures > 0
          ? `, ${exemptions.notificationFailures} notifications not delivered (retried next sweep)`
          : ''),
    );
  }
  if (snoozes && (snoozes.ended > 0 || snoozes.notificationFailures > 0)) {
    const failed =
      snoozes.notificationFailures > 0 ? `, ${snoozes.notificationFailures} notifications not delivered (retried next sweep)` : '';
    lines.push(`snooze sweep: ${snoozes.ended} snoozes ended${failed}`);
  }
  if (deadlines && (deadlines.escalated > 0 || deadlines.notificationFailures > 0)) {
    lines.push(
      `deadline sweep: ${deadlines.escalated} findings past their remediation deadline escalated` +
        (deadlines.notificationFailures > 0
          ? `, ${deadlines.notificationFailures} notifications not delivered (retried by a later sweep)`
          : ''),
    );
  }
  const names: Record<string, string> = { exemptions: 'exemption', snoozes: 'snooze', deadlines: 'deadline' };
  for (const { job, error } of run.errors)
    lines.push(`${names[job] ?? job} sweep failed: ${error instanceof Error ? error.message : String(error)}`);
  return lines;
}

/** Starts the server and its sweeps; resolves once it listens. */
export async function startServer(options: ServeOptions): Promise<RunningServer> {
  if (options.token === '') throw new UsageError('the API token must not be empty');
  const { app } = options;
  const log = options.log ?? (() => undefined);
  const sweepAll = async () => {
    for (const line of sweepLines(await runMaintenance(app.jobs, app.clock(), LOCAL_SWEEPS))) log(line);
  };
  await sweepAll();
  // Every failed request is logged: a store failure the API answers with 500 (or 503) as well as one the server catches.
  const onError = (error: unknown) => log(`request failed: ${error instanceof Error ? error.message : String(error)}`);
  const server = createLocalServer({
    api: {
      ...apiDepsOf(app, { onError, ...(options.maxExports !== undefined ? { maxDocuments: options.maxExports } : {}) }),
      token: options.token,
    },
    staticDir: options.staticDir ?? defaultStaticDir(),
    actor: options.actor ?? localActor(),
    onError,
  });
  const host = options.host ?? '127.0.0.1';
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(options.port ?? DEFAULT_PORT, host, () => {
      server.off('error', reject);
      resolve();
    });
  });
  const timer = setInterval(() => void sweepAll(), options.sweepIntervalMs ?? SWEEP_INTERVAL_MS);
  const { port } = server.address() as AddressInfo;
  const shownHost = host.includes(':') ? `[${host}]` : host;
  let stopping: Promise<void> | undefined;
  return {
    baseUrl: `http://${shownHost}:${port}`,
    port,
    server,
    sweepAll,
    stop: () =>
      (stopping ??= (async () => {
        clearInterval(timer);
        await new Promise<void>((resolve) => {
          server.close(() => resolve());
          server.closeIdleConnections();
        });
        await app.storage.flush();
      })()),
  };
}

const SERVE_OPTIONS = {
  ...DB_OPTION,
  port: { type: 'string', value: 'N', description: `the port (default ${DEFAULT_PORT}; 0: any free one)` },
  host: {
    type: 'string',
    value: 'HOST',
    description: 'the address to listen on (default 127.0.0.1; another one is reachable by others: warned)',
  },
  ...CONFIG_OPTION,
  ...NOTIFY_OPTION,
  'max-exports': { type: 'string', value: 'N', description: 'exports and reports at once, 1 to 100 (default 2); one more is answered 429' },
} as const;

export async function serveCommand({ values }: ParsedArgs<typeof SERVE_OPTIONS>, io: Io): Promise<number> {
  let port = DEFAULT_PORT;
  if (values.port !== undefined) {
    if (!/^\d{1,5}$/.test(values.port) || Number(values.port) > 65535)
      throw new UsageError(`--port ${values.port}: expected a port number from 0 to 65535`);
    port = Number(values.port);
  }
  const host = values.host ?? '127.0.0.1';
  if (host === '') throw new UsageError('--host: expected a host name or address');
  const maxExports = values['max-exports'];
  if (maxExports !== undefined && (!/^\d{1,3}$/.test(maxExports) || Number(maxExports) < 1 || Number(maxExports) > 100))
    throw new UsageError(`--max-exports ${maxExports}: expected a whole number from 1 to 100`);
  const fromEnv = io.env.TRAILWARDEN_API_TOKEN;
  const token = fromEnv !== undefined && fromEnv !== '' ? fromEnv : randomBytes(32).toString('base64url');
  const app = composeCli({ config: values.config, db: values.db, notify: values.notify ?? [], lockWaitMs: SERVE_LOCK_WAIT_MS }, io);
  const dbPath = app.databasePath;
  if (!isLoopback(host)) {
    io.err(
      `trailwarden serve: WARNING: listening on ${host}, not loopback: anyone who can reach it and has the token can read findings and change exemptions.`,
    );
  }
  let running: RunningServer;
  try {
    running = await startServer({
      app,
      token,
      port,
      host,
      ...(maxExports !== undefined ? { maxExports: Number(maxExports) } : {}),
      log: (line) => io.err(`trailwarden serve: ${inertText(line)}`),
    });
  } catch (error) {
    await app.close();
    throw error;
  }
  // The only time the token is printed.
  io.out(`trailwarden serve: ${running.baseUrl}/#token=${token}`);
  io.out(`API: ${running.baseUrl}/api/ with "Authorization: Bearer <the token above>"; database ${dbPath}. Ctrl-C stops.`);
  await new Promise<void>((resolve) => {
    const stop = (signal: NodeJS.Signals) => {
      process.off('SIGINT', stop);
      process.off('SIGTERM', stop);
      io.err(`trailwarden serve: ${signal}: stopping`);
      resolve();
    };
    process.on('SIGINT', stop);
    process.on('SIGTERM', stop);
  });
  await running.stop();
  await app.close();
  return 0;
}

export const SERVE = defineCommand({
  name: 'serve',
  summary: `the findings API and the dashboard on http://127.0.0.1:${DEFAULT_PORT} (token printed once, or $TRAILWARDEN_API_TOKEN)`,
  description: [
    'Serves the findings API and the dashboard (dist/dashboard, built by npm run build) on 127.0.0.1, and runs the',
    'exemption, snooze and deadline sweeps every minute. Prints its address with the token once: every /api/',
    'request needs Authorization: Bearer <token>. Ctrl-C (or SIGTERM) stops it after the requests in flight.',
  ].join(' '),
  options: SERVE_OPTIONS,
  environment: [
    DB_ENV,
    CONFIG_ENV,
    { name: 'TRAILWARDEN_API_TOKEN', description: 'the API token (default: 32 random bytes per start)' },
    { name: 'TRAILWARDEN_LOCK_TIMEOUT', description: "seconds a write waits for another process's (default 5); past it: 503" },
  ],
  examples: [
    { what: 'the dashboard over ./trailwarden.db: open the address it prints', run: 'serve' },
    { what: 'another database and port, notifications of the sweeps on stderr', run: 'serve --db audit.db --port 9090 --notify console' },
  ],
  run: serveCommand,
});
