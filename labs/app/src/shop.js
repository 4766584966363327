// Database mode (DATABASE_URL set): the app is a small shop that lists orders from PostgreSQL.
//
// Each schema version is the set of `orders` columns the code reads. v1 reads the first; v2 also
// shows each order's `status`, a column that lab s5-db-migration's migration adds. The shop counts
// as ready only while the table has every column its version reads, so a v2 started before the
// migration stays unready (and answers 503 saying which column is missing) instead of failing
// its users one query at a time.
//
// It holds one connection, named `application_name=shop`, so that the database can tell whether
// a shop is still connected (the migration refuses to run while one is).
import { connect as pgConnect, parseDatabaseUrl } from './pg.js';

export const SCHEMAS = {
  1: ['id', 'item', 'quantity', 'created_at'],
  2: ['id', 'item', 'quantity', 'created_at', 'status'],
};

/** The columns of a table in the current schema, in their order (the same question the grader asks). */
export const COLUMNS_SQL = (table) =>
  `SELECT column_name FROM information_schema.columns WHERE table_schema = current_schema() AND table_name = '${table}' ORDER BY ordinal_position`;

export class Shop {
  /**
   * @param {{databaseUrl: string, schemaVersion: 1|2, env?: object, log?: (line: string) => void,
   *          connect?: typeof pgConnect, retryMs?: number, checkMs?: number}} options
   */
  constructor({ databaseUrl, schemaVersion, env = process.env, log = () => {}, connect = pgConnect, retryMs = 2000, checkMs = 5000 }) {
    this.options = { ...parseDatabaseUrl(databaseUrl, env), applicationName: 'shop' };
    this.schemaVersion = schemaVersion;
    this.needs = SCHEMAS[schemaVersion];
    this.log = log;
    this.pgConnect = connect;
    this.retryMs = retryMs;
    this.checkMs = checkMs;
    this.client = undefined;
    this.state = { ready: false, reason: 'connecting to the database' };
    this.stopped = false;
    this.timer = undefined;
  }

  /** Connect (retrying) and keep checking the schema until close(). Resolves after the first attempt. */
  async start() {
    await this.tick();
  }

  async tick() {
    if (this.stopped) return;
    try {
      if (!this.client || this.client.closed) {
        this.client = await this.pgConnect(this.options);
        this.log(`connected to the database at ${this.options.host}:${this.options.port}`);
      }
      const columns = (await this.client.query(COLUMNS_SQL('orders'))).rows.map((r) => r.column_name);
      const missing = this.needs.filter((c) => !columns.includes(c));
      const next = missing.length
        ? { ready: false, reason: columns.length ? `the database schema lacks ${missing.map((c) => `orders.${c}`).join(', ')}, which schema ${this.schemaVersion} needs (has the migration run?)` : 'the database has no table orders' }
        : { ready: true, reason: '' };
      if (next.reason !== this.state.reason) this.log(next.ready ? `schema ${this.schemaVersion} found: ready` : `not ready: ${next.reason}`);
      this.state = next;
    } catch (error) {
      this.state = { ready: false, reason: `database unavailable: ${error.message}` };
      this.log(this.state.reason);
      this.client?.socket.destroy();
      this.client = undefined;
    }
    if (!this.stopped) {
      this.timer = setTimeout(() => this.tick(), this.state.ready ? this.checkMs : this.retryMs);
      this.timer.unref?.();
    }
  }

  status() {
    return this.state;
  }

  /** The orders, with the columns this version reads, oldest first. */
  async orders(limit = 20) {
    if (!this.client) throw new Error(this.state.reason);
    const sql = `SELECT ${this.needs.join(', ')} FROM orders ORDER BY id LIMIT ${Number(limit)}`;
    return (await this.client.query(sql)).rows;
  }

  async count() {
    if (!this.client) throw new Error(this.state.reason);
    return Number((await this.client.query('SELECT count(*) AS n FROM orders')).rows[0].n);
  }

  /** Stop checking and close the connection (at shutdown: the database sees the shop leave). */
  async close() {
    this.stopped = true;
    clearTimeout(this.timer);
    await this.client?.end();
    this.client = undefined;
  }
}
