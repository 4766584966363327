// A throwaway PostgreSQL server for tests: a fresh cluster (initdb) in a temporary folder,
// listening on a free loopback port, gone when stopped — or when the test process dies, since a
// small shell keeps it only as long as our end of a pipe stays open.
//
// It uses the PostgreSQL installed on the machine (Debian: `apt-get install postgresql`; the
// binaries live in /usr/lib/postgresql/<major>/bin; PG_BIN overrides the folder). Where there is
// none, `postgresMissing()` says why, so a test can skip with that reason. As root, the server
// runs as the `postgres` user (PostgreSQL refuses to run as root).
//
// Everything is synchronous on purpose: callers such as the kit's simulated probes are.
import { execFileSync, spawn, spawnSync } from 'node:child_process';
import { chmodSync, chownSync, existsSync, mkdtempSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

const sleep = (ms) => Atomics.wait(new Int32Array(new SharedArrayBuffer(4)), 0, 0, ms);

function binDir(env = process.env) {
  if (env.PG_BIN) return existsSync(join(env.PG_BIN, 'initdb')) ? env.PG_BIN : undefined;
  const root = '/usr/lib/postgresql';
  if (existsSync(root)) {
    const majors = readdirSync(root).filter((v) => /^\d+$/.test(v) && existsSync(join(root, v, 'bin', 'initdb'))).sort((a, b) => Number(b) - Number(a));
    if (majors.length) return join(root, majors[0], 'bin');
  }
  for (const dir of (env.PATH ?? '').split(':')) if (dir && existsSync(join(dir, 'initdb')) && existsSync(join(dir, 'postgres'))) return dir;
  return undefined;
}

function runAs() {
  if (typeof process.getuid !== 'function' || process.getuid() !== 0) return undefined;
  const r = spawnSync('id', ['-u', 'postgres'], { encoding: 'utf8' });
  if (r.status !== 0) return { missing: 'running as root and there is no "postgres" user to run the server as' };
  const g = spawnSync('id', ['-g', 'postgres'], { encoding: 'utf8' });
  return { uid: Number(r.stdout.trim()), gid: Number(g.stdout.trim()) };
}

/** Why no test server can be started here, or undefined when one can. */
export function postgresMissing() {
  const bin = binDir();
  if (!bin) return 'PostgreSQL is not installed (Debian: apt-get install -y --no-install-recommends postgresql)';
  for (const tool of ['initdb', 'postgres', 'psql', 'pg_isready']) if (!existsSync(join(bin, tool))) return `${join(bin, tool)} is missing`;
  const user = runAs();
  if (user?.missing) return user.missing;
  return undefined;
}

function freePort() {
  const script = "const s=require('net').createServer().listen(0,'127.0.0.1',()=>{process.stdout.write(String(s.address().port));s.close()})";
  return Number(execFileSync(process.execPath, ['-e', script], { encoding: 'utf8' }));
}

const DEFAULT_HBA = ['local all all trust', 'host all all 127.0.0.1/32 trust'];

/**
 * Start a server. `hba` lists pg_hba.conf lines (first match wins; the default trusts every
 * local and loopback connection). Returns { host, port, socketDir, version, psql, stop }.
 */
export function startPostgres({ hba = DEFAULT_HBA } = {}) {
  const missing = postgresMissing();
  if (missing) throw new Error(`cannot start a test PostgreSQL: ${missing}`);
  const bin = binDir();
  const user = runAs();
  const dir = mkdtempSync(join(tmpdir(), 'hello-app-pg-'));
  const data = join(dir, 'data');
  const log = join(dir, 'postgres.log');
  if (user) chownSync(dir, user.uid, user.gid);
  chmodSync(dir, 0o700);
  const asServer = (command, args) => (user ? ['setpriv', ['--reuid', String(user.uid), '--regid', String(user.gid), '--clear-groups', command, ...args]] : [command, args]);

  const [initCmd, initArgs] = asServer(join(bin, 'initdb'), ['-D', data, '-U', 'postgres', '--auth=trust', '-E', 'UTF8', '--locale=C', '--no-sync']);
  const init = spawnSync(initCmd, initArgs, { encoding: 'utf8', cwd: dir });
  if (init.status !== 0) throw new Error(`initdb failed: ${init.stderr || init.stdout}`);
  writeFileSync(join(data, 'pg_hba.conf'), `${hba.join('\n')}\n`);

  const port = freePort();
  const [pgCmd, pgArgs] = asServer(join(bin, 'postgres'), ['-D', data, '-p', String(port), '-k', dir, '-c', 'listen_addresses=127.0.0.1', '-c', 'fsync=off', '-c', 'max_connections=40']);
  // The shell keeps the server only while our end of its stdin is open: `cat` returns at EOF,
  // which also happens when this process dies, and then the server stops and its files go.
  const keeper = `"$@" >"${log}" 2>&1 & pid=$!; cat >/dev/null; kill -INT $pid 2>/dev/null; wait $pid; rm -rf "${dir}"`;
  const child = spawn('sh', ['-c', keeper, 'pg-keeper', pgCmd, ...pgArgs], { stdio: ['pipe', 'ignore', 'ignore'], cwd: dir });
  child.unref();
  child.stdin.unref?.();

  const stop = () => {
    // destroy() closes our end of the pipe at once (end() would wait for the event loop,
    // which the wait below blocks).
    child.stdin.destroy();
    for (let waited = 0; existsSync(dir) && waited < 15_000; waited += 50) sleep(50);
  };
  for (let waited = 0; ; waited += 100) {
    const ready = spawnSync(join(bin, 'pg_isready'), ['-q', '-h', '127.0.0.1', '-p', String(port)]);
    if (ready.status === 0) break;
    if (waited > 20_000 || child.exitCode !== null) {
      const text = existsSync(log) ? readFileSync(log, 'utf8') : '(no log)';
      stop();
      throw new Error(`the test PostgreSQL did not start on port ${port}:\n${text}`);
    }
    sleep(100);
  }

  /** Run psql over the server's Unix socket (as `user`, default the superuser postgres); returns stdout. */
  const psql = (args, { input, user: role = 'postgres', database = 'postgres', env = {} } = {}) => {
    try {
      return execFileSync(join(bin, 'psql'), ['-X', '-h', dir, '-p', String(port), '-U', role, '-d', database, ...args], {
        input,
        encoding: 'utf8',
        env: { ...process.env, PGCONNECT_TIMEOUT: '5', ...env },
        stdio: ['pipe', 'pipe', 'pipe'],
      });
    } catch (error) {
      throw new Error(`psql ${args.join(' ')} failed: ${error.stderr || error.message}`);
    }
  };
  const version = psql(['-At', '-c', 'SHOW server_version']).trim();
  return { host: '127.0.0.1', port, socketDir: dir, bin, version, psql, stop };
}
