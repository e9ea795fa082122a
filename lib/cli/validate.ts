/**
 * `sbpmn validate <files...> [--json]`: compiles each file as a deploy would and
 * reports every problem with its element id and line. Exit 0 when every file is
 * valid, 1 when some is not.
 */
import type { Command } from 'commander';
import { compileDmn } from '../core/dmn/compile.ts';
import { isDmnXml } from '../core/dmn/parse.ts';
import { compileBpmn } from '../core/bpmn/model/compile.ts';
import { EXIT, type CliContext } from './context.ts';
import { formatHuman, formatJson, type FileResult } from './output.ts';
import { readBpmnFile } from './read.ts';

function failure(file: string, message: string): FileResult {
  return { file, ok: false, errors: [{ elementId: null, message, line: null }] };
}

/**
 * Validates one file; never throws. A file that cannot be read, or that makes the
 * compiler throw (a compiler bug), is an invalid result, so one bad file neither
 * hides the others nor breaks the JSON array.
 *
 * @example await validateFile('examples/telecom-order.bpmn') // { file, ok: true, errors: [], processes: ['telecom-order'] }
 */
export async function validateFile(file: string): Promise<FileResult> {
  const read = await readBpmnFile(file);
  if (!read.ok) return failure(file, read.message);
  try {
    if (isDmnXml(read.text)) {
      const dmn = await compileDmn(read.text);
      if (dmn.ok) return { file, ok: true, errors: [], decisions: Object.keys(dmn.definitions.decisions) };
      return { file, ok: false, errors: dmn.errors.map((e) => ({ elementId: e.elementId, message: e.message, line: e.line ?? null })) };
    }
    const result = await compileBpmn(read.text);
    if (result.ok) return { file, ok: true, errors: [], processes: result.processes.map((p) => p.key) };
    const errors = result.errors.map((e) => ({ elementId: e.elementId, message: e.message, line: e.line ?? null }));
    return { file, ok: false, errors };
  } catch (error) {
    return failure(file, `internal error: ${error instanceof Error ? error.message : String(error)}`);
  }
}

/** Files are validated one at a time: each may hold up to 4 MB in memory. */
export async function validateFiles(files: readonly string[]): Promise<FileResult[]> {
  const results: FileResult[] = [];
  for (const file of files) results.push(await validateFile(file));
  return results;
}

export function registerValidate(program: Command, ctx: CliContext): void {
  program
    .command('validate')
    .description('compile BPMN and DMN files as a deploy would and report every problem')
    .argument('<files...>', 'BPMN 2.0 or DMN 1.3 XML files')
    .option('--json', 'print only a JSON array of results on stdout')
    .action(async (files: string[], options: { json?: boolean }) => {
      const results = await validateFiles(files);
      ctx.out(options.json ? formatJson(results) : formatHuman(results));
      ctx.exit(results.every((r) => r.ok) ? EXIT.ok : EXIT.failed);
    });
}
