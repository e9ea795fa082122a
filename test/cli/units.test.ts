/** In-process checks of the CLI's parts: decoding, terminal-safe output, exit codes. */
import { describe, expect, it } from 'vitest';
import { formatHuman, inert } from '../../lib/cli/output.ts';
import { runCli } from '../../lib/cli/program.ts';
import { decode, sniffEncoding } from '../../lib/cli/read.ts';

const declaration = (encoding: string): string => `<?xml version="1.0" encoding="${encoding}"?><a>Größe</a>`;

describe('decode', () => {
  it('strips a UTF-8 byte order mark', () => {
    expect(decode(Buffer.from(`\uFEFF${declaration('UTF-8')}`, 'utf8'))).toEqual({ ok: true, text: declaration('UTF-8') });
  });

  it('decodes UTF-16 with a BOM and, by its first characters, without one', () => {
    const le = Buffer.concat([Buffer.from([0xff, 0xfe]), Buffer.from(declaration('UTF-16'), 'utf16le')]);
    const be = Buffer.from(declaration('UTF-16'), 'utf16le').swap16();

    expect(sniffEncoding(le)).toBe('utf-16le');
    expect(sniffEncoding(be)).toBe('utf-16be');
    expect(decode(le)).toEqual({ ok: true, text: declaration('UTF-8') });
    expect(decode(be)).toEqual({ ok: true, text: declaration('UTF-8') });
  });

  it('decodes the single-byte encoding named in the XML declaration', () => {
    expect(decode(Buffer.from(declaration('ISO-8859-1'), 'latin1'))).toEqual({ ok: true, text: declaration('UTF-8') });
  });

  it('refuses bytes that are not valid in the encoding, and unknown encodings', () => {
    expect(decode(Buffer.from([0x3c, 0x61, 0xff, 0xfe, 0xfd]))).toEqual({ ok: false, message: 'not valid UTF-8 text (is it a BPMN file?)' });
    expect(decode(Buffer.from(declaration('EBCDIC-XYZ')))).toEqual({ ok: false, message: "in an unsupported encoding 'ebcdic-xyz' (from its XML declaration)" });
  });
});

describe('human output', () => {
  it('escapes control and bidi characters and cuts long values', () => {
    expect(inert('a\u001b[31mb\u202Ec\nd')).toBe('a\\u{1b}[31mb\\u{202e}c\\u{a}d');
    expect(inert('x'.repeat(400))).toBe(`${'x'.repeat(300)}… (100 more characters)`);
  });

  it('aligns the columns of the problem rows', () => {
    const text = formatHuman([{
      file: 'm.bpmn',
      ok: false,
      errors: [
        { elementId: 'Gateway_1', message: 'first', line: 9 },
        { elementId: null, message: 'second', line: null },
        { elementId: 'T', message: 'third', line: 120 },
      ],
    }]);

    expect(text).toBe([
      '✗ m.bpmn',
      '  line 9    Gateway_1  first',
      '  line ?    -          second',
      '  line 120  T          third',
      '',
    ].join('\n'));
  });
});

describe('runCli', () => {
  const capture = () => {
    const io = { stdout: '', stderr: '' };
    return { io, ctx: { out: (t: string) => { io.stdout += t; }, err: (t: string) => { io.stderr += t; } } };
  };

  it('resolves to 2 on usage errors and writes them to stderr', async () => {
    const { io, ctx } = capture();

    expect(await runCli(['validate', '--nope', 'x.bpmn'], ctx)).toBe(2);
    expect(io.stdout).toBe('');
    expect(io.stderr).toContain("unknown option '--nope'");
  });

  it('resolves to 1 for an invalid file and 0 for help', async () => {
    const { io, ctx } = capture();

    expect(await runCli(['validate', '--json', 'missing.bpmn'], ctx)).toBe(1);
    expect(JSON.parse(io.stdout)).toEqual([{ file: 'missing.bpmn', ok: false, errors: [{ elementId: null, line: null, message: "cannot read 'missing.bpmn': no such file" }] }]);
    expect(await runCli(['--help'], capture().ctx)).toBe(0);
  });

  it('lets unexpected exceptions through to the entry point, which reports them in one line', async () => {
    const failing = { out: () => { throw new Error('disk on fire'); }, err: () => undefined };

    await expect(runCli(['validate', 'missing.bpmn'], failing)).rejects.toThrow('disk on fire');
  });
});
