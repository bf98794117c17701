import { describe, expect, it } from 'vitest';
import { charsetOf, decodeUpload } from '../../../src/domain/read/decode.js';
import { isAppError } from '../../../src/errors.js';
import { fixtureBytes } from './fixture.js';

function refusal(fn: () => unknown): string {
  try {
    fn();
  } catch (error) {
    if (isAppError(error, 'upload_invalid')) return error.message;
    throw error;
  }
  throw new Error('expected a refusal');
}

describe('decodeUpload', () => {
  it('reads UTF-8 without a byte-order mark, as Apollo writes it', () => {
    const out = decodeUpload(fixtureBytes('companies-export-legacy.csv'));
    expect(out).toMatchObject({ encoding: 'utf-8', bom: false, warnings: [] });
    expect(out.text).toContain('Société Générale');
  });

  it('drops a UTF-8 byte-order mark', () => {
    const out = decodeUpload(fixtureBytes('companies-export-modern.csv'));
    expect(out).toMatchObject({ encoding: 'utf-8', bom: true });
    expect(out.text.startsWith('Company Name,')).toBe(true);
  });

  it('reads UTF-16 LE and BE with a byte-order mark', () => {
    const le = decodeUpload(fixtureBytes('companies-unicode-text.txt'));
    expect(le).toMatchObject({ encoding: 'utf-16le', bom: true });
    expect(le.text.startsWith('Company Name\tCompany Name for Emails')).toBe(true);
    expect(le.text).toContain('株式会社京都精密');
    expect(le.text).toContain('Łódź');
    const be = new Uint8Array([0xfe, 0xff, 0x00, 0x41, 0x00, 0xe9]);
    expect(decodeUpload(be)).toMatchObject({ text: 'Aé', encoding: 'utf-16be' });
  });

  it('reads Windows-1252 when the bytes are not UTF-8, and says so', () => {
    const out = decodeUpload(fixtureBytes('companies-excel-win1252.csv'));
    expect(out.encoding).toBe('windows-1252');
    expect(out.warnings.map((w) => w.code)).toEqual(['encoding_windows_1252']);
    for (const name of ['Société Générale', 'Müller GmbH', 'O\u2019Brien & Søn ApS', 'Straße & Söhne GmbH']) {
      expect(out.text).toContain(name);
    }
    expect(out.text).toContain('€');
    expect(out.text).toContain('–');
    expect(out.text).not.toContain('\uFFFD');
  });

  it('honours a declared charset', () => {
    const bytes = new Uint8Array([0x43, 0x61, 0x66, 0xe9]); // "Café" in Windows-1252
    expect(decodeUpload(bytes, { charset: 'windows-1252' })).toMatchObject({ text: 'Café', warnings: [] });
    expect(decodeUpload(bytes, { charset: 'ISO-8859-1' }).text).toBe('Café');
    expect(refusal(() => decodeUpload(bytes, { charset: 'utf-8' }))).toBe(
      'Line 1 cannot be read as the declared utf-8 ("Caf�"): some bytes are not utf-8. Send the file\'s real charset, or save it again as UTF-8.',
    );
    expect(refusal(() => decodeUpload(bytes, { charset: 'klingon' }))).toBe(
      'charset=klingon is not supported; send UTF-8, UTF-16 (with a byte-order mark) or windows-1252.',
    );
  });

  it('lets a byte-order mark win over a declared charset, with a warning', () => {
    const out = decodeUpload(new Uint8Array([0xef, 0xbb, 0xbf, 0xc3, 0xa9]), { charset: 'windows-1252' });
    expect(out.text).toBe('é');
    expect(out.warnings.map((w) => w.code)).toEqual(['charset_overridden']);
  });

  it('refuses text that already holds a replacement character, naming the line', () => {
    const bytes = new TextEncoder().encode('Company\nAcme\nSoci\uFFFDt\uFFFD G\uFFFDn\uFFFDrale\n');
    expect(refusal(() => decodeUpload(bytes))).toBe(
      'Line 3 holds the replacement character � ("Soci�t� G�n�rale"): the text was damaged before this upload, when it was saved in the wrong encoding. Fix those names (or export again from Apollo) and save as UTF-8.',
    );
  });

  it('refuses UTF-16 without a byte-order mark', () => {
    const bytes = new Uint8Array([0x41, 0, 0x42, 0, 0x0a, 0, 0x43, 0]);
    expect(refusal(() => decodeUpload(bytes))).toMatch(
      /^The file looks like UTF-16 without a byte-order mark/,
    );
  });

  it('finds the charset of a Content-Type', () => {
    expect(charsetOf('text/csv; charset=windows-1252')).toBe('windows-1252');
    expect(charsetOf('text/csv;Charset="UTF-8"')).toBe('UTF-8');
    expect(charsetOf('application/json')).toBeUndefined();
    expect(charsetOf(undefined)).toBeUndefined();
  });
});
