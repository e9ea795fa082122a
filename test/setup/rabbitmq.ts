/**
 * A real RabbitMQ for the bridge tests (Debian's rabbitmq-server, see ../shared/EMULATORS.md):
 * used as is when one is already running, otherwise started detached and stopped again
 * at the end. Never skipped silently: without the server installed, it is installed with
 * apt-get (as root), or the run fails with the command that installs it.
 *
 * Several test runs may share the machine (and so the broker): each run registers in
 * USERS_DIR while it runs, and the broker is stopped only if a test run started it and
 * no test run still uses it. A node that is up but not accepting connections (its app
 * stopped by an outage test, or still starting) is waited for, never started again.
 */
import { execFile } from 'node:child_process';
import { existsSync, mkdirSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { connect } from 'amqplib';
import { ensurePackage } from '../../lib/local/system-packages.ts';

const run = promisify(execFile);
export const DEFAULT_AMQP_URL = 'amqp://guest:guest@127.0.0.1:5672';
const STATE_DIR = join(tmpdir(), 'sbpmn-test-rabbitmq');
const USERS_DIR = join(STATE_DIR, 'users');
const LOCK_DIR = join(STATE_DIR, 'lock');
/** Present while the broker is one a test run started. */
const STARTED_MARK = join(STATE_DIR, 'started-by-tests');

export interface Broker {
  url: string;
  stop(): Promise<void>;
}

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

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

/** Is a RabbitMQ node registered with epmd (up, even with its app stopped)? */
async function nodeUp(): Promise<boolean> {
  try {
    const { stdout } = await run('epmd', ['-names'], { timeout: 5_000 });
    return /^name rabbit at port/m.test(stdout);
  } catch {
    return false;
  }
}

async function waitFor(check: () => Promise<boolean>, timeoutMs: number, what: string): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!(await check())) {
    if (Date.now() > deadline) throw new Error(`${what} within ${timeoutMs} ms`);
    await sleep(500);
  }
}

/** A lock across test runs (mkdir is atomic); a lock older than 2 minutes is taken as abandoned. */
async function locked<T>(work: () => Promise<T>): Promise<T> {
  mkdirSync(STATE_DIR, { recursive: true });
  const deadline = Date.now() + 120_000;
  for (;;) {
    try {
      mkdirSync(LOCK_DIR);
      break;
    } catch {
      if (Date.now() > deadline) rmSync(LOCK_DIR, { recursive: true, force: true });
      await sleep(200);
    }
  }
  try {
    return await work();
  } finally {
    rmSync(LOCK_DIR, { recursive: true, force: true });
  }
}

function alive(pid: number): boolean {
  try {
    process.kill(pid, 0); // signal 0: only asks whether the process exists
    return true;
  } catch {
    return false;
  }
}

/** Test runs (by pid) still using the broker, forgetting those that died. */
function users(): number[] {
  mkdirSync(USERS_DIR, { recursive: true });
  return readdirSync(USERS_DIR).map(Number).filter((pid) => {
    if (alive(pid)) return true;
    rmSync(join(USERS_DIR, String(pid)), { force: true });
    return false;
  });
}

async function startServer(url: string): Promise<void> {
  ensurePackage({ what: 'RabbitMQ for the bridge tests (test/bridge)', apt: 'rabbitmq-server', present: installed });
  await run('rabbitmq-server', ['-detached']);
  writeFileSync(STARTED_MARK, String(process.pid));
  await waitFor(() => run('rabbitmqctl', ['-q', 'await_startup'], { timeout: 30_000 }).then(() => true, () => false), 90_000, 'RabbitMQ did not start');
  await waitFor(() => answers(url), 30_000, `RabbitMQ did not accept connections at ${url}`);
}

/** The broker at RABBITMQ_URL (or localhost), started if no node is running. */
export async function ensureRabbitMq(): Promise<Broker> {
  const url = process.env['RABBITMQ_URL'] || DEFAULT_AMQP_URL;
  if (process.env['RABBITMQ_URL']) {
    if (!(await answers(url))) throw new Error(`RABBITMQ_URL=${url} does not answer`);
    return { url, stop: async () => undefined };
  }
  await locked(async () => {
    users();
    writeFileSync(join(USERS_DIR, String(process.pid)), '');
    if (await answers(url)) return;
    if (await nodeUp()) return; // up, app stopped or starting: wait below, outside the lock
    rmSync(STARTED_MARK, { force: true });
    await startServer(url);
  });
  await waitFor(() => answers(url), 90_000, `the running RabbitMQ node did not accept connections at ${url}`);
  return { url, stop: () => release() };
}

/** This run is done with the broker; the last test run out stops a broker that test runs started. */
async function release(): Promise<void> {
  await locked(async () => {
    rmSync(join(USERS_DIR, String(process.pid)), { force: true });
    if (users().length > 0 || !existsSync(STARTED_MARK)) return;
    rmSync(STARTED_MARK, { force: true });
    await run('rabbitmqctl', ['shutdown'], { timeout: 60_000 }).catch(() => undefined);
    await run('epmd', ['-kill'], { timeout: 10_000 }).catch(() => undefined);
  });
}
