/** Problems with an upload, named for a person: where (row or index), which field, what was expected. */

import type { z } from 'zod';
import { AppError, type FieldProblem } from '../../errors.js';
import { groupThousands, RUN_LIMITS } from './limits.js';

/** One problem a line, at most `max` of them, then "…and N more problems". */
export function formatProblems(problems: FieldProblem[], max = 5, unlisted = 0): string {
  const shown = problems.slice(0, Math.max(0, max));
  const lines = shown.map((problem) => {
    const place = placeOf(problem);
    return `• ${place ? `${place}: ` : ''}${problem.message}`;
  });
  const rest = problems.length - shown.length + unlisted;
  if (rest > 0) lines.push(`…and ${rest} more ${rest === 1 ? 'problem' : 'problems'}`);
  return lines.join('\n');
}

export function placeOf(problem: FieldProblem): string {
  if (!problem.where) return problem.field;
  if (!problem.field) return problem.where;
  return problem.where.startsWith('row ')
    ? `${problem.where}, ${problem.field}`
    : `${problem.where}.${problem.field}`;
}

/** How a zod issue path inside `companies` is named for a person (JSON index or CSV row, key as written). */
export interface CompanyLocator {
  where: (index: number) => string;
  field: (index: number, key: string) => string;
}

/**
 * A bounded list's marker issue (schema.ts `boundedList`) becomes a marker problem: it carries the
 * count of problems that were found but not listed, and `invalid` adds it to the total.
 */
export const MORE_MARKER = '\u0000more';

export function toProblems(issues: readonly z.core.$ZodIssue[], companies: CompanyLocator): FieldProblem[] {
  return issues.map((issue) => {
    const more = issue.code === 'custom' ? (issue.params as { more?: unknown } | undefined)?.more : undefined;
    if (typeof more === 'number') return { where: MORE_MARKER, field: '', message: String(more) };
    const path = issue.path.filter((p): p is string | number => typeof p !== 'symbol');
    const last = path.at(-1);
    const fieldName = typeof last === 'string' && path.length > 0 ? last : '';
    const prefix = fieldName ? path.slice(0, -1) : path;
    const [head, index] = prefix;
    if (head === 'companies' && typeof index === 'number' && prefix.length === 2) {
      return {
        where: companies.where(index),
        field: fieldName && companies.field(index, fieldName),
        message: issue.message,
      };
    }
    const where = prefix.map((p, i) => (typeof p === 'number' ? `[${p}]` : i === 0 ? p : `.${p}`)).join('');
    return { where, field: fieldName, message: issue.message };
  });
}

/**
 * The refusal: at most `RUN_LIMITS.maxProblems` problems are listed, and the message gives the total
 * (marker problems from bounded lists add what they counted), so a refusal stays a few kilobytes.
 */
export function invalid(all: FieldProblem[]): AppError {
  const problems: FieldProblem[] = [];
  let count = 0;
  for (const problem of all) {
    if (problem.where === MORE_MARKER) {
      count += Number(problem.message);
      continue;
    }
    count++;
    if (problems.length < RUN_LIMITS.maxProblems) problems.push(problem);
  }
  const unlisted = count - problems.length;
  const rest =
    unlisted > 0 ? ` The first ${problems.length} are listed; ${groupThousands(unlisted)} more are not.` : '';
  return new AppError(
    'upload_invalid',
    `The run has ${groupThousands(count)} ${count === 1 ? 'problem' : 'problems'}.${rest}`,
    { problems, unlisted },
  );
}
