/**
 * A typed client for the engine's HTTP API (`/v1/...`), on the platform's fetch.
 *
 *   error status (4xx/5xx)          -> ApiError { status, code, message, details }
 *   no answer (refused, DNS, timeout) -> ApiUnreachableError { url, reason }
 *   the caller's signal aborted     -> its abort reason, unchanged
 *
 * Command endpoints answer 200 (applied), 202 (accepted: queued) or 409 (rejected, an
 * ApiError); `waitMs` becomes `?wait=<ms>`, how long the server may wait for the apply.
 */
import { isJsonObject, type JsonObject } from '../core/json.ts';
import { ApiError, ApiUnreachableError, ClientError } from './errors.ts';
import type {
  DeadLetter,
  ActivateJobsRequest, ActivatedJob, BroadcastSignalRequest, BroadcastSignalResult, CommandOptions, CommandResult, DecisionDetail, DecisionSummary,
  DefinitionDetail, DefinitionSummary, DeployResult, EvaluateConditionsRequest, EvaluateConditionsResult, ErrorDetail, FailJobRequest, History, HistoryQuery, Instance, InstanceSummary,
  ListInstancesQuery, ListTasksQuery, Page, PublishMessageRequest, PublishMessageResult, StartInstanceRequest,
  StartResult, ThrowErrorRequest, UserTask,
} from './types.ts';

export interface ClientOptions {
  /** Base URL of the API, e.g. `http://localhost:3000` or `https://abc.execute-api.eu-west-1.amazonaws.com/prod`. */
  url: string;
  /** Sent as `Authorization: Bearer <token>`. */
  token?: string;
  /** How long to wait for an answer, on top of any `?wait`. Default 30 s. */
  timeoutMs?: number;
  /** Another fetch (a proxy, instrumentation). Default: the global one. */
  fetch?: typeof fetch;
}

interface RequestOptions {
  query?: Record<string, string | number | undefined>;
  json?: unknown;
  xml?: string;
  waitMs?: number;
  idempotencyKey?: string;
  signal?: AbortSignal;
}

interface Answer {
  status: number;
  body: JsonObject;
}

const DEFAULT_TIMEOUT_MS = 30_000;
const SNIPPET = 200;

/** `/v1/instances/a b` -> `/v1/instances/a%20b`: every id is one path segment. */
const segment = (value: string | number): string => encodeURIComponent(String(value));

/** The code of what failed under fetch's `TypeError: fetch failed` (ECONNREFUSED, ENOTFOUND, ...). */
function networkReason(error: unknown): string {
  let current: unknown = error;
  for (let depth = 0; depth < 5 && current instanceof Error; depth++) {
    const code = (current as NodeJS.ErrnoException).code;
    if (typeof code === 'string') return code;
    current = current.cause;
  }
  return error instanceof Error ? error.message : String(error);
}

function errorFrom(status: number, statusText: string, text: string): ApiError {
  let parsed: unknown;
  try {
    parsed = JSON.parse(text);
  } catch {
    parsed = undefined;
  }
  const error = isJsonObject(parsed) && isJsonObject(parsed['error']) ? parsed['error'] : null;
  if (error && typeof error['message'] === 'string') {
    const code = typeof error['code'] === 'string' ? error['code'] : `http-${status}`;
    const details = Array.isArray(error['details']) ? (error['details'].filter(isJsonObject) as unknown as ErrorDetail[]) : [];
    return new ApiError(status, code, error['message'], details);
  }
  const snippet = text.trim().slice(0, SNIPPET);
  return new ApiError(status, `http-${status}`, `HTTP ${status} ${statusText}${snippet ? `: ${snippet}` : ''}`.trim());
}

/**
 * The engine's HTTP API.
 *
 * @example
 * const client = new ApiClient({ url: 'http://localhost:3000', token: process.env.SBPMN_TOKEN });
 * const { instanceId } = await client.startInstance({ definitionKey: 'telecom-order', variables: { customer: { id: 'c1' } } });
 */
export class ApiClient {
  readonly url: string;
  readonly #base: URL;
  readonly #token: string | undefined;
  readonly #timeoutMs: number;
  readonly #fetch: typeof fetch;

  constructor(options: ClientOptions) {
    let base: URL;
    try {
      base = new URL(options.url);
    } catch {
      throw new ClientError(`'${options.url}' is not a URL (expected e.g. http://localhost:3000)`);
    }
    if (base.protocol !== 'http:' && base.protocol !== 'https:') {
      throw new ClientError(`'${options.url}' is not an http or https URL`);
    }
    this.#base = base;
    this.url = options.url;
    this.#token = options.token || undefined;
    this.#timeoutMs = options.timeoutMs ?? DEFAULT_TIMEOUT_MS;
    this.#fetch = options.fetch ?? globalThis.fetch;
  }

  // ---- definitions

  /** `POST /v1/definitions`: deploys one BPMN document; 400 details name each element. */
  async deploy(xml: string, options: { signal?: AbortSignal } = {}): Promise<DeployResult> {
    return (await this.#request('POST', '/v1/definitions', { xml, ...options })).body as unknown as DeployResult;
  }

  async listDefinitions(): Promise<{ items: DefinitionSummary[] }> {
    return (await this.#request('GET', '/v1/definitions')).body as unknown as { items: DefinitionSummary[] };
  }

  async getDefinition(key: string): Promise<DefinitionDetail> {
    return (await this.#request('GET', `/v1/definitions/${segment(key)}`)).body as unknown as DefinitionDetail;
  }

  async listDecisions(): Promise<{ items: DecisionSummary[] }> {
    return (await this.#request('GET', '/v1/decisions')).body as unknown as { items: DecisionSummary[] };
  }

  async getDecision(decisionId: string): Promise<DecisionDetail> {
    return (await this.#request('GET', `/v1/decisions/${segment(decisionId)}`)).body as unknown as DecisionDetail;
  }

  /** The BPMN XML of one deployed version, as text. */
  async getDefinitionXml(key: string, version: number): Promise<string> {
    return this.#text('GET', `/v1/definitions/${segment(key)}/versions/${segment(version)}/xml`);
  }

  // ---- instances

  async startInstance(request: StartInstanceRequest, options: CommandOptions = {}): Promise<StartResult> {
    const { status, body } = await this.#request('POST', '/v1/instances', { json: request, ...options });
    const instanceId = String(body['instanceId'] ?? '');
    if (status === 202) return { status: 'accepted', instanceId, commandId: String(body['commandId'] ?? ''), body };
    return { status: 'applied', instanceId, version: typeof body['version'] === 'number' ? body['version'] : null, body };
  }

  async listInstances(query: ListInstancesQuery = {}): Promise<Page<InstanceSummary>> {
    return (await this.#request('GET', '/v1/instances', { query: { ...query } })).body as unknown as Page<InstanceSummary>;
  }

  async getInstance(instanceId: string): Promise<Instance> {
    return (await this.#request('GET', `/v1/instances/${segment(instanceId)}`)).body as unknown as Instance;
  }

  /** One page of versions, oldest first; `next` is the `after` of the next page. */
  async getHistory(instanceId: string, query: HistoryQuery = {}): Promise<History> {
    return (await this.#request('GET', `/v1/instances/${segment(instanceId)}/history`, { query: { ...query } })).body as unknown as History;
  }

  /** A new version whose state is `toVersion`'s; older versions are never rewritten. */
  async rollback(instanceId: string, toVersion: number, options: CommandOptions = {}): Promise<CommandResult> {
    return this.#command(`/v1/instances/${segment(instanceId)}/rollback`, { toVersion }, options);
  }

  // ---- dead letters: commands that failed for good

  async listDeadLetters(query: { limit?: number; cursor?: string } = {}): Promise<Page<DeadLetter>> {
    return (await this.#request('GET', '/v1/dead-letters', { query: { ...query } })).body as unknown as Page<DeadLetter>;
  }

  async getDeadLetter(commandId: string): Promise<DeadLetter> {
    return (await this.#request('GET', `/v1/dead-letters/${segment(commandId)}`)).body as unknown as DeadLetter;
  }

  /** Sends it to its instance again (by resolving its incident when it has one). */
  async redriveDeadLetter(commandId: string): Promise<{ commandId: string; instanceId: string; via: 'incident' | 'queue' }> {
    return (await this.#request('POST', `/v1/dead-letters/${segment(commandId)}/redrive`, { json: {} })).body as unknown as { commandId: string; instanceId: string; via: 'incident' | 'queue' };
  }

  async cancel(instanceId: string, options: CommandOptions = {}): Promise<CommandResult> {
    return this.#command(`/v1/instances/${segment(instanceId)}/cancel`, {}, options);
  }

  async resolveIncident(instanceId: string, incidentId: string, request: { retries?: number } = {}, options: CommandOptions = {}): Promise<CommandResult> {
    return this.#command(`/v1/instances/${segment(instanceId)}/incidents/${segment(incidentId)}/resolve`, request, options);
  }

  // ---- jobs

  async listJobs(query: { type?: string; instanceId?: string } = {}): Promise<{ items: ActivatedJob[] }> {
    return (await this.#request('GET', '/v1/jobs', { query: { ...query } })).body as unknown as { items: ActivatedJob[] };
  }

  /**
   * Leases up to `maxJobs` jobs of a type for `timeoutMs`. With `waitMs` the server may
   * hold the request that long while there is nothing to hand out (long polling).
   */
  async activateJobs(request: ActivateJobsRequest, options: CommandOptions = {}): Promise<ActivatedJob[]> {
    const { body } = await this.#request('POST', '/v1/jobs/activate', { json: request, ...options });
    return Array.isArray(body['items']) ? (body['items'] as unknown as ActivatedJob[]) : [];
  }

  async completeJob(jobId: string, variables: JsonObject = {}, options: CommandOptions = {}): Promise<CommandResult> {
    return this.#command(`/v1/jobs/${segment(jobId)}/complete`, { variables }, options);
  }

  /** `retries: 0` raises an incident; otherwise the job is offered again after `retryBackoffMs`. */
  async failJob(jobId: string, request: FailJobRequest, options: CommandOptions = {}): Promise<CommandResult> {
    return this.#command(`/v1/jobs/${segment(jobId)}/fail`, request, options);
  }

  async throwError(jobId: string, request: ThrowErrorRequest, options: CommandOptions = {}): Promise<CommandResult> {
    return this.#command(`/v1/jobs/${segment(jobId)}/throw-error`, request, options);
  }

  // ---- user tasks, messages, signals

  async listTasks(query: ListTasksQuery = {}): Promise<{ items: UserTask[] }> {
    return (await this.#request('GET', '/v1/tasks', { query: { ...query } })).body as unknown as { items: UserTask[] };
  }

  async completeTask(taskId: string, variables: JsonObject = {}, options: CommandOptions = {}): Promise<CommandResult> {
    return this.#command(`/v1/tasks/${segment(taskId)}/complete`, { variables }, options);
  }

  async publishMessage(request: PublishMessageRequest): Promise<PublishMessageResult> {
    return (await this.#request('POST', '/v1/messages', { json: request })).body as unknown as PublishMessageResult;
  }

  async broadcastSignal(request: BroadcastSignalRequest): Promise<BroadcastSignalResult> {
    return (await this.#request('POST', '/v1/signals', { json: request })).body as BroadcastSignalResult;
  }

  /** `POST /v1/conditions`: starts every process whose conditional start event holds over the variables. */
  async evaluateConditions(request: EvaluateConditionsRequest): Promise<EvaluateConditionsResult> {
    return (await this.#request('POST', '/v1/conditions', { json: request })).body as unknown as EvaluateConditionsResult;
  }

  // ---- plumbing

  async #command(path: string, json: unknown, options: CommandOptions): Promise<CommandResult> {
    const { status, body } = await this.#request('POST', path, { json, ...options });
    if (status === 202) return { status: 'accepted', commandId: String(body['commandId'] ?? ''), body };
    return { status: 'applied', version: typeof body['version'] === 'number' ? body['version'] : null, body };
  }

  async #text(method: string, path: string): Promise<string> {
    return (await this.#send(method, path, {})).text;
  }

  async #request(method: string, path: string, options: RequestOptions = {}): Promise<Answer> {
    const { status, text } = await this.#send(method, path, options);
    if (text.trim() === '') return { status, body: {} };
    let body: unknown;
    try {
      body = JSON.parse(text);
    } catch {
      body = undefined;
    }
    if (!isJsonObject(body)) {
      throw new ApiError(status, 'invalid-response', `expected a JSON object from ${method} ${path}, got: ${text.trim().slice(0, SNIPPET)}`);
    }
    return { status, body };
  }

  #urlOf(path: string, query: RequestOptions['query'] = {}): URL {
    const url = new URL(this.#base);
    url.pathname = `${url.pathname.replace(/\/+$/, '')}${path}`;
    url.search = '';
    url.hash = '';
    for (const [name, value] of Object.entries(query)) {
      if (value !== undefined && value !== '') url.searchParams.set(name, String(value));
    }
    return url;
  }

  async #send(method: string, path: string, options: RequestOptions): Promise<{ status: number; text: string }> {
    const waitMs = options.waitMs;
    const url = this.#urlOf(path, { ...options.query, ...(waitMs === undefined ? {} : { wait: Math.max(0, Math.round(waitMs)) }) });
    const headers: Record<string, string> = { accept: 'application/json' };
    if (this.#token) headers['authorization'] = `Bearer ${this.#token}`;
    if (options.idempotencyKey !== undefined) headers['idempotency-key'] = options.idempotencyKey;
    let body: string | undefined;
    if (options.xml !== undefined) {
      headers['content-type'] = 'application/xml';
      body = options.xml;
    } else if (options.json !== undefined) {
      headers['content-type'] = 'application/json';
      body = JSON.stringify(options.json);
    }
    const timeoutMs = this.#timeoutMs + (waitMs ?? 0);
    const timeout = AbortSignal.timeout(timeoutMs);
    const signal = options.signal ? AbortSignal.any([options.signal, timeout]) : timeout;
    const where = this.url;
    try {
      const response = await this.#fetch(url, { method, headers, body, signal });
      const text = await response.text();
      if (!response.ok) throw errorFrom(response.status, response.statusText, text);
      return { status: response.status, text };
    } catch (error) {
      if (error instanceof ApiError) throw error;
      if (options.signal?.aborted) throw options.signal.reason;
      if (timeout.aborted) throw new ApiUnreachableError(where, `no answer within ${timeoutMs} ms`, { cause: error });
      throw new ApiUnreachableError(where, networkReason(error), { cause: error });
    }
  }
}

/** @example const client = createClient({ url: 'http://localhost:3000' }) */
export function createClient(options: ClientOptions): ApiClient {
  return new ApiClient(options);
}
