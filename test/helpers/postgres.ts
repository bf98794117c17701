/**
 * The PostgreSQL the tests run against: `TEST_DATABASE_URL` (`.ci/run` starts a throwaway cluster
 * and sets it). Without it the PostgreSQL suites are skipped and say why, except in CI with
 * `REQUIRE_POSTGRES=1`, where they run and fail. Each test gets a schema of its own.
 */
import { randomUUID } from 'node:crypto';
import pg from 'pg';

export const TEST_DATABASE_URL = process.env.TEST_DATABASE_URL?.trim() || undefined;
const required = process.env.CI === 'true' && process.env.REQUIRE_POSTGRES === '1';

/** True when the PostgreSQL suites must be skipped (no database given, and not required). */
export const skipPostgres = TEST_DATABASE_URL === undefined && !required;

/** Title suffix of a PostgreSQL suite, so a skipped run says why. */
export const postgresTitle = (title: string) =>
  skipPostgres ? `${title} (skipped: set TEST_DATABASE_URL=postgres://… to run it; .ci/run does)` : title;

if (skipPostgres) {
  process.stderr.write('PostgreSQL suites skipped: TEST_DATABASE_URL is not set.\n');
}

function databaseUrl(): string {
  if (TEST_DATABASE_URL === undefined) {
    throw new Error(
      'REQUIRE_POSTGRES=1 in CI, but TEST_DATABASE_URL is not set: the PostgreSQL suite must run.',
    );
  }
  return TEST_DATABASE_URL;
}

/** A URL whose connections use `schema` (created empty by `createSchema`). */
export function urlForSchema(schema: string): string {
  const url = new URL(databaseUrl());
  url.searchParams.set('options', `-c search_path=${schema}`);
  return url.toString();
}

export async function adminQuery<T extends pg.QueryResultRow = pg.QueryResultRow>(
  text: string,
  params: unknown[] = [],
  schema?: string,
): Promise<T[]> {
  const client = new pg.Client({
    connectionString: schema ? urlForSchema(schema) : databaseUrl(),
    connectionTimeoutMillis: 5_000,
  });
  await client.connect();
  try {
    return (await client.query<T>(text, params)).rows;
  } finally {
    await client.end();
  }
}

/** Creates an empty schema and returns its name and a STORE_URL that uses it. */
export async function createSchema(): Promise<{ schema: string; url: string }> {
  const schema = `apollo_test_${randomUUID().replaceAll('-', '').slice(0, 12)}`;
  await adminQuery(`CREATE SCHEMA ${schema}`);
  return { schema, url: urlForSchema(schema) };
}

export async function dropSchema(schema: string): Promise<void> {
  await adminQuery(`DROP SCHEMA IF EXISTS ${schema} CASCADE`);
}
