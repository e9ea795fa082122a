import { afterEach, describe, expect, it } from 'vitest';
import { exponentialBackoff } from '../../lib/worker/backoff.ts';
import { ApiClient } from '../../lib/worker/client.ts';
import { BpmnError, JobFailure } from '../../lib/worker/errors.ts';
import type { ActivatedJob } from '../../lib/worker/types.ts';
import { createWorker, type JobWorker, type WorkerOptions } from '../../lib/worker/worker.ts';
import { captureLogger, deferred, FakeJobs, freePort, job, sleep, startFakeApi, until, type FakeApi, type Routes } from './fake-api.ts';

let apis: FakeApi[] = [];
let workers: JobWorker[] = [];

afterEach(async () => {
  await Promise.all(workers.map((w) => w.stop()));
  await Promise.all(apis.map((a) => a.close()));
  workers = [];
  apis = [];
});

async function serve(routes: Routes, port = 0): Promise<FakeApi> {
  const api = await startFakeApi(routes, port);
  apis.push(api);
  return api;
}

function start(url: string, options: Partial<WorkerOptions> & Pick<WorkerOptions, 'handler'>) {
  const { entries, logger } = captureLogger();
  const worker = createWorker({ client: new ApiClient({ url }), type: 'work', worker: 'test-worker', pollIntervalMs: 10, longPollMs: 0, logger, ...options });
  workers.push(worker);
  return { worker, log: entries };
}

const activations = (api: FakeApi) => api.requests.filter((r) => r.path === '/v1/jobs/activate');
const byId = <T extends { jobId: string }>(items: T[]): T[] => [...items].sort((a, b) => a.jobId.localeCompare(b.jobId));

describe('job worker', () => {
  it('completes each job with the variables its handler returns, and leaves other types alone', async () => {
    const jobs = new FakeJobs().add(job('i1.1', { variables: { n: 1 } }), job('i1.2', { variables: { n: 2 } }), job('i2.1', { type: 'other' }), job('i3.1'));
    const api = await serve(jobs.routes());
    start(api.url, {
      longPollMs: 5_000,
      handler: (j) => (j.jobId === 'i3.1' ? undefined : { doubled: Number(j.variables['n']) * 2 }),
    });

    await until(() => jobs.completed.length === 3);

    expect(byId(jobs.completed)).toEqual([
      { jobId: 'i1.1', variables: { doubled: 2 } },
      { jobId: 'i1.2', variables: { doubled: 4 } },
      { jobId: 'i3.1', variables: {} },
    ]);
    expect(jobs.open.has('i2.1')).toBe(true);
    const [first] = activations(api);
    expect(first?.body).toEqual({ type: 'work', maxJobs: 32, timeoutMs: 300_000, worker: 'test-worker' });
    expect(first?.query.get('wait')).toBe('5000');
  });

  it('sends its reports without waiting for them to be applied (wait=0), unless told to', async () => {
    const jobs = new FakeJobs().add(job('i1.1'));
    const api = await serve(jobs.routes());
    start(api.url, { handler: () => ({}) });
    await until(() => jobs.completed.length === 1);
    expect(api.requests.find((r) => r.path === '/v1/jobs/i1.1/complete')?.query.get('wait')).toBe('0');

    const more = new FakeJobs().add(job('i2.1'));
    const waiting = await serve(more.routes());
    start(waiting.url, { handler: () => ({}), awaitApplied: true });
    await until(() => more.completed.length === 1);
    expect(waiting.requests.find((r) => r.path === '/v1/jobs/i2.1/complete')?.query.get('wait')).toBeNull();
  });

  it('never has more than maxJobsActive jobs in flight', async () => {
    const jobs = new FakeJobs().add(...Array.from({ length: 20 }, (_, i) => job(`i${i}.1`)));
    const api = await serve(jobs.routes());
    let running = 0;
    let most = 0;
    start(api.url, {
      maxJobsActive: 3,
      handler: async () => {
        most = Math.max(most, ++running);
        await sleep(15);
        running--;
      },
    });

    await until(() => jobs.completed.length === 20);

    expect(most).toBe(3);
    expect(jobs.maxLeased).toBe(3);
    for (const request of activations(api)) expect((request.body as { maxJobs: number }).maxJobs).toBeLessThanOrEqual(3);
  });

  it('keeps to maxJobsActive even when the server hands out more jobs than asked for', async () => {
    const batch = Array.from({ length: 6 }, (_, i) => job(`i${i}.1`));
    const completed: string[] = [];
    let served = false;
    const api = await serve({
      'POST /v1/jobs/activate': () => {
        const items = served ? [] : batch;
        served = true;
        return { body: { items } };
      },
      'POST /v1/jobs/:jobId/complete': (req) => {
        completed.push(req.params['jobId'] ?? '');
        return { body: { version: 2 } };
      },
    });
    let running = 0;
    let most = 0;
    const { log } = start(api.url, {
      maxJobsActive: 2,
      handler: async () => {
        most = Math.max(most, ++running);
        await sleep(10);
        running--;
      },
    });

    await until(() => completed.length === 6);

    expect(most).toBe(2);
    expect(log).toContainEqual(expect.objectContaining({ level: 'warn', message: 'the server sent more jobs than asked for' }));
  });

  it('fails a job with one retry less and an exponential backoff when the handler throws', async () => {
    const jobs = new FakeJobs().add(job('a.1', { retries: 3 }), job('b.1', { retries: 2 }), job('c.1', { retries: 1 }));
    const api = await serve(jobs.routes());
    start(api.url, { handler: (j) => { throw new Error(`boom ${j.jobId}`); } });

    await until(() => jobs.failed.length === 3);

    expect(byId(jobs.failed)).toEqual([
      { jobId: 'a.1', body: { retries: 2, errorMessage: 'boom a.1', retryBackoffMs: 1_000 } },
      { jobId: 'b.1', body: { retries: 1, errorMessage: 'boom b.1', retryBackoffMs: 2_000 } },
      // No retries left: an incident, so there is nothing to wait for.
      { jobId: 'c.1', body: { retries: 0, errorMessage: 'boom c.1' } },
    ]);
    expect(jobs.completed).toEqual([]);
  });

  it('uses the configured backoff, and the retries and backoff of a JobFailure', async () => {
    const jobs = new FakeJobs().add(job('a.1', { retries: 5 }), job('b.1', { retries: 5 }));
    const api = await serve(jobs.routes());
    start(api.url, {
      retryBackoff: (j, error) => (error instanceof Error && error.message === 'slow' ? 1_234 : j.retries),
      handler: (j) => {
        if (j.jobId === 'a.1') throw new Error('slow');
        throw new JobFailure('cannot work', { retries: 0 });
      },
    });

    await until(() => jobs.failed.length === 2);

    expect(byId(jobs.failed)).toEqual([
      { jobId: 'a.1', body: { retries: 4, errorMessage: 'slow', retryBackoffMs: 1_234 } },
      { jobId: 'b.1', body: { retries: 0, errorMessage: 'cannot work' } },
    ]);
  });

  it('throws a BPMN error when the handler throws BpmnError', async () => {
    const jobs = new FakeJobs().add(job('i1.4'));
    const api = await serve(jobs.routes());
    start(api.url, { handler: () => { throw new BpmnError('CREDIT_REFUSED', 'score too low', { score: 410 }); } });

    await until(() => jobs.errors.length === 1);

    expect(jobs.errors).toEqual([{ jobId: 'i1.4', body: { errorCode: 'CREDIT_REFUSED', errorMessage: 'score too low', variables: { score: 410 } } }]);
    expect(jobs.failed).toEqual([]);
  });

  it('fails a job whose handler returns something other than an object of variables', async () => {
    const jobs = new FakeJobs().add(job('i1.1'));
    const api = await serve(jobs.routes());
    start(api.url, { handler: () => [1, 2] as unknown as Record<string, never> });

    await until(() => jobs.failed.length === 1);

    expect(jobs.failed[0]?.body).toMatchObject({ retries: 2, errorMessage: 'the handler returned an array, not an object of variables' });
  });

  it('stop() stops polling at once and resolves when the jobs in flight are reported', async () => {
    const jobs = new FakeJobs().add(job('a.1'), job('b.1'));
    const api = await serve(jobs.routes());
    const gate = deferred();
    let started = 0;
    const { worker } = start(api.url, {
      handler: async () => {
        started++;
        await gate.promise;
        return { done: true };
      },
    });
    await until(() => started === 2);

    let stopped = false;
    const stopping = worker.stop().then(() => { stopped = true; });
    await sleep(50);
    const polls = activations(api).length;
    jobs.add(job('c.1'));
    await sleep(50);

    expect(stopped).toBe(false);
    expect(worker.activeJobs).toBe(2);
    gate.resolve();
    await stopping;
    expect(byId(jobs.completed).map((c) => c.jobId)).toEqual(['a.1', 'b.1']);
    expect(activations(api).length).toBe(polls);
    expect(jobs.open.has('c.1')).toBe(true);
    expect(worker.activeJobs).toBe(0);
  });

  it('stop() does not wait for a long poll to end', async () => {
    const api = await serve({ 'POST /v1/jobs/activate': () => sleep(5_000).then(() => ({ body: { items: [] } })) });
    const { worker } = start(api.url, { longPollMs: 5_000, handler: () => undefined });
    await until(() => activations(api).length === 1);

    const began = Date.now();
    await worker.stop();

    expect(Date.now() - began).toBeLessThan(1_000);
  });

  it('survives an API that is down, then takes jobs once it is back', async () => {
    const port = await freePort();
    const jobs = new FakeJobs().add(job('i1.1'));
    const { log } = start(`http://127.0.0.1:${port}`, { maxPollBackoffMs: 40, handler: () => ({ ok: true }) });

    await until(() => log.filter((e) => e.message.startsWith('polling for jobs failed')).length >= 3);
    await serve(jobs.routes(), port);
    await until(() => jobs.completed.length === 1);

    const failure = log.find((e) => e.message.startsWith('polling for jobs failed'));
    expect(failure?.level).toBe('warn');
    expect(String(failure?.fields['error'])).toContain('ECONNREFUSED');
    expect(jobs.completed).toEqual([{ jobId: 'i1.1', variables: { ok: true } }]);
  });

  it('keeps polling through server errors from activate', async () => {
    const jobs = new FakeJobs().add(job('i1.1'));
    const routes = jobs.routes();
    let calls = 0;
    const api = await serve({
      ...routes,
      'POST /v1/jobs/activate': (req) => (++calls <= 2 ? { status: 503, body: { error: { code: 'unavailable', message: 'try later', details: [] } } } : routes['POST /v1/jobs/activate']!(req)),
    });
    const { log } = start(api.url, { maxPollBackoffMs: 20, handler: () => ({}) });

    await until(() => jobs.completed.length === 1);

    expect(log.filter((e) => e.message.startsWith('polling for jobs failed')).map((e) => e.fields['error'])).toEqual(['try later', 'try later']);
  });

  it('retries a report the API could not take, and gives up on a job that is gone (409)', async () => {
    const attempts: Record<string, number> = {};
    let served = false;
    const api = await serve({
      'POST /v1/jobs/activate': () => {
        const items = served ? [] : [job('a.1'), job('b.1')];
        served = true;
        return { body: { items } };
      },
      'POST /v1/jobs/:jobId/complete': (req) => {
        const id = req.params['jobId'] ?? '';
        attempts[id] = (attempts[id] ?? 0) + 1;
        if (id === 'b.1') return { status: 409, body: { error: { code: 'conflict', message: 'the job is no longer active', details: [] } } };
        return attempts[id] === 1 ? { status: 503, text: 'busy' } : { body: { version: 4 } };
      },
    });
    const { log } = start(api.url, { handler: () => ({}) });

    await until(() => attempts['a.1'] === 2 && attempts['b.1'] === 1);
    await sleep(30);

    expect(attempts).toEqual({ 'a.1': 2, 'b.1': 1 });
    const keys = api.requests.filter((r) => r.path === '/v1/jobs/a.1/complete').map((r) => r.headers['idempotency-key']);
    expect(keys[0]).toMatch(/^[\w.:-]{1,128}$/);
    expect(keys[1]).toBe(keys[0]);
    expect(log).toContainEqual({ level: 'warn', message: 'could not complete job', fields: { jobId: 'b.1', error: 'the job is no longer active', attempts: 1 } });
  });

  it('asks for at most 100 jobs per poll, the API\'s limit', async () => {
    const api = await serve({ 'POST /v1/jobs/activate': () => ({ body: { items: [] } }) });
    start(api.url, { maxJobsActive: 250, handler: () => undefined });

    await until(() => activations(api).length > 0);

    expect(activations(api)[0]?.body).toMatchObject({ maxJobs: 100 });
  });
});

describe('exponentialBackoff', () => {
  const withRetries = (retries: number): ActivatedJob => job('x.1', { retries });

  it('doubles with every retry used, from the retries that remain', () => {
    const backoff = exponentialBackoff({ initialMs: 100, retries: 5 });

    expect([5, 4, 3, 2, 1].map((r) => backoff(withRetries(r), new Error()))).toEqual([100, 200, 400, 800, 0]);
  });

  it('stops at maxMs', () => {
    expect(exponentialBackoff({ initialMs: 1_000, maxMs: 1_500, retries: 10 })(withRetries(2), null)).toBe(1_500);
  });
});
