/** Raw access to a store's SQLite file, beside the store: one connection per statement. */
import Database from 'better-sqlite3';

export function sql<T = Record<string, unknown>>(file: string, text: string, ...params: unknown[]): T[] {
  const db = new Database(file, { fileMustExist: true });
  try {
    db.pragma('busy_timeout = 10000');
    const statement = db.prepare(text);
    if (statement.reader) return statement.all(...params) as T[];
    statement.run(...params);
    return [];
  } finally {
    db.close();
  }
}
