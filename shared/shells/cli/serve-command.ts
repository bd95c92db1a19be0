/**
 * `trailwarden serve [--db FILE] [--port N] [--host H] [--config FILE] [--notify SINK]...`
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
import { parseArgs } from 'node:util';
import { createApiDeps, createEngine, createNotifier, databasePathOf, openStore, settingsFor, sweepWith, UsageError, type Engine } from './compose';
import { createLocalServer } from '../../adapters/http/local-server';
import type { FindingStore } from '../../core/findings/finding-store';
import type { Notifier } from '../../core/notifications/notifier';
import type { Io } from './io';
import { sweepSnoozes } from '../../app/snooze/snooze-service';
import { sweepDeadlines } from '../../app/jobs/deadlines';

export const DEFAULT_PORT = 8080;
export const SWEEP_INTERVAL_MS = 60_000;

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
  /** An open store (the caller keeps ownership), or a database path to open (closed by `stop`). */
  store: FindingStore | string;
  token: string;
  port?: number;
  host?: string;
  engine?: Engine;
  notifier?: Notifier;
  staticDir?: string;
  /** Recorded as the actor of exemption changes. Default `local:<os user>`. */
  actor?: string;
  now?: () => Date;
  sweepIntervalMs?: number;
  /** Diagnostics (sweep results and failures); never given the token. */
  log?: (line: string) => void;
}

export interface RunningServer {
  /** `http://host:port` */
  baseUrl: string;
  port: number;
  server: Server;
  /** Runs one exemption sweep now. */
  sweep: () => Promise<void>;
  /** Runs the exemption, snooze and deadline sweeps now (as at start and on the interval). */
  sweepAll: () => Promise<void>;
  /** Stops accepting requests, waits for the ones in flight, stops the sweep and closes what it opened. */
  stop: () => Promise<void>;
}

function localActor(): string {
  try {
    return `local:${userInfo().username}`;
  } catch {
    return 'local:unknown';
  }
}

/** Starts the server and its sweep; resolves once it listens. */
export async function startServer(options: ServeOptions): Promise<RunningServer> {
  if (options.token === '') throw new UsageError('the API token must not be empty');
  const ownsStore = typeof options.store === 'string';
  const store = typeof options.store === 'string' ? openStore(options.store) : options.store;
  const engine = options.engine ?? createEngine();
  const now = options.now ?? (() => new Date());
  const log = options.log ?? (() => undefined);
  const sweep = async () => {
    try {
      const result = await sweepWith(engine, store, options.notifier, now());
      if (result.expired.length > 0 || result.reopened > 0 || result.suppressed > 0 || result.notificationFailures > 0) {
        log(
          `exemption sweep: ${result.expired.length} expired, ${result.reopened} findings reopened, ${result.suppressed} suppressed` +
            (result.notificationFailures > 0 ? `, ${result.notificationFailures} notifications not delivered (retried next sweep)` : ''),
        );
      }
    } catch (error) {
      log(`exemption sweep failed: ${error instanceof Error ? error.message : String(error)}`);
    }
  };
  const sweepAll = async () => {
    await sweep();
    const { settings } = engine.context;
    try {
      const snoozes = await sweepSnoozes(store, now(), options.notifier, { notifyMinSeverity: settings.notifyMinSeverity, findingsUrl: settings.findingsUrl });
      if (snoozes.ended > 0 || snoozes.notificationFailures > 0) {
        log(`snooze sweep: ${snoozes.ended} snoozes ended` + (snoozes.notificationFailures > 0 ? `, ${snoozes.notificationFailures} notifications not delivered (retried next sweep)` : ''));
      }
    } catch (error) {
      log(`snooze sweep failed: ${error instanceof Error ? error.message : String(error)}`);
    }
    try {
      const deadlines = await sweepDeadlines(store, now(), options.notifier, settings);
      if (deadlines.escalated > 0 || deadlines.notificationFailures > 0) {
        log(
          `deadline sweep: ${deadlines.escalated} findings past their remediation deadline escalated` +
            (deadlines.notificationFailures > 0 ? `, ${deadlines.notificationFailures} notifications not delivered (retried by a later sweep)` : ''),
        );
      }
    } catch (error) {
      log(`deadline sweep failed: ${error instanceof Error ? error.message : String(error)}`);
    }
  };
  await sweepAll();
  const server = createLocalServer({
    api: { ...createApiDeps(engine, store, { token: options.token, ...(options.notifier ? { notifier: options.notifier } : {}), now }), token: options.token },
    staticDir: options.staticDir ?? defaultStaticDir(),
    actor: options.actor ?? localActor(),
    onError: (error) => log(`request failed: ${error instanceof Error ? error.message : String(error)}`),
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
    sweep,
    sweepAll,
    stop: () =>
      (stopping ??= (async () => {
        clearInterval(timer);
        await new Promise<void>((resolve) => {
          server.close(() => resolve());
          server.closeIdleConnections();
        });
        if (ownsStore) await store.close();
        else await store.flush();
      })()),
  };
}

export async function serveCommand(args: string[], io: Io): Promise<number> {
  const { values } = parseArgs({
    args,
    options: {
      db: { type: 'string' },
      port: { type: 'string' },
      host: { type: 'string' },
      config: { type: 'string' },
      notify: { type: 'string', multiple: true },
    },
  });
  let port = DEFAULT_PORT;
  if (values.port !== undefined) {
    if (!/^\d{1,5}$/.test(values.port) || Number(values.port) > 65535) throw new UsageError(`--port ${values.port}: expected a port number from 0 to 65535`);
    port = Number(values.port);
  }
  const host = values.host ?? '127.0.0.1';
  if (host === '') throw new UsageError('--host: expected a host name or address');
  const engine = createEngine(settingsFor(values.config, io.env));
  const notifier = createNotifier(values.notify ?? []);
  const fromEnv = io.env.TRAILWARDEN_API_TOKEN;
  const token = fromEnv !== undefined && fromEnv !== '' ? fromEnv : randomBytes(32).toString('base64url');
  const dbPath = databasePathOf(values.db, io.env);
  if (!isLoopback(host)) {
    io.err(`trailwarden serve: WARNING: listening on ${host}, not loopback: anyone who can reach it and has the token can read findings and change exemptions.`);
  }
  const running = await startServer({ store: dbPath, token, port, host, engine, notifier, log: (line) => io.err(`trailwarden serve: ${line}`) });
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
  await notifier.close();
  return 0;
}
