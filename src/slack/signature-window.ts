/**
 * Slack's replay window in both directions. Bolt refuses a request whose X-Slack-Request-Timestamp is
 * more than five minutes old but accepts any time in the future (and fractions); Slack's own rule is
 * "more than five minutes away from now" either way. This check runs before Bolt on Slack's endpoint.
 */
import type { IncomingMessage, RequestListener, ServerResponse } from 'node:http';

export const SIGNATURE_WINDOW_SECONDS = 5 * 60;

/** True when the header is a whole number of seconds no more than five minutes ahead of `nowMs`. */
export function timestampAcceptable(header: string | string[] | undefined, nowMs: number): boolean {
  if (typeof header !== 'string') return true; // missing: Bolt refuses it with its own message
  if (!/^\d{1,12}$/.test(header.trim())) return false;
  return Number(header) <= Math.floor(nowMs / 1000) + SIGNATURE_WINDOW_SECONDS;
}

/** Wraps Bolt's request listener: a request to one of `endpoints` dated in the future gets 401, as a stale one does. */
export function withSignatureWindow(
  inner: RequestListener,
  endpoints: readonly string[],
  now: () => number = Date.now,
): RequestListener {
  return (req: IncomingMessage, res: ServerResponse) => {
    const path = (req.url ?? '').split('?', 1)[0] ?? '';
    if (endpoints.includes(path) && !timestampAcceptable(req.headers['x-slack-request-timestamp'], now())) {
      req.resume();
      res.writeHead(401);
      res.end();
      return;
    }
    inner(req, res);
  };
}
