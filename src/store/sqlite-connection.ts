// Opens a SQLite connection the way every Sluice process uses one: WAL, a busy timeout, and a bounded page cache.
import BetterSqlite3 from 'better-sqlite3';

/**
 * Page cache per connection, in KiB (SQLite's own default). better-sqlite3 builds SQLite with a 16 MB default, and a
 * connection that keeps inserting spend rows touches new pages until it holds all 16 MB: on the load benchmark the
 * write thread's and the gateway's connections together grew RSS by ~11 MB in 20 s and would keep growing with the
 * database. Pages evicted from this cache are still in the operating system's file cache, one `pread` away.
 */
export const SQLITE_CACHE_KIB = 2_000;

export function openSqlite(path: string): BetterSqlite3.Database {
  const connection = new BetterSqlite3(path);
  connection.pragma('journal_mode = WAL');
  connection.pragma('busy_timeout = 5000');
  connection.pragma('synchronous = NORMAL');
  // An in-memory database lives only in its page cache: no bound there.
  if (path !== ':memory:') connection.pragma(`cache_size = -${SQLITE_CACHE_KIB}`);
  return connection;
}
