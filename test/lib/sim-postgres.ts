/**
 * The database of a simulated cluster, measured on a real PostgreSQL: what the `sql-columns`
 * probe would read in a lab's database Pod, computed by running the very SQL that has run there.
 *
 * The SQL comes from the simulated cluster's objects, which come from the real lab files: the
 * database Deployment's init scripts (a ConfigMap mounted at /docker-entrypoint-initdb.d, which the
 * official image runs once, in name order, with `psql -v ON_ERROR_STOP=1 --no-psqlrc -f` —
 * docker-library/postgres docker-entrypoint.sh, docker_process_init_files), then each Job that
 * completed, in completion order, with its own psql command and the SQL file it mounts from a
 * ConfigMap. Connection flags are replaced by the test server's; every other flag is kept. Then
 * the probe's own command (src/collect/sql.ts) runs and its output is parsed by the probe's parser.
 *
 * Needs PostgreSQL installed (`postgresMissing()` says why not); the server is started once per
 * test process and goes away with it.
 */
import { execFileSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { basename, join, posix } from 'node:path';
import { postgresMissing, startPostgres, type TestPostgres } from '../../labs/app/test/support/postgres.js';
import { columnsCommand, parseColumns } from '../../src/collect/sql.js';
import type { SqlColumnsProbeSpec } from '../../src/needs.js';
import type { KubeObject, SchemaProbe } from '../../src/snapshot.js';
import type { SimCluster } from './sim.js';

export { postgresMissing };

let server: TestPostgres | undefined;
function database(): TestPostgres {
  return (server ??= startPostgres());
}

export interface SqlRun {
  /** What ran it, e.g. "init script schema-v1.sql" or "Job shop-migrate-v2". */
  source: string;
  /** psql's arguments, with the SQL file's path in place of `-f <path>`. */
  args: string[];
  file: string;
  sql: string;
}

const selectorOf = (s: string) => Object.fromEntries(s.split(',').filter(Boolean).map((kv) => kv.split('=') as [string, string]));
const matches = (labels: Record<string, string> | undefined, wanted: Record<string, string>) => Object.entries(wanted).every(([k, v]) => labels?.[k] === v);

/** The ConfigMap file a container reads at `path`, through its volume mounts. */
function mountedFile(sim: SimCluster, namespace: string, podSpec: any, container: any, path: string): { configMap: string; key: string; data: string } | undefined {
  for (const mount of container.volumeMounts ?? []) {
    const dir = mount.mountPath.replace(/\/+$/, '');
    if (!path.startsWith(`${dir}/`)) continue;
    const volume = (podSpec.volumes ?? []).find((v: any) => v.name === mount.name);
    if (!volume?.configMap) continue;
    const key = path.slice(dir.length + 1);
    const cm = sim.get('ConfigMap', namespace, volume.configMap.name);
    const data = cm?.data?.[key];
    if (data !== undefined) return { configMap: volume.configMap.name, key, data };
  }
  return undefined;
}

/** psql's arguments without its connection flags (-h/-p/-U/-d and their long forms). */
function withoutConnection(args: string[]): string[] {
  const out: string[] = [];
  const withValue = new Set(['-h', '--host', '-p', '--port', '-U', '--username', '-d', '--dbname']);
  for (let i = 0; i < args.length; i++) {
    if (withValue.has(args[i])) i++;
    else if (!/^--(host|port|username|dbname)=/.test(args[i])) out.push(args[i]);
  }
  return out;
}

/** The SQL that has run on the database the probe reads, in order. */
export function sqlHistory(sim: SimCluster, spec: SqlColumnsProbeSpec): SqlRun[] {
  const wanted = selectorOf(spec.podSelector);
  const db = sim.list('Deployment', spec.namespace).find((d) => matches(d.spec?.template?.metadata?.labels, wanted));
  if (!db) return [];
  const runs: SqlRun[] = [];
  const podSpec = db.spec.template.spec;
  const container = (podSpec.containers ?? []).find((c: any) => c.name === spec.container) ?? podSpec.containers?.[0];
  const initMount = (container?.volumeMounts ?? []).find((m: any) => m.mountPath.replace(/\/+$/, '') === '/docker-entrypoint-initdb.d');
  const initVolume = initMount && (podSpec.volumes ?? []).find((v: any) => v.name === initMount.name);
  const init = initVolume?.configMap && sim.get('ConfigMap', spec.namespace, initVolume.configMap.name);
  for (const key of Object.keys(init?.data ?? {}).filter((k) => k.endsWith('.sql')).sort()) {
    runs.push({ source: `init script ${key} (ConfigMap ${init!.metadata.name})`, args: ['-v', 'ON_ERROR_STOP=1', '--no-psqlrc', '-f', key], file: key, sql: init!.data[key] });
  }
  const completed = (j: KubeObject) => j.status?.conditions?.some((c: any) => c.type === 'Complete' && c.status === 'True');
  const jobs = sim.list('Job', spec.namespace).filter(completed).sort((a, b) => String(a.status.completionTime).localeCompare(String(b.status.completionTime)));
  for (const job of jobs) {
    const jobSpec = job.spec.template.spec;
    for (const c of jobSpec.containers ?? []) {
      const argv: string[] = [...(c.command ?? []), ...(c.args ?? [])];
      if (basename(argv[0] ?? '') !== 'psql') throw new Error(`Job ${job.metadata.name} runs ${argv.join(' ') || 'its image\'s default command'}: only psql commands can be replayed on the test database`);
      const args = withoutConnection(argv.slice(1));
      const f = args.findIndex((a) => a === '-f' || a === '--file' || a.startsWith('--file='));
      const path = f < 0 ? undefined : args[f].startsWith('--file=') ? args[f].slice(7) : args[f + 1];
      if (!path) throw new Error(`Job ${job.metadata.name}: psql has no -f <file> to replay`);
      const file = mountedFile(sim, spec.namespace, jobSpec, c, posix.normalize(path));
      if (!file) throw new Error(`Job ${job.metadata.name}: ${path} is not a key of a ConfigMap the Job mounts`);
      const replayArgs = args[f].startsWith('--file=') ? args.map((a, i) => (i === f ? `--file=${file.key}` : a)) : args.map((a, i) => (i === f + 1 ? file.key : a));
      runs.push({ source: `Job ${job.metadata.name} (${file.key} from ConfigMap ${file.configMap})`, args: replayArgs, file: file.key, sql: file.data });
    }
  }
  return runs;
}

/**
 * What the `sql-columns` probe would measure: the history replayed on a fresh database named as
 * the probe's, owned by its role (a superuser, as the image makes POSTGRES_USER), then the probe's
 * command. Undefined when the database Deployment does not exist.
 */
export function simulatedColumns(sim: SimCluster, spec: SqlColumnsProbeSpec): SchemaProbe | undefined {
  const history = sqlHistory(sim, spec);
  if (!history.length) return undefined;
  const pg = database();
  const role = spec.user.replace(/"/g, '""');
  const name = spec.database.replace(/"/g, '""');
  const literal = spec.user.replace(/'/g, "''");
  pg.psql(['-v', 'ON_ERROR_STOP=1'], {
    input: `DO $$ BEGIN IF NOT EXISTS (SELECT FROM pg_roles WHERE rolname = '${literal}') THEN CREATE ROLE "${role}" LOGIN SUPERUSER; END IF; END $$;
DROP DATABASE IF EXISTS "${name}" WITH (FORCE);
CREATE DATABASE "${name}" OWNER "${role}";
`,
  });
  const env = { ...process.env, PGHOST: pg.socketDir, PGPORT: String(pg.port), PGUSER: spec.user, PGDATABASE: spec.database, PGCONNECT_TIMEOUT: '5' };
  const dir = mkdtempSync(join(tmpdir(), 'cicd-lab-sql-'));
  try {
    for (const run of history) {
      writeFileSync(join(dir, run.file), run.sql);
      try {
        execFileSync(join(pg.bin, 'psql'), run.args, { cwd: dir, env, encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'] });
      } catch (error) {
        throw new Error(`the SQL of ${run.source} fails on PostgreSQL ${pg.version}: ${(error as { stderr?: string }).stderr ?? error}`);
      }
    }
    const [psql, ...args] = columnsCommand(spec);
    const stdout = execFileSync(join(pg.bin, psql), args, { env, encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'] });
    return { table: spec.table, columns: parseColumns(stdout) };
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}
