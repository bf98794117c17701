/**
 * Help is derived from the grammars: every word a parser dispatches on (its `case '…'` labels and
 * `=== '…'` comparisons, read from the parser's own source) appears in that grammar's help line,
 * and the help shows every grammar's line. An alias may stay out of help only if it parses exactly
 * like the documented word.
 */
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { CORE_HELP, parseCommand, splitWords } from '../src/domain/command.js';
import { parseAlertsCommand } from '../src/features/alerts/grammar.js';
import { ALERTS_HELP } from '../src/features/alerts/index.js';
import { parseCampaignCommand } from '../src/features/campaigns/grammar.js';
import { CAMPAIGN_HELP } from '../src/features/campaigns/index.js';
import { parseDigestCommand } from '../src/features/digest/grammar.js';
import { DIGEST_HELP } from '../src/features/digest/index.js';
import { EXPORT_FORMATS, EXPORT_HELP, TIER_FILTERS } from '../src/features/exports/index.js';
import { renderHelp, USAGE_LINES } from '../src/help.js';

/** The body of `function name(` in a source file. */
function functionBody(file: string, name: string): string {
  const text = readFileSync(new URL(`../src/${file}`, import.meta.url), 'utf8');
  const start = text.indexOf(`function ${name}(`);
  if (start < 0) throw new Error(`${name} not found in ${file}`);
  const end = text.indexOf('\n}\n', start);
  return text.slice(start, end);
}

/** The words a parser dispatches on. */
function dispatchWords(body: string): string[] {
  const words = new Set<string>();
  for (const m of body.matchAll(/case '([a-z][a-z_-]*)':/g)) words.add(m[1] as string);
  for (const m of body.matchAll(/=== '([a-z][a-z_-]*)'/g)) words.add(m[1] as string);
  for (const m of body.matchAll(/\[((?:'[a-z_-]+',?\s*)+)\]\.includes/g))
    for (const w of (m[1] as string).matchAll(/'([a-z_-]+)'/g)) words.add(w[1] as string);
  return [...words].sort();
}

const mentions = (help: string, word: string) =>
  new RegExp(`(^|[^a-z_-])${word.replace(/[-]/g, '\\-')}([^a-z_-]|$)`).test(help);

const cronOk = () => null;

const GRAMMARS = [
  {
    name: 'core',
    sources: [['domain/command.ts', 'parseCommand']],
    help: Object.values(CORE_HELP).join('\n'),
    aliases: {} as Record<string, [string, string]>,
    parse: (text: string) => parseCommand(text),
  },
  {
    name: 'alerts',
    sources: [
      ['features/alerts/grammar.ts', 'parseAlertsCommand'],
      ['features/alerts/grammar.ts', 'parseSet'],
    ],
    help: ALERTS_HELP,
    aliases: {
      status: ['status', ''],
      show: ['show', ''],
      none: ['channel none', 'channel off'],
      min_api_calls: ['set min_api_calls 5', 'set min_calls 5'],
      repeat_interval: ['set repeat_interval 4h', 'set repeat 4h'],
    } as Record<string, [string, string]>,
    parse: (text: string) => parseAlertsCommand(splitWords(text)),
  },
  {
    name: 'digest',
    sources: [['features/digest/grammar.ts', 'parseDigestCommand']],
    help: DIGEST_HELP,
    aliases: {} as Record<string, [string, string]>,
    parse: (text: string) => parseDigestCommand(text, cronOk),
  },
  {
    name: 'campaign',
    sources: [['features/campaigns/grammar.ts', 'parseCampaignCommand']],
    help: CAMPAIGN_HELP,
    aliases: {} as Record<string, [string, string]>,
    parse: (text: string) => parseCampaignCommand(splitWords(text)),
  },
];

describe('help, derived from the grammars', () => {
  for (const g of GRAMMARS) {
    it(`lists every word the ${g.name} grammar dispatches on`, () => {
      const words = g.sources.flatMap(([file, fn]) =>
        dispatchWords(functionBody(file as string, fn as string)),
      );
      expect(words.length).toBeGreaterThan(2);
      const missing = words.filter((w) => !mentions(g.help, w) && !(w in g.aliases));
      expect(missing).toEqual([]);
      for (const [alias, canonical] of Object.values(g.aliases)) {
        expect(g.parse(alias)).toEqual(g.parse(canonical));
      }
    });
  }

  it('lists every export format and tier filter', () => {
    for (const f of EXPORT_FORMATS) expect(mentions(EXPORT_HELP, f)).toBe(true);
    for (const t of TIER_FILTERS) expect(EXPORT_HELP).toContain(t);
  });

  it("shows every grammar's line, and the alerts line lists its options", () => {
    const shown = JSON.stringify(renderHelp().blocks);
    for (const line of [...Object.values(CORE_HELP), ALERTS_HELP, DIGEST_HELP, CAMPAIGN_HELP, EXPORT_HELP]) {
      expect(USAGE_LINES).toContain(line);
    }
    expect(USAGE_LINES).toHaveLength(12);
    for (const option of ['min_calls', 'min_companies', 'repeat']) expect(shown).toContain(option);
  });

  it('catches a word that the help leaves out (the check can fail)', () => {
    const body = "switch (verb) { case 'frobnicate': return 1; case 'show': return 2; }";
    expect(dispatchWords(body).filter((w) => !mentions('`alerts show`', w))).toEqual(['frobnicate']);
  });
});
