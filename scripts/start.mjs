#!/usr/bin/env node
/**
 * `npm start`: compiles only when dist/ is missing or out of date, then runs the app in this same
 * process. A deployment runs `node dist/src/main.js` directly: npm does not pass SIGTERM on.
 */
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { ensureBuild, ROOT } from './ensure-build.mjs';

const entry = join(ROOT, 'dist', 'src', 'main.js');
let result;
try {
  result = ensureBuild();
} catch (error) {
  process.stderr.write(`apollo-dashboard: ${error.message}\n`);
  process.exit(1);
}
if (result === 'unbuildable') {
  if (!existsSync(entry)) {
    process.stderr.write(
      'apollo-dashboard: dist/ is missing and TypeScript is not installed. Run `npm ci` (with dev dependencies) to build it.\n',
    );
    process.exit(1);
  }
  process.stderr.write(
    'apollo-dashboard: dist/ is older than the sources and TypeScript is not installed; starting it anyway.\n',
  );
}
await import(pathToFileURL(entry).href);
