/**
 * Bytes of an upload to text. Apollo writes UTF-8 without a byte-order mark; Excel re-saves give
 * UTF-8 with one, UTF-16 ("Unicode Text") with one, or Windows-1252 ("CSV (Comma delimited)").
 *
 * Order: a byte-order mark wins; then a declared charset (`charset=` of a request); then UTF-8 when the
 * bytes are valid UTF-8; else Windows-1252. A replacement character (U+FFFD) in the result is never
 * passed on silently: the upload is refused, naming the row, because it means the text was damaged
 * before it reached us (or would be by the charset named).
 *
 * Pure: TextDecoder only.
 */
import { AppError } from '../../errors.js';
import type { ReadWarning } from './warnings.js';

export type TextEncodingName = 'utf-8' | 'utf-16le' | 'utf-16be' | 'windows-1252';

export interface DecodedText {
  text: string;
  encoding: TextEncodingName;
  /** True when the bytes started with a byte-order mark (it is not part of `text`). */
  bom: boolean;
  warnings: ReadWarning[];
}

const UTF8 = new TextDecoder('utf-8', { fatal: true, ignoreBOM: true });

/** Labels meaning "Windows-1252" as the WHATWG Encoding standard reads them (latin1 and ascii included). */
function canonicalCharset(label: string): TextEncodingName | undefined {
  try {
    const name = new TextDecoder(label.trim().toLowerCase()).encoding;
    if (name === 'utf-8' || name === 'utf-16le' || name === 'utf-16be' || name === 'windows-1252')
      return name;
    return undefined;
  } catch {
    return undefined;
  }
}

/** The `charset` parameter of a Content-Type header, or undefined. */
export function charsetOf(contentType: string | undefined): string | undefined {
  const m = /;\s*charset\s*=\s*"?([^";\s]+)"?/i.exec(contentType ?? '');
  return m?.[1];
}

function refuse(message: string): AppError {
  return new AppError('upload_invalid', message, { problems: [{ where: '', field: '', message }] });
}

/** 1-based line of `offset` in `text` (counts LF and lone CR). */
function lineAt(text: string, offset: number): number {
  let line = 1;
  for (let i = 0; i < offset; i++) {
    const c = text.charCodeAt(i);
    if (c === 10 || (c === 13 && text.charCodeAt(i + 1) !== 10)) line++;
  }
  return line;
}

function checkNoReplacement(text: string, encoding: TextEncodingName, declared: boolean): void {
  const at = text.indexOf('\uFFFD');
  if (at < 0) return;
  const line = lineAt(text, at);
  const lineStart = Math.max(text.lastIndexOf('\n', at), text.lastIndexOf('\r', at)) + 1;
  const found = /[\r\n]/.exec(text.slice(at));
  const lineEnd = found ? at + found.index : text.length;
  const context = text.slice(Math.max(lineStart, at - 20), Math.min(lineEnd, at + 20));
  throw refuse(
    declared
      ? `Line ${line} cannot be read as the declared ${encoding} ("${context}"): some bytes are not ${encoding}. Send the file's real charset, or save it again as UTF-8.`
      : `Line ${line} holds the replacement character � ("${context}"): the text was damaged before this upload, when it was saved in the wrong encoding. Fix those names (or export again from Apollo) and save as UTF-8.`,
  );
}

/** Looks like UTF-16 without a byte-order mark: many NUL bytes at odd or even places of the first KiB. */
function looksLikeBomlessUtf16(bytes: Uint8Array): boolean {
  const n = Math.min(bytes.length, 1024);
  let zeros = 0;
  for (let i = 0; i < n; i++) if (bytes[i] === 0) zeros++;
  return n >= 4 && zeros * 4 >= n;
}

/**
 * Decodes an upload. `charset` is a declared charset (from a Content-Type); a byte-order mark overrides
 * it. Throws `upload_invalid` for an unknown charset, bytes that are not the declared charset, UTF-16
 * without a byte-order mark, or a replacement character in the text.
 */
export function decodeUpload(bytes: Uint8Array, options: { charset?: string } = {}): DecodedText {
  const warnings: ReadWarning[] = [];
  const b0 = bytes[0];
  const b1 = bytes[1];
  let encoding: TextEncodingName | undefined;
  let skip = 0;
  if (b0 === 0xef && b1 === 0xbb && bytes[2] === 0xbf) {
    encoding = 'utf-8';
    skip = 3;
  } else if (b0 === 0xff && b1 === 0xfe) {
    encoding = 'utf-16le';
    skip = 2;
  } else if (b0 === 0xfe && b1 === 0xff) {
    encoding = 'utf-16be';
    skip = 2;
  }
  const body = bytes.subarray(skip);
  if (encoding !== undefined) {
    const declared = options.charset === undefined ? undefined : canonicalCharset(options.charset);
    if (declared !== undefined && declared !== encoding) {
      warnings.push({
        code: 'charset_overridden',
        message: `The request said charset=${options.charset}, but the file starts with a ${encoding} byte-order mark; it was read as ${encoding}.`,
      });
    }
    const text = decodeStrict(body, encoding);
    checkNoReplacement(text, encoding, false);
    return { text, encoding, bom: true, warnings };
  }
  if (options.charset !== undefined && options.charset.trim() !== '') {
    const declared = canonicalCharset(options.charset);
    if (declared === undefined) {
      throw refuse(
        `charset=${options.charset} is not supported; send UTF-8, UTF-16 (with a byte-order mark) or windows-1252.`,
      );
    }
    if (declared === 'utf-16le' || declared === 'utf-16be') {
      const text = decodeStrict(body, declared);
      checkNoReplacement(text, declared, false);
      return { text, encoding: declared, bom: false, warnings };
    }
    if (declared === 'utf-8') {
      const text = decodeStrict(body, 'utf-8');
      checkNoReplacement(text, 'utf-8', false);
      return { text, encoding: 'utf-8', bom: false, warnings };
    }
    const text = decodeWindows1252(body);
    return { text, encoding: 'windows-1252', bom: false, warnings };
  }
  if (looksLikeBomlessUtf16(body)) {
    throw refuse(
      'The file looks like UTF-16 without a byte-order mark (many zero bytes). Save it again as UTF-8, or as "Unicode Text", which starts with a byte-order mark.',
    );
  }
  let text: string;
  try {
    text = UTF8.decode(body);
  } catch {
    text = decodeWindows1252(body);
    warnings.push({
      code: 'encoding_windows_1252',
      message:
        'The file is not UTF-8; it was read as Windows-1252 (what Excel writes as "CSV (Comma delimited)"). Check accented names; save as "CSV UTF-8" to avoid this.',
    });
    return { text, encoding: 'windows-1252', bom: false, warnings };
  }
  checkNoReplacement(text, 'utf-8', false);
  return { text, encoding: 'utf-8', bom: false, warnings };
}

/**
 * Windows-1252 as the Encoding standard defines it. Node's own `windows-1252` decoder reads 0x80-0x9F as
 * Latin-1 control characters (so `€`, `’` and `–` would vanish); those 32 bytes are mapped here.
 */
const CP1252_HIGH =
  '\u20ac\u0081\u201a\u0192\u201e\u2026\u2020\u2021\u02c6\u2030\u0160\u2039\u0152\u008d\u017d\u008f' +
  '\u0090\u2018\u2019\u201c\u201d\u2022\u2013\u2014\u02dc\u2122\u0161\u203a\u0153\u009d\u017e\u0178';

export function decodeWindows1252(bytes: Uint8Array): string {
  const latin1 = new TextDecoder('latin1').decode(bytes);
  return latin1.replace(/[\u0080-\u009f]/g, (c) => CP1252_HIGH.charAt(c.charCodeAt(0) - 0x80));
}

/** Decodes, refusing bytes that are not valid in `encoding` with the line they are on. */
function decodeStrict(body: Uint8Array, encoding: TextEncodingName): string {
  try {
    return new TextDecoder(encoding, { fatal: true, ignoreBOM: true }).decode(body);
  } catch {
    const loose = new TextDecoder(encoding, { ignoreBOM: true }).decode(body);
    checkNoReplacement(loose, encoding, true);
    throw refuse(`The file is not valid ${encoding}.`);
  }
}
