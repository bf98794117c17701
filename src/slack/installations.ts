/**
 * Distributed mode: where installations live. Bolt's OAuth flow stores each installation here and
 * reads it back for every request (its `authorize`); scheduled work asks for a workspace's token.
 * Everything is in the app's store (a per-workspace document), never in memory, so an install
 * finished on one replica is used by every other at once. Tokens are sealed with AES-256-GCM.
 *
 * Keys: a workspace install (also one inside an Enterprise Grid org) under its team id; an org-wide
 * install under its enterprise id, with a link document under each team seen using it, so scheduled
 * work for that team finds the org's token. Uninstalling keeps the record without its tokens and
 * with `uninstalled_at`, the start of the retention period.
 */
import type { Installation, InstallationQuery, InstallationStore } from '@slack/bolt';
import { z } from 'zod';
import type { Store } from '../store/store.js';
import type { TokenCipher } from '../store/token-cipher.js';

export const INSTALLATION_DOC = 'slack-installation';
export const INSTALLATION_LINK_DOC = 'slack-installation-link';

const installationRecordSchema = z.object({
  is_enterprise_install: z.boolean(),
  team_id: z.string().optional(),
  team_name: z.string().optional(),
  enterprise_id: z.string().optional(),
  enterprise_name: z.string().optional(),
  enterprise_url: z.string().optional(),
  app_id: z.string().optional(),
  /** Sealed tokens; absent once uninstalled or revoked. */
  bot: z
    .object({ token: z.string(), id: z.string(), user_id: z.string(), scopes: z.array(z.string()) })
    .optional(),
  /** The installer (the user who clicked Allow) and their user token, if any was granted. */
  user: z.object({
    id: z.string(),
    token: z.string().optional(),
    scopes: z.array(z.string()).optional(),
  }),
  installed_at: z.string(),
  uninstalled_at: z.string().optional(),
});
export type InstallationRecord = z.infer<typeof installationRecordSchema>;

const linkSchema = z.object({ enterprise_id: z.string() });

/** Whether a workspace may be served, and since when it is gone (the retention clock). */
export type InstallationStatus =
  | { kind: 'installed' }
  | { kind: 'uninstalled'; since: Date }
  | { kind: 'unknown' };

export interface Installations {
  /** Bolt's installation store (OAuth callback and per-request authorize). */
  boltStore: InstallationStore;
  /** The bot token serving this workspace (its own install, else its org's), or null when none. */
  botTokenFor(team: string): Promise<string | null>;
  status(team: string): Promise<InstallationStatus>;
  /** app_uninstalled, or tokens_revoked for the bot: drop every token now, start the retention clock. */
  uninstall(source: { teamId?: string; enterpriseId?: string; isEnterpriseInstall: boolean }): Promise<void>;
  /** tokens_revoked for user tokens only: drop those, keep the bot. */
  revokeUserTokens(
    source: { teamId?: string; enterpriseId?: string; isEnterpriseInstall: boolean },
    userIds: readonly string[],
  ): Promise<void>;
  /** The bot user of the installation serving `team`, to tell a bot revocation from a user one. */
  botUserOf(source: {
    teamId?: string;
    enterpriseId?: string;
    isEnterpriseInstall: boolean;
  }): Promise<string | null>;
}

function keyOf(q: {
  teamId?: string | undefined;
  enterpriseId?: string | undefined;
  isEnterpriseInstall: boolean;
}) {
  const key = q.isEnterpriseInstall ? q.enterpriseId : q.teamId;
  if (!key) throw new Error('The installation query names no team or enterprise.');
  return key;
}

export function createInstallations(options: {
  store: Store;
  cipher: TokenCipher;
  now: () => Date;
}): Installations {
  const { store, cipher, now } = options;
  /** Links this process has already written (a link never changes while the org is installed). */
  const linked = new Set<string>();

  const read = (key: string) => store.getDocument(key, INSTALLATION_DOC, installationRecordSchema);

  async function update(
    key: string,
    change: (current: InstallationRecord | undefined) => InstallationRecord,
  ) {
    await store.updateDocument(key, INSTALLATION_DOC, installationRecordSchema, (current) => ({
      value: change(current),
      result: undefined,
    }));
  }

  /** Changes an existing record; an event for a workspace never installed here writes nothing. */
  async function amend(key: string, change: (current: InstallationRecord) => InstallationRecord) {
    const found = await read(key);
    if (!found) return;
    await update(key, (current) => change(current ?? found));
  }

  async function linkTeam(team: string, enterprise: string): Promise<void> {
    const id = `${team}>${enterprise}`;
    if (linked.has(id)) return;
    const current = await store.getDocument(team, INSTALLATION_LINK_DOC, linkSchema);
    if (current?.enterprise_id !== enterprise) {
      await store.updateDocument(team, INSTALLATION_LINK_DOC, linkSchema, () => ({
        value: { enterprise_id: enterprise },
        result: undefined,
      }));
    }
    linked.add(id);
  }

  /** The record serving `team`: its own, else its org's through the link. */
  async function recordServing(team: string): Promise<InstallationRecord | undefined> {
    const own = await read(team);
    if (own) return own;
    const link = await store.getDocument(team, INSTALLATION_LINK_DOC, linkSchema);
    return link ? read(link.enterprise_id) : undefined;
  }

  function toInstallation(r: InstallationRecord, bot: NonNullable<InstallationRecord['bot']>): Installation {
    const installation: Installation<'v2', boolean> = {
      team: r.is_enterprise_install
        ? undefined
        : { id: r.team_id ?? '', ...(r.team_name ? { name: r.team_name } : {}) },
      enterprise: r.enterprise_id
        ? { id: r.enterprise_id, ...(r.enterprise_name ? { name: r.enterprise_name } : {}) }
        : undefined,
      user: {
        id: r.user.id,
        token: r.user.token ? cipher.open(r.user.token) : undefined,
        scopes: r.user.scopes,
      },
      bot: { token: cipher.open(bot.token), id: bot.id, userId: bot.user_id, scopes: bot.scopes },
      tokenType: 'bot',
      isEnterpriseInstall: r.is_enterprise_install,
      authVersion: 'v2',
      ...(r.app_id ? { appId: r.app_id } : {}),
      ...(r.enterprise_url ? { enterpriseUrl: r.enterprise_url } : {}),
    };
    return installation as Installation;
  }

  const boltStore: InstallationStore = {
    async storeInstallation(installation) {
      const isOrg = installation.isEnterpriseInstall === true;
      const key = keyOf({
        teamId: installation.team?.id,
        enterpriseId: installation.enterprise?.id,
        isEnterpriseInstall: isOrg,
      });
      const record: InstallationRecord = {
        is_enterprise_install: isOrg,
        user: {
          id: installation.user.id,
          ...(installation.user.token ? { token: cipher.seal(installation.user.token) } : {}),
          ...(installation.user.scopes ? { scopes: installation.user.scopes } : {}),
        },
        installed_at: now().toISOString(),
      };
      if (installation.team?.id) record.team_id = installation.team.id;
      if (installation.team?.name) record.team_name = installation.team.name;
      if (installation.enterprise?.id) record.enterprise_id = installation.enterprise.id;
      if (installation.enterprise?.name) record.enterprise_name = installation.enterprise.name;
      if (installation.enterpriseUrl) record.enterprise_url = installation.enterpriseUrl;
      if (installation.appId) record.app_id = installation.appId;
      if (installation.bot) {
        record.bot = {
          token: cipher.seal(installation.bot.token),
          id: installation.bot.id,
          user_id: installation.bot.userId,
          scopes: installation.bot.scopes,
        };
      }
      await update(key, () => record);
    },

    async fetchInstallation(query) {
      const record = await read(keyOf(query));
      if (!record?.bot || record.uninstalled_at !== undefined) {
        throw new Error('This workspace has not installed the app (or uninstalled it).');
      }
      if (query.isEnterpriseInstall && query.teamId && query.enterpriseId)
        await linkTeam(query.teamId, query.enterpriseId);
      return toInstallation(record, record.bot);
    },

    async deleteInstallation(query: InstallationQuery<boolean>) {
      await installations.uninstall(query);
    },
  };

  const installations: Installations = {
    boltStore,

    async botTokenFor(team) {
      const record = await recordServing(team);
      if (!record?.bot || record.uninstalled_at !== undefined) return null;
      return cipher.open(record.bot.token);
    },

    async status(team) {
      const record = await recordServing(team);
      if (!record) return { kind: 'unknown' };
      if (record.uninstalled_at !== undefined)
        return { kind: 'uninstalled', since: new Date(record.uninstalled_at) };
      return record.bot ? { kind: 'installed' } : { kind: 'unknown' };
    },

    async uninstall(source) {
      const keys = new Set<string>();
      if (source.isEnterpriseInstall && source.enterpriseId) keys.add(source.enterpriseId);
      else if (source.teamId) {
        // An event from a team of an org-wide install names the team: the org's record is the one.
        const link = await store.getDocument(source.teamId, INSTALLATION_LINK_DOC, linkSchema);
        keys.add((await read(source.teamId)) || !link ? source.teamId : link.enterprise_id);
      }
      for (const key of keys) {
        await amend(key, (current) => {
          const { bot: _bot, ...rest } = current;
          const { token: _token, ...user } = rest.user;
          return { ...rest, user, uninstalled_at: current.uninstalled_at ?? now().toISOString() };
        });
      }
    },

    async revokeUserTokens(source, userIds) {
      const key = source.isEnterpriseInstall ? source.enterpriseId : source.teamId;
      if (!key) return;
      await amend(key, (current) => {
        if (!userIds.includes(current.user.id)) return current;
        const { token: _token, ...user } = current.user;
        return { ...current, user };
      });
    },

    async botUserOf(source) {
      const record = source.isEnterpriseInstall
        ? source.enterpriseId
          ? await read(source.enterpriseId)
          : undefined
        : source.teamId
          ? await recordServing(source.teamId)
          : undefined;
      return record?.bot?.user_id ?? null;
    },
  };
  return installations;
}
