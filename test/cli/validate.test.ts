import { existsSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { EXAMPLE, FIXTURES, STACK_FRAME, sbpmn, sbpmnTo, validateJson } from './helpers.ts';

describe('sbpmn validate', () => {
  it('prints ✓ with the process keys and exits 0 when the file is valid', async () => {
    const run = await sbpmn(['validate', EXAMPLE]);

    expect(run.code).toBe(0);
    expect(run.stdout).toBe(`✓ ${EXAMPLE} (processes: telecom-order)\n`);
    expect(run.stderr).toBe('');
  });

  it('prints only a JSON array on stdout with --json', async () => {
    const run = await validateJson([EXAMPLE]);

    expect(run.code).toBe(0);
    expect(run.results).toEqual([{ file: EXAMPLE, ok: true, errors: [], processes: ['telecom-order'] }]);
    expect(run.stderr).toBe('');
  });

  it('accepts --json after the files', async () => {
    const run = await sbpmn(['validate', EXAMPLE, '--json']);

    expect(run.code).toBe(0);
    expect(JSON.parse(run.stdout)).toHaveLength(1);
  });

  it('lists every problem of an invalid file with its element id and line, and exits 1', async () => {
    const file = `${FIXTURES}/several-problems.bpmn`;
    const { code, results } = await validateJson([file]);

    expect(code).toBe(1);
    expect(results).toHaveLength(1);
    const [result] = results;
    expect(result?.ok).toBe(false);
    expect(result?.processes).toBeUndefined();
    expect(result?.errors).toEqual(expect.arrayContaining([
      { elementId: 'RegisterClaim', line: 6, message: expect.stringContaining('needs a zeebe:taskDefinition') },
      { elementId: 'Flow_Severe', line: 9, message: expect.stringContaining('FEEL syntax error') },
      { elementId: 'Flow_Minor', line: 12, message: expect.stringContaining('needs a condition') },
      { elementId: 'WaitForAssessor', line: 13, message: expect.stringContaining('needs a correlation key') },
      { elementId: 'Cooldown', line: 16, message: expect.stringContaining("'PT15X' is not an ISO 8601 duration") },
      { elementId: 'Escalate', line: 23, message: expect.stringContaining('a signal event needs a signal with a name') },
    ]));
    for (const error of result?.errors ?? []) {
      expect(typeof error.elementId).toBe('string');
      expect(typeof error.line).toBe('number');
    }
  });

  it('prints ✗ and one indented "line N  elementId  message" row per problem', async () => {
    const file = `${FIXTURES}/several-problems.bpmn`;
    const run = await sbpmn(['validate', file]);

    expect(run.code).toBe(1);
    const [head, ...rows] = run.stdout.trimEnd().split('\n');
    expect(head).toBe(`✗ ${file}`);
    expect(rows).toHaveLength(6);
    expect(rows).toContain('  line 6   RegisterClaim    a service task needs a zeebe:taskDefinition with a type');
    for (const row of rows) expect(row).toMatch(/^ {2}line \d+ +\S+ {2,}\S/);
  });

  it('reports a missing file as an invalid result naming the file, and still validates the others', async () => {
    const { code, results } = await validateJson(['no/such/model.bpmn', EXAMPLE]);

    expect(code).toBe(1);
    expect(results.map((r) => [r.file, r.ok])).toEqual([['no/such/model.bpmn', false], [EXAMPLE, true]]);
    expect(results[0]?.errors).toEqual([{ elementId: null, line: null, message: "cannot read 'no/such/model.bpmn': no such file" }]);
  });

  it('prints a missing file as ✗ with a "line ?" row', async () => {
    const run = await sbpmn(['validate', 'missing.bpmn']);

    expect(run.code).toBe(1);
    expect(run.stdout).toBe("✗ missing.bpmn\n  line ?  -  cannot read 'missing.bpmn': no such file\n");
  });

  it('refuses directories and special files as results, without reading them', async () => {
    const { code, results } = await validateJson([FIXTURES, '/dev/null']);

    expect(code).toBe(1);
    expect(results[0]?.errors[0]?.message).toBe(`'${FIXTURES}' is a directory, not a BPMN file`);
    expect(results[1]?.errors[0]?.message).toBe("'/dev/null' is not a regular file");
  });

  it('exits 1 when only some files are invalid', async () => {
    const { code, results } = await validateJson([EXAMPLE, `${FIXTURES}/several-problems.bpmn`]);

    expect(code).toBe(1);
    expect(results.map((r) => r.ok)).toEqual([true, false]);
  });

  it('escapes control and bidi characters from the file in human output', async () => {
    const run = await sbpmn(['validate', `${FIXTURES}/odd-ids.bpmn`]);

    expect(run.code).toBe(1);
    // eslint-disable-next-line no-control-regex
    expect(run.stdout).not.toMatch(/[\u0000-\u0009\u000b-\u001f\u007f-\u009f\u202a-\u202e\u2066-\u2069]/);
    expect(run.stdout).toContain('illegal ID <esc\\u{1b}[31mred>');
    expect(run.stdout).toContain('illegal ID <rtl\\u{202e}txt.exe>');
  });
});

describe('sbpmn internal errors', () => {
  it.skipIf(!existsSync('/dev/full'))('prints one "internal error" line and exits 1 when stdout cannot be written', async () => {
    const run = await sbpmnTo('/dev/full', ['validate', EXAMPLE]);

    expect(run.code).toBe(1);
    expect(run.stderr).toBe('internal error: ENOSPC: no space left on device, write\n');
  });
});

describe('sbpmn usage errors', () => {
  it('exits 2 with the usage on stderr when no command is given', async () => {
    const run = await sbpmn([]);

    expect(run.code).toBe(2);
    expect(run.stdout).toBe('');
    expect(run.stderr).toContain('Usage: sbpmn');
    expect(run.stderr).toContain('validate');
  });

  it('exits 2 when validate gets no files, even with --json', async () => {
    const run = await sbpmn(['validate', '--json']);

    expect(run.code).toBe(2);
    expect(run.stdout).toBe('');
    expect(run.stderr).toContain("missing required argument 'files'");
  });

  it('exits 2 on an unknown option', async () => {
    const run = await sbpmn(['validate', '--yaml', EXAMPLE]);

    expect(run.code).toBe(2);
    expect(run.stdout).toBe('');
    expect(run.stderr).toContain("unknown option '--yaml'");
  });

  it('exits 2 on an unknown command', async () => {
    const run = await sbpmn(['publish', EXAMPLE]);

    expect(run.code).toBe(2);
    expect(run.stderr).toContain("unknown command 'publish'");
  });

  it.each(['--help', 'help validate', 'validate --help'])('exits 0 for `sbpmn %s`', async (command) => {
    const run = await sbpmn(command.split(' '));

    expect(run.code).toBe(0);
    expect(run.stdout).toContain('Usage: sbpmn');
    expect(run.stderr).toBe('');
  });

  it('prints the package version with --version', async () => {
    const run = await sbpmn(['--version']);

    expect(run.code).toBe(0);
    expect(run.stdout).toMatch(/^\d+\.\d+\.\d+\n$/);
  });

  it('never prints a stack trace for usage errors', async () => {
    const runs = [];
    for (const args of [[], ['validate'], ['validate', '-x'], ['nope'], ['validate', '--json=1', EXAMPLE]]) runs.push(await sbpmn(args));

    for (const run of runs) {
      expect(run.code).toBe(2);
      expect(run.stderr).not.toMatch(STACK_FRAME);
    }
  });
});
