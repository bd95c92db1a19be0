/** Starts `trailwarden serve`'s server on 127.0.0.1 and a random port, and speaks HTTP to it. */
import { startServer, type RunningServer, type ServeOptions } from '../../shared/shells/cli/serve-command';

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

export async function serve(options: Omit<ServeOptions, 'token' | 'port'> & { token?: string }): Promise<ApiClient> {
  const running = await startServer({ token: TOKEN, port: 0, ...options });
  return new ApiClient(running);
}
