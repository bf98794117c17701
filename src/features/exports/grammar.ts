/** `export <json|csv|html|companies> [period] [tier=1|2|3|qualified]`: words in, a typed request out. */

import { DEFAULT_PERIOD, type PeriodSpec, parsePeriod } from '../../domain/period.js';
import { AppError } from '../../errors.js';
import { COMMAND } from '../../ids.js';
import { TIER_FILTERS, type TierFilter } from './companies-csv.js';

export const EXPORT_FORMATS = ['json', 'csv', 'html', 'companies'] as const;
export type ExportFormat = (typeof EXPORT_FORMATS)[number];

/** The help line: every form `parseExportArgs` accepts. */
export const EXPORT_HELP = `\`${COMMAND} export json|csv|html|companies [period] [tier=1|2|3|qualified]\`: post the dashboard (or the period's companies) to this channel as a file.`;

export const EXPORT_USAGE = '`export json|csv|html|companies [period] [tier=1|2|3|qualified]`';

export interface ExportRequest {
  format: ExportFormat;
  period: PeriodSpec;
  /** Companies only: one tier, or every qualified company. */
  tier: TierFilter | null;
}

function isFormat(word: string): word is ExportFormat {
  return (EXPORT_FORMATS as readonly string[]).includes(word);
}

function isTierFilter(word: string): word is TierFilter {
  return (TIER_FILTERS as readonly string[]).includes(word);
}

/** Parses the words after `export`; throws `bad_command` saying what was wrong. */
export function parseExportArgs(words: readonly string[]): ExportRequest {
  const [first, ...rest] = words;
  if (first === undefined) throw new AppError('bad_command', `Say which export: ${EXPORT_USAGE}.`);
  const format = first.toLowerCase();
  if (!isFormat(format)) {
    throw new AppError('bad_command', `\`${first}\` is not an export format. Usage: ${EXPORT_USAGE}.`);
  }
  let period: PeriodSpec | null = null;
  let tier: TierFilter | null = null;
  for (const word of rest) {
    const lower = word.toLowerCase();
    if (lower.startsWith('tier=')) {
      const value = lower.slice('tier='.length);
      if (format !== 'companies') {
        throw new AppError('bad_command', '`tier=` filters the `companies` export only.');
      }
      if (!isTierFilter(value)) {
        throw new AppError(
          'bad_command',
          `\`${word}\`: use \`tier=1\`, \`tier=2\`, \`tier=3\` or \`tier=qualified\`.`,
        );
      }
      if (tier !== null) throw new AppError('bad_command', 'Give `tier=` once.');
      tier = value;
      continue;
    }
    if (period !== null) throw new AppError('bad_command', `Give one period. Usage: ${EXPORT_USAGE}.`);
    period = parsePeriod(word);
  }
  return { format, period: period ?? DEFAULT_PERIOD, tier };
}

/** The period as the user would say it, for the instant "on its way" answer. */
export function describePeriodSpec(spec: PeriodSpec): string {
  switch (spec.kind) {
    case 'rolling':
      return `the last ${spec.days} days`;
    case 'all':
      return 'all runs';
    case 'last':
      return 'the latest run';
    case 'range':
      return spec.from === spec.to ? spec.from : `${spec.from} to ${spec.to}`;
    default:
      return 'the period';
  }
}
