/** Building and sending the digest: the scheduled send (once per occurrence), catch-up, and manual sends. */
import type { SlackMessage } from '../../blocks/kit.js';
import type { Company } from '../../domain/model.js';
import { type RunMeta, sortRunsNewestFirst } from '../../domain/run-meta.js';
import { buildDashboard, storeDashboardSource } from '../../services/dashboard.js';
import { isSlackCallError, type SlackDelivery } from '../../slack/delivery.js';
import type { Deps } from '../../slack/deps.js';
import { describeError, notInChannelHint, slackErrorCode } from '../../slack/errors.js';
import { findMarkedPostOrNone, withMarker } from '../../slack/marked-post.js';
import { timeZoneOf } from '../../slack/payload.js';
import { sendWithRichFallback } from '../../slack/rich-fallback.js';
import type { Store } from '../../store/store.js';
import { parseCronFields } from './cron.js';
import { renderDigestMessage } from './messages.js';
import { decideCatchUp, type Occurrence, occurrenceAt, previousOccurrence } from './schedule.js';
import {
  cronExpressionOf,
  DIGEST_CATCH_UP_MS,
  DIGEST_DOC,
  type DigestState,
  digestStateSchema,
  handledSends,
  recordSend,
  type SendRecord,
} from './state.js';
import { computeDigest, type DigestModel, newTier1Companies, WEEK_MS } from './summary.js';

/** A claim on a send older than this (its process died mid-send) may be taken over. */
const CLAIM_STALE_MS = 10 * 60_000;

export type IncidentsSource = (
  team: string,
  window: { start: Date; end: Date },
) => Promise<{ opened: number; resolved: number; lines: string[] } | null>;

export interface DigestContext {
  deps: Deps;
  /** The delivery policy to send with, or the app's lookup of the workspace's own (null: not installed). */
  slack: SlackDelivery | ((team: string) => Promise<SlackDelivery | null>);
  incidents: IncidentsSource;
}

/** The delivery policy for the workspace's digest, or null when the workspace has no token (uninstalled). */
export async function digestClient(ctx: DigestContext, team: string): Promise<SlackDelivery | null> {
  return typeof ctx.slack === 'function' ? ctx.slack(team) : ctx.slack;
}

export async function loadDigestState(deps: Deps, team: string): Promise<DigestState | undefined> {
  return deps.store.getDocument(team, DIGEST_DOC, digestStateSchema);
}

export async function digestTimeZone(
  deps: Deps,
  team: string,
  state: DigestState | undefined,
): Promise<string> {
  if (state?.timezone) return state.timezone;
  return timeZoneOf(deps, team);
}

/** The runs of the two weeks before `end` with their companies, for `newTier1Companies`. */
async function loadTwoWeeks(
  store: Store,
  team: string,
  runs: readonly RunMeta[],
  end: number,
): Promise<Array<{ run: RunMeta; companies: Company[] }>> {
  const inWindow = runs.filter((r) => {
    const t = Date.parse(r.started_at);
    return t >= end - 2 * WEEK_MS && t < end;
  });
  const loaded: Array<{ run: RunMeta; companies: Company[] }> = [];
  for (const run of sortRunsNewestFirst(inWindow)) {
    loaded.push({ run, companies: (await store.getCompanies(team, run.run_id)) ?? [] });
  }
  return loaded;
}

/** What building a digest needs besides the store: plain data, so it can be posted to a worker thread. */
export interface DigestJob {
  team: string;
  end: Date;
  lateFor: Date | null;
  timeZone: string;
  generatedAt: Date;
  incidents: Awaited<ReturnType<IncidentsSource>>;
}

export interface BuiltDigest {
  model: DigestModel;
  message: SlackMessage;
}

/** The digest for the 7 days ending at `end`, against the 7 before, read from the store (runs in the heavy lane). */
export async function computeDigestFromStore(store: Store, job: DigestJob): Promise<BuiltDigest> {
  const source = await storeDashboardSource(store, job.team);
  const end = job.end.getTime();
  const window = (from: number, to: number, label: string) => ({
    kind: 'window' as const,
    start: new Date(from).toISOString(),
    end: new Date(to).toISOString(),
    label,
  });
  const common = { source, now: job.end, defaultTimeZone: job.timeZone };
  const current = await buildDashboard({ ...common, period: window(end - WEEK_MS, end, 'This week') });
  const previous = await buildDashboard({
    ...common,
    period: window(end - 2 * WEEK_MS, end - WEEK_MS, 'Week before'),
  });
  const newTier1 = newTier1Companies(await loadTwoWeeks(store, job.team, source.runs, end), end);
  const model = computeDigest({
    current,
    previous,
    runs: source.runs,
    newTier1,
    incidents: job.incidents,
    generatedAt: job.generatedAt,
    lateFor: job.lateFor,
    timeZone: job.timeZone,
  });
  return { model, message: renderDigestMessage(model) };
}

/** The digest for the 7 days ending at `end`, against the 7 before: in the heavy lane when there is one. */
export async function buildDigest(
  ctx: DigestContext,
  team: string,
  options: { end: Date; lateFor: Date | null; timeZone: string },
): Promise<BuiltDigest> {
  const { deps } = ctx;
  const incidents = await ctx.incidents(team, {
    start: new Date(options.end.getTime() - WEEK_MS),
    end: options.end,
  });
  const job: DigestJob = { team, ...options, generatedAt: deps.now(), incidents };
  return deps.heavy
    ? ((await deps.heavy({ kind: 'digest', job })) as BuiltDigest)
    : computeDigestFromStore(deps.store, job);
}

async function record(deps: Deps, team: string, rec: SendRecord, manual = false): Promise<void> {
  await deps.store.updateDocument(team, DIGEST_DOC, digestStateSchema, (current) => {
    if (!current) throw new Error('digest settings vanished');
    return { value: manual ? { ...current, last_manual: rec } : recordSend(current, rec), result: undefined };
  });
}

async function post(
  slack: SlackDelivery,
  channel: string,
  message: SlackMessage,
  marker?: string,
): Promise<{ ts?: string; error?: string; uncertain?: boolean }> {
  try {
    // The delivery policy retries a 429 and a refused connection; a post whose answer was lost
    // is not repeated (a scheduled one is looked up by its marker before any second try).
    // A workspace that refuses the chart (invalid_blocks) gets the same figures without it.
    const res = await sendWithRichFallback({}, message, (m) =>
      slack.call(
        'chat.postMessage',
        { channel, ...(marker ? withMarker(m, marker) : m) },
        { safe: false, key: channel, what: 'digest post' },
      ),
    );
    const ts = (res as { ts?: unknown }).ts;
    return typeof ts === 'string' ? { ts } : {};
  } catch (error) {
    if (isSlackCallError(error)) return { error: error.message, uncertain: error.maybeDone };
    const code = slackErrorCode(error);
    const hint = notInChannelHint(code);
    return { error: hint ? `${code}: ${hint}` : (code ?? describeError(error)) };
  }
}

/** The marker a scheduled digest carries, so a post whose answer was lost is found, not re-sent. */
const digestMarker = (team: string, local: string) => `digest:${team}:${local}`;

export type ScheduledOutcome = 'posted' | 'late' | 'duplicate' | 'skipped' | 'failed' | 'inactive';

/** Sends the scheduled digest for one occurrence at most once, whoever fires it (cron, catch-up, a second process). */
export async function sendScheduledDigest(
  ctx: DigestContext,
  team: string,
  occurrence: Occurrence,
  options: { late: boolean },
): Promise<ScheduledOutcome> {
  const { deps } = ctx;
  const state = await loadDigestState(deps, team);
  if (!state?.enabled || !state.channel) return 'inactive';
  if (handledSends(state).has(occurrence.local)) return 'duplicate';
  const tz = await digestTimeZone(deps, team, state);
  // Another replica may have changed the schedule since this one scheduled the fire: the stored
  // schedule decides, before anything is claimed.
  if (!options.late && !isScheduledOccurrence(state, tz, occurrence)) {
    deps.logger.info(
      `Digest for ${team}: a fire at ${occurrence.local} no longer matches the stored schedule; not sent.`,
    );
    return 'inactive';
  }
  // Uninstalled (or its tokens revoked): no send, and no claim, so a reinstall may still send it.
  const client = await digestClient(ctx, team);
  if (!client) return 'inactive';
  const claimName = `digest:${occurrence.local}`;
  if (!(await deps.store.claim(team, claimName, { now: deps.now(), staleMs: CLAIM_STALE_MS })))
    return 'duplicate';
  const base = { local: occurrence.local, intended_at: occurrence.at.toISOString(), channel: state.channel };
  try {
    const { model, message } = await buildDigest(ctx, team, {
      end: occurrence.at,
      lateFor: options.late ? occurrence.at : null,
      timeZone: tz,
    });
    if (model.quiet && state.skip_empty) {
      await record(deps, team, { ...base, status: 'skipped', at: deps.now().toISOString() });
      return 'skipped';
    }
    const marker = digestMarker(team, occurrence.local);
    const tried = state.history.find((r) => r.local === occurrence.local);
    // A failed earlier try may have reached Slack after all: adopt it rather than post again.
    const found = tried
      ? await findMarkedPostOrNone(client, {
          channel: state.channel,
          marker,
          since: new Date(tried.at),
          onRefused: (error) =>
            deps.logger.warn(
              `Digest for ${team}: could not look for an earlier post (${describeError(error)}).`,
            ),
        })
      : null;
    const sent = found ? { ts: found } : await post(client, state.channel, message, marker);
    if (sent.error !== undefined) {
      deps.logger.error(`Digest for ${team} (${occurrence.local}) was not delivered: ${sent.error}`);
      await record(deps, team, {
        ...base,
        status: 'failed',
        at: deps.now().toISOString(),
        error: sent.error,
      });
      await deps.store.release(team, claimName);
      return 'failed';
    }
    const status = options.late ? 'late' : 'posted';
    deps.logger.info(`Digest for ${team} (${occurrence.local} ${tz}) ${status}.`);
    try {
      await record(deps, team, {
        ...base,
        status,
        at: deps.now().toISOString(),
        ...(sent.ts ? { ts: sent.ts } : {}),
      });
    } catch (error) {
      // Slack has the post: keep the claim, so no restart or second process posts it again.
      deps.logger.error(
        `Digest for ${team} (${occurrence.local}) was posted but not recorded: ${describeError(error)}`,
      );
    }
    return status;
  } catch (error) {
    deps.logger.error(`Digest for ${team} (${occurrence.local}) failed: ${describeError(error)}`);
    await deps.store.release(team, claimName).catch(() => undefined);
    await record(deps, team, {
      ...base,
      status: 'failed',
      at: deps.now().toISOString(),
      error: describeError(error),
    }).catch(() => undefined);
    return 'failed';
  }
}

/** `digest now`: the week so far, to the digest channel; it never consumes a scheduled send. */
export async function sendDigestNow(ctx: DigestContext, team: string): Promise<SendRecord> {
  const { deps } = ctx;
  const state = await loadDigestState(deps, team);
  if (!state?.channel) throw new Error('no digest channel');
  const now = deps.now();
  const tz = await digestTimeZone(deps, team, state);
  const { message } = await buildDigest(ctx, team, { end: now, lateFor: null, timeZone: tz });
  const client = await digestClient(ctx, team);
  const sent = client
    ? await post(client, state.channel, message)
    : { error: 'the app is not installed in this workspace' };
  const rec: SendRecord = {
    local: `now:${now.toISOString()}`,
    intended_at: now.toISOString(),
    status: sent.error === undefined ? 'posted' : 'failed',
    at: now.toISOString(),
    channel: state.channel,
    ...(sent.ts ? { ts: sent.ts } : {}),
    ...(sent.error !== undefined ? { error: sent.error } : {}),
  };
  await record(deps, team, rec, true);
  if (sent.error !== undefined)
    deps.logger.error(`Manual digest for ${team} was not delivered: ${sent.error}`);
  return rec;
}

/** At start-up: post the occurrence missed while down (within the window) once, late; record older ones as missed. */
export async function catchUpDigest(
  ctx: DigestContext,
  team: string,
): Promise<ScheduledOutcome | 'missed' | 'none'> {
  const { deps } = ctx;
  const state = await loadDigestState(deps, team);
  if (!state?.enabled || !state.channel) return 'none';
  const tz = await digestTimeZone(deps, team, state);
  const decision = decideCatchUp({
    fields: parseCronFields(cronExpressionOf(state.schedule)),
    timeZone: tz,
    now: deps.now(),
    windowMs: DIGEST_CATCH_UP_MS,
    handled: handledSends(state),
    since: new Date(state.schedule_since),
  });
  if (decision.kind === 'none') return 'none';
  if (decision.kind === 'late') return sendScheduledDigest(ctx, team, decision.occurrence, { late: true });
  const occ = decision.occurrence;
  await record(deps, team, {
    local: occ.local,
    intended_at: occ.at.toISOString(),
    status: 'missed',
    at: deps.now().toISOString(),
    channel: state.channel,
  });
  deps.logger.warn(
    `Digest for ${team} due ${occ.local} ${tz} was missed while the app was down; not posted.`,
  );
  return 'missed';
}

/** Whether the stored schedule (in `timeZone`) fires at `occurrence`, on or after its `schedule_since`. */
export function isScheduledOccurrence(state: DigestState, timeZone: string, occurrence: Occurrence): boolean {
  if (occurrence.at.getTime() < Date.parse(state.schedule_since) - 60_000) return false;
  const fields = parseCronFields(cronExpressionOf(state.schedule));
  return previousOccurrence(fields, timeZone, occurrence.at)?.local === occurrence.local;
}

/** The occurrence a cron fire at `plannedAt` stands for. */
export function occurrenceOfFire(plannedAt: Date, timeZone: string): Occurrence {
  return occurrenceAt(plannedAt, timeZone);
}
