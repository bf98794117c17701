/**
 * The one reading path for an upload's bytes, shared by the Slack form, the ingest API and the CLI:
 * size limit on the bytes, decoding (read/decode.ts: byte-order mark, declared charset, UTF-8, else
 * Windows-1252), the format (content type, file name, then the first character), then the reading.
 */
import { AppError } from '../../errors.js';
import { charsetOf, decodeUpload } from '../read/decode.js';
import { detectRunFormat, formatSize, type ParseLimits, type RunUploadInput } from './limits.js';
import type { RunReading } from './reading.js';

export interface UploadInput extends Omit<RunUploadInput, 'text' | 'format'> {
  bytes: Uint8Array;
  filename?: string;
  /** The request's or the file's content type; its `charset=` is honoured. */
  contentType?: string;
}

export function readUploadBytes(
  input: UploadInput,
  limits: ParseLimits,
  read: (input: RunUploadInput, limits: ParseLimits) => RunReading,
): RunReading {
  const { bytes, filename, contentType, ...rest } = input;
  if (bytes.length > limits.maxBytes) {
    throw new AppError(
      'upload_too_large',
      `The upload is ${formatSize(bytes.length, limits.maxBytes, 'up')}; the limit is ${formatSize(limits.maxBytes, limits.maxBytes, 'down')}.`,
    );
  }
  const charset = charsetOf(contentType);
  const decoded = decodeUpload(bytes, charset === undefined ? {} : { charset });
  const format = detectRunFormat({
    text: decoded.text,
    ...(filename === undefined ? {} : { filename }),
    ...(contentType === undefined ? {} : { contentType }),
  });
  const reading = read(
    { ...rest, text: decoded.text, format },
    { ...limits, maxBytes: Number.POSITIVE_INFINITY },
  );
  return { ...reading, warnings: [...decoded.warnings, ...reading.warnings] };
}
