/**
 * Reading a BPMN file from disk without trusting it: only regular files, a bounded
 * number of bytes, and decoding as XML parsers do (BOM, UTF-16 sniffing, the
 * encoding named in the XML declaration; XML 1.0 appendix F). Failures are values.
 */
import { constants } from 'node:fs';
import { open, stat } from 'node:fs/promises';
import { TextDecoder } from 'node:util';
import { MAX_XML_BYTES } from '../core/documents.ts';

/** UTF-16 doubles the bytes of an ASCII document: the compiler checks the real limit. */
export const MAX_FILE_BYTES = 2 * MAX_XML_BYTES;

export type ReadResult = { ok: true; text: string } | { ok: false; message: string };

const REASONS: Readonly<Record<string, string>> = {
  ENOENT: 'no such file',
  ENOTDIR: 'no such file',
  EACCES: 'permission denied',
  EPERM: 'permission denied',
  EISDIR: 'is a directory',
  ELOOP: 'too many symbolic links',
  ENAMETOOLONG: 'the path is too long',
};

function reason(error: unknown): string {
  const code = (error as NodeJS.ErrnoException | null)?.code;
  if (code && REASONS[code]) return REASONS[code];
  return error instanceof Error ? error.message : String(error);
}

/** The encoding to decode with, from the first bytes (BOM, UTF-16 sniffing, XML declaration). */
export function sniffEncoding(bytes: Uint8Array): string {
  const [a, b, c, d] = bytes;
  if (a === 0xef && b === 0xbb && c === 0xbf) return 'utf-8';
  if (a === 0xff && b === 0xfe) return 'utf-16le';
  if (a === 0xfe && b === 0xff) return 'utf-16be';
  if (a === 0x3c && b === 0x00 && c === 0x3f && d === 0x00) return 'utf-16le';
  if (a === 0x00 && b === 0x3c && c === 0x00 && d === 0x3f) return 'utf-16be';
  const head = Buffer.from(bytes.subarray(0, 256)).toString('latin1');
  const declared = /^<\?xml[^>]*?\sencoding\s*=\s*["']([A-Za-z][\w.:-]*)["']/.exec(head)?.[1];
  // Without a BOM or a UTF-16 pattern the bytes are ASCII-compatible: a declared UTF-16 is wrong.
  return declared && !/^utf-?16/i.test(declared) ? declared.toLowerCase() : 'utf-8';
}

const DECLARED_ENCODING = /^(<\?xml[^>]*?\sencoding\s*=\s*)(["'])[^"']*\2/;

/**
 * Bytes -> text, refusing bytes that are not valid in the encoding (binary files).
 * The text is decoded, so an encoding its XML declaration names no longer applies:
 * it becomes UTF-8 (bpmn-moddle refuses any other declared encoding in a string).
 */
export function decode(bytes: Uint8Array): ReadResult {
  const encoding = sniffEncoding(bytes);
  let decoder: TextDecoder;
  try {
    decoder = new TextDecoder(encoding, { fatal: true });
  } catch {
    return { ok: false, message: `in an unsupported encoding '${encoding}' (from its XML declaration)` };
  }
  try {
    const text = decoder.decode(bytes);
    return { ok: true, text: text.replace(DECLARED_ENCODING, '$1$2UTF-8$2') };
  } catch {
    return { ok: false, message: `not valid ${decoder.encoding.toUpperCase()} text (is it a BPMN file?)` };
  }
}

async function readBounded(path: string, limit: number): Promise<Uint8Array | null> {
  // O_NONBLOCK: opening a FIFO swapped in after the stat must not hang the CLI.
  const handle = await open(path, constants.O_RDONLY | constants.O_NONBLOCK);
  try {
    const buffer = Buffer.alloc(limit + 1);
    let length = 0;
    while (length < buffer.length) {
      const { bytesRead } = await handle.read(buffer, length, buffer.length - length, null);
      if (bytesRead === 0) break;
      length += bytesRead;
    }
    return length > limit ? null : buffer.subarray(0, length);
  } finally {
    await handle.close();
  }
}

/**
 * Reads one BPMN file as text.
 *
 * @example await readBpmnFile('missing.bpmn') // { ok: false, message: "cannot read 'missing.bpmn': no such file" }
 */
export async function readBpmnFile(path: string): Promise<ReadResult> {
  const fail = (message: string): ReadResult => ({ ok: false, message });
  const tooLarge = `'${path}' is larger than ${MAX_FILE_BYTES} bytes (BPMN documents are limited to 2 MB)`;
  try {
    const info = await stat(path);
    if (info.isDirectory()) return fail(`'${path}' is a directory, not a BPMN file`);
    if (!info.isFile()) return fail(`'${path}' is not a regular file`);
    if (info.size > MAX_FILE_BYTES) return fail(tooLarge);
    const bytes = await readBounded(path, MAX_FILE_BYTES);
    if (!bytes) return fail(tooLarge);
    const decoded = decode(bytes);
    return decoded.ok ? decoded : fail(`'${path}' is ${decoded.message}`);
  } catch (error) {
    return fail(`cannot read '${path}': ${reason(error)}`);
  }
}
