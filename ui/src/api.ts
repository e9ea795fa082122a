/**
 * The page's API client: JSON in and out, errors as `ApiError` carrying the API's own
 * `{ error: { code, message, details } }` (the page shows the message, never a stack).
 * A token (the API's bearer token, or a JWT on AWS) is kept in this browser's storage.
 */
export interface ErrorDetail { [field: string]: string | number | null }

export class ApiError extends Error {
  constructor(readonly status: number, readonly code: string, message: string, readonly details: ErrorDetail[] = []) {
    super(message);
    this.name = 'ApiError';
  }
}

const TOKEN_KEY = 'sbpmn.token';
export const getToken = (): string => localStorage.getItem(TOKEN_KEY) ?? '';
export const setToken = (token: string): void => {
  if (token) localStorage.setItem(TOKEN_KEY, token);
  else localStorage.removeItem(TOKEN_KEY);
};

async function request(method: string, path: string, body?: { json: unknown } | { xml: string }): Promise<Response> {
  const headers: Record<string, string> = {};
  const token = getToken();
  if (token) headers['authorization'] = `Bearer ${token}`;
  let payload: string | undefined;
  if (body && 'json' in body) { headers['content-type'] = 'application/json'; payload = JSON.stringify(body.json); }
  if (body && 'xml' in body) { headers['content-type'] = 'application/xml'; payload = body.xml; }
  let res: Response;
  try {
    res = await fetch(path, { method, headers, ...(payload === undefined ? {} : { body: payload }) });
  } catch {
    throw new ApiError(0, 'unreachable', 'the API did not answer: is the engine running?');
  }
  if (res.ok) return res;
  const text = await res.text();
  let error: { code?: string; message?: string; details?: ErrorDetail[] } = {};
  try { error = (JSON.parse(text) as { error?: typeof error }).error ?? {}; } catch { /* not the API's JSON */ }
  const message = res.status === 401 ? 'the API needs a token: set it with "API token" at the top of the page'
    : error.message ?? `the API answered ${res.status} ${res.statusText}`;
  throw new ApiError(res.status, error.code ?? 'http', message, error.details ?? []);
}

export const getJson = async <T>(path: string): Promise<T> => (await (await request('GET', path)).json()) as T;
export const getText = async (path: string): Promise<string> => (await request('GET', path)).text();
export const postJson = async <T>(path: string, json: unknown): Promise<T> => (await (await request('POST', path, { json })).json()) as T;
export const postXml = async <T>(path: string, xml: string): Promise<T> => (await (await request('POST', path, { xml })).json()) as T;

export const q = (params: Record<string, string | number | undefined>): string => {
  const s = new URLSearchParams();
  for (const [k, v] of Object.entries(params)) if (v !== undefined && v !== '') s.set(k, String(v));
  const text = s.toString();
  return text ? `?${text}` : '';
};
export const enc = encodeURIComponent;
