// A minimal PostgreSQL client, so that the app keeps zero runtime dependencies.
//
// It speaks the frontend/backend protocol version 3.0 over TCP: the startup message, password
// authentication (trust, cleartext, MD5 and SCRAM-SHA-256, all with node:crypto) and the simple
// query protocol, returning every value as text (or null). No TLS, no prepared statements, no
// COPY: enough for the shop of lab s5-db-migration, which reads a few rows inside the cluster.
//
// The protocol: https://www.postgresql.org/docs/current/protocol-flow.html and
// https://www.postgresql.org/docs/current/protocol-message-formats.html ; SCRAM-SHA-256:
// RFC 5802 and RFC 7677, as PostgreSQL uses them (https://www.postgresql.org/docs/current/sasl-authentication.html).
import { createHash, createHmac, pbkdf2Sync, randomBytes, timingSafeEqual } from 'node:crypto';
import { connect as tcpConnect } from 'node:net';

/** An error the server reported (ErrorResponse), with its SQLSTATE code. */
export class PgError extends Error {
  constructor(fields) {
    super(fields.M ?? 'unknown PostgreSQL error');
    this.name = 'PgError';
    this.code = fields.C;
    this.severity = fields.V ?? fields.S;
    if (fields.D) this.detail = fields.D;
    if (fields.H) this.hint = fields.H;
  }
}

/**
 * Connection settings from a URL such as postgres://shop@postgres:5432/shop?application_name=shop.
 * Like libpq, a password missing from the URL comes from PGPASSWORD.
 */
export function parseDatabaseUrl(url, env = process.env) {
  let u;
  try {
    u = new URL(url);
  } catch {
    throw new Error('DATABASE_URL is not a URL (expected postgres://user[:password]@host[:port]/database)');
  }
  if (u.protocol !== 'postgres:' && u.protocol !== 'postgresql:') throw new Error(`DATABASE_URL must start with postgres://, not ${u.protocol}//`);
  const sslmode = u.searchParams.get('sslmode');
  if (sslmode && !['disable', 'allow', 'prefer'].includes(sslmode)) throw new Error(`sslmode=${sslmode} needs TLS, which this minimal client does not speak`);
  const user = decodeURIComponent(u.username) || env.PGUSER;
  if (!user) throw new Error('DATABASE_URL names no user (postgres://USER@host/database)');
  return {
    host: u.hostname || 'localhost',
    port: u.port ? Number(u.port) : 5432,
    user,
    password: u.password ? decodeURIComponent(u.password) : env.PGPASSWORD,
    database: decodeURIComponent(u.pathname.replace(/^\//, '')) || user,
    applicationName: u.searchParams.get('application_name') ?? undefined,
  };
}

/** A SQL literal for the simple query protocol (which has no parameters). */
export function literal(value) {
  if (value === null || value === undefined) return 'NULL';
  if (typeof value === 'number') {
    if (!Number.isFinite(value)) throw new Error(`cannot write ${value} as SQL`);
    return String(value);
  }
  if (typeof value === 'boolean') return value ? 'TRUE' : 'FALSE';
  const text = String(value);
  if (text.includes('\0')) throw new Error('a SQL string cannot contain a NUL character');
  // With standard_conforming_strings on (checked at connect), only the quote needs doubling.
  return `'${text.replace(/'/g, "''")}'`;
}

// --- message encoding --------------------------------------------------------------------------

const cstring = (s) => Buffer.from(`${s}\0`, 'utf8');

function message(type, ...parts) {
  const body = Buffer.concat(parts);
  const header = Buffer.alloc(type ? 5 : 4);
  if (type) header.write(type, 0, 'latin1');
  header.writeInt32BE(body.length + 4, type ? 1 : 0);
  return Buffer.concat([header, body]);
}

function int32(n) {
  const b = Buffer.alloc(4);
  b.writeInt32BE(n);
  return b;
}

function startupMessage({ user, database, applicationName }) {
  const params = ['user', user, 'database', database, 'client_encoding', 'UTF8'];
  if (applicationName) params.push('application_name', applicationName);
  return message('', int32(196608), ...params.map(cstring), Buffer.from([0]));
}

/** Error and notice fields: a type byte and a string each, ended by a zero byte. */
function readFields(body) {
  const fields = {};
  let i = 0;
  while (i < body.length && body[i] !== 0) {
    const type = String.fromCharCode(body[i]);
    const end = body.indexOf(0, i + 1);
    fields[type] = body.toString('utf8', i + 1, end);
    i = end + 1;
  }
  return fields;
}

// --- SCRAM-SHA-256 -----------------------------------------------------------------------------

const hmac = (key, data) => createHmac('sha256', key).update(data).digest();
const sha256 = (data) => createHash('sha256').update(data).digest();

/** The client side of one SCRAM-SHA-256 exchange (no channel binding: this client has no TLS). */
export class Scram {
  constructor(password, nonce = randomBytes(18).toString('base64'), user = '') {
    if (password === undefined || password === null || password === '') throw new Error('the server asks for a password (SCRAM-SHA-256), but none was given (DATABASE_URL or PGPASSWORD)');
    this.password = password;
    this.nonce = nonce;
    // PostgreSQL takes the user name from the startup message, so the SCRAM one stays empty
    // (`user` is there for the RFC's test vectors).
    this.clientFirstBare = `n=${user},r=${nonce}`;
  }

  clientFirst() {
    return `n,,${this.clientFirstBare}`;
  }

  /** The answer to the server-first-message `r=…,s=…,i=…`. */
  clientFinal(serverFirst) {
    const attrs = Object.fromEntries(serverFirst.split(',').map((kv) => [kv[0], kv.slice(2)]));
    if (!attrs.r?.startsWith(this.nonce)) throw new Error('SCRAM: the server nonce does not extend ours');
    const iterations = Number(attrs.i);
    if (!attrs.s || !Number.isInteger(iterations) || iterations < 1) throw new Error('SCRAM: malformed server-first-message');
    // SASLprep is skipped: it leaves the usual ASCII passwords as they are.
    const salted = pbkdf2Sync(this.password.normalize('NFKC'), Buffer.from(attrs.s, 'base64'), iterations, 32, 'sha256');
    const clientKey = hmac(salted, 'Client Key');
    const withoutProof = `c=biws,r=${attrs.r}`; // biws = base64("n,,")
    this.authMessage = `${this.clientFirstBare},${serverFirst},${withoutProof}`;
    const signature = hmac(sha256(clientKey), this.authMessage);
    const proof = Buffer.from(clientKey.map((b, i) => b ^ signature[i]));
    this.serverKey = hmac(salted, 'Server Key');
    return `${withoutProof},p=${proof.toString('base64')}`;
  }

  /** Check the server-final-message `v=…`: the server knew the password too. */
  verifyServer(serverFinal) {
    const v = /(?:^|,)v=([^,]+)/.exec(serverFinal)?.[1];
    if (!v) throw new Error(`SCRAM: the server did not prove itself (${serverFinal})`);
    const expected = hmac(this.serverKey, this.authMessage);
    const got = Buffer.from(v, 'base64');
    if (got.length !== expected.length || !timingSafeEqual(got, expected)) throw new Error('SCRAM: the server signature is wrong');
  }
}

const md5 = (s) => createHash('md5').update(s).digest('hex');
/** MD5 password answer: "md5" + md5(md5(password + user) + salt). */
export const md5Password = (user, password, salt) => `md5${md5(Buffer.concat([Buffer.from(md5(`${password}${user}`)), salt]))}`;

// --- the connection ----------------------------------------------------------------------------

/** Reads whole backend messages from the socket, in order. */
class Reader {
  constructor(socket) {
    this.buffer = Buffer.alloc(0);
    this.messages = [];
    this.waiting = [];
    this.error = undefined;
    socket.on('data', (chunk) => {
      this.buffer = this.buffer.length ? Buffer.concat([this.buffer, chunk]) : chunk;
      while (this.buffer.length >= 5) {
        const length = this.buffer.readInt32BE(1);
        if (this.buffer.length < length + 1) break;
        const msg = { type: String.fromCharCode(this.buffer[0]), body: this.buffer.subarray(5, length + 1) };
        this.buffer = this.buffer.subarray(length + 1);
        const waiter = this.waiting.shift();
        if (waiter) waiter.resolve(msg);
        else this.messages.push(msg);
      }
    });
    const fail = (error) => {
      this.error ??= error;
      for (const w of this.waiting.splice(0)) w.reject(this.error);
    };
    socket.on('error', fail);
    socket.on('close', () => fail(new Error('the database closed the connection')));
  }

  next() {
    const msg = this.messages.shift();
    if (msg) return Promise.resolve(msg);
    if (this.error) return Promise.reject(this.error);
    return new Promise((resolve, reject) => this.waiting.push({ resolve, reject }));
  }
}

export class Client {
  constructor(socket, reader) {
    this.socket = socket;
    this.reader = reader;
    this.parameters = {};
    this.queue = Promise.resolve();
    this.closed = false;
    socket.on('close', () => (this.closed = true));
  }

  /**
   * Run SQL with the simple query protocol (several statements are allowed). Resolves to the
   * last statement's result: `{command, fields, rows}`, rows as objects of text values; every
   * statement's result is in `results`. Queries on one connection run one after the other.
   */
  query(sql) {
    const run = this.queue.then(() => this.run(sql));
    this.queue = run.catch(() => {});
    return run;
  }

  async run(sql) {
    if (this.closed) throw new Error('the database connection is closed');
    this.socket.write(message('Q', cstring(sql)));
    const results = [];
    let current = { command: '', fields: [], rows: [] };
    let error;
    for (;;) {
      const { type, body } = await this.reader.next();
      switch (type) {
        case 'T': {
          const count = body.readInt16BE(0);
          const fields = [];
          let i = 2;
          for (let f = 0; f < count; f++) {
            const end = body.indexOf(0, i);
            fields.push(body.toString('utf8', i, end));
            i = end + 1 + 18; // table oid, column, type oid, type size, type modifier, format
          }
          current.fields = fields;
          break;
        }
        case 'D': {
          const count = body.readInt16BE(0);
          const row = {};
          let i = 2;
          for (let c = 0; c < count; c++) {
            const length = body.readInt32BE(i);
            i += 4;
            row[current.fields[c] ?? `column${c}`] = length < 0 ? null : body.toString('utf8', i, i + length);
            if (length > 0) i += length;
          }
          current.rows.push(row);
          break;
        }
        case 'C':
          current.command = body.toString('utf8', 0, body.length - 1);
          results.push(current);
          current = { command: '', fields: [], rows: [] };
          break;
        case 'I':
          results.push({ command: '', fields: [], rows: [] });
          break;
        case 'E':
          error = new PgError(readFields(body));
          break;
        case 'S':
          this.parameter(body);
          break;
        case 'Z':
          if (error) throw error;
          return { ...(results[results.length - 1] ?? current), results };
        // 'N' notices and anything else are not needed here.
      }
    }
  }

  parameter(body) {
    const end = body.indexOf(0);
    this.parameters[body.toString('utf8', 0, end)] = body.toString('utf8', end + 1, body.length - 1);
  }

  /** Close politely (Terminate), then the socket. */
  end() {
    if (this.closed) return Promise.resolve();
    return new Promise((resolve) => {
      this.socket.once('close', () => resolve());
      this.socket.end(message('X'));
      setTimeout(() => this.socket.destroy(), 1000).unref();
    });
  }
}

/**
 * Open a connection and authenticate. `options` is parseDatabaseUrl's shape (or a URL string);
 * `timeoutMs` bounds the whole connect and login.
 */
export async function connect(options, { timeoutMs = 5000 } = {}) {
  const o = typeof options === 'string' ? parseDatabaseUrl(options) : options;
  const socket = tcpConnect({ host: o.host, port: o.port });
  socket.setNoDelay(true);
  const reader = new Reader(socket);
  const timer = setTimeout(() => socket.destroy(new Error(`no answer from the database at ${o.host}:${o.port} within ${timeoutMs} ms`)), timeoutMs);
  try {
    await new Promise((resolve, reject) => {
      socket.once('connect', resolve);
      socket.once('error', reject);
    });
    const client = new Client(socket, reader);
    socket.write(startupMessage(o));
    let scram;
    for (;;) {
      const { type, body } = await reader.next();
      if (type === 'E') throw new PgError(readFields(body));
      if (type === 'S') client.parameter(body);
      if (type === 'Z') break;
      if (type !== 'R') continue; // BackendKeyData, notices
      const code = body.readInt32BE(0);
      switch (code) {
        case 0: // AuthenticationOk
          break;
        case 3: // cleartext password
          if (!o.password) throw new Error('the server asks for a password, but none was given (DATABASE_URL or PGPASSWORD)');
          socket.write(message('p', cstring(o.password)));
          break;
        case 5: // MD5 password with a 4-byte salt
          if (!o.password) throw new Error('the server asks for a password (MD5), but none was given (DATABASE_URL or PGPASSWORD)');
          socket.write(message('p', cstring(md5Password(o.user, o.password, body.subarray(4, 8)))));
          break;
        case 10: { // SASL: the mechanisms the server offers
          const mechanisms = body.toString('utf8', 4).split('\0').filter(Boolean);
          if (!mechanisms.includes('SCRAM-SHA-256')) throw new Error(`the server offers only ${mechanisms.join(', ')}, which needs TLS`);
          scram = new Scram(o.password);
          const first = Buffer.from(scram.clientFirst(), 'utf8');
          socket.write(message('p', cstring('SCRAM-SHA-256'), int32(first.length), first));
          break;
        }
        case 11: // SASLContinue: server-first-message
          socket.write(message('p', Buffer.from(scram.clientFinal(body.toString('utf8', 4)), 'utf8')));
          break;
        case 12: // SASLFinal: server-final-message
          scram.verifyServer(body.toString('utf8', 4));
          break;
        default:
          throw new Error(`the server asks for an authentication method this client does not speak (code ${code}; it speaks trust, password, md5 and scram-sha-256)`);
      }
    }
    if (client.parameters.standard_conforming_strings === 'off') throw new Error('the server has standard_conforming_strings off, which this client does not support');
    return client;
  } catch (error) {
    socket.destroy();
    throw error;
  } finally {
    clearTimeout(timer);
  }
}
