#!/usr/bin/env node
// Built by `npm install` (the prepare script compiles src/ to dist/).
import { runCli } from '../dist/src/cli.js';

process.exitCode = await runCli(process.argv.slice(2), {
  stdout: (s) => process.stdout.write(s),
  stderr: (s) => process.stderr.write(s),
});
