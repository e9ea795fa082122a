/** System packages: used when present, and a missing one names the command that installs it. */
import { afterEach, describe, expect, it } from 'vitest';
import { ensurePackage, JAVA, runs } from '../../lib/local/system-packages.ts';

const saved = process.env['SBPMN_NO_INSTALL'];
afterEach(() => {
  if (saved === undefined) delete process.env['SBPMN_NO_INSTALL'];
  else process.env['SBPMN_NO_INSTALL'] = saved;
});

describe('system packages', () => {
  it('does nothing when the package is present (Java runs on this machine)', () => {
    expect(runs('java', ['-version'])).toBe(true);
    expect(() => ensurePackage(JAVA)).not.toThrow();
  });

  it('a missing package that may not be installed fails with the apt-get command', () => {
    process.env['SBPMN_NO_INSTALL'] = '1';
    let checks = 0;
    const missing = { what: 'A tool for this test', apt: 'sbpmn-no-such-package', present: () => (checks++, false) };
    expect(() => ensurePackage(missing)).toThrow('A tool for this test is missing: install it with `apt-get update && apt-get install -y sbpmn-no-such-package` (as root)');
    expect(checks).toBe(1);
  });

  it('a command that does not exist does not run', () => {
    expect(runs('sbpmn-no-such-command', [])).toBe(false);
  });
});
