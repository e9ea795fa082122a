/**
 * The arrows between the parts (architecture.md), kept true by reading every import of
 * lib/ and functions/ (type-only imports count too): each part may import only the parts
 * listed for it in ALLOWED. Run alone with `npx vitest run test/architecture`.
 */
import { readdirSync, readFileSync } from 'node:fs';
import { dirname, join, relative, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import ts from 'typescript';
import { describe, expect, it } from 'vitest';

const ROOT = resolve(dirname(fileURLToPath(import.meta.url)), '../..');

const PARTS = ['core', 'ports', 'app', 'adapters', 'composition', 'http', 'bridge', 'worker', 'cli', 'testing', 'local', 'functions'] as const;
type Part = (typeof PARTS)[number];

/** What each part may import besides itself (architecture.md, "The arrows"). */
export const ALLOWED: Record<Part, readonly Part[]> = {
  core: [],
  ports: ['core'],
  app: ['core', 'ports'],
  adapters: ['core', 'ports'],
  bridge: ['core', 'ports', 'app'],
  http: ['core', 'ports', 'app'],
  composition: ['core', 'ports', 'app', 'adapters', 'bridge'],
  functions: ['core', 'ports', 'app', 'composition', 'http', 'bridge'],
  testing: ['core', 'ports', 'app', 'composition'],
  local: ['core', 'ports', 'app', 'adapters', 'composition', 'http', 'bridge', 'functions', 'testing', 'worker'],
  worker: ['core'],
  cli: ['core', 'worker'],
};

/** The arrows issue 14 names as forbidden: ALLOWED must never grant one of them. */
const FORBIDDEN: Array<[Part, Part]> = [
  ...PARTS.filter((p) => p !== 'core').map((p): [Part, Part] => ['core', p]),
  ['app', 'adapters'], ['http', 'adapters'], ['adapters', 'app'], ['adapters', 'functions'], ['bridge', 'adapters'],
];

/** The part a repository path belongs to (null: outside lib/ and functions/, e.g. package.json). */
export function partOf(file: string): Part | null {
  if (file.startsWith('functions/')) return 'functions';
  if (file === 'lib/ports.ts') return 'ports';
  const name = /^lib\/([^/.]+)\//.exec(file)?.[1];
  return PARTS.find((p) => p === name) ?? null;
}

/** Every import from one part into another that ALLOWED does not list, as `from -> to`. */
export function forbiddenArrows(imports: Array<{ from: string; to: string }>, allowed = ALLOWED): string[] {
  return imports.filter(({ from, to }) => {
    const [a, b] = [partOf(from), partOf(to)];
    return a !== null && b !== null && a !== b && !allowed[a].includes(b);
  }).map(({ from, to }) => `${from} -> ${to}`);
}

function sources(dir: string): string[] {
  return readdirSync(join(ROOT, dir), { withFileTypes: true, recursive: true })
    .filter((e) => e.isFile() && e.name.endsWith('.ts'))
    .map((e) => relative(ROOT, join(e.parentPath, e.name)));
}

function imports(): Array<{ from: string; to: string }> {
  return ['lib', 'functions'].flatMap(sources).flatMap((from) => ts.preProcessFile(readFileSync(join(ROOT, from), 'utf8'), true, true).importedFiles
    .filter((f) => f.fileName.startsWith('.'))
    .map((f) => ({ from, to: relative(ROOT, resolve(ROOT, dirname(from), f.fileName)) })));
}

describe('arrows between the parts', () => {
  it('every import goes where architecture.md allows', () => {
    expect(forbiddenArrows(imports())).toEqual([]);
  });

  it('no allowed arrow is one the architecture forbids', () => {
    expect(FORBIDDEN.filter(([a, b]) => ALLOWED[a].includes(b))).toEqual([]);
  });

  it('reports a forbidden arrow (the check can fail)', () => {
    const found = forbiddenArrows([
      { from: 'lib/core/step.ts', to: 'lib/ports.ts' },
      { from: 'lib/app/transition.ts', to: 'lib/adapters/wiring.ts' },
      { from: 'lib/http/errors.ts', to: 'lib/adapters/dynamodb/errors.ts' },
      { from: 'lib/adapters/wiring.ts', to: 'lib/app/effects.ts' },
      { from: 'lib/adapters/wiring.ts', to: 'functions/api.ts' },
      { from: 'lib/bridge/forward.ts', to: 'lib/adapters/sqs/dead-letters.ts' },
      { from: 'lib/app/transition.ts', to: 'lib/core/step.ts' },
    ]);
    expect(found).toEqual([
      'lib/core/step.ts -> lib/ports.ts',
      'lib/app/transition.ts -> lib/adapters/wiring.ts',
      'lib/http/errors.ts -> lib/adapters/dynamodb/errors.ts',
      'lib/adapters/wiring.ts -> lib/app/effects.ts',
      'lib/adapters/wiring.ts -> functions/api.ts',
      'lib/bridge/forward.ts -> lib/adapters/sqs/dead-letters.ts',
    ]);
  });

  it('knows every folder of lib/ as a part', () => {
    const folders = readdirSync(join(ROOT, 'lib'), { withFileTypes: true }).filter((e) => e.isDirectory()).map((e) => e.name);
    expect(folders.filter((f) => !(PARTS as readonly string[]).includes(f))).toEqual([]);
  });
});
