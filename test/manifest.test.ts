/** manifest.yml must match the ids the code uses: the command, the request path and the exact bot scopes. */
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import { BOT_EVENTS, BOT_SCOPES, COMMAND, OAUTH_REDIRECT_PATH, SLACK_EVENTS_PATH } from '../src/ids.js';

interface Manifest {
  display_information?: { name?: string; description?: string };
  features?: {
    app_home?: { home_tab_enabled?: boolean };
    bot_user?: { display_name?: string };
    slash_commands?: Array<{
      command?: string;
      url?: string;
      description?: string;
      usage_hint?: string;
      should_escape?: boolean;
    }>;
  };
  oauth_config?: { redirect_urls?: string[]; scopes?: { bot?: string[]; user?: string[] } };
  settings?: {
    event_subscriptions?: { request_url?: string; bot_events?: string[] };
    interactivity?: { is_enabled?: boolean; request_url?: string };
    socket_mode_enabled?: boolean;
  };
}

const manifest = parse(readFileSync(new URL('../manifest.yml', import.meta.url), 'utf8')) as Manifest;

describe('manifest.yml', () => {
  it('has a name and a bot user', () => {
    expect(manifest.display_information?.name).toBeTruthy();
    expect(manifest.features?.bot_user?.display_name).toBeTruthy();
  });

  it('declares exactly the slash command the code handles', () => {
    const commands = manifest.features?.slash_commands ?? [];
    expect(commands).toHaveLength(1);
    const [command] = commands;
    expect(command?.command).toBe(COMMAND);
    expect(command?.should_escape).toBe(true);
    expect(command?.usage_hint?.trim()).toBeTruthy();
    expect(command?.description?.trim()).toBeTruthy();
    expect(new URL(command?.url ?? '').pathname.endsWith(SLACK_EVENTS_PATH)).toBe(true);
  });

  it('enables interactivity on the same path', () => {
    const interactivity = manifest.settings?.interactivity;
    expect(interactivity?.is_enabled).toBe(true);
    expect(new URL(interactivity?.request_url ?? '').pathname.endsWith(SLACK_EVENTS_PATH)).toBe(true);
    expect(interactivity?.request_url).toBe(manifest.features?.slash_commands?.[0]?.url);
  });

  it('enables the Home tab and subscribes to exactly the events the code handles, on the same path', () => {
    expect(manifest.features?.app_home?.home_tab_enabled).toBe(true);
    const events = manifest.settings?.event_subscriptions;
    expect([...(events?.bot_events ?? [])].sort()).toEqual([...BOT_EVENTS].sort());
    expect(events?.request_url).toBe(manifest.features?.slash_commands?.[0]?.url);
  });

  it('enables Socket Mode', () => {
    expect(manifest.settings?.socket_mode_enabled).toBe(true);
  });

  it('asks for the bot scopes the code uses, no more and no less', () => {
    const scopes = manifest.oauth_config?.scopes?.bot ?? [];
    expect(new Set(scopes).size).toBe(scopes.length);
    expect([...scopes].sort()).toEqual([...BOT_SCOPES].sort());
    expect(manifest.oauth_config?.scopes?.user ?? []).toEqual([]);
  });

  it('names the OAuth redirect path and the uninstall events distributed mode handles', () => {
    const redirects = manifest.oauth_config?.redirect_urls ?? [];
    expect(redirects.map((u) => new URL(u).pathname)).toEqual([OAUTH_REDIRECT_PATH]);
    const events = manifest.settings?.event_subscriptions;
    expect(new URL(events?.request_url ?? '').pathname).toBe(SLACK_EVENTS_PATH);
    expect(events?.bot_events).toEqual(expect.arrayContaining(['app_uninstalled', 'tokens_revoked']));
  });
});
