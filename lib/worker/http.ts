/**
 * The built-in `http` job type: a service task calls an HTTP endpoint without code.
 * The request comes from the job's variables (set by FEEL input mappings in the model),
 * the response goes back as the `response` variable:
 *
 * ```xml
 * <bpmn:serviceTask id="KycCheck">
 *   <bpmn:extensionElements>
 *     <zeebe:taskDefinition type="http" retries="3" />
 *     <zeebe:ioMapping>
 *       <zeebe:input source="=&quot;https://kyc.example.com/check/&quot; + customer.id" target="url" />
 *       <zeebe:input source="=&quot;POST&quot;" target="method" />
 *       <zeebe:input source="={ name: customer.name }" target="body" />
 *       <zeebe:output source="=response.body.verified" target="identityVerified" />
 *     </zeebe:ioMapping>
 *     <zeebe:taskHeaders><zeebe:header key="errorCodeOn4xx" value="KYC_REJECTED" /></zeebe:taskHeaders>
 *   </bpmn:extensionElements>
 * </bpmn:serviceTask>
 * ```
 *
 * Variables: `url` (http/https only), `method` (default GET), `headers` (an object),
 * `body` (a string is sent as is, anything else as JSON). Headers of the task:
 * `errorCodeOn4xx` (a 4xx throws this BPMN error instead of failing), `resultVariable`
 * (default `response`). A 2xx completes with `{ response: { status, headers, body } }`,
 * the body parsed when it is JSON; any other status fails the job (retried with backoff).
 * A request that cannot be right (a file: URL, a bad method) fails with no retries: an incident.
 */
import { isJsonObject, type Json, type JsonObject } from '../core/json.ts';
import { BpmnError, JobFailure } from './errors.ts';
import type { JobHandler, JobWorker, WorkerOptions } from './worker.ts';
import { createWorker } from './worker.ts';
import type { ActivatedJob } from './types.ts';

export const HTTP_JOB_TYPE = 'http';

export interface HttpConnectorOptions {
  /** How long one call may take, response body included. Default 30 s. */
  timeoutMs?: number;
  /** A larger response fails the job: it would become a process variable. Default 1 MiB. */
  maxResponseBytes?: number;
  fetch?: typeof fetch;
}

const METHODS = new Set(['GET', 'HEAD', 'POST', 'PUT', 'PATCH', 'DELETE', 'OPTIONS']);
const SNIPPET = 300;
/** RFC 9110 token. */
const HEADER_NAME = /^[!#$%&'*+.^_`|~0-9A-Za-z-]+$/;

/** A mistake in the model's input mappings: retrying cannot fix it. */
const misconfigured = (message: string): JobFailure => new JobFailure(`http connector: ${message}`, { retries: 0 });

interface Call {
  url: URL;
  method: string;
  headers: Record<string, string>;
  body: string | undefined;
}

function requestOf(variables: JsonObject): Call {
  const { url: rawUrl, method: rawMethod = 'GET', headers: rawHeaders = {}, body: rawBody = null } = variables;
  if (typeof rawUrl !== 'string' || rawUrl === '') throw misconfigured('the variable `url` must be a non-empty string');
  let url: URL;
  try {
    url = new URL(rawUrl);
  } catch {
    throw misconfigured(`'${rawUrl.slice(0, SNIPPET)}' is not a URL`);
  }
  if (url.protocol !== 'http:' && url.protocol !== 'https:') throw misconfigured(`only http and https URLs are allowed, not ${url.protocol}`);
  if (url.username || url.password) throw misconfigured('credentials in the URL are not allowed: send an authorization header');
  const method = typeof rawMethod === 'string' ? rawMethod.toUpperCase() : '';
  if (!METHODS.has(method)) throw misconfigured(`the method must be one of ${[...METHODS].join(', ')}`);
  if (!isJsonObject(rawHeaders)) throw misconfigured('the variable `headers` must be an object');
  const headers: Record<string, string> = {};
  for (const [name, value] of Object.entries(rawHeaders)) {
    if (value === null) continue;
    if (!HEADER_NAME.test(name)) throw misconfigured(`'${name.slice(0, 100)}' is not a valid header name`);
    if (typeof value === 'object' || /[\r\n\0]/.test(String(value))) throw misconfigured(`the header '${name}' must be a one-line string`);
    headers[name.toLowerCase()] = String(value);
  }
  let body: string | undefined;
  if (rawBody !== null) {
    if (method === 'GET' || method === 'HEAD') throw misconfigured(`a ${method} request cannot have a body`);
    body = typeof rawBody === 'string' ? rawBody : JSON.stringify(rawBody);
    if (typeof rawBody !== 'string' && !headers['content-type']) headers['content-type'] = 'application/json';
  }
  return { url, method, headers, body };
}

/** Reads at most `limit` bytes of the body; a longer one is an error. */
async function readBody(response: Response, limit: number): Promise<string> {
  if (!response.body) return '';
  const chunks: Uint8Array[] = [];
  let size = 0;
  for await (const chunk of response.body) {
    size += chunk.byteLength;
    if (size > limit) throw new Error(`the response is larger than ${limit} bytes`);
    chunks.push(chunk);
  }
  return Buffer.concat(chunks).toString('utf8');
}

const isJsonType = (contentType: string | null): boolean => /^application\/(?:[\w.+-]*\+)?json\s*(?:;|$)/i.test(contentType ?? '');

function parseBody(text: string, contentType: string | null): Json {
  if (!isJsonType(contentType)) return text;
  if (text.trim() === '') return null;
  try {
    return JSON.parse(text) as Json;
  } catch {
    throw new Error(`the response says it is JSON but is not: ${text.slice(0, SNIPPET)}`);
  }
}

/** `GET https://api.example.com/v1/check` (no query: it may hold secrets). */
const describe = (call: Call): string => `${call.method} ${call.url.origin}${call.url.pathname}`;

async function perform(call: Call, job: ActivatedJob, signal: AbortSignal, options: Required<Omit<HttpConnectorOptions, 'fetch'>> & { fetch: typeof fetch }): Promise<JsonObject> {
  const timeout = AbortSignal.timeout(options.timeoutMs);
  let response: Response;
  let text: string;
  try {
    response = await options.fetch(call.url, { method: call.method, headers: call.headers, body: call.body, signal: AbortSignal.any([signal, timeout]), redirect: 'follow' });
    text = await readBody(response, options.maxResponseBytes);
  } catch (error) {
    if (timeout.aborted) throw new Error(`${describe(call)}: no response within ${options.timeoutMs} ms`, { cause: error });
    const reason = error instanceof Error ? ((error.cause as NodeJS.ErrnoException | undefined)?.code ?? error.message) : String(error);
    throw new Error(`${describe(call)}: ${reason}`, { cause: error });
  }
  if (response.status < 200 || response.status > 299) {
    const message = `${describe(call)} answered ${response.status}${response.statusText ? ` ${response.statusText}` : ''}${text.trim() ? `: ${text.trim().slice(0, SNIPPET)}` : ''}`;
    const errorCode = job.headers?.['errorCodeOn4xx'];
    if (errorCode && response.status >= 400 && response.status < 500) throw new BpmnError(errorCode, message);
    throw new Error(message);
  }
  return {
    status: response.status,
    headers: Object.fromEntries(response.headers),
    body: parseBody(text, response.headers.get('content-type')),
  };
}

/**
 * The handler of the `http` job type.
 *
 * @example createWorker({ client, type: HTTP_JOB_TYPE, handler: httpConnector({ timeoutMs: 10_000 }) })
 */
export function httpConnector(options: HttpConnectorOptions = {}): JobHandler {
  const settings = {
    timeoutMs: options.timeoutMs ?? 30_000,
    maxResponseBytes: options.maxResponseBytes ?? 1024 * 1024,
    fetch: options.fetch ?? globalThis.fetch,
  };
  return async (job, context) => {
    const call = requestOf(job.variables ?? {});
    const response = await perform(call, job, context.signal, settings);
    return { [job.headers?.['resultVariable'] || 'response']: response };
  };
}

/**
 * A worker for the `http` job type.
 *
 * @example const worker = createHttpWorker({ client, maxJobsActive: 16 })
 */
export function createHttpWorker(options: Omit<WorkerOptions, 'type' | 'handler'> & { type?: string; http?: HttpConnectorOptions }): JobWorker {
  const { http, type = HTTP_JOB_TYPE, ...rest } = options;
  return createWorker({ ...rest, type, handler: httpConnector(http) });
}
