/**
 * Reading for a caller that can wait for a module to load (the offline report): a valid JSON run is
 * read without loading zod or the CSV reader; anything else (a CSV file, a run the fast path does not
 * take, an invalid run) goes through `readUpload`, loaded then, which gives the same reading or throws
 * the same error.
 */

import { parseJsonRun } from './json.js';
import type { ParseLimits } from './limits.js';
import { finishReading, type RunReading } from './reading.js';
import { readUploadBytes, type UploadInput } from './upload.js';

/** Thrown where the lazy reading would need the schema: the caller starts again with `readUpload`. */
class NeedsSchema extends Error {}

const needsSchema = (): never => {
  throw new NeedsSchema();
};

export async function readUploadLazily(input: UploadInput, limits: ParseLimits): Promise<RunReading> {
  try {
    return readUploadBytes(input, limits, (text, l) => {
      if (text.format !== 'json') return needsSchema();
      const scale = text.score_scale === undefined ? {} : { scoreScale: text.score_scale };
      return finishReading(parseJsonRun(text, l, true, needsSchema), 'json', scale);
    });
  } catch (error) {
    if (!(error instanceof NeedsSchema)) throw error;
  }
  const { readUpload } = await import('./index.js');
  return readUpload(input, limits);
}
