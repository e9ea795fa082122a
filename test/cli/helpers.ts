/** Runs the real `sbpmn` bin in a child process, as a user would. */
import { execFile, spawn } from 'node:child_process';
import { closeSync, openSync } from 'node:fs';
import { fileURLToPath } from 'node:url';

export const ROOT = fileURLToPath(new URL('../../', import.meta.url));
export const BIN = fileURLToPath(new URL('../../bin/sbpmn.mjs', import.meta.url));
export const EXAMPLE = 'examples/telecom-order.bpmn';
export const FIXTURES = 'test/fixtures/bpmn';

export interface Run {
  code: number;
  stdout: string;
  stderr: string;
}

export interface JsonProblem {
  elementId: string | null;
  message: string;
  line: number | null;
}

export interface JsonResult {
  file: string;
  ok: boolean;
  errors: JsonProblem[];
  processes?: string[];
}

/** `sbpmn ...args` from the repository root; resolves with the exit code, never rejects on exit != 0. */
export function sbpmn(args: readonly string[]): Promise<Run> {
  return new Promise((resolve, reject) => {
    execFile(
      process.execPath,
      [BIN, ...args],
      { cwd: ROOT, encoding: 'utf8', maxBuffer: 256 * 1024 * 1024, timeout: 120_000 },
      (error, stdout, stderr) => {
        if (error && typeof error.code !== 'number') reject(error);
        else resolve({ code: typeof error?.code === 'number' ? error.code : 0, stdout, stderr });
      },
    );
  });
}

/** `sbpmn validate --json ...files`, with stdout parsed. */
export async function validateJson(files: readonly string[]): Promise<Run & { results: JsonResult[] }> {
  const run = await sbpmn(['validate', '--json', ...files]);
  return { ...run, results: JSON.parse(run.stdout) as JsonResult[] };
}

/** A stack frame anywhere in the output means an exception escaped. */
export const STACK_FRAME = /^\s+at .+[(:]\d+/m;

/** `sbpmn ...args` with stdout written to `path` (e.g. /dev/full); resolves with the exit code and stderr. */
export function sbpmnTo(path: string, args: readonly string[]): Promise<{ code: number | null; stderr: string }> {
  const fd = openSync(path, 'w');
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [BIN, ...args], { cwd: ROOT, stdio: ['ignore', fd, 'pipe'] });
    let stderr = '';
    child.stderr?.setEncoding('utf8').on('data', (chunk: string) => { stderr += chunk; });
    child.on('error', reject);
    child.on('close', (code) => {
      closeSync(fd);
      resolve({ code, stderr });
    });
  });
}
