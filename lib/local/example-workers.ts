/**
 * Simulated workers for the telecom example's job types, so `npm start` runs an order
 * end to end. They are ordinary job workers (lib/worker) talking to the local API.
 */
import { createClient, createWorker, silentLogger, type JobWorker } from '../worker/index.ts';

export interface ExampleWorkers {
  workers: JobWorker[];
  stop(): Promise<void>;
}

export function startExampleWorkers(url: string, token?: string): ExampleWorkers {
  const client = createClient({ url, ...(token ? { token } : {}) });
  const common = { client, logger: silentLogger, pollIntervalMs: 500, longPollMs: 5_000, worker: 'example-worker' };
  const workers = [
    // KYC: every customer passes, except one whose id contains "blocked".
    createWorker({ ...common, type: 'kyc-check', handler: (job) => ({ identityVerified: !String(job.variables['customerId'] ?? '').includes('blocked') }) }),
    createWorker({ ...common, type: 'credit-check', handler: (job) => ({ creditScore: 600 + (String(job.instanceId).length * 7) % 200 }) }),
    createWorker({ ...common, type: 'provision-line', handler: (job) => ({ lineNumber: `+33 6 ${String(job.instanceId).slice(0, 8)}` }) }),
  ];
  return { workers, stop: async () => { await Promise.all(workers.map((w) => w.stop())); } };
}
