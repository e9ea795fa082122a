/**
 * A real RabbitMQ for the bridge tests (Debian's rabbitmq-server, see ../shared/EMULATORS.md):
 * used as is when one already answers, otherwise started detached and, at the end,
 * stopped again (only the one this run started). Never skipped silently: without the
 * server installed, the run fails with the command that installs it.
 */
import { execFile } from 'node:child_process';
import { existsSync } from 'node:fs';
import { promisify } from 'node:util';
import { connect } from 'amqplib';

const run = promisify(execFile);
export const DEFAULT_AMQP_URL = 'amqp://guest:guest@127.0.0.1:5672';
const INSTALL = 'apt-get update && DEBIAN_FRONTEND=noninteractive apt-get install -y rabbitmq-server';

export interface Broker {
  url: string;
  /** Whether this run started it (and so stops it). */
  started: boolean;
  stop(): Promise<void>;
}

/** One connection attempt: does a broker answer at `url`? */
export async function answers(url: string): Promise<boolean> {
  try {
    const connection = await connect(url, { timeout: 2_000 });
    await connection.close();
    return true;
  } catch {
    return false;
  }
}

function installed(): boolean {
  return ['/usr/sbin/rabbitmq-server', '/usr/lib/rabbitmq/bin/rabbitmq-server'].some((p) => existsSync(p));
}

async function succeeds(command: string, args: string[], timeoutMs = 30_000): Promise<boolean> {
  try {
    await run(command, args, { timeout: timeoutMs });
    return true;
  } catch {
    return false;
  }
}

async function waitFor(check: () => Promise<boolean>, timeoutMs: number, what: string): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!(await check())) {
    if (Date.now() > deadline) throw new Error(`${what} within ${timeoutMs} ms`);
    await new Promise((r) => setTimeout(r, 500));
  }
}

/** The broker at RABBITMQ_URL (or localhost), started if it is not running. */
export async function ensureRabbitMq(): Promise<Broker> {
  const url = process.env['RABBITMQ_URL'] || DEFAULT_AMQP_URL;
  const keep: Broker = { url, started: false, stop: async () => undefined };
  if (await answers(url)) return keep;
  if (process.env['RABBITMQ_URL']) throw new Error(`RABBITMQ_URL=${url} does not answer`);
  if (!installed()) throw new Error(`RabbitMQ is required by the bridge tests (test/bridge) and is not installed: ${INSTALL}`);
  if (await succeeds('rabbitmqctl', ['-q', 'status'], 15_000)) {
    // A node is up but not accepting connections yet (starting, or its app stopped): wait for it, never stop it.
    await waitFor(() => answers(url), 60_000, `the running RabbitMQ node did not accept connections at ${url}`);
    return keep;
  }
  await run('rabbitmq-server', ['-detached']);
  await waitFor(() => succeeds('rabbitmqctl', ['-q', 'await_startup'], 30_000), 90_000, 'RabbitMQ did not start');
  await waitFor(() => answers(url), 30_000, `RabbitMQ did not accept connections at ${url}`);
  return {
    url,
    started: true,
    stop: async () => {
      await run('rabbitmqctl', ['shutdown'], { timeout: 60_000 }).catch(() => undefined);
      await run('epmd', ['-kill'], { timeout: 10_000 }).catch(() => undefined);
    },
  };
}
