/**
 * The spawned-binary tests run dist/. `npm test` does not build first, so compile src/ when dist/
 * is missing or older than a source file (type errors elsewhere do not stop tsc from emitting).
 */
import { spawnSync } from 'node:child_process';
import { existsSync, readdirSync, statSync } from 'node:fs';
import { join, relative } from 'node:path';
import { fileURLToPath } from 'node:url';

export const ROOT = fileURLToPath(new URL('../..', import.meta.url));

function sources(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((entry) => {
    const path = join(dir, entry.name);
    if (entry.isDirectory()) return sources(path);
    return entry.name.endsWith('.ts') && !entry.name.endsWith('.d.ts') ? [path] : [];
  });
}

function isStale(): boolean {
  return sources(join(ROOT, 'src')).some((source) => {
    const built = join(ROOT, 'dist', relative(ROOT, source)).replace(/\.ts$/, '.js');
    return !existsSync(built) || statSync(built).mtimeMs < statSync(source).mtimeMs;
  });
}

export function ensureBuilt(): void {
  if (!isStale()) return;
  spawnSync(process.execPath, [join(ROOT, 'node_modules/typescript/bin/tsc'), '-p', 'tsconfig.build.json'], {
    cwd: ROOT,
    stdio: 'ignore',
  });
  if (!existsSync(join(ROOT, 'dist/src/cli.js')) || !existsSync(join(ROOT, 'dist/src/main.js'))) {
    throw new Error('dist/ could not be built: run `npx tsc -p tsconfig.build.json`.');
  }
}
