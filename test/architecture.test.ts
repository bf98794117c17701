/**
 * The layout's rules, checked on every source file's imports (see docs/architecture.md):
 * - the pure core (domain/, blocks/) and the pure files inside a feature import no Slack SDK at run
 *   time (only types from @slack/types), no store driver, no cron, no fs, no process, nothing from
 *   the edge (slack/, http/, store/, config, logger), and never read the clock;
 * - domain/ and blocks/ never import a feature;
 * - nothing imports a feature's file except through its index.ts;
 * - there is no import cycle.
 */
import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';

const ROOT = fileURLToPath(new URL('..', import.meta.url));
const SRC = path.join(ROOT, 'src');

/** Files inside a feature folder that may touch Slack, the store, cron, fs, process or the clock. */
const FEATURE_EDGE_FILES = new Set([
  'index.ts',
  'slack.ts',
  'delivery.ts',
  'cron.ts',
  'job.ts',
  'service.ts',
]);

interface Import {
  specifier: string;
  typeOnly: boolean;
  line: number;
}

interface SourceFile {
  /** Relative to src/, with forward slashes. */
  rel: string;
  text: string;
  imports: Import[];
}

function listTs(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((e) => {
    const full = path.join(dir, e.name);
    if (e.isDirectory()) return listTs(full);
    return e.name.endsWith('.ts') ? [full] : [];
  });
}

/** Strips comments, so an example in a doc comment is not taken for code. */
function stripComments(text: string): string {
  return text
    .replace(/\/\*[\s\S]*?\*\//g, (m) => m.replace(/[^\n]/g, ' '))
    .replace(/(^|[^:'"`])\/\/.*$/gm, '$1');
}

function parseImports(text: string): Import[] {
  const code = stripComments(text);
  const out: Import[] = [];
  const patterns = [
    /\bimport\s+(type\s+)?(?:[\w*{}\s,$]+?\s+from\s+)?'([^']+)'/g,
    /\bexport\s+(type\s+)?(?:\*|\{[^}]*\})\s+from\s+'([^']+)'/g,
    /\bimport\(\s*'([^']+)'\s*\)/g,
  ];
  for (const [i, re] of patterns.entries()) {
    for (const m of code.matchAll(re)) {
      const specifier = (i === 2 ? m[1] : m[2]) ?? '';
      const typeOnly = i !== 2 && m[1] !== undefined;
      out.push({ specifier, typeOnly, line: code.slice(0, m.index).split('\n').length });
    }
  }
  return out;
}

function loadSources(): SourceFile[] {
  return listTs(SRC).map((file) => {
    const text = readFileSync(file, 'utf8');
    return { rel: path.relative(SRC, file).split(path.sep).join('/'), text, imports: parseImports(text) };
  });
}

/** The src-relative path a relative import points at, or null for a package. */
function resolveImport(from: string, specifier: string): string | null {
  if (!specifier.startsWith('.')) return null;
  return path.posix.normalize(path.posix.join(path.posix.dirname(from), specifier)).replace(/\.js$/, '.ts');
}

function isPure(rel: string): boolean {
  if (rel.startsWith('domain/') || rel.startsWith('blocks/')) return true;
  const m = /^features\/[^/]+\/(.+)$/.exec(rel);
  return m !== null && !FEATURE_EDGE_FILES.has(m[1] ?? '');
}

const FORBIDDEN_PACKAGES = [
  /^@slack\//,
  /^keyv$/,
  /^@keyv\//,
  /^node-cron$/,
  /^(node:)?fs(\/|$)/,
  /^(node:)?process$/,
];
const EDGE_MODULES = [
  /^slack\//,
  /^http\//,
  /^store\//,
  /^config\.ts$/,
  /^logger\.ts$/,
  /^app\.ts$/,
  /^main\.ts$/,
];
const CLOCK = [/\bnew Date\(\s*\)/, /\bDate\.now\(\s*\)/, /\bprocess\./];

/** Every rule broken in these files, one line each. */
function findViolations(files: readonly SourceFile[]): string[] {
  const problems: string[] = [];
  for (const f of files) {
    const pure = isPure(f.rel);
    const core = f.rel.startsWith('domain/') || f.rel.startsWith('blocks/');
    for (const imp of f.imports) {
      const at = `src/${f.rel}:${imp.line}`;
      const target = resolveImport(f.rel, imp.specifier);
      if (target === null) {
        const typesOnly = imp.specifier === '@slack/types' && imp.typeOnly;
        if (pure && !typesOnly && FORBIDDEN_PACKAGES.some((re) => re.test(imp.specifier)))
          problems.push(`${at}: pure file imports '${imp.specifier}'`);
        continue;
      }
      if (pure && EDGE_MODULES.some((re) => re.test(target)))
        problems.push(`${at}: pure file imports the edge module src/${target}`);
      if (core && target.startsWith('features/'))
        problems.push(`${at}: the shared core imports the feature file src/${target}`);
      const feature = /^features\/([^/]+)\//.exec(target)?.[1];
      if (feature && !f.rel.startsWith(`features/${feature}/`) && target !== `features/${feature}/index.ts`)
        problems.push(`${at}: imports src/${target} instead of features/${feature}/index.ts`);
    }
    if (pure) {
      const code = stripComments(f.text);
      for (const re of CLOCK) {
        const m = re.exec(code);
        if (m) {
          const line = code.slice(0, m.index).split('\n').length;
          problems.push(`src/${f.rel}:${line}: pure file reads the clock or the process (${m[0]})`);
        }
      }
    }
  }
  return problems;
}

/** Import cycles, each as the list of files around it. */
function findCycles(files: readonly SourceFile[]): string[][] {
  const known = new Set(files.map((f) => f.rel));
  const edges = new Map(
    files.map((f) => [
      f.rel,
      f.imports
        .map((i) => resolveImport(f.rel, i.specifier))
        .filter((t): t is string => t !== null && known.has(t)),
    ]),
  );
  const cycles: string[][] = [];
  const state = new Map<string, 'open' | 'done'>();
  const stack: string[] = [];
  const visit = (node: string): void => {
    state.set(node, 'open');
    stack.push(node);
    for (const next of edges.get(node) ?? []) {
      if (state.get(next) === 'open') cycles.push([...stack.slice(stack.indexOf(next)), next]);
      else if (!state.has(next)) visit(next);
    }
    stack.pop();
    state.set(node, 'done');
  };
  for (const f of files) if (!state.has(f.rel)) visit(f.rel);
  return cycles;
}

describe('architecture', () => {
  const files = loadSources();

  it('reads every source file and its imports', () => {
    expect(files.length).toBeGreaterThan(50);
    const app = files.find((f) => f.rel === 'app.ts');
    expect(app?.imports.map((i) => i.specifier)).toContain('./features/alerts/index.js');
  });

  it('keeps the pure core and the pure feature files free of Slack, store, cron, fs, process and the clock; features only through index.ts', () => {
    expect(findViolations(files)).toEqual([]);
  });

  it('has no import cycle', () => {
    expect(findCycles(files).map((c) => c.join(' -> '))).toEqual([]);
  });

  it('catches each kind of forbidden import (the checks can fail)', () => {
    const fake = (rel: string, text: string): SourceFile => ({ rel, text, imports: parseImports(text) });
    const bad = [
      fake('domain/x.ts', "import { App } from '@slack/bolt';\nexport const t = Date.now();"),
      fake('blocks/y.ts', "import Keyv from 'keyv';\nimport { readFileSync } from 'node:fs';"),
      fake('features/alerts/rules.ts', "import cron from 'node-cron';\nconst d = new Date();"),
      fake('domain/z.ts', "import { createAlerts } from '../features/alerts/index.js';"),
      fake('http/routes.ts', "import { createAlerts } from '../features/alerts/slack.js';"),
      fake('blocks/w.ts', "import type { Deps } from '../slack/deps.js';"),
    ];
    const found = findViolations(bad);
    expect(found).toEqual([
      "src/domain/x.ts:1: pure file imports '@slack/bolt'",
      'src/domain/x.ts:2: pure file reads the clock or the process (Date.now())',
      "src/blocks/y.ts:1: pure file imports 'keyv'",
      "src/blocks/y.ts:2: pure file imports 'node:fs'",
      "src/features/alerts/rules.ts:1: pure file imports 'node-cron'",
      'src/features/alerts/rules.ts:2: pure file reads the clock or the process (new Date())',
      'src/domain/z.ts:1: the shared core imports the feature file src/features/alerts/index.ts',
      'src/http/routes.ts:1: imports src/features/alerts/slack.ts instead of features/alerts/index.ts',
      'src/blocks/w.ts:1: pure file imports the edge module src/slack/deps.ts',
    ]);
    expect(
      findViolations([fake('blocks/kit.ts', "import type { KnownBlock } from '@slack/types';")]),
    ).toEqual([]);
    const cycle = findCycles([
      fake('a.ts', "import { b } from './b.js';"),
      fake('b.ts', "export { a } from './a.js';"),
    ]);
    expect(cycle).toEqual([['a.ts', 'b.ts', 'a.ts']]);
  });
});
