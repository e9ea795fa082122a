/**
 * System packages the local runtime and the tests need (Java for DynamoDB Local, and for
 * the tests Chromium and RabbitMQ): present, installed with apt-get when this runs as root
 * on Debian/Ubuntu (so `npm start` / `npm test` need no set-up step of their own), or a
 * clear error with the command that installs them.
 *
 * `SBPMN_NO_INSTALL=1` turns the installing off (the error is given instead).
 */
import { execFileSync } from 'node:child_process';
import { existsSync } from 'node:fs';

export interface SystemPackage {
  /** What it is for, in the error message: 'Java 17 for DynamoDB Local'. */
  what: string;
  /** The Debian package that provides it. */
  apt: string;
  present(): boolean;
}

const APT_GET = '/usr/bin/apt-get';
let updated = false;

function canInstall(): boolean {
  return process.env['SBPMN_NO_INSTALL'] !== '1' && process.getuid?.() === 0 && existsSync(APT_GET);
}

/** Makes sure `pkg` is there; installs it with apt-get when allowed, else throws naming the command. */
export function ensurePackage(pkg: SystemPackage): void {
  if (pkg.present()) return;
  const command = `apt-get update && apt-get install -y ${pkg.apt}`;
  if (!canInstall()) throw new Error(`${pkg.what} is missing: install it with \`${command}\` (as root)`);
  process.stderr.write(`${pkg.what} is missing: installing the Debian package ${pkg.apt} (once)...\n`);
  const env = { ...process.env, DEBIAN_FRONTEND: 'noninteractive' };
  try {
    if (!updated) execFileSync(APT_GET, ['update', '-qq'], { stdio: ['ignore', 'ignore', 'inherit'], env });
    updated = true;
    execFileSync(APT_GET, ['install', '-y', '-qq', pkg.apt], { stdio: ['ignore', 'ignore', 'inherit'], env });
  } catch (error) {
    throw new Error(`${pkg.what} is missing and \`${command}\` failed: ${(error as Error).message}`);
  }
  if (!pkg.present()) throw new Error(`${pkg.what} is still missing after installing ${pkg.apt}`);
}

/** Is `command` runnable (on the PATH, exits normally)? */
export function runs(command: string, args: string[]): boolean {
  try {
    execFileSync(command, args, { stdio: 'ignore' });
    return true;
  } catch {
    return false;
  }
}

export const JAVA: SystemPackage = { what: 'Java (17 or later) for DynamoDB Local', apt: 'openjdk-17-jre-headless', present: () => runs('java', ['-version']) };
