/** Starts `trailwarden serve`'s server on 127.0.0.1 and a random port, and speaks HTTP to it. */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { openSqliteStorage } from '../../shared/adapters/store/sqlite';
import type { Application } from '../../shared/app/compose';
import type { Settings } from '../../shared/core/settings/settings';
import { startServer, type RunningServer, type ServeOptions } from '../../shared/shells/cli/serve-command';
import { testApplication } from '../support/application';
import { testClock, type TestClock } from '../support/clock';
import { recordingNotifier, type RecordingNotifier } from '../support/notifier';

export const TOKEN = 'test-token-0123456789abcdef';

export interface Answer<T = Record<string, unknown>> {
  status: number;
  headers: Headers;
  body: T;
  text: string;
}

export class ApiClient {
  constructor(readonly running: RunningServer) {}

  get baseUrl(): string {
    return this.running.baseUrl;
  }

  async request<T = Record<string, unknown>>(method: string, path: string, options: { token?: string | null; body?: unknown; headers?: Record<string, string> } = {}): Promise<Answer<T>> {
    const headers: Record<string, string> = { ...options.headers };
    const token = options.token === undefined ? TOKEN : options.token;
    if (token !== null) headers.authorization = `Bearer ${token}`;
    let body: string | undefined;
    if (options.body !== undefined) {
      body = typeof options.body === 'string' ? options.body : JSON.stringify(options.body);
      headers['content-type'] ??= 'application/json';
    }
    const response = await fetch(`${this.baseUrl}${path}`, { method, headers, ...(body !== undefined ? { body } : {}) });
    const text = await response.text();
    let parsed: unknown = undefined;
    try {
      parsed = JSON.parse(text);
    } catch {
      parsed = undefined;
    }
    return { status: response.status, headers: response.headers, body: parsed as T, text };
  }

  get<T = Record<string, unknown>>(path: string, token?: string | null): Promise<Answer<T>> {
    return this.request<T>('GET', path, token === undefined ? {} : { token });
  }
}

/** The server over `options.app` (which the caller keeps and closes), with the test token on a random port. */
export async function serve(options: Omit<ServeOptions, 'token' | 'port'> & { token?: string }): Promise<ApiClient> {
  const running = await startServer({ token: TOKEN, port: 0, ...options });
  return new ApiClient(running);
}

/** A served application over a temporary SQLite file, with a test clock and a recording notifier. */
export interface ServedSqlite {
  /** The temporary directory (the database is `findings.db` in it). */
  readonly dir: string;
  readonly clock: TestClock;
  readonly notifier: RecordingNotifier;
  readonly app: Application;
  /** The server running now (the last one `restart` started). */
  readonly api: ApiClient;
  /** Stops the server and starts a new one over the same application: it sweeps as it starts. */
  restart(): Promise<ApiClient>;
  /** Stops the server, closes the application and removes the directory. */
  close(): Promise<void>;
}

export interface ServedSqliteOptions {
  /** Names the temporary directory. */
  name: string;
  /** Where the clock starts. */
  start: Date | string;
  /** Recorded as the actor of changes made through the API. */
  actor: string;
  settings?: Partial<Settings>;
}

/**
 * `trailwarden serve` as the exemption and snooze suites drive it: the application over a SQLite file
 * in a fresh temporary directory, its clock the test's, its notifications recorded; the sweeps run
 * when the test says (`api.running.sweepAll()`, or a restart), not on their interval.
 */
export async function serveSqlite(options: ServedSqliteOptions): Promise<ServedSqlite> {
  const dir = mkdtempSync(join(tmpdir(), `trailwarden-${options.name}-`));
  const clock = testClock(options.start);
  const notifier = recordingNotifier();
  const storage = openSqliteStorage(join(dir, 'findings.db'));
  const app = testApplication({ storage, notifier, now: clock.now, ...(options.settings ? { settings: options.settings } : {}) });
  const start = () => serve({ app, actor: options.actor, staticDir: join(dir, 'none'), sweepIntervalMs: 3_600_000 });
  let api: ApiClient;
  try {
    api = await start();
  } catch (error) {
    await app.close();
    rmSync(dir, { recursive: true, force: true });
    throw error;
  }
  return {
    dir,
    clock,
    notifier,
    app,
    get api() {
      return api;
    },
    restart: async () => {
      await api.running.stop();
      api = await start();
      return api;
    },
    close: async () => {
      try {
        await api.running.stop();
        await app.close();
      } finally {
        rmSync(dir, { recursive: true, force: true });
      }
    },
  };
}
