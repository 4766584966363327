import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { parseDatabaseUrl, Shop } from '../src/shop.js';
import { postgresMissing, startPostgres } from './support/postgres.js';

const V1_SCHEMA = `
  CREATE TABLE orders (id serial PRIMARY KEY, item text NOT NULL, quantity integer NOT NULL, created_at timestamptz NOT NULL DEFAULT now());
  INSERT INTO orders (item, quantity) VALUES ('green tea', 2), ('oolong', 1);
`;

const SCHEMA_V1 = ['id', 'item', 'quantity', 'created_at'];

const until = async (what, condition, ms = 30_000) => {
  for (const deadline = Date.now() + ms; !condition(); ) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 20));
  }
};

describe('DATABASE_URL', () => {
  it('gives the connection settings, with libpq\'s defaults', () => {
    assert.deepEqual(parseDatabaseUrl('postgres://shop:s%40cret@db.example:6543/orders?sslmode=require', {}), {
      host: 'db.example', port: 6543, user: 'shop', password: 's@cret', database: 'orders', ssl: 'require',
    });
    assert.deepEqual(parseDatabaseUrl('postgresql://shop@postgres', {}), { host: 'postgres', port: 5432, user: 'shop', password: undefined, database: 'shop' });
  });

  it('takes the password from PGPASSWORD when the URL has none', () => {
    assert.equal(parseDatabaseUrl('postgres://shop@postgres/shop', { PGPASSWORD: 'pw' }).password, 'pw');
  });

  it('is refused, saying why, when it is not a PostgreSQL URL with a user', () => {
    assert.throws(() => parseDatabaseUrl('mysql://x@y/z', {}), /must start with postgres:\/\//);
    assert.throws(() => parseDatabaseUrl('not a url', {}), /not a URL/);
    assert.throws(() => parseDatabaseUrl('postgres://db/shop', {}), /names no user/);
  });
});

const missing = postgresMissing();
describe(`the shop against a real PostgreSQL${missing ? ` (skipped: ${missing})` : ''}`, { skip: missing ?? false }, () => {
  let pg;
  let n = 0;
  /** A fresh database with the v1 schema, and the URL the shop connects with (SCRAM login). */
  const database = () => {
    const name = `shop_${++n}`;
    pg.psql(['-v', 'ON_ERROR_STOP=1', '-c', `CREATE DATABASE ${name} OWNER shop`]);
    pg.psql(['-v', 'ON_ERROR_STOP=1'], { input: V1_SCHEMA, user: 'shop', database: name });
    return { name, url: `postgres://shop@${pg.host}:${pg.port}/${name}` };
  };
  const shopFor = (url, schemaVersion) => new Shop({ databaseUrl: url, schemaVersion, env: { PGPASSWORD: 'shop pw' }, retryMs: 20, checkMs: 20 });

  before(() => {
    pg = startPostgres({ hba: ['local all all trust', 'host all postgres 127.0.0.1/32 trust', 'host all all 127.0.0.1/32 scram-sha-256'] });
    pg.psql(['-c', "CREATE ROLE shop LOGIN SUPERUSER PASSWORD 'shop pw'"]);
  });
  after(() => pg?.stop());

  it('v1 is ready on the v1 schema and lists the orders with the columns it reads', async () => {
    const shop = shopFor(database().url, 1);
    await shop.start();
    try {
      assert.deepEqual(shop.status(), { ready: true, reason: '' });
      const orders = await shop.orders();
      assert.deepEqual(orders.map((o) => Object.keys(o)), [SCHEMA_V1, SCHEMA_V1]);
      assert.equal(orders[0].item, 'green tea');
      assert.equal(orders[0].quantity, 2);
      assert.ok(orders[0].created_at instanceof Date);
      assert.equal(await shop.count(), 2);
    } finally {
      await shop.close();
    }
  });

  it('v2 stays unready on the v1 schema, saying which column is missing, and turns ready once it is added', async () => {
    const db = database();
    const shop = shopFor(db.url, 2);
    await shop.start();
    try {
      assert.equal(shop.status().ready, false);
      assert.match(shop.status().reason, /lacks orders\.status, which schema 2 needs \(has the migration run\?\)/);
      pg.psql(['-c', "ALTER TABLE orders ADD COLUMN status text NOT NULL DEFAULT 'placed'"], { user: 'shop', database: db.name });
      await until('the shop to see the new column', () => shop.status().ready);
      assert.deepEqual((await shop.orders()).map((o) => o.status), ['placed', 'placed']);
    } finally {
      await shop.close();
    }
  });

  it('v1 keeps working after the migration (the new column is additive)', async () => {
    const db = database();
    pg.psql(['-c', "ALTER TABLE orders ADD COLUMN status text NOT NULL DEFAULT 'placed'"], { user: 'shop', database: db.name });
    const shop = shopFor(db.url, 1);
    await shop.start();
    try {
      assert.equal(shop.status().ready, true);
      assert.equal(Object.keys((await shop.orders())[0]).includes('status'), false);
    } finally {
      await shop.close();
    }
  });

  it('sends values as query parameters: a table name with a quote in it is a name, not SQL', async () => {
    const shop = shopFor(database().url, 1);
    await shop.start();
    try {
      assert.deepEqual([...(await shop.columns("orders' OR '1'='1"))], []);
      assert.deepEqual((await shop.columns('orders')).map((r) => r.column_name), SCHEMA_V1);
    } finally {
      await shop.close();
    }
  });

  it('shows itself to the database as application_name=shop while it runs, and leaves at close', async () => {
    const db = database();
    const shop = shopFor(db.url, 1);
    await shop.start();
    const connected = () => pg.psql(['-At', '-c', `SELECT count(*) FROM pg_stat_activity WHERE application_name = 'shop' AND datname = '${db.name}'`]).trim();
    assert.equal(connected(), '1');
    await shop.close();
    await until('the database to see the shop leave', () => connected() === '0', 30_000);
  });

  it('is unready with the reason while the database cannot be reached, and says when there is no table', async () => {
    const down = shopFor(`postgres://shop@127.0.0.1:1/nowhere`, 1);
    await down.start();
    assert.match(down.status().reason, /^database unavailable: .*ECONNREFUSED/);
    await down.close();
    const name = `empty_${++n}`;
    pg.psql(['-c', `CREATE DATABASE ${name} OWNER shop`]);
    const empty = shopFor(`postgres://shop@${pg.host}:${pg.port}/${name}`, 1);
    await empty.start();
    assert.equal(empty.status().reason, 'the database has no table orders');
    await empty.close();
  });
});
