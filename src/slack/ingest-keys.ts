/**
 * Ingest keys: one or more per workspace, so a pipeline's POST /api/runs or /api/campaigns lands in
 * the workspace whose key it carries. A key is shown once when created; the store keeps only its
 * SHA-256 (and an 11-character prefix to name it). Two documents: the workspace's own list (the
 * truth: a key is valid only while listed there) and a lookup from the hash to the workspace,
 * under a reserved namespace that is no Slack team id.
 */
import { createHash, randomBytes } from 'node:crypto';
import { z } from 'zod';
import { AppError } from '../errors.js';
import type { Store } from '../store/store.js';

export const INGEST_KEYS_DOC = 'ingest-keys';
/** Not a Slack team id (those start with T or E), so never a workspace of its own. */
export const INGEST_KEY_NAMESPACE = '_ingest-keys';
const KEY_PREFIX = 'adk_';
const PREFIX_LENGTH = KEY_PREFIX.length + 7;

const keyEntrySchema = z.object({
  prefix: z.string(),
  hash: z.string(),
  created_at: z.string(),
  created_by: z.string(),
});
const keyListSchema = z.object({ keys: z.array(keyEntrySchema) });
const lookupSchema = z.object({ team: z.string() });

export type IngestKeyEntry = Omit<z.infer<typeof keyEntrySchema>, 'hash'>;

function hashOf(key: string): string {
  return createHash('sha256').update(key, 'utf8').digest('hex');
}

export interface IngestKeys {
  /** A new key for the workspace: the only time its text exists outside the caller's pipeline. */
  create(team: string, user: string): Promise<{ key: string; prefix: string }>;
  list(team: string): Promise<IngestKeyEntry[]>;
  /** Throws `not_found` when no key of this workspace starts with `prefix`. */
  revoke(team: string, prefix: string): Promise<IngestKeyEntry>;
  /** The workspace a presented key belongs to, or null. */
  teamOf(key: string): Promise<string | null>;
}

export function createIngestKeys(options: { store: Store; now: () => Date }): IngestKeys {
  const { store, now } = options;
  return {
    async create(team, user) {
      const key = `${KEY_PREFIX}${randomBytes(24).toString('base64url')}`;
      const entry = {
        prefix: key.slice(0, PREFIX_LENGTH),
        hash: hashOf(key),
        created_at: now().toISOString(),
        created_by: user,
      };
      // The lookup first: a key listed but not findable would be shown and then refused.
      await store.updateDocument(INGEST_KEY_NAMESPACE, `key:${entry.hash}`, lookupSchema, () => ({
        value: { team },
        result: undefined,
      }));
      await store.updateDocument(team, INGEST_KEYS_DOC, keyListSchema, (current) => ({
        value: { keys: [...(current?.keys ?? []), entry] },
        result: undefined,
      }));
      return { key, prefix: entry.prefix };
    },

    async list(team) {
      const current = await store.getDocument(team, INGEST_KEYS_DOC, keyListSchema);
      return (current?.keys ?? []).map(({ hash: _hash, ...rest }) => rest);
    },

    async revoke(team, prefix) {
      const { result } = await store.updateDocument(team, INGEST_KEYS_DOC, keyListSchema, (current) => {
        const keys = current?.keys ?? [];
        const matches = keys.filter((k) => k.prefix === prefix);
        if (matches.length !== 1)
          throw new AppError('not_found', `No ingest key of this workspace starts with \`${prefix}\`.`);
        return { value: { keys: keys.filter((k) => k.prefix !== prefix) }, result: matches[0] };
      });
      const { hash: _hash, ...entry } = result as z.infer<typeof keyEntrySchema>;
      return entry;
    },

    async teamOf(key) {
      if (!key.startsWith(KEY_PREFIX)) return null;
      const hash = hashOf(key);
      const found = await store.getDocument(INGEST_KEY_NAMESPACE, `key:${hash}`, lookupSchema);
      if (!found) return null;
      const listed = await store.getDocument(found.team, INGEST_KEYS_DOC, keyListSchema);
      return listed?.keys.some((k) => k.hash === hash) ? found.team : null;
    },
  };
}
