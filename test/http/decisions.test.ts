/** DMN through the API: deploy on POST /v1/definitions, versions, refusals (nothing stored), /v1/decisions, and a run. */
import { readFileSync } from 'node:fs';
import { ScanCommand } from '@aws-sdk/client-dynamodb';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { bpmn, flows } from '../../lib/testing/index.ts';
import { literalDecision, dmn } from '../core/dmn/helpers.ts';
import { startApi, until, type TestApi } from './harness.ts';

const discount = readFileSync(new URL('../fixtures/dmn/discount.dmn', import.meta.url), 'utf8');
const xml = { 'content-type': 'application/xml' };

let t: TestApi;
beforeAll(async () => { t = await startApi(); });
afterAll(async () => { await t.stop(); });

async function itemCount(): Promise<number> {
  const out = await t.rt.dynamodb.send(new ScanCommand({ TableName: t.rt.config.tableName, Select: 'COUNT' }));
  return out.Count ?? 0;
}

describe('POST /v1/definitions with a DMN document', () => {
  it('stores each decision as a version of its id: the same XML keeps it, a changed one is the next', async () => {
    const first = await t.call('POST', '/v1/definitions', { body: discount, headers: xml });
    expect(first.status).toBe(201);
    expect(first.body).toEqual({ deployed: [{ key: 'discount', version: 1 }] });
    const again = await t.call('POST', '/v1/definitions', { body: discount, headers: xml });
    expect(again.status).toBe(200);
    expect(again.body).toEqual({ deployed: [{ key: 'discount', version: 1 }] });
    const changed = await t.call('POST', '/v1/definitions', { body: discount.replace('value="v1"', 'value="v2"').replace('<text>0.15</text>', '<text>0.2</text>'), headers: xml });
    expect(changed.status).toBe(201);
    expect(changed.body).toEqual({ deployed: [{ key: 'discount', version: 2 }] });
    // Decisions are not processes: the definitions list does not show them.
    expect((await t.call('GET', '/v1/definitions')).body.items.map((d: { key: string }) => d.key)).not.toContain('discount');
  });

  it('refuses a hostile or invalid DMN with 400 naming the problem, and stores nothing', async () => {
    const before = await itemCount();
    const xxe = discount.replace('<definitions', '<!DOCTYPE d [<!ENTITY x SYSTEM "file:///etc/passwd">]>\n<definitions');
    const refused = await t.call('POST', '/v1/definitions', { body: xxe, headers: xml });
    expect(refused.status).toBe(400);
    expect(refused.body.error.details[0].message).toMatch(/^DOCTYPE declarations are not allowed in DMN documents/);
    const invalid = await t.call('POST', '/v1/definitions', { body: discount.replace('<text>&gt;= 100</text>', '<text>&gt;&gt;5</text>'), headers: xml });
    expect(invalid.status).toBe(400);
    expect(invalid.body.error.code).toBe('invalid-bpmn');
    expect(invalid.body.error.details).toEqual([{ elementId: 'discount', message: expect.stringMatching(/^rule 1 of decision 'discount': invalid unary test '>>5'/), line: expect.any(Number) }]);
    expect(await itemCount()).toBe(before);
  });
});

describe('GET /v1/decisions', () => {
  it('lists decision ids with their latest version, and one id with its versions and tags', async () => {
    const list = await t.call('GET', '/v1/decisions');
    expect(list.status).toBe(200);
    expect(list.body.items).toEqual([{ decisionId: 'discount', latestVersion: 2, deployedAt: expect.stringMatching(/^\d{4}-\d\d-\d\dT/) }]);
    const one = await t.call('GET', '/v1/decisions/discount');
    expect(one.status).toBe(200);
    expect(one.body).toEqual({
      decisionId: 'discount',
      versions: [
        { version: 1, hash: expect.stringMatching(/^[0-9a-f]{64}$/), deployedAt: expect.any(String), name: 'Discount', versionTag: 'v1' },
        { version: 2, hash: expect.stringMatching(/^[0-9a-f]{64}$/), deployedAt: expect.any(String), name: 'Discount', versionTag: 'v2' },
      ],
    });
    expect((await t.call('GET', '/v1/decisions/nope')).status).toBe(404);
    expect((await t.call('GET', '/v1/decisions/no%20pe')).status).toBe(400);
  });

  it('runs a business rule task against the decision version its tag binds to', async () => {
    const model = bpmn(`<startEvent id="s"/>
      <businessRuleTask id="decide"><extensionElements><zeebe:calledDecision decisionId="discount" resultVariable="rate" bindingType="versionTag" versionTag="v1"/></extensionElements></businessRuleTask>
      <endEvent id="e"/>${flows('s', 'decide', 'e')}`, { id: 'pricing' });
    expect((await t.call('POST', '/v1/definitions', { body: model, headers: xml })).status).toBe(201);
    const started = await t.call('POST', '/v1/instances', { body: { definitionKey: 'pricing', variables: { customer: 'gold', amount: 150 } } });
    expect(started.status).toBe(201);
    const id = started.body.instanceId as string;
    const done = await until(async () => {
      const answer = await t.call('GET', `/v1/instances/${id}`);
      return answer.body.status === 'completed' ? answer.body : null;
    }, 20_000, 'the instance to complete');
    expect(done.variables).toEqual({ customer: 'gold', amount: 150, rate: 0.15 });
  });

  it('deploys a document of several decisions as one version each', async () => {
    const answer = await t.call('POST', '/v1/definitions', { body: dmn(literalDecision('a', '1'), literalDecision('b', 'a + 1', ['a'])), headers: xml });
    expect(answer.body).toEqual({ deployed: [{ key: 'a', version: 1 }, { key: 'b', version: 1 }] });
  });
});
