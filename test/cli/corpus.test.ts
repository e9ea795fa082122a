/**
 * The robustness corpus (test/fixtures/bpmn): third-party-style models and hostile
 * inputs, run through the real CLI. Each file is either accepted with its process
 * keys or refused with errors that name the element and the reason; nothing crashes.
 */
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { basename, join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { FIXTURES, STACK_FRAME, sbpmn, validateJson, type JsonResult, type Run } from './helpers.ts';

/** Fixtures the engine runs, with the process keys they compile to. */
const ACCEPTED: Readonly<Record<string, string[]>> = {
  'signavio-export.bpmn': ['sid-0d8e0f7a-purchase'],
  'camunda8-modeler5-onboarding.bpmn': ['customer-onboarding'],
  'collaboration-pools-lanes.bpmn': ['order-fulfilment'],
  'multiple-processes.bpmn': ['invoice-create', 'invoice-remind'],
  'artifacts-data-annotations-groups.bpmn': ['contract-review'],
  'default-namespace-executable.bpmn': ['ticket-triage'],
  'comments-cdata-pi.bpmn': ['refund'],
  'character-references.bpmn': ['ent'],
  'utf8-bom.bpmn': ['bestellung'],
  'utf16le-bom.bpmn': ['bestellung'],
  'utf16be-no-bom.bpmn': ['bestellung'],
  'latin1-declared.bpmn': ['bestellung'],
  'event-subprocess.bpmn': ['loan-application'],
  'call-activity.bpmn': ['subscription-renewal'],
  // One of each element of the rest of BPMN: call activity (multi-instance), business rule task (DMN),
  // standard loop, compensation, signals, escalation, links, conditional events, ad-hoc and
  // transaction subprocesses, event subprocesses of every trigger.
  'every-element.bpmn': ['every-callee', 'every-element'],
};

interface Refusal {
  elementId: string | null;
  reason: RegExp;
  line?: number;
}

/** Fixtures the engine refuses: each listed refusal must be among the file's errors. */
const REFUSED: Readonly<Record<string, Refusal[]>> = {
  'camunda7-modeler4-invoice.bpmn': [
    { elementId: 'Task_AssignApprover', reason: /business rule task needs a zeebe:taskDefinition/, line: 8 },
    { elementId: 'Task_Approve', reason: /unsupported extension element <camunda:formData>/ },
    { elementId: 'Task_Approve', reason: /unsupported extension element <camunda:taskListener>/ },
    { elementId: 'Flow_Yes', reason: /FEEL syntax error/ },
    { elementId: 'Task_Pay', reason: /service task needs a zeebe:taskDefinition/, line: 35 },
    { elementId: 'Task_Reject', reason: /script task needs a zeebe:script/ },
    { elementId: 'EndEvent_Paid', reason: /unsupported extension element <camunda:executionListener>/ },
  ],
  'camunda8-unsupported-features.bpmn': [
    { elementId: 'Start', reason: /execution listeners are not supported/, line: 4 },
  ],
  'camunda7-attributes-only.bpmn': [
    { elementId: 'Task_Approve', reason: /Camunda 7 attributes.*camunda:assignee/, line: 8 },
    { elementId: 'StartEvent_Request', reason: /camunda:formKey/, line: 4 },
  ],
  'bpmn-io-demo.bpmn': [{ elementId: null, reason: /no executable process/ }],
  'data-reference-named-constructor.bpmn': [{ elementId: 'constructor', reason: /the id 'constructor' is reserved/, line: 6 }],
  'prototype-named-ids.bpmn': [{ elementId: '__proto__', reason: /the id '__proto__' is reserved/, line: 5 }],
  'multi-instance.bpmn': [
    { elementId: 'RetryLoop', reason: /a standard loop needs a loopCondition or a loopMaximum/ },
  ],
  'several-problems.bpmn': [
    { elementId: 'RegisterClaim', reason: /service task needs a zeebe:taskDefinition/, line: 6 },
    { elementId: 'Cooldown', reason: /not an ISO 8601 duration/, line: 16 },
  ],
  'long-attribute-values.bpmn': [{ elementId: 'Flow_Long', reason: /longer than 8192 characters/, line: 8 }],
  'odd-ids.bpmn': [
    { elementId: null, reason: /illegal ID <1starts-with-digit>/, line: 7 },
    { elementId: null, reason: /illegal ID <has space>/, line: 8 },
    { elementId: null, reason: /illegal ID <Größe_注文>/, line: 9 },
  ],
  'empty.bpmn': [{ elementId: null, reason: /BPMN document is empty/ }],
  'binary-garbage.bpmn': [{ elementId: null, reason: /is not valid UTF-8 text/ }],
  'truncated.bpmn': [{ elementId: null, reason: /malformed BPMN XML/, line: 35 }],
  'xxe-doctype.bpmn': [{ elementId: null, reason: /DOCTYPE declarations are not allowed/, line: 2 }],
  'billion-laughs.bpmn': [{ elementId: null, reason: /DOCTYPE declarations are not allowed/, line: 2 }],
  'not-bpmn.xml': [{ elementId: null, reason: /malformed BPMN XML/ }],
};

const ALL = [...Object.keys(ACCEPTED), ...Object.keys(REFUSED)];

function expectWellFormed(result: JsonResult | undefined): void {
  expect(result).toBeDefined();
  expect(typeof result?.ok).toBe('boolean');
  if (result?.ok) expect(result.errors).toEqual([]);
  else expect(result?.errors.length).toBeGreaterThan(0);
  for (const error of result?.errors ?? []) {
    expect(typeof error.message).toBe('string');
    expect(error.message.trim()).not.toBe('');
    expect(error.elementId === null || typeof error.elementId === 'string').toBe(true);
    expect(error.line === null || (Number.isInteger(error.line) && error.line > 0)).toBe(true);
  }
}

function expectNoCrash(run: Run): void {
  expect(run.stdout).not.toMatch(STACK_FRAME);
  expect(run.stderr).not.toMatch(STACK_FRAME);
  expect(run.stderr).not.toContain('internal error');
}

describe('the fixture corpus, through sbpmn validate --json', () => {
  let run: Run & { results: JsonResult[] };
  const byFile = new Map<string, JsonResult>();

  beforeAll(async () => {
    run = await validateJson(ALL.map((name) => `${FIXTURES}/${name}`));
    for (const result of run.results) byFile.set(basename(result.file), result);
  }, 120_000);

  it('returns one well-formed result per file, in order, and exits 1', () => {
    expect(run.code).toBe(1);
    expect(run.results.map((r) => basename(r.file))).toEqual(ALL);
    for (const result of run.results) expectWellFormed(result);
    expectNoCrash(run);
  });

  it.each(Object.entries(ACCEPTED))('accepts %s', (name, processes) => {
    expect(byFile.get(name)).toEqual({ file: `${FIXTURES}/${name}`, ok: true, errors: [], processes });
  });

  describe('every refusal names the element and why', () => {
    it.each(Object.entries(REFUSED))('refuses %s', (name, refusals) => {
      const result = byFile.get(name);
      expect(result?.ok).toBe(false);
      for (const refusal of refusals) {
        const match = result?.errors.find((e) => e.elementId === refusal.elementId && refusal.reason.test(e.message));
        expect(match, `${name}: no error on ${refusal.elementId} matching ${refusal.reason}; got ${JSON.stringify(result?.errors)}`).toBeDefined();
        if (refusal.line !== undefined) expect(match?.line).toBe(refusal.line);
      }
    });

    it('accepts the zeebe multi-instance task of multi-instance.bpmn; only its standard loop is refused', () => {
      expect(byFile.get('multi-instance.bpmn')?.errors.map((e) => e.elementId)).toEqual(['RetryLoop']);
    });

    it('refuses every Camunda 7 element that carries camunda: behaviour, not only the first', () => {
      const ids = new Set(byFile.get('camunda7-modeler4-invoice.bpmn')?.errors.map((e) => e.elementId));
      expect([...ids]).toEqual(expect.arrayContaining(['Task_AssignApprover', 'Task_Approve', 'Task_Pay', 'Task_Reject', 'EndEvent_Paid']));
    });
  });

  it('never reads external entities', () => {
    const text = JSON.stringify([byFile.get('xxe-doctype.bpmn'), byFile.get('billion-laughs.bpmn')]);
    expect(text).not.toContain('root:');
    expect(text).not.toContain('lollol');
  });

  it('prints the whole corpus as terminal-safe human output', async () => {
    const human = await sbpmn(['validate', ...ALL.map((name) => `${FIXTURES}/${name}`)]);

    expect(human.code).toBe(1);
    const lines = human.stdout.trimEnd().split('\n');
    for (const line of lines) expect(line).toMatch(/^(✓ |✗ | {2}line )/);
    expect(lines.filter((l) => l.startsWith('✓ '))).toHaveLength(run.results.filter((r) => r.ok).length);
    expect(lines.filter((l) => l.startsWith('✗ '))).toHaveLength(run.results.filter((r) => !r.ok).length);
    // eslint-disable-next-line no-control-regex
    expect(human.stdout).not.toMatch(/[\u0000-\u0009\u000b-\u001f\u007f-\u009f\u202a-\u202e\u2066-\u2069]/);
    expectNoCrash(human);
  }, 60_000);

});

describe('generated hostile inputs', () => {
  const dir = mkdtempSync(join(tmpdir(), 'sbpmn-corpus-'));
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  const head = '<?xml version="1.0" encoding="UTF-8"?>\n'
    + '<bpmn:definitions xmlns:bpmn="http://www.omg.org/spec/BPMN/20100524/MODEL" xmlns:zeebe="http://camunda.org/schema/zeebe/1.0" id="D" targetNamespace="x">\n'
    + '<bpmn:process id="generated" isExecutable="true">\n<bpmn:startEvent id="Start" />\n';
  const tail = '</bpmn:process>\n</bpmn:definitions>\n';
  const write = (name: string, text: string): string => {
    const path = join(dir, name);
    writeFileSync(path, text);
    return path;
  };

  it('refuses a document over 2 MB with the limit in the message', async () => {
    const file = write('big.bpmn', `${head}<!-- ${'padding '.repeat(330_000)} -->\n${tail}`);
    const { code, results } = await validateJson([file]);

    expect(code).toBe(1);
    expect(results[0]?.errors).toEqual([{ elementId: null, line: null, message: expect.stringMatching(/limit is \d+ bytes \(2 MB\)/) }]);
  });

  it('refuses a file over twice the limit without reading it', async () => {
    const file = write('huge.bpmn', `${head}<!-- ${'x'.repeat(5 * 1024 * 1024)} -->\n${tail}`);
    const { code, results } = await validateJson([file]);

    expect(code).toBe(1);
    expect(results[0]?.errors[0]?.message).toMatch(/is larger than \d+ bytes \(BPMN documents are limited to 2 MB\)/);
  });

  it('accepts a 1.9 MB attribute value', async () => {
    const file = write('long-name.bpmn', `${head}<bpmn:task id="Task" name="${'n'.repeat(1_900_000)}" />\n${tail}`);
    const { code, results } = await validateJson([file]);

    expect(code).toBe(0);
    expect(results[0]?.processes).toEqual(['generated']);
  });

  it('refuses 50,000 unknown attributes, one error each, without crashing', async () => {
    const attributes = Array.from({ length: 50_000 }, (_, i) => `a${i}="1"`).join(' ');
    const file = write('attributes.bpmn', `${head}<bpmn:task id="Task" ${attributes} />\n${tail}`);
    const run = await validateJson([file]);

    expect(run.code).toBe(1);
    expect(run.results[0]?.errors).toHaveLength(50_000);
    expect(run.results[0]?.errors[0]).toEqual({ elementId: 'Task', line: 5, message: 'unknown attribute <a0> (in a0)' });
  });

  it('survives 10,000 nested subprocesses: a result, exit 1, no stack trace', async () => {
    const depth = 10_000;
    let open = '';
    for (let i = 0; i < depth; i++) open += `<bpmn:subProcess id="Sub_${i}"><bpmn:startEvent id="Sub_${i}_start" />`;
    const file = write('nested.bpmn', `${head}${open}${'</bpmn:subProcess>'.repeat(depth)}\n${tail}`);
    const run = await validateJson([file]);

    expect(run.code).toBe(1);
    expectWellFormed(run.results[0]);
    expect(run.results[0]?.ok).toBe(false);
    expect(run.results[0]?.errors.map((e) => e.message)).toContain('subprocesses are nested more than 100 levels deep');
    expect(run.stdout).not.toMatch(STACK_FRAME);
    expect(run.stderr).toBe('');
  });

  it('survives 100,000 nested unknown extension elements', async () => {
    const depth = 100_000;
    const deep = `${'<x:a>'.repeat(depth)}${'</x:a>'.repeat(depth)}`;
    const file = write('deep-extension.bpmn', `${head}<bpmn:task id="Task"><bpmn:extensionElements xmlns:x="urn:x">${deep}</bpmn:extensionElements></bpmn:task>\n${tail}`);
    const run = await validateJson([file]);

    expect(run.code).toBe(1);
    expect(run.results[0]?.errors).toEqual([{ elementId: 'Task', line: 5, message: 'unsupported extension element <x:a>' }]);
    expectNoCrash(run);
  });
});
