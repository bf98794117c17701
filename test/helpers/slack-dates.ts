/**
 * Slack date tokens in test text. `<!date^EPOCH^FORMAT|fallback>` is rendered by Slack in each
 * reader's zone; where it cannot render it (notifications, old clients) the fallback shows. Tests
 * that compare text read a token as its fallback; tests of the tokens themselves use `dateTokens`.
 */
const TOKEN = /<!date\^(\d+)\^([^|>]*)\|([^>]*)>/g;

/** The text with each date token read as its fallback. */
export function readDates(text: string): string {
  return text.replace(TOKEN, (_m, _epoch, _format, fallback: string) => fallback);
}

/** Every date token in the text: its epoch seconds, format and fallback. */
export function dateTokens(text: string): Array<{ epoch: number; format: string; fallback: string }> {
  return [...text.matchAll(TOKEN)].map((m) => ({
    epoch: Number(m[1]),
    format: m[2] as string,
    fallback: m[3] as string,
  }));
}
