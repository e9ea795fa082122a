/**
 * API Gateway HTTP API (payload 2.0) event -> the parts a route needs, refusing early
 * and cheaply: size (Content-Length, then the body, before any decoding or parsing),
 * content type, JSON syntax, then the route's zod schemas.
 * https://docs.aws.amazon.com/apigateway/latest/developerguide/http-api-develop-integrations-lambda.html
 */
import type { APIGatewayProxyEventV2 } from 'aws-lambda';
import type { z } from 'zod';
import { ERROR_CODES, HttpError, issuesToDetails } from './errors.ts';
import type { Route } from './router.ts';

export const MAX_XML_BODY = 2 * 1024 * 1024;
export const MAX_JSON_BODY = 1024 * 1024;

const XML_TYPES = new Set(['application/xml', 'text/xml', 'application/bpmn+xml']);
const JSON_TYPES = new Set(['application/json']);

export function lowerCaseHeaders(event: APIGatewayProxyEventV2): Record<string, string> {
  const headers: Record<string, string> = {};
  for (const [name, value] of Object.entries(event.headers ?? {})) if (value !== undefined) headers[name.toLowerCase()] = value;
  return headers;
}

/** The media type of a Content-Type header, without parameters: `application/json; charset=utf-8` -> `application/json`. */
export function mediaType(header: string | undefined): string | null {
  const type = header?.split(';')[0]?.trim().toLowerCase();
  return type ? type : null;
}

function tooLarge(limit: number): HttpError {
  return new HttpError(413, ERROR_CODES.tooLarge, `the request body is larger than ${limit / (1024 * 1024)} MB`);
}

/** The body's bytes, after checking its size (declared and actual) against `limit`. */
function bodyBytes(event: APIGatewayProxyEventV2, headers: Record<string, string>, limit: number): Buffer {
  const declared = Number(headers['content-length']);
  if (Number.isFinite(declared) && declared > limit) throw tooLarge(limit);
  const raw = event.body ?? '';
  // A base64 text of n characters holds at most 3n/4 bytes; a UTF-8 text of n characters at most 3n.
  if (event.isBase64Encoded ? Math.floor((raw.length * 3) / 4) > limit + 2 : raw.length > limit) {
    const bytes = event.isBase64Encoded ? Buffer.byteLength(raw, 'base64') : Buffer.byteLength(raw, 'utf8');
    if (bytes > limit) throw tooLarge(limit);
  }
  const bytes = event.isBase64Encoded ? Buffer.from(raw, 'base64') : Buffer.from(raw, 'utf8');
  if (bytes.length > limit) throw tooLarge(limit);
  return bytes;
}

/** Text in UTF-8 (or UTF-16 with a byte order mark); anything else is refused. */
function decodeText(bytes: Buffer): string {
  const encoding = bytes[0] === 0xfe && bytes[1] === 0xff ? 'utf-16be' : bytes[0] === 0xff && bytes[1] === 0xfe ? 'utf-16le' : 'utf-8';
  try {
    return new TextDecoder(encoding, { fatal: true }).decode(bytes);
  } catch {
    throw new HttpError(400, ERROR_CODES.invalidInput, `the request body is not valid ${encoding.toUpperCase()} text`);
  }
}

function validate<T extends z.ZodType>(where: string, schema: T, value: unknown): z.output<T> {
  const parsed = schema.safeParse(value);
  if (parsed.success) return parsed.data;
  throw new HttpError(400, ERROR_CODES.invalidInput, `invalid ${where}`, issuesToDetails(where, parsed.error.issues));
}

/** The route's body: a BPMN document (text), checked JSON, or nothing. */
export function parseBody(route: Route, event: APIGatewayProxyEventV2, headers: Record<string, string>): unknown {
  const type = mediaType(headers['content-type']);
  if (route.body && 'xml' in route.body) {
    if (!type || !XML_TYPES.has(type)) throw new HttpError(415, ERROR_CODES.unsupportedMediaType, 'send the BPMN document as application/xml (or text/xml)');
    const xml = decodeText(bodyBytes(event, headers, MAX_XML_BODY));
    if (xml.trim() === '') throw new HttpError(400, ERROR_CODES.invalidInput, 'the request body is empty: send a BPMN document');
    return xml;
  }
  const bytes = bodyBytes(event, headers, MAX_JSON_BODY);
  if (!route.body) return undefined;
  if (bytes.length === 0) return validate('body', route.body.json, {});
  if (!type || !(JSON_TYPES.has(type) || type.endsWith('+json'))) throw new HttpError(415, ERROR_CODES.unsupportedMediaType, 'send JSON (Content-Type: application/json)');
  let json: unknown;
  try {
    json = JSON.parse(decodeText(bytes));
  } catch (error) {
    if (error instanceof HttpError) throw error;
    throw new HttpError(400, ERROR_CODES.invalidJson, `the request body is not JSON: ${(error as Error).message}`);
  }
  return validate('body', route.body.json, json);
}

export function parseParams(route: Route, params: Record<string, string>): unknown {
  return route.params ? validate('path', route.params, params) : params;
}

export function parseQuery(route: Route, event: APIGatewayProxyEventV2): unknown {
  const query = event.queryStringParameters ?? {};
  return route.query ? validate('query', route.query, query) : query;
}
