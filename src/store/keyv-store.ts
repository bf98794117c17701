/** The embedded store's former name, kept until every caller imports sqlite-store.ts. */
export {
  createSqliteStore as createKeyvStore,
  type SqliteStoreOptions as KeyvStoreOptions,
} from './sqlite-store.js';
