import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { connect, literal, md5Password, parseDatabaseUrl, PgError, Scram } from '../src/pg.js';
import { postgresMissing, startPostgres } from './support/postgres.js';

describe('the connection settings', () => {
  it('come from a postgres:// URL, with libpq\'s defaults', () => {
    assert.deepEqual(parseDatabaseUrl('postgres://shop:s%40cret@db.example:6543/orders?application_name=x', {}), {
      host: 'db.example', port: 6543, user: 'shop', password: 's@cret', database: 'orders', applicationName: 'x',
    });
    assert.deepEqual(parseDatabaseUrl('postgresql://shop@postgres', {}), { host: 'postgres', port: 5432, user: 'shop', password: undefined, database: 'shop', applicationName: undefined });
  });

  it('take the password from PGPASSWORD when the URL has none', () => {
    assert.equal(parseDatabaseUrl('postgres://shop@postgres/shop', { PGPASSWORD: 'pw' }).password, 'pw');
  });

  it('refuse what this client cannot do, saying why', () => {
    assert.throws(() => parseDatabaseUrl('mysql://x@y/z', {}), /postgres:\/\//);
    assert.throws(() => parseDatabaseUrl('postgres://x@y/z?sslmode=require', {}), /TLS/);
    assert.throws(() => parseDatabaseUrl('not a url', {}), /not a URL/);
  });
});

describe('SQL literals', () => {
  it('double quotes and write NULL, numbers and booleans as SQL', () => {
    assert.equal(literal("O'Brien's tea"), "'O''Brien''s tea'");
    assert.equal(literal(null), 'NULL');
    assert.equal(literal(42), '42');
    assert.equal(literal(true), 'TRUE');
    assert.throws(() => literal('a\0b'), /NUL/);
    assert.throws(() => literal(Infinity), /Infinity/);
  });
});

describe('password hashing', () => {
  it('answers MD5 as "md5" + md5(md5(password + user) + salt)', () => {
    // The expected value was computed separately (Python's hashlib) from the same formula.
    assert.equal(md5Password('alice', 'secret', Buffer.from([1, 2, 3, 4])), 'md598a0412b9c31436fc53776e863350083');
  });

  it('computes SCRAM-SHA-256 as RFC 7677\'s test vector says', () => {
    // RFC 7677 §3: user "user", password "pencil".
    const scram = new Scram('pencil', 'rOprNGfwEbeRWgbNEkqO', 'user');
    assert.equal(scram.clientFirst(), 'n,,n=user,r=rOprNGfwEbeRWgbNEkqO');
    const final = scram.clientFinal('r=rOprNGfwEbeRWgbNEkqO%hvYDpWUa2RaTCAfuxFIlj)hNlF$k0,s=W22ZaJ0SNY7soEsUEjb6gQ==,i=4096');
    assert.equal(final, 'c=biws,r=rOprNGfwEbeRWgbNEkqO%hvYDpWUa2RaTCAfuxFIlj)hNlF$k0,p=dHzbZapWIk4jUhN+Ute9ytag9zjfMHgsqmmiz7AndVQ=');
    scram.verifyServer('v=6rriTRBi23WpRR/wtup+mMhUZUn/dB5nLTJRsjl95G4=');
    assert.throws(() => scram.verifyServer('v=AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA='), /signature is wrong/);
  });

  it('refuses a server nonce that does not extend the client\'s', () => {
    const scram = new Scram('pencil', 'abc');
    assert.throws(() => scram.clientFinal('r=xyz,s=W22ZaJ0SNY7soEsUEjb6gQ==,i=4096'), /nonce/);
  });
});

const missing = postgresMissing();
describe(`against a real PostgreSQL${missing ? ` (skipped: ${missing})` : ''}`, { skip: missing ?? false }, () => {
  let pg;
  const url = (user, password) => ({ host: pg.host, port: pg.port, user, password, database: 'postgres', applicationName: 'hello-test' });
  before(() => {
    pg = startPostgres({
      hba: [
        'local all all trust',
        'host all trust_user 127.0.0.1/32 trust',
        'host all password_user 127.0.0.1/32 password',
        'host all md5_user 127.0.0.1/32 md5',
        'host all scram_user 127.0.0.1/32 scram-sha-256',
        'host all postgres 127.0.0.1/32 trust',
      ],
    });
    pg.psql(['-v', 'ON_ERROR_STOP=1'], {
      input: `
        CREATE ROLE trust_user LOGIN;
        CREATE ROLE password_user LOGIN PASSWORD 'plain pw';
        SET password_encryption = 'md5';
        CREATE ROLE md5_user LOGIN PASSWORD 'md5 pw';
        SET password_encryption = 'scram-sha-256';
        CREATE ROLE scram_user LOGIN PASSWORD 'scram pw';
      `,
    });
  });
  after(() => pg?.stop());

  for (const [user, password, method] of [
    ['trust_user', undefined, 'trust'],
    ['password_user', 'plain pw', 'password'],
    ['md5_user', 'md5 pw', 'md5'],
    ['scram_user', 'scram pw', 'scram-sha-256'],
  ]) {
    it(`logs in with ${method} authentication and runs a query`, async () => {
      const client = await connect(url(user, password));
      try {
        const r = await client.query('SELECT current_user AS who, 1 + 1 AS two');
        assert.deepEqual(r.rows, [{ who: user, two: '2' }]);
        assert.equal(r.command, 'SELECT 1');
      } finally {
        await client.end();
      }
    });
  }

  it('fails a wrong password with the server\'s error (SQLSTATE 28P01)', async () => {
    await assert.rejects(connect(url('scram_user', 'wrong')), (e) => e instanceof PgError && e.code === '28P01');
    await assert.rejects(connect(url('md5_user', 'wrong')), (e) => e instanceof PgError && e.code === '28P01');
  });

  it('says so when the server wants a password and none was given', async () => {
    await assert.rejects(connect(url('scram_user', undefined)), /none was given/);
  });

  it('returns NULLs, Unicode and several statements\' results, and names its application', async () => {
    const client = await connect(url('postgres'));
    try {
      const r = await client.query(`SELECT NULL AS nothing, ${literal("한글 'quoted' ✓")} AS text; SELECT application_name FROM pg_stat_activity WHERE pid = pg_backend_pid()`);
      assert.equal(r.results.length, 2);
      assert.deepEqual(r.results[0].rows, [{ nothing: null, text: "한글 'quoted' ✓" }]);
      assert.deepEqual(r.rows, [{ application_name: 'hello-test' }]);
    } finally {
      await client.end();
    }
  });

  it('rejects a failing query with its SQLSTATE and stays usable', async () => {
    const client = await connect(url('postgres'));
    try {
      await assert.rejects(client.query('SELECT * FROM no_such_table'), (e) => e instanceof PgError && e.code === '42P01' && /no_such_table/.test(e.message));
      assert.deepEqual((await client.query('SELECT 3 AS n')).rows, [{ n: '3' }]);
    } finally {
      await client.end();
    }
  });

  it('runs queries on one connection one after the other', async () => {
    const client = await connect(url('postgres'));
    try {
      const results = await Promise.all([1, 2, 3, 4].map((n) => client.query(`SELECT ${n} AS n, pg_sleep(0.01)`)));
      assert.deepEqual(results.map((r) => r.rows[0].n), ['1', '2', '3', '4']);
    } finally {
      await client.end();
    }
  });

  it('reports a refused connection', async () => {
    await assert.rejects(connect({ ...url('postgres'), port: 1 }), /ECONNREFUSED/);
  });
});
