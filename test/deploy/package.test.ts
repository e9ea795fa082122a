/**
 * package.json as a consumer resolves it: every entry of `exports` names a file that exists,
 * and each subpath is documented in README.
 */
import { existsSync, readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';

const root = new URL('../../', import.meta.url);
const pkg = JSON.parse(readFileSync(new URL('package.json', root), 'utf8')) as { exports: Record<string, string>; bin?: Record<string, string> };
const readme = readFileSync(new URL('README.md', root), 'utf8');

describe('package.json', () => {
  it('exports only files that exist, each documented as serverless-bpmn/<subpath>', () => {
    expect(Object.keys(pkg.exports).length).toBeGreaterThan(0);
    for (const [subpath, file] of Object.entries(pkg.exports)) {
      expect(existsSync(new URL(file, root)), `${subpath} -> ${file}`).toBe(true);
      expect(readme, subpath).toContain(`serverless-bpmn${subpath.slice(1)}`);
    }
  });

  it('has a command-line entry that exists', () => {
    for (const [name, file] of Object.entries(pkg.bin ?? {})) expect(existsSync(new URL(file, root)), name).toBe(true);
  });
});
