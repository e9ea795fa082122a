/** POST/GET /v1/definitions: deploy, refusals (nothing stored), listing and the XML. */
import { readFileSync } from 'node:fs';
import { ScanCommand } from '@aws-sdk/client-dynamodb';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { bpmn, flows } from '../../lib/testing/index.ts';
import { startApi, type TestApi } from './harness.ts';

const fixture = (name: string): string => readFileSync(new URL(`../fixtures/bpmn/${name}`, import.meta.url), 'utf8');
const telecom = readFileSync(new URL('../../examples/telecom-order.bpmn', import.meta.url), 'utf8');
const xml = { 'content-type': 'application/xml' };

let t: TestApi;
beforeAll(async () => { t = await startApi(); });
afterAll(async () => { await t.stop(); });

async function itemCount(): Promise<number> {
  const out = await t.rt.dynamodb.send(new ScanCommand({ TableName: t.rt.config.tableName, Select: 'COUNT' }));
  return out.Count ?? 0;
}

describe('POST /v1/definitions', () => {
  it('deploys a model (201), keeps the version for the same XML (200) and numbers a changed one', async () => {
    const first = await t.call('POST', '/v1/definitions', { body: telecom, headers: xml });
    expect(first.status).toBe(201);
    expect(first.body).toEqual({ deployed: [{ key: 'telecom-order', version: 1 }] });

    const again = await t.call('POST', '/v1/definitions', { body: telecom, headers: { 'content-type': 'text/xml; charset=utf-8' } });
    expect(again.status).toBe(200);
    expect(again.body).toEqual({ deployed: [{ key: 'telecom-order', version: 1 }] });

    const changed = await t.call('POST', '/v1/definitions', { body: telecom.replace('name="Telecom order"', 'name="Telecom order v2"'), headers: xml });
    expect(changed.status).toBe(201);
    expect(changed.body).toEqual({ deployed: [{ key: 'telecom-order', version: 2 }] });
  });

  it('accepts a base64-encoded body (API Gateway binary media)', async () => {
    const model = bpmn(`<startEvent id="s"/><endEvent id="e"/>${flows('s', 'e')}`, { id: 'b64' });
    const answer = await t.call('POST', '/v1/definitions', { body: Buffer.from(model), base64: true, headers: xml });
    expect(answer.status).toBe(201);
    expect(answer.body.deployed).toEqual([{ key: 'b64', version: 1 }]);
  });

  it('refuses bad documents, sizes and content types, and stores nothing', async () => {
    const before = await itemCount();

    const malformed = await t.call('POST', '/v1/definitions', { body: telecom.slice(0, 2000), headers: xml });
    expect(malformed.status).toBe(400);
    expect(malformed.body.error.code).toBe('invalid-bpmn');
    expect(malformed.body.error.details[0]).toMatchObject({ elementId: null, message: expect.stringContaining('malformed') });

    const xxe = await t.call('POST', '/v1/definitions', { body: fixture('xxe-doctype.bpmn'), headers: xml });
    expect(xxe.status).toBe(400);
    expect(xxe.body.error.details[0].message).toMatch(/DOCTYPE/);
    const laughs = await t.call('POST', '/v1/definitions', { body: fixture('billion-laughs.bpmn'), headers: xml });
    expect(laughs.status).toBe(400);

    const problems = await t.call('POST', '/v1/definitions', { body: fixture('several-problems.bpmn'), headers: xml });
    expect(problems.status).toBe(400);
    expect(problems.body.error.details.length).toBeGreaterThanOrEqual(3);
    for (const detail of problems.body.error.details) expect(detail).toEqual({ elementId: expect.any(String), message: expect.any(String), line: expect.any(Number) });
    expect(problems.body.error.details.map((d: { elementId: string }) => d.elementId)).toEqual(expect.arrayContaining(['RegisterClaim', 'Escalate']));

    const huge = `${telecom}<!--${'x'.repeat(2 * 1024 * 1024)}-->`;
    expect((await t.call('POST', '/v1/definitions', { body: huge, headers: xml })).status).toBe(413);
    // The size is checked before decoding, also when Content-Length is absent or the body is base64.
    expect((await t.call('POST', '/v1/definitions', { body: Buffer.from(huge), base64: true, headers: { ...xml, 'content-length': '10' } })).status).toBe(413);
    expect((await t.call('POST', '/v1/definitions', { body: 'x', headers: { ...xml, 'content-length': String(3 * 1024 * 1024) } })).status).toBe(413);

    const json = await t.call('POST', '/v1/definitions', { body: telecom, headers: { 'content-type': 'application/json' } });
    expect(json.status).toBe(415);
    expect(json.body.error.code).toBe('unsupported-media-type');
    expect((await t.call('POST', '/v1/definitions', { body: telecom })).status).toBe(415);
    expect((await t.call('POST', '/v1/definitions', { body: '', headers: xml })).status).toBe(400);
    expect((await t.call('POST', '/v1/definitions', { body: Buffer.from([0xc3, 0x28, 0x3c]), base64: true, headers: xml })).status).toBe(400);

    expect(await itemCount()).toBe(before);
  });
});

describe('GET /v1/definitions', () => {
  it('lists keys with their latest version, a key with its versions, and a version as XML', async () => {
    const list = await t.call('GET', '/v1/definitions');
    expect(list.status).toBe(200);
    expect(list.body.items).toEqual(expect.arrayContaining([{ key: 'telecom-order', latestVersion: 2, deployedAt: expect.stringMatching(/^\d{4}-\d\d-\d\dT/) }]));

    const one = await t.call('GET', '/v1/definitions/telecom-order');
    expect(one.status).toBe(200);
    expect(one.body.key).toBe('telecom-order');
    expect(one.body.versions.map((v: { version: number }) => v.version)).toEqual([1, 2]);
    expect(one.body.versions[0]).toEqual({ version: 1, hash: expect.stringMatching(/^[0-9a-f]{64}$/), deployedAt: expect.any(String) });

    const source = await t.call('GET', '/v1/definitions/telecom-order/versions/1/xml');
    expect(source.status).toBe(200);
    expect(source.headers['content-type']).toMatch(/^application\/xml/);
    expect(source.text).toBe(telecom);
  });

  it('answers 404 for unknown keys and versions, 400 for malformed ones', async () => {
    expect((await t.call('GET', '/v1/definitions/nope')).status).toBe(404);
    const missing = await t.call('GET', '/v1/definitions/telecom-order/versions/99/xml');
    expect(missing.status).toBe(404);
    expect(missing.body).toEqual({ error: { code: 'not-found', message: expect.any(String), details: [] } });
    const bad = await t.call('GET', '/v1/definitions/telecom-order/versions/first/xml');
    expect(bad.status).toBe(400);
    expect(bad.body.error.details).toEqual([{ in: 'path', path: 'version', message: expect.any(String) }]);
  });
});
