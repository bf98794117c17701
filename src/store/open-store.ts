/** STORE_URL picks the store: sqlite:// (embedded, the default) or postgres:// (several replicas). */
import { createPostgresStore, isPostgresUrl } from './postgres-store.js';
import { createSqliteStore } from './sqlite-store.js';
import type { Store } from './store.js';

export interface OpenStoreOptions {
  url: string;
  /** The app process: on SQLite, refuse to share the file with another app process. */
  app?: boolean;
  onError?: (error: unknown) => void;
}

export function openStore(options: OpenStoreOptions): Promise<Store> {
  const onError = options.onError ? { onError: options.onError } : {};
  if (isPostgresUrl(options.url)) return createPostgresStore({ url: options.url, ...onError });
  return createSqliteStore({ url: options.url, exclusive: options.app === true, ...onError });
}
