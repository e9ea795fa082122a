/**
 * The API commands of `sbpmn`, in process, against a fake of our own HTTP API
 * (test/worker/fake-api.ts) that answers with the documented shapes.
 */
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runCli } from '../../lib/cli/program.ts';
import { errorBody, freePort, startFakeApi, type FakeApi, type FakeRequest, type Routes } from '../worker/fake-api.ts';
import { EXAMPLE, ROOT } from './helpers.ts';

const INSTANCE = {
  instanceId: 'i-1', definitionKey: 'telecom-order', definitionVersion: 2, businessKey: 'order-7', status: 'active', version: 5,
  startedAt: '2025-01-01T10:00:00.000Z', endedAt: null, updatedAt: '2025-01-01T10:05:00.000Z',
  variables: { customer: { id: 'c1' }, creditScore: 700 },
  activeElements: ['ApproveOrder', 'ProvisionLine'],
  incidents: [{ incidentId: 'i-1.9', elementId: 'ProvisionLine', kind: 'job', message: 'no line available', jobId: 'i-1.7', at: '2025-01-01T10:04:00.000Z' }],
  jobs: [],
  tasks: [{ taskId: 'i-1.8', instanceId: 'i-1', name: 'Approve order', elementId: 'ApproveOrder', assignee: null, candidateGroups: ['sales'], candidateUsers: [], formKey: null, formId: null, variables: {} }],
};

const DEAD = {
  commandId: 'cmd-dead', instanceId: 'i-1', envelope: { id: 'cmd-dead', instanceId: 'i-1', command: { type: 'completeJob', jobId: 'i-1.3' } },
  reason: 'throttled', receiveCount: 5, at: '2025-01-01T10:00:00.000Z', incidentId: 'i-1.12',
};

const ROUTES: Routes = {
  'POST /v1/definitions': (req) => (req.text.includes('broken')
    ? { status: 400, body: errorBody('invalid-model', 'the model is invalid', [{ elementId: 'Gateway_1', message: 'needs an outgoing flow', line: 12 }]) }
    : { status: 201, body: { deployed: [{ key: 'telecom-order', version: 3 }] } }),
  'GET /v1/definitions': () => ({ body: { items: [{ key: 'telecom-order', latestVersion: 3, deployedAt: 1_700_000_000_000 }] } }),
  'POST /v1/instances': (req) => ((req.body as { definitionKey: string }).definitionKey === 'slow'
    ? { status: 202, body: { status: 'accepted', commandId: 'cmd-1', instanceId: 'i-2' } }
    : { status: 201, body: { instanceId: 'i-1', version: 1 } }),
  'GET /v1/instances': (req) => ({
    body: {
      items: [
        { instanceId: 'i-1', definitionKey: 'telecom-order', definitionVersion: 2, businessKey: 'order-7', startedAt: '2025-01-01T10:00:00.000Z', status: 'active' },
        { instanceId: 'i-10', definitionKey: 'telecom-order', definitionVersion: 12, businessKey: null, startedAt: 1_735_725_600_000, status: 'incident' },
      ],
      cursor: req.query.get('cursor') ? null : 'page-2',
    },
  }),
  'GET /v1/instances/:id': (req) => (req.params['id'] === 'i-1'
    ? { body: INSTANCE }
    : { status: 404, body: errorBody('not-found', `no instance '${req.params['id']}'`) }),
  'GET /v1/instances/:id/history': (req) => ({
    body: {
      next: req.query.get('after') ? null : 2,
      versions: [
        { version: 1, command: { type: 'start' }, at: '2025-01-01T10:00:00.000Z', events: [{ type: 'instance.started' }, { type: 'element.activated' }] },
        { version: 2, command: { type: 'complete-job', jobId: 'i-1.3' }, at: '2025-01-01T10:00:01.000Z', events: [{ type: 'job.completed' }] },
      ],
    },
  }),
  'POST /v1/instances/:id/rollback': () => ({ body: { version: 6 } }),
  'GET /v1/dead-letters': () => ({ body: { items: [DEAD], cursor: null } }),
  'GET /v1/dead-letters/:id': (req) => (req.params['id'] === 'cmd-dead'
    ? { body: DEAD }
    : { status: 404, body: errorBody('not-found', `dead command '${req.params['id']}' not found`) }),
  'POST /v1/dead-letters/:id/redrive': (req) => ({ status: 202, body: { commandId: req.params['id'], instanceId: 'i-1', via: 'incident' } }),
  'POST /v1/instances/:id/cancel': () => ({ status: 202, body: { status: 'accepted', commandId: 'cmd-9' } }),
  'GET /v1/jobs': () => ({ body: { items: [{ jobId: 'i-1.3', type: 'credit-check', instanceId: 'i-1', elementId: 'CheckCredit', variables: {}, headers: {}, retries: 3 }] } }),
  'POST /v1/jobs/:jobId/complete': (req) => (req.params['jobId'] === 'gone.1'
    ? { status: 409, body: errorBody('conflict', 'the job is no longer active') }
    : { body: { version: 4 } }),
  'GET /v1/tasks': () => ({ body: { items: [{ taskId: 'i-1.8', instanceId: 'i-1', elementId: 'ApproveOrder', name: 'Approve order', assignee: null, candidateGroups: ['sales', 'ops'], formKey: null, formId: null, variables: {} }] } }),
  'POST /v1/tasks/:taskId/complete': () => ({ body: { version: 9 } }),
  'POST /v1/messages': (req) => ((req.body as { name: string }).name === 'order-paid'
    ? { status: 202, body: { messageId: 'm-2', correlated: 2, started: 1, buffered: false } }
    : { status: 202, body: { messageId: 'm-1', correlated: 0, started: 0, buffered: true } }),
  'POST /v1/signals': (req) => ((req.body as { signalId?: string }).signalId === 'sig-1'
    ? { status: 202, body: { signalId: 'sig-1', signaled: 3, started: 1 } }
    : { status: 202, body: { signaled: 2 } }),
  'POST /v1/conditions': (req) => ((req.body as { variables: { amount?: number } }).variables.amount === 5000
    ? { status: 202, body: { requestId: 'r-1', started: [{ definitionKey: 'big-order', startEventId: 'big', instanceId: 'm-abc' }] } }
    : { status: 202, body: { requestId: 'r-2', started: [] } }),
  'GET /v1/decisions': () => ({ body: { items: [{ decisionId: 'discount', latestVersion: 2, deployedAt: '2025-01-01T10:00:00.000Z' }] } }),
  'GET /v1/decisions/:id': (req) => (req.params['id'] === 'discount'
    ? { body: { decisionId: 'discount', versions: [{ version: 1, hash: 'ab12', deployedAt: '2025-01-01T10:00:00.000Z', name: 'Discount', versionTag: 'v1' }] } }
    : { status: 404, body: errorBody('not-found', `no decision '${req.params['id']}'`) }),
};

let api: FakeApi;
let dir: string;

beforeAll(async () => {
  api = await startFakeApi(ROUTES);
  dir = mkdtempSync(join(tmpdir(), 'sbpmn-cli-'));
});
afterAll(() => api.close());

async function cli(args: readonly string[], options: { env?: Record<string, string>; interactive?: boolean } = {}) {
  const io = { stdout: '', stderr: '' };
  const code = await runCli(args, {
    out: (t) => { io.stdout += t; },
    err: (t) => { io.stderr += t; },
    env: options.env ?? { SBPMN_URL: api.url },
    interactive: options.interactive ?? false,
  });
  return { code, ...io };
}

/** The last request the fake saw for `method path`. */
const last = (method: string, path: string): FakeRequest | undefined => api.requests.filter((r) => r.method === method && r.path === path).at(-1);

describe('sbpmn deploy', () => {
  it('deploys each file and prints a table of the deployed keys and versions', async () => {
    const run = await cli(['deploy', join(ROOT, EXAMPLE)]);

    expect(run.code).toBe(0);
    expect(run.stdout).toBe(`FILE${' '.repeat(join(ROOT, EXAMPLE).length - 2)}KEY            VERSION\n${join(ROOT, EXAMPLE)}  telecom-order  3\n`);
    expect(run.stderr).toBe('');
    expect(last('POST', '/v1/definitions')?.headers['content-type']).toBe('application/xml');
    expect(last('POST', '/v1/definitions')?.text).toContain('id="telecom-order"');
  });

  it('reports an invalid model with its element ids and lines, still deploys the others, and exits 1', async () => {
    const broken = join(dir, 'broken.bpmn');
    writeFileSync(broken, '<definitions id="broken"/>');
    const run = await cli(['deploy', '--json', broken, join(ROOT, EXAMPLE), join(dir, 'missing.bpmn')]);

    expect(run.code).toBe(1);
    expect(JSON.parse(run.stdout)).toEqual([
      { file: broken, ok: false, error: { status: 400, code: 'invalid-model', message: 'the model is invalid', details: [{ elementId: 'Gateway_1', message: 'needs an outgoing flow', line: 12 }] } },
      { file: join(ROOT, EXAMPLE), ok: true, deployed: [{ key: 'telecom-order', version: 3 }] },
      { file: join(dir, 'missing.bpmn'), ok: false, error: { status: null, code: 'unreadable', message: `cannot read '${join(dir, 'missing.bpmn')}': no such file`, details: [] } },
    ]);
    expect(run.stderr).toBe([
      `error: ${broken}: the model is invalid (400 invalid-model)`,
      '  line 12  Gateway_1  needs an outgoing flow',
      `error: cannot read '${join(dir, 'missing.bpmn')}': no such file`,
      '',
    ].join('\n'));
  });
});

describe('sbpmn start', () => {
  it('sends --vars-json and every --var (JSON when it parses, else text), the business key and the version', async () => {
    const run = await cli([
      'start', 'telecom-order', '--vars-json', '{"customer":{"id":"c0"},"plan":"basic"}',
      '--var', 'customer={"id":"c1"}', '--var', 'score=700', '--var', 'vip=true', '--var', 'id=007', '--var', 'note=hello world', '--var', 'empty=',
      '--business-key', 'order-7', '--version', '2', '--wait', '1000',
    ]);

    expect(run.code).toBe(0);
    expect(run.stdout).toBe('started instance i-1 (version 1)\n');
    const request = last('POST', '/v1/instances');
    expect(request?.body).toEqual({
      definitionKey: 'telecom-order', businessKey: 'order-7', version: 2,
      variables: { customer: { id: 'c1' }, plan: 'basic', score: 700, vip: true, id: '007', note: 'hello world', empty: '' },
    });
    expect(request?.query.get('wait')).toBe('1000');
  });

  it('prints the raw answer with --json, and says when the start was only accepted', async () => {
    const applied = await cli(['start', 'telecom-order', '--json']);
    const accepted = await cli(['start', 'slow']);

    expect(JSON.parse(applied.stdout)).toEqual({ instanceId: 'i-1', version: 1 });
    expect(accepted).toEqual({ code: 0, stdout: 'accepted: start instance i-2 (queued as command cmd-1)\n', stderr: '' });
  });

  it.each([
    [['start', 'k', '--var', 'novalue'], "option '--var <k=v>' argument 'novalue' is invalid. expected k=v."],
    [['start', 'k', '--var', '=1'], 'expected k=v with a non-empty name k.'],
    [['start', 'k', '--var', '__proto__={}'], "'__proto__' cannot be a variable name."],
    [['start', 'k', '--vars-json', '[1]'], 'expected a JSON object'],
    [['start', 'k', '--vars-json', '{oops'], 'not JSON'],
    [['start', 'k', '--version', 'latest'], 'expected a whole number >= 1.'],
    [['start'], "missing required argument 'definitionKey'"],
    [['list', '--status', 'sleeping'], "Allowed choices are active, completed, canceled, incident."],
    [['jobs'], 'jobs needs --type <type> or --instance <instanceId>'],
    [['list'], "required option '--definition <key>' not specified"],
    [['get', 'i-1', '--url', 'ftp://example.com'], "--url: 'ftp://example.com' is not an http or https URL"],
  ])('exits 2 on bad usage: sbpmn %j', async (args, message) => {
    const run = await cli(args);

    expect(run.code).toBe(2);
    expect(run.stdout).toBe('');
    expect(run.stderr).toContain(message);
  });
});

describe('sbpmn get, list, history', () => {
  it('shows an instance as aligned blocks and tables', async () => {
    const run = await cli(['get', 'i-1']);

    expect(run.code).toBe(0);
    expect(run.stdout).toBe([
      'instance      i-1',
      'definition    telecom-order (version 2)',
      'business key  order-7',
      'status        active',
      'version       5',
      'started       2025-01-01T10:00:00.000Z',
      '',
      'variables',
      '  customer     {"id":"c1"}',
      '  creditScore  700',
      '',
      'active elements',
      '  ApproveOrder',
      '  ProvisionLine',
      '',
      'incidents',
      '  INCIDENT ID  ELEMENT ID     KIND  MESSAGE',
      '  i-1.9        ProvisionLine  job   no line available',
      '',
      'jobs',
      '  (none)',
      '',
      'tasks',
      '  TASK ID  NAME           ELEMENT ID    ASSIGNEE  CANDIDATE GROUPS',
      '  i-1.8    Approve order  ApproveOrder  -         sales',
      '',
    ].join('\n'));
  });

  it('prints only the JSON answer with --json', async () => {
    const run = await cli(['get', 'i-1', '--json']);

    expect(JSON.parse(run.stdout)).toEqual(INSTANCE);
    expect(run.stderr).toBe('');
  });

  it('exits 1 with a one-line error when the API says no', async () => {
    const run = await cli(['get', 'nope']);

    expect(run).toEqual({ code: 1, stdout: '', stderr: "error: no instance 'nope' (404 not-found)\n" });
  });

  it('lists instances as a table, with the filters as query parameters and the next page', async () => {
    const run = await cli(['list', '--definition', 'telecom-order', '--status', 'active', '--limit', '2']);

    expect(run.code).toBe(0);
    expect(run.stdout).toBe([
      'INSTANCE  DEFINITION     VERSION  STATUS    BUSINESS KEY  STARTED',
      'i-1       telecom-order  2        active    order-7       2025-01-01T10:00:00.000Z',
      'i-10      telecom-order  12       incident  -             2025-01-01T10:00:00.000Z',
      'next page: --cursor page-2',
      '',
    ].join('\n'));
    expect(Object.fromEntries(last('GET', '/v1/instances')?.query ?? [])).toEqual({ definitionKey: 'telecom-order', status: 'active', limit: '2' });
  });

  it('lists the versions of an instance with their commands and events', async () => {
    const run = await cli(['history', 'i-1']);

    expect(run.stdout).toBe([
      'VERSION  AT                        COMMAND       EVENTS',
      '1        2025-01-01T10:00:00.000Z  start         instance.started, element.activated',
      '2        2025-01-01T10:00:01.000Z  complete-job  job.completed',
      'next page: --after 2',
      '',
    ].join('\n'));
    await cli(['history', 'i-1', '--after', '2', '--limit', '10']);
    expect(Object.fromEntries(last('GET', '/v1/instances/i-1/history')?.query ?? [])).toEqual({ after: '2', limit: '10' });
  });
});

describe('sbpmn jobs, tasks and commands', () => {
  it('lists jobs and tasks as tables', async () => {
    const jobs = await cli(['jobs', '--type', 'credit-check']);
    const tasks = await cli(['tasks', '--group', 'sales', '--assignee', 'ann', '--instance', 'i-1']);

    expect(jobs.stdout).toBe('JOB    TYPE          INSTANCE  ELEMENT      RETRIES\ni-1.3  credit-check  i-1       CheckCredit  3\n');
    expect(tasks.stdout).toBe('TASK   NAME           ELEMENT       INSTANCE  ASSIGNEE  GROUPS\ni-1.8  Approve order  ApproveOrder  i-1       -         sales, ops\n');
    expect(Object.fromEntries(last('GET', '/v1/jobs')?.query ?? [])).toEqual({ type: 'credit-check' });
    expect(Object.fromEntries(last('GET', '/v1/tasks')?.query ?? [])).toEqual({ candidateGroup: 'sales', assignee: 'ann', instanceId: 'i-1' });
  });

  it('completes jobs and tasks with variables', async () => {
    const job = await cli(['complete-job', 'i-1.3', '--var', 'creditScore=710']);
    const task = await cli(['complete-task', 'i-1.8', '--var', 'approved=true', '--json']);

    expect(job.stdout).toBe('completed job i-1.3 (instance version 4)\n');
    expect(last('POST', '/v1/jobs/i-1.3/complete')?.body).toEqual({ variables: { creditScore: 710 } });
    expect(JSON.parse(task.stdout)).toEqual({ version: 9 });
    expect(last('POST', '/v1/tasks/i-1.8/complete')?.body).toEqual({ variables: { approved: true } });
  });

  it('exits 1 when a command is rejected (409)', async () => {
    const run = await cli(['complete-job', 'gone.1']);

    expect(run).toEqual({ code: 1, stdout: '', stderr: 'error: the job is no longer active (409 conflict)\n' });
  });

  it('lists, shows and redrives dead commands', async () => {
    const list = await cli(['dlq', 'list']);
    expect(list.stdout).toContain('cmd-dead');
    expect(list.stdout).toContain('completeJob');
    expect(list.stdout).toContain('i-1.12');
    const show = await cli(['dlq', 'show', 'cmd-dead', '--json']);
    expect(JSON.parse(show.stdout)).toEqual(DEAD);
    const missing = await cli(['dlq', 'show', 'nope']);
    expect(missing.code).toBe(1);
    expect(missing.stderr).toContain("dead command 'nope' not found");
    const redrive = await cli(['dlq', 'redrive', 'cmd-dead']);
    expect(redrive.stdout).toBe('redrove cmd-dead to instance i-1 (its incident resolved)\n');
    expect(last('POST', '/v1/dead-letters/cmd-dead/redrive')).toBeDefined();
  });

  it('publishes messages, broadcasts signals, rolls back and cancels', async () => {
    const message = await cli(['message', 'payment-received', 'order-7', '--var', 'amount=12.5', '--ttl', '60000']);
    const correlated = await cli(['message', 'order-paid', 'order-7']);
    const signal = await cli(['signal', 'shutdown', '--json']);
    const signalText = await cli(['signal', 'shutdown']);
    const rollback = await cli(['rollback', 'i-1', '3']);
    const cancel = await cli(['cancel', 'i-1']);

    expect(message.stdout).toBe('published message payment-received (m-1): not correlated yet (kept until it expires)\n');
    expect(api.requests.find((r) => r.path === '/v1/messages')?.body).toEqual({ name: 'payment-received', correlationKey: 'order-7', variables: { amount: 12.5 }, timeToLiveMs: 60_000 });
    expect(correlated.stdout).toBe('published message order-paid (m-2): correlated to 2 instances (1 started by it)\n');
    expect(JSON.parse(signal.stdout)).toEqual({ signaled: 2 });
    expect(signalText.stdout).toBe('broadcast signal shutdown to 2 instances\n');
    expect(last('POST', '/v1/signals')?.body).toEqual({ name: 'shutdown', variables: {} });
    expect(rollback.stdout).toBe('rolled back instance i-1 to version 3 (instance version 6)\n');
    expect(last('POST', '/v1/instances/i-1/rollback')?.body).toEqual({ toVersion: 3 });
    expect(cancel.stdout).toBe('accepted: cancel instance i-1 (queued as command cmd-9)\n');

    const idempotent = await cli(['signal', 'shutdown', '--id', 'sig-1', '--var', 'why=storm']);
    expect(idempotent.stdout).toBe('broadcast signal shutdown to 3 instances (1 instance started)\n');
    expect(last('POST', '/v1/signals')?.body).toEqual({ name: 'shutdown', variables: { why: 'storm' }, signalId: 'sig-1' });
  });

  it('offers variables to the conditional start events', async () => {
    const started = await cli(['conditions', '--var', 'amount=5000', '--definition', 'big-order', '--id', 'r-1']);
    expect(started.code).toBe(0);
    expect(started.stdout).toMatch(/^DEFINITION\s+START EVENT\s+INSTANCE\n/);
    expect(started.stdout).toMatch(/big-order\s+big\s+m-abc/);
    expect(last('POST', '/v1/conditions')?.body).toEqual({ variables: { amount: 5000 }, definitionKey: 'big-order', requestId: 'r-1' });
    expect((await cli(['conditions', '--var', 'amount=1'])).stdout).toBe('no conditional start event holds: nothing started\n');
  });

  it('lists decisions and the versions of one', async () => {
    const list = await cli(['decisions']);
    expect(list.stdout).toMatch(/^DECISION\s+LATEST VERSION\s+DEPLOYED\n/);
    expect(list.stdout).toMatch(/discount\s+2\s/);
    const one = await cli(['decisions', 'discount']);
    expect(one.stdout).toMatch(/^discount\n/);
    expect(one.stdout).toMatch(/1\s+Discount\s+v1\s/);
    const missing = await cli(['decisions', 'nope']);
    expect(missing.code).toBe(1);
    expect(missing.stderr).toMatch(/no decision 'nope'/);
  });
});

describe('sbpmn connection options', () => {
  it('takes the URL and token from --url/--token, else from SBPMN_URL/SBPMN_TOKEN', async () => {
    await cli(['definitions', '--url', api.url, '--token', 'from-flag'], { env: { SBPMN_URL: 'http://127.0.0.1:1', SBPMN_TOKEN: 'from-env' } });
    const withFlag = last('GET', '/v1/definitions');
    await cli(['definitions'], { env: { SBPMN_URL: api.url, SBPMN_TOKEN: 'from-env' } });
    const withEnv = last('GET', '/v1/definitions');
    const run = await cli(['definitions']);

    expect(withFlag?.headers['authorization']).toBe('Bearer from-flag');
    expect(withEnv?.headers['authorization']).toBe('Bearer from-env');
    expect(last('GET', '/v1/definitions')?.headers['authorization']).toBeUndefined();
    expect(run.stdout).toBe('KEY            LATEST VERSION  DEPLOYED\ntelecom-order  3               2023-11-14T22:13:20.000Z\n');
  });

  it('exits 3 with one line when the API does not answer', async () => {
    const url = `http://127.0.0.1:${await freePort()}`;
    const run = await cli(['list', '--definition', 'order', '--url', url]);

    expect(run).toEqual({ code: 3, stdout: '', stderr: `error: cannot reach ${url}: is 'npm start' running? (ECONNREFUSED)\n` });
  });

  it('shows a spinner on stderr only when stderr is a terminal, and clears it', async () => {
    const tty = await cli(['get', 'i-1', '--json'], { interactive: true });
    const pipe = await cli(['get', 'i-1', '--json']);

    // eslint-disable-next-line no-control-regex
    expect(tty.stderr).toMatch(/^\r\u001b\[K⠋ loading i-1(.|\n)*\r\u001b\[K$/);
    expect(JSON.parse(tty.stdout)).toEqual(INSTANCE);
    expect(pipe.stderr).toBe('');
  });
});

describe('sbpmn output safety', () => {
  it('escapes control characters that come from the server', async () => {
    const evil = await startFakeApi({
      'GET /v1/jobs': () => ({ body: { items: [{ jobId: 'x\u001b[2J.1', type: 't\u202Eexe', instanceId: 'x', elementId: 'E', variables: {}, headers: {}, retries: 1 }] } }),
    });
    try {
      const run = await cli(['jobs', '--type', 't', '--url', evil.url]);

      expect(run.stdout).toContain('x\\u{1b}[2J.1');
      expect(run.stdout).toContain('t\\u{202e}exe');
      // eslint-disable-next-line no-control-regex
      expect(run.stdout).not.toMatch(/[\u0000-\u0009\u000b-\u001f\u202a-\u202e]/);
    } finally {
      await evil.close();
    }
  });
});
