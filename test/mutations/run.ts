/**
 * Protocol mutations: each breaks one rule of the transition protocol on purpose, runs the
 * tests that guard it, and reports which of them failed (a mutation no test notices is a hole
 * in the tests). The working tree is restored after each one, also on Ctrl-C.
 *
 *   npm run mutations                 every mutation against the guard tests
 *   npm run mutations -- M2 M6        only these
 *
 * Run it in a clean checkout: it edits files in place while a mutation runs.
 */
import { spawnSync } from 'node:child_process';
import { readFileSync, writeFileSync } from 'node:fs';
import { MUTATIONS, type Mutation } from './mutations.ts';

const GUARDS = [
  'test/integration/transition.test.ts', 'test/integration/joins.test.ts', 'test/integration/dead-letters.test.ts', 'test/guarantees',
  'test/integration/retention.test.ts', 'test/integration/rollback.test.ts', 'test/core/commands.test.ts', 'test/core/rollback.test.ts',
];

function apply(mutation: Mutation): Map<string, string> {
  const originals = new Map<string, string>();
  for (const edit of mutation.edits) {
    const text = originals.get(edit.file) ?? readFileSync(edit.file, 'utf8');
    if (!originals.has(edit.file)) originals.set(edit.file, text);
    const current = readFileSync(edit.file, 'utf8');
    if (!current.includes(edit.from)) throw new Error(`${mutation.id}: snippet not found in ${edit.file}: ${edit.from.slice(0, 60)}`);
    writeFileSync(edit.file, current.replace(edit.from, edit.to));
  }
  return originals;
}

function failedTests(output: string): string[] {
  const names = new Set<string>();
  for (const line of output.split('\n')) {
    const m = /FAIL\s+(\S+\.test\.ts)\s+>\s+(.*)$/.exec(line);
    if (m) names.add(`${m[1]} > ${m[2]}`);
  }
  return [...names];
}

function run(mutation: Mutation): { caught: string[]; passed: boolean } {
  const originals = apply(mutation);
  const restore = (): void => { for (const [file, text] of originals) writeFileSync(file, text); };
  process.once('SIGINT', () => { restore(); process.exit(130); });
  try {
    const out = spawnSync('npx', ['vitest', 'run', ...(mutation.tests ?? GUARDS)], { encoding: 'utf8', timeout: 600_000, env: { ...process.env, FORCE_COLOR: '0', NO_COLOR: '1' } });
    const output = `${out.stdout}\n${out.stderr}`;
    return { caught: failedTests(output), passed: out.status === 0 };
  } finally {
    restore();
  }
}

const wanted = process.argv.slice(2).filter((a) => !a.startsWith('-'));
const rows: string[] = ['| mutation | what it breaks | caught by |', '|---|---|---|'];
let survivors = 0;
for (const mutation of MUTATIONS.filter((m) => wanted.length === 0 || wanted.includes(m.id))) {
  const { caught, passed } = run(mutation);
  if (passed) survivors++;
  rows.push(`| ${mutation.id} | ${mutation.what} | ${passed ? '**nothing: survived**' : caught.slice(0, 3).join('<br>') || 'the run failed (see its output)'} |`);
  console.log(rows.at(-1));
}
console.log(`\n${rows.join('\n')}\n\n${survivors} survived`);
process.exit(survivors > 0 ? 1 : 0);
