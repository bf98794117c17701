import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';

const DIR = fileURLToPath(new URL('../../fixtures/apollo/', import.meta.url));

/** The bytes of one fixture of test/fixtures/apollo/. */
export function fixtureBytes(name: string): Uint8Array {
  return readFileSync(DIR + name);
}
