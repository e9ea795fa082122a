/**
 * The bundles the cold-start benchmark imports: each function's zip exactly as
 * `npm run package` left it in `.serverless/`, unpacked, and a baseline handler that
 * imports only `@aws-sdk/client-dynamodb`, built with serverless.yml's own esbuild options
 * (custom.esbuild), so both sides are minified, bundled and externalised the same way.
 *
 * Everything is unpacked into one temporary directory holding a `node_modules` link to the
 * project's, so the bundles' external `@aws-sdk/*` imports resolve as they do on Lambda
 * (where the runtime provides the SDK).
 */
import { createWriteStream, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, statSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { pipeline } from 'node:stream/promises';
import { fileURLToPath } from 'node:url';
import { build, type BuildOptions } from 'esbuild';
import { parse } from 'yaml';
import { openPromise, type Entry } from 'yauzl';

const ROOT = fileURLToPath(new URL('../../', import.meta.url));
export const BASELINE = 'baseline (client-dynamodb only)';

/** One bundle to import: where it is, what it weighs, and the environment its function gets. */
export interface Bundle {
  name: string;
  /** Absolute path of the handler's module. */
  file: string;
  zipBytes: number;
  /** Sum of the uncompressed sizes of the zip's files (what Lambda unpacks). */
  unpackedBytes: number;
  /** Bytes of JavaScript in the handler's module. */
  moduleBytes: number;
  /** A `.map` file in the zip, or an inline `sourceMappingURL=data:` in the module. */
  sourceMaps: boolean;
  env: Record<string, string>;
}

interface FunctionConfig {
  handler: string;
  environment?: Record<string, unknown>;
}
interface ServerlessConfig {
  params: { default: Record<string, string> };
  provider: { environment?: Record<string, unknown> };
  custom: { esbuild: Record<string, unknown> };
  functions: Record<string, FunctionConfig>;
}

export function readServerlessConfig(): ServerlessConfig {
  return parse(readFileSync(join(ROOT, 'serverless.yml'), 'utf8')) as ServerlessConfig;
}

/**
 * The function's environment as Lambda would set it: provider and function variables,
 * `${param:x}` from params.default, CloudFormation references as placeholders (nothing
 * reads them at import), plus what the runtime adds (region, task root). NODE_OPTIONS is
 * kept, so a `--enable-source-maps` in serverless.yml is measured too.
 */
export function lambdaEnv(config: ServerlessConfig, fn: FunctionConfig | null, taskRoot: string): Record<string, string> {
  const env: Record<string, string> = { PATH: process.env['PATH'] ?? '', AWS_REGION: 'us-east-1', LAMBDA_TASK_ROOT: taskRoot };
  for (const [key, value] of Object.entries({ ...config.provider.environment, ...fn?.environment })) {
    env[key] = typeof value === 'string'
      ? value.replace(/\$\{param:(\w+)\}/g, (_, name: string) => config.params.default[name] ?? `param-${name}`)
      : `placeholder-${key}`;
  }
  return env;
}

/** The esbuild options serverless-esbuild derives from custom.esbuild (its own keys removed). */
export function esbuildOptions(config: ServerlessConfig): BuildOptions {
  const { exclude, outputFileExtension: _ext, packager: _p, concurrency: _c, skipRebuild: _s, external, ...options } = config.custom.esbuild as
    { exclude?: string[]; external?: string[]; outputFileExtension?: string; packager?: unknown; concurrency?: unknown; skipRebuild?: unknown } & BuildOptions;
  return { ...options, external: [...(external ?? []), ...(exclude ?? [])] };
}

async function unzip(zipPath: string, into: string): Promise<Array<{ name: string; bytes: number }>> {
  const zip = await openPromise(zipPath, { lazyEntries: true });
  const files: Array<{ name: string; bytes: number }> = [];
  await new Promise<void>((resolve, reject) => {
    zip.on('error', reject);
    zip.on('end', () => resolve());
    zip.on('entry', (entry: Entry) => {
      const target = join(into, entry.fileName);
      if (entry.fileName.endsWith('/')) return zip.readEntry();
      files.push({ name: entry.fileName, bytes: entry.uncompressedSize });
      mkdirSync(dirname(target), { recursive: true });
      zip.openReadStreamPromise(entry)
        .then((stream) => pipeline(stream, createWriteStream(target)))
        .then(() => zip.readEntry(), reject);
    });
    zip.readEntry();
  });
  zip.close();
  return files;
}

/** Newest modification time under a path (a file, or a directory walked recursively). */
function newest(path: string): number {
  const stat = statSync(path);
  if (!stat.isDirectory()) return stat.mtimeMs;
  return Math.max(stat.mtimeMs, ...readdirSync(path).map((name) => newest(join(path, name))));
}

/** Names sources changed after the zips were built (the numbers would describe old code). */
export function staleWarning(zips: string[]): string | null {
  const built = Math.min(...zips.map((z) => statSync(z).mtimeMs));
  const changed = ['serverless.yml', 'functions', 'lib'].filter((p) => newest(join(ROOT, p)) > built);
  return changed.length > 0 ? `${changed.join(', ')} changed after .serverless/ was packaged: run \`npm run package\` again` : null;
}

/**
 * Unpacks every function's zip and builds the baseline. The caller removes `dir`.
 * Throws, naming the command, when `npm run package` has not run.
 */
export async function prepareBundles(): Promise<{ dir: string; bundles: Bundle[]; warning: string | null }> {
  const config = readServerlessConfig();
  const names = Object.keys(config.functions);
  const zips = names.map((name) => join(ROOT, '.serverless', `${name}.zip`));
  const missing = zips.filter((z) => { try { return !statSync(z).isFile(); } catch { return true; } });
  if (missing.length > 0) throw new Error(`no package for ${missing.join(', ')}: run \`npm run package\` first`);
  const dir = mkdtempSync(join(tmpdir(), 'sbpmn-cold-'));
  symlinkSync(join(ROOT, 'node_modules'), join(dir, 'node_modules'), 'dir');
  const bundles: Bundle[] = [await buildBaseline(config, join(dir, 'baseline'))];
  for (const [i, name] of names.entries()) {
    const fn = config.functions[name] as FunctionConfig;
    const zip = zips[i] as string;
    const root = join(dir, name);
    const files = await unzip(zip, root);
    const module = join(root, `${fn.handler.slice(0, fn.handler.lastIndexOf('.'))}${String(config.custom.esbuild['outputFileExtension'] ?? '.js')}`);
    bundles.push(describe(name, module, statSync(zip).size, files, lambdaEnv(config, fn, root)));
  }
  return { dir, bundles, warning: staleWarning(zips) };
}

function describe(name: string, file: string, zipBytes: number, files: Array<{ name: string; bytes: number }>, env: Record<string, string>): Bundle {
  const source = readFileSync(file, 'utf8');
  return {
    name, file, zipBytes, env,
    unpackedBytes: files.reduce((sum, f) => sum + f.bytes, 0),
    moduleBytes: Buffer.byteLength(source),
    sourceMaps: files.some((f) => f.name.endsWith('.map')) || /sourceMappingURL=data:/.test(source),
  };
}

/** The baseline: a handler that creates a DynamoDB client, built like a function. */
async function buildBaseline(config: ServerlessConfig, root: string): Promise<Bundle> {
  const entry = join(root, 'baseline.ts');
  mkdirSync(root, { recursive: true });
  writeFileSync(entry, [
    "import { DynamoDBClient } from '@aws-sdk/client-dynamodb';",
    'const client = new DynamoDBClient({});',
    'export const handler = async () => client.config.region();',
  ].join('\n'));
  const outfile = join(root, 'baseline.mjs');
  await build({ ...esbuildOptions(config), entryPoints: [entry], outfile, logLevel: 'warning' });
  rmSync(entry);
  const bytes = statSync(outfile).size;
  return describe(BASELINE, outfile, 0, [{ name: 'baseline.mjs', bytes }], lambdaEnv(config, null, root));
}
