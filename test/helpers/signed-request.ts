// biome-ignore-all lint/suspicious/noExplicitAny: responses are arbitrary JSON; tests index into them freely

import { createHmac } from 'node:crypto';

/** `v0=` + hex HMAC-SHA256(secret, `v0:${timestamp}:${body}`), as Slack signs requests. */
export function signSlackRequest(secret: string, body: string, timestampSeconds: number): string {
  const hmac = createHmac('sha256', secret).update(`v0:${timestampSeconds}:${body}`).digest('hex');
  return `v0=${hmac}`;
}

export interface PostSignedOptions {
  secret: string;
  /** Default `application/x-www-form-urlencoded`. */
  contentType?: string;
  /** Seconds since the epoch; default now. */
  timestamp?: number;
  /** Sent instead of the computed signature (for bad-signature tests). */
  signature?: string;
  /** Extra headers, e.g. `X-Slack-Retry-Num`. */
  headers?: Record<string, string>;
}

export interface SignedResponse {
  status: number;
  text: string;
  /** The body parsed as JSON, or `undefined` when it is not JSON. */
  json: any;
}

/** POST `body` to `url` with Slack's signature headers, the way Slack delivers commands, actions and events. */
export async function postSigned(
  url: string,
  body: string,
  opts: PostSignedOptions,
): Promise<SignedResponse> {
  const timestamp = opts.timestamp ?? Math.floor(Date.now() / 1000);
  const response = await fetch(url, {
    method: 'POST',
    headers: {
      'Content-Type': opts.contentType ?? 'application/x-www-form-urlencoded',
      'X-Slack-Request-Timestamp': String(timestamp),
      'X-Slack-Signature': opts.signature ?? signSlackRequest(opts.secret, body, timestamp),
      ...opts.headers,
    },
    body,
  });
  const text = await response.text();
  let json: any;
  try {
    json = text === '' ? undefined : JSON.parse(text);
  } catch {
    json = undefined;
  }
  return { status: response.status, text, json };
}

export interface SlashCommandFields {
  text: string;
  responseUrl: string;
  teamId?: string;
  teamDomain?: string;
  userId?: string;
  userName?: string;
  channelId?: string;
  channelName?: string;
  triggerId?: string;
  /** Default `/apollo-dashboard`. */
  command?: string;
  apiAppId?: string;
  /** Enterprise Grid: the org, and whether the app is installed org-wide. */
  enterpriseId?: string;
  isEnterpriseInstall?: boolean;
}

/** A slash-command body, urlencoded in the field order Slack uses. */
export function slashCommandBody(fields: SlashCommandFields): string {
  return new URLSearchParams({
    token: 'verification-token-unused',
    team_id: fields.teamId ?? 'T_TEST',
    team_domain: fields.teamDomain ?? 'test',
    channel_id: fields.channelId ?? 'C_TEST',
    channel_name: fields.channelName ?? 'general',
    user_id: fields.userId ?? 'U_TEST',
    user_name: fields.userName ?? 'tester',
    command: fields.command ?? '/apollo-dashboard',
    text: fields.text,
    api_app_id: fields.apiAppId ?? 'A_TEST',
    ...(fields.enterpriseId ? { enterprise_id: fields.enterpriseId } : {}),
    is_enterprise_install: fields.isEnterpriseInstall ? 'true' : 'false',
    response_url: fields.responseUrl,
    trigger_id: fields.triggerId ?? '1700000000.123456789.abcdef0123456789abcdef0123456789',
  }).toString();
}

/** An interactivity body (block_actions, view_submission, …): `payload=<urlencoded JSON>`. */
export function interactionBody(payload: object): string {
  return `payload=${encodeURIComponent(JSON.stringify(payload))}`;
}
