/**
 * What both formats hand over once an upload is valid, and the steps every reading ends with: the
 * score scale and the warnings about scoring. (Spellings are grouped where groups are built, in
 * aggregate.ts, so a 100,000-company upload takes no pass over its companies for them.)
 */
import type { Run } from '../model.js';
import { decideScoreScale, type ScoreScale } from '../read/score-scale.js';
import type { ReadWarning } from '../read/warnings.js';
import type { RunFormat } from './limits.js';
import { invalid } from './problems.js';

export interface FormatReading {
  run: Run;
  warnings: ReadWarning[];
  /** People exports and people matches: the contact rows the companies came from. */
  contactRows?: number;
  /** Where company `index` is, for a person ("row 9", "companies[3]"). */
  where: (index: number) => string;
  /** The score field as the upload names it ("ICP Score", "icp_score"). */
  scoreField: string;
  /** A scale the upload states itself (a JSON run's `score_scale`). */
  statedScale?: ScoreScale;
  /** Why nothing was scored, in the upload's terms ("the file has no ICP score or tier column"). */
  noScoring: string;
}

/** A valid upload: the run, what was noticed while reading it, and how many contact rows it had. */
export interface RunReading {
  run: Run;
  format: RunFormat;
  warnings: ReadWarning[];
  contactRows?: number;
}

export function finishReading(
  read: FormatReading,
  format: RunFormat,
  options: { scoreScale?: ScoreScale },
): RunReading {
  let { companies } = read.run;
  const warnings = [...read.warnings];
  const outcome = decideScoreScale(companies, options.scoreScale ?? read.statedScale);
  if (outcome.kind === 'refused') {
    throw invalid([{ where: '', field: read.scoreField, message: outcome.message }]);
  }
  if (outcome.kind === 'out-of-scale') {
    throw invalid([
      {
        where: read.where(outcome.index),
        field: read.scoreField,
        message: `expected a fraction from 0 to 1 (the stated score scale), got ${outcome.score}`,
      },
    ]);
  }
  if (outcome.kind === 'scaled') {
    const scale = outcome.scale;
    companies = companies.map((c) =>
      c.icp_score === undefined ? c : { ...c, icp_score: scale(c.icp_score) },
    );
  }
  warnings.push(...outcome.warnings);
  // No score at all (decided in the same pass as the scale), and then no tier either.
  if (companies.length > 0 && outcome.scored === 0 && !companies.some((c) => c.tier !== 'Unqualified')) {
    warnings.push({
      code: 'no_scores',
      message: `No company has an ICP score or a tier: ${read.noScoring}. All ${companies.length} count as unscored and Unqualified, so the qualification rate says nothing about the search.`,
    });
  }
  const run = companies === read.run.companies ? read.run : { ...read.run, companies };
  return {
    run,
    format,
    warnings,
    ...(read.contactRows === undefined ? {} : { contactRows: read.contactRows }),
  };
}
