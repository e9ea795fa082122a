/** The API commands through the real `sbpmn` bin, as a script would run them: exit codes, stdout, stderr. */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { errorBody, freePort, startFakeApi, type FakeApi } from '../worker/fake-api.ts';
import { STACK_FRAME, sbpmn } from './helpers.ts';

let api: FakeApi;

beforeAll(async () => {
  api = await startFakeApi({
    'GET /v1/instances': () => ({ body: { items: [{ instanceId: 'i-1', definitionKey: 'order', definitionVersion: 1, businessKey: null, startedAt: '2025-01-01T00:00:00.000Z', status: 'active' }], cursor: null } }),
    'POST /v1/instances/:id/cancel': () => ({ status: 409, body: errorBody('conflict', 'the instance is already completed') }),
  });
});
afterAll(() => api.close());

describe('sbpmn bin against the API', () => {
  it('prints only JSON on stdout with --json, and nothing on stderr when it is not a terminal', async () => {
    const run = await sbpmn(['list', '--definition', 'order', '--json', '--url', api.url]);

    expect(run.code).toBe(0);
    expect(JSON.parse(run.stdout)).toEqual({ items: [expect.objectContaining({ instanceId: 'i-1' })], cursor: null });
    expect(run.stderr).toBe('');
  });

  it('exits 1 with one line on stderr when the API rejects the command', async () => {
    const run = await sbpmn(['cancel', 'i-1', '--url', api.url]);

    expect(run).toEqual({ code: 1, stdout: '', stderr: 'error: the instance is already completed (409 conflict)\n' });
  });

  it("exits 3 and asks whether 'npm start' runs when nothing listens", async () => {
    const url = `http://127.0.0.1:${await freePort()}`;
    const run = await sbpmn(['get', 'i-1', '--url', url]);

    expect(run.code).toBe(3);
    expect(run.stdout).toBe('');
    expect(run.stderr).toBe(`error: cannot reach ${url}: is 'npm start' running? (ECONNREFUSED)\n`);
    expect(run.stderr).not.toMatch(STACK_FRAME);
  });

  it('exits 2 on a usage error of an API command', async () => {
    const run = await sbpmn(['rollback', 'i-1', 'yesterday', '--url', api.url]);

    expect(run.code).toBe(2);
    expect(run.stderr).toContain("'yesterday' is invalid for argument 'toVersion'");
  });
});
