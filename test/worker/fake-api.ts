/**
 * A test double of OUR OWN HTTP API (not of AWS): a node:http server that answers
 * just the routes a test gives it, with the documented shapes, and records every
 * request. Plus a job queue with leases behind the job routes, for worker tests.
 */
import { createServer, type IncomingMessage, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { Logger } from '../../lib/worker/logger.ts';
import type { ActivatedJob } from '../../lib/worker/types.ts';

export interface FakeRequest {
  method: string;
  path: string;
  query: URLSearchParams;
  headers: IncomingMessage['headers'];
  text: string;
  /** The body parsed as JSON, or undefined. */
  body: unknown;
  params: Record<string, string>;
}

export interface Reply {
  status?: number;
  /** Sent as JSON. */
  body?: unknown;
  /** Sent as is (instead of body). */
  text?: string;
  headers?: Record<string, string>;
}

/** `'POST /v1/jobs/:jobId/complete': (req) => ({ status: 200, body: { version: 3 } })` */
export type Routes = Record<string, (req: FakeRequest) => Reply | Promise<Reply>>;

export interface FakeApi {
  url: string;
  port: number;
  requests: FakeRequest[];
  close(): Promise<void>;
}

export const errorBody = (code: string, message: string, details: unknown[] = []) => ({ error: { code, message, details } });

function match(pattern: string, path: string): Record<string, string> | null {
  const want = pattern.split('/');
  const got = path.split('/');
  if (want.length !== got.length) return null;
  const params: Record<string, string> = {};
  for (const [i, part] of want.entries()) {
    const actual = got[i] ?? '';
    if (part.startsWith(':')) params[part.slice(1)] = decodeURIComponent(actual);
    else if (part !== actual) return null;
  }
  return params;
}

async function readText(req: IncomingMessage): Promise<string> {
  const chunks: Buffer[] = [];
  for await (const chunk of req) chunks.push(chunk as Buffer);
  return Buffer.concat(chunks).toString('utf8');
}

function parse(text: string): unknown {
  try {
    return JSON.parse(text);
  } catch {
    return undefined;
  }
}

/** Starts the fake on `port` (0: any free one). */
export async function startFakeApi(routes: Routes, port = 0): Promise<FakeApi> {
  const requests: FakeRequest[] = [];
  const server: Server = createServer((req, res) => {
    void (async () => {
      const url = new URL(req.url ?? '/', 'http://localhost');
      const text = await readText(req);
      for (const [key, route] of Object.entries(routes)) {
        const [method, pattern = ''] = key.split(' ');
        const params = method === req.method ? match(pattern, url.pathname) : null;
        if (!params) continue;
        const request: FakeRequest = { method: req.method ?? 'GET', path: url.pathname, query: url.searchParams, headers: req.headers, text, body: parse(text), params };
        requests.push(request);
        const reply = await route(request);
        const payload = reply.text ?? (reply.body === undefined ? '' : JSON.stringify(reply.body));
        res.writeHead(reply.status ?? 200, { 'content-type': reply.text === undefined ? 'application/json' : 'text/plain', ...reply.headers });
        res.end(payload);
        return;
      }
      res.writeHead(404, { 'content-type': 'application/json' }).end(JSON.stringify(errorBody('not-found', `no route ${req.method} ${url.pathname}`)));
    })().catch((error: unknown) => {
      res.writeHead(500).end(String(error));
    });
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(port, '127.0.0.1', () => resolve());
  });
  const actual = (server.address() as AddressInfo).port;
  return {
    url: `http://127.0.0.1:${actual}`,
    port: actual,
    requests,
    close: () => new Promise<void>((resolve) => {
      server.close(() => resolve());
      server.closeAllConnections();
    }),
  };
}

/** A port nothing listens on (for now). */
export async function freePort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', () => resolve()));
  const { port } = server.address() as AddressInfo;
  await new Promise<void>((resolve) => server.close(() => resolve()));
  return port;
}

export function job(jobId: string, overrides: Partial<ActivatedJob> = {}): ActivatedJob {
  return { jobId, type: 'work', instanceId: jobId.split('.')[0] ?? jobId, elementId: 'Task', variables: {}, headers: {}, retries: 3, ...overrides };
}

/**
 * Jobs behind `/v1/jobs/activate|complete|fail|throw-error`, with leases as the real
 * API promises: an activated job goes to no one else until it is reported or its lease ends.
 */
export class FakeJobs {
  readonly open = new Map<string, { job: ActivatedJob; leasedUntil: number }>();
  readonly completed: Array<{ jobId: string; variables: unknown }> = [];
  readonly failed: Array<{ jobId: string; body: Record<string, unknown> }> = [];
  readonly errors: Array<{ jobId: string; body: Record<string, unknown> }> = [];
  /** Activated and not yet reported, now and at most. */
  leased = 0;
  maxLeased = 0;

  add(...jobs: ActivatedJob[]): this {
    for (const j of jobs) this.open.set(j.jobId, { job: j, leasedUntil: 0 });
    return this;
  }

  get reported(): number {
    return this.completed.length + this.failed.length + this.errors.length;
  }

  #release(jobId: string): boolean {
    if (!this.open.delete(jobId)) return false;
    this.leased--;
    return true;
  }

  routes(): Routes {
    const gone = { status: 404, body: errorBody('not-found', 'no such job') };
    return {
      'POST /v1/jobs/activate': (req) => {
        const { type, maxJobs, timeoutMs } = req.body as { type: string; maxJobs: number; timeoutMs: number };
        const now = Date.now();
        const items: ActivatedJob[] = [];
        for (const entry of this.open.values()) {
          if (items.length >= maxJobs) break;
          if (entry.job.type !== type || entry.leasedUntil > now) continue;
          entry.leasedUntil = now + timeoutMs;
          items.push(entry.job);
        }
        this.leased += items.length;
        this.maxLeased = Math.max(this.maxLeased, this.leased);
        return { body: { items } };
      },
      'POST /v1/jobs/:jobId/complete': (req) => {
        if (!this.#release(req.params['jobId'] ?? '')) return gone;
        this.completed.push({ jobId: req.params['jobId'] ?? '', variables: (req.body as { variables: unknown }).variables });
        return { body: { version: this.reported + 1 } };
      },
      'POST /v1/jobs/:jobId/fail': (req) => {
        if (!this.#release(req.params['jobId'] ?? '')) return gone;
        this.failed.push({ jobId: req.params['jobId'] ?? '', body: req.body as Record<string, unknown> });
        return { body: { version: this.reported + 1 } };
      },
      'POST /v1/jobs/:jobId/throw-error': (req) => {
        if (!this.#release(req.params['jobId'] ?? '')) return gone;
        this.errors.push({ jobId: req.params['jobId'] ?? '', body: req.body as Record<string, unknown> });
        return { body: { version: this.reported + 1 } };
      },
    };
  }
}

/** Resolves once `predicate` holds; fails the test after `timeoutMs`. */
export async function until(predicate: () => boolean, timeoutMs = 5_000, what = 'the condition'): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!predicate()) {
    if (Date.now() > deadline) throw new Error(`timed out after ${timeoutMs} ms waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 5));
  }
}

export const sleep = (ms: number): Promise<void> => new Promise((resolve) => setTimeout(resolve, ms));

/** A promise with its resolve exposed. */
export function deferred<T = void>(): { promise: Promise<T>; resolve: (value: T) => void } {
  let resolve!: (value: T) => void;
  const promise = new Promise<T>((r) => { resolve = r; });
  return { promise, resolve };
}

export interface LogEntry {
  level: 'debug' | 'info' | 'warn' | 'error';
  message: string;
  fields: Record<string, unknown>;
}

/** A Logger that keeps its entries, for assertions. */
export function captureLogger(): { entries: LogEntry[]; logger: Logger } {
  const entries: LogEntry[] = [];
  const at = (level: LogEntry['level']) => (message: string, fields: Record<string, unknown> = {}) => {
    entries.push({ level, message, fields });
  };
  return { entries, logger: { debug: at('debug'), info: at('info'), warn: at('warn'), error: at('error') } };
}
