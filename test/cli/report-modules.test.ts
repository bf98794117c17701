/**
 * What the offline report loads before it reads a file: the modules `src/cli.ts` imports statically
 * (dynamic imports are loaded only when needed: the schema for a file the fast path does not take,
 * the campaigns feature for --campaigns). None of them may load zod, the CSV reader or the schema,
 * which a valid JSON run does not need (they were a large part of the report's start-up time).
 */
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';

const SRC = fileURLToPath(new URL('../../src/', import.meta.url));

/** Value imports (not `import type`, not dynamic `import()`) of a source file, comments stripped. */
function staticImports(code: string): string[] {
  const text = code.replace(/\/\*[\s\S]*?\*\//g, '').replace(/(^|[^:'"`])\/\/.*$/gm, '$1');
  const out: string[] = [];
  for (const m of text.matchAll(/\bimport\s+(type\s+)?(?:[\w*{}\s,$]+?\s+from\s+)?'([^']+)'/g)) {
    if (m[1] === undefined) out.push(m[2] ?? '');
  }
  for (const m of text.matchAll(/\bexport\s+(type\s+)?(?:\*|\{[^}]*\})\s+from\s+'([^']+)'/g)) {
    if (m[1] === undefined) out.push(m[2] ?? '');
  }
  return out;
}

/** Every file and package reachable from `entry` through static imports (relative to src/). */
function reachable(entry: string): { files: Set<string>; packages: Set<string> } {
  const files = new Set<string>();
  const packages = new Set<string>();
  const visit = (rel: string) => {
    if (files.has(rel)) return;
    files.add(rel);
    for (const spec of staticImports(readFileSync(path.join(SRC, rel), 'utf8'))) {
      if (spec.startsWith('.')) visit(path.posix.join(path.posix.dirname(rel), spec).replace(/\.js$/, '.ts'));
      else if (!spec.startsWith('node:')) packages.add(spec);
    }
  };
  visit(entry);
  return { files, packages };
}

describe('the offline report', () => {
  const { files, packages } = reachable('cli.ts');

  it('loads neither zod nor the CSV reader nor the schema to start', () => {
    expect(files.has('domain/parse-run/json.ts')).toBe(true); // the walk does follow the reading path
    expect([...packages].filter((p) => p === 'zod' || p.startsWith('csv-parse'))).toEqual([]);
    expect(
      [...files].filter((f) =>
        /parse-run\/(schema|index|csv)\.ts$|-schema\.ts$|features\/campaigns\//.test(f),
      ),
    ).toEqual([]);
  });

  it('the check can fail: the app itself loads zod', () => {
    expect(reachable('main.ts').packages.has('zod')).toBe(true);
  });
});
