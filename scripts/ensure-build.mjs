#!/usr/bin/env node
/**
 * Compiles the TypeScript sources to dist/ only when dist/ is missing or older than a source, so
 * `npm start` does not recompile a current build. Plain JavaScript: it runs before anything is built.
 *
 *   node scripts/ensure-build.mjs            build when stale; fail when that is impossible
 *   node scripts/ensure-build.mjs --install  the `prepare` hook: build when stale; on a production
 *                                            install (`npm ci --omit=dev`, no TypeScript) keep the
 *                                            dist/ that was copied in, or explain, without failing
 */
import { spawnSync } from 'node:child_process';
import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join, relative } from 'node:path';
import { fileURLToPath } from 'node:url';

export const ROOT = fileURLToPath(new URL('..', import.meta.url));
const TSCONFIG = 'tsconfig.build.json';

function tsFiles(path) {
  if (!existsSync(path)) return [];
  if (statSync(path).isFile()) return path.endsWith('.ts') && !path.endsWith('.d.ts') ? [path] : [];
  return readdirSync(path).flatMap((name) => tsFiles(join(path, name)));
}

/** The sources the build compiles, by its tsconfig's `include`, and what is missing or out of date. */
export function staleOutputs(root = ROOT) {
  const entry = join(root, 'dist', 'src', 'main.js');
  const configPath = join(root, TSCONFIG);
  // A deployed build without its sources (a container image) cannot be stale.
  const include = existsSync(configPath) ? (JSON.parse(readFileSync(configPath, 'utf8')).include ?? []) : [];
  const sources = include.flatMap((path) => tsFiles(join(root, path)));
  if (sources.length === 0) return existsSync(entry) ? [] : [entry];
  const configTime = Math.max(
    ...[configPath, join(root, 'tsconfig.json')].filter(existsSync).map((p) => statSync(p).mtimeMs),
  );
  return sources.filter((source) => {
    const built = join(root, 'dist', relative(root, source)).replace(/\.ts$/, '.js');
    if (!existsSync(built)) return true;
    const builtTime = statSync(built).mtimeMs;
    return builtTime < statSync(source).mtimeMs || builtTime < configTime;
  });
}

function findTsc(root) {
  try {
    const pkg = createRequire(join(root, 'package.json')).resolve('typescript/package.json');
    return join(dirname(pkg), 'bin', 'tsc');
  } catch {
    return undefined;
  }
}

/** Returns 'current', 'built' or 'unbuildable' (no TypeScript installed and dist/ out of date). */
export function ensureBuild(root = ROOT) {
  const stale = staleOutputs(root);
  if (stale.length === 0) return 'current';
  const tsc = findTsc(root);
  if (!tsc) return 'unbuildable';
  const run = spawnSync(process.execPath, [tsc, '-p', TSCONFIG], { cwd: root, stdio: 'inherit' });
  if (run.status !== 0) throw new Error(`the build failed (tsc -p ${TSCONFIG} exited ${run.status})`);
  return 'built';
}

function main(argv) {
  const install = argv.includes('--install');
  let result;
  try {
    result = ensureBuild();
  } catch (error) {
    process.stderr.write(`apollo-dashboard: ${error.message}\n`);
    return 1;
  }
  if (result !== 'unbuildable') return 0;
  const hasBuild = existsSync(join(ROOT, 'dist', 'src', 'main.js'));
  const why = hasBuild
    ? 'dist/ is older than the sources and TypeScript is not installed (a production install?)'
    : 'dist/ is missing and TypeScript is not installed (a production install?)';
  const how = 'Build with dev dependencies first (`npm ci`), then `npm ci --omit=dev` keeps that dist/.';
  if (install) {
    process.stderr.write(`apollo-dashboard: ${why}; not building. ${how}\n`);
    return 0;
  }
  if (hasBuild) {
    process.stderr.write(`apollo-dashboard: ${why}; starting the existing build.\n`);
    return 0;
  }
  process.stderr.write(`apollo-dashboard: ${why}. ${how}\n`);
  return 1;
}

if (process.argv[1] && fileURLToPath(import.meta.url) === process.argv[1]) {
  process.exitCode = main(process.argv.slice(2));
}
