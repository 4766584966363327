import { execFileSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import grader from '../grade/s5-db-migration.test.js';
import { collect } from '../../src/collect/index.js';
import { columnsCommand, parseColumns, ProbeUnavailable, readColumns } from '../../src/collect/sql.js';
import type { SqlColumnsProbeSpec } from '../../src/needs.js';
import { ROOT } from '../../src/paths.js';
import type { KubeObject } from '../../src/snapshot.js';
import { LabState } from '../../src/state.js';
import { writeKubeconfig } from '../lib/fake-apiserver.js';
import { startExecApiServer } from '../lib/fake-exec.js';
import { grade, manifestsAt, snapshotOf, solved, started, statuses, withStatus } from '../lib/lab-states.js';
import { runWithSimKubectl } from '../lib/sim-kubectl.js';
import { postgresMissing, sqlHistory } from '../lib/sim-postgres.js';
import { SimCluster } from '../lib/sim.js';
import { startPostgres, type TestPostgres } from '../../labs/app/test/support/postgres.js';

const NS = 's5-db-migration';
const DRILL = join(ROOT, 'solutions/s5-db-migration/drill.sh');
const V2 = 'kind-registry:5000/hello-app:v2';
const versions = JSON.parse(readFileSync(join(ROOT, 'versions.json'), 'utf8'));
const spec = grader.needs.probes!['schema/s5-db-migration'] as SqlColumnsProbeSpec;
const missing = postgresMissing();
const needsPostgres = missing ? ` (skipped: ${missing})` : '';

/** The drill by hand on a started lab, with a hook to do things out of order. */
async function byHand(options: { shipBeforeMigration?: boolean; migration?: (objects: KubeObject[]) => void; replicas?: number } = {}): Promise<SimCluster> {
  const sim = await started(NS);
  sim.advance(60);
  sim.apply(manifestsAt('solutions/s5-db-migration/notice.yaml'));
  sim.edit('Deployment', NS, 'shop', (d) => void (d.spec.replicas = 0));
  const ship = () => sim.edit('Deployment', NS, 'shop', (d) => void (d.spec.template.spec.containers[0].image = V2));
  if (options.shipBeforeMigration) ship();
  sim.advance(5);
  const migration = manifestsAt('solutions/s5-db-migration/migration');
  options.migration?.(migration);
  sim.apply(migration);
  sim.advance(30);
  if (!options.shipBeforeMigration) ship();
  sim.edit('Deployment', NS, 'shop', (d) => void (d.spec.replicas = options.replicas ?? 2));
  return sim;
}

describe('s5-db-migration\'s pinned PostgreSQL image', () => {
  it('is versions.json\'s images.postgres wherever a manifest names it (a manifest cannot read JSON)', () => {
    const images = [...manifestsAt('labs/s5-db-migration'), ...manifestsAt('solutions/s5-db-migration/migration')]
      .flatMap((o) => o.spec?.template?.spec?.containers ?? [])
      .map((c: any) => c.image)
      .filter((image: string) => image.startsWith('postgres:'));
    expect(images).toEqual([versions.images.postgres, versions.images.postgres]);
  });
});

describe('the schema probe (src/collect/sql.ts)', () => {
  it('runs psql with read-only SQL: a READ ONLY session, then one SELECT on information_schema', () => {
    expect(columnsCommand(spec)).toEqual([
      'psql', '-X', '-q', '-A', '-t', '-v', 'ON_ERROR_STOP=1', '-U', 'shop', '-d', 'shop',
      '-c', 'SET SESSION CHARACTERISTICS AS TRANSACTION READ ONLY',
      '-c', "SELECT column_name FROM information_schema.columns WHERE table_schema = current_schema() AND table_name = 'orders' ORDER BY ordinal_position",
    ]);
    expect(() => columnsCommand({ ...spec, table: "orders'; DROP TABLE orders; --" })).toThrow(/not a plain table name/);
  });

  it('reads psql\'s unaligned output, one column per line, and no line for no table', () => {
    expect(parseColumns('id\nitem\nquantity\ncreated_at\nstatus\n')).toEqual(['id', 'item', 'quantity', 'created_at', 'status']);
    expect(parseColumns('')).toEqual([]);
  });

  it('says why it could not read: no running database Pod, or psql failing', async () => {
    const none = { listPods: async () => [{ metadata: { name: 'postgres-x' }, status: { phase: 'Pending' } }], exec: async () => ({ stdout: '', stderr: '', exitCode: 0 }) };
    await expect(readColumns(spec, none)).rejects.toThrow(new ProbeUnavailable('no running database Pod (app=postgres) in s5-db-migration, so the table orders could not be read'));
    const failing = { listPods: async () => [{ metadata: { name: 'postgres-x' }, status: { phase: 'Running' } }], exec: async () => ({ stdout: '', stderr: 'psql: error: FATAL: role "shop" does not exist\n', exitCode: 2 }) };
    await expect(readColumns(spec, failing)).rejects.toThrow('psql in pod s5-db-migration/postgres-x failed (exit 2): psql: error: FATAL: role "shop" does not exist');
  });
});

describe(`s5-db-migration on snapshots built from the real lab files and its SQL run on a real PostgreSQL${needsPostgres}`, { skip: Boolean(missing) }, () => {
  let starterSim: SimCluster;
  let solvedSim: SimCluster;
  beforeAll(async () => {
    starterSim = await started(NS);
    solvedSim = await solved(NS);
  });
  const result = (sim: SimCluster) => grade(grader, snapshotOf(sim, [grader]));

  it('the starter fails all four: no migration Job, no v2, v1 on 2 replicas, a table without status', () => {
    const r = result(starterSim);
    expect(statuses(r)).toEqual({ migrated: 'fail', ordered: 'fail', scaled: 'fail', schema: 'fail' });
    expect(r.checks[3].observed).toBe('orders: id, item, quantity, created_at');
  });

  it('the solution passes all four, and ordered tells the drill as four sentences', () => {
    const r = result(solvedSim);
    expect(statuses(r)).toEqual({ migrated: 'pass', ordered: 'pass', scaled: 'pass', schema: 'pass' });
    expect(r.checks[3].observed).toBe('orders: id, item, quantity, created_at, status');
    const story = (r.checks[1].observed as { en: string; ko: string });
    expect(story.en.split(/ (?=\d\. )/)).toEqual([
      expect.stringMatching(/^1\. Announced: ConfigMap shop-notice at 2026-11-26T12:01:00Z\.$/),
      '2. Stopped: no shop Pod from before the migration is left.',
      expect.stringMatching(/^3\. Migrated: Job shop-migrate-v2 completed at \S+Z\.$/),
      expect.stringMatching(/^4\. Shipped: v2 ReplicaSet shop-\w+ created at \S+Z, \d+ s after the migration\.$/),
    ]);
    expect(story.ko.split(/ (?=\d\. )/).map((s) => s.slice(0, 3))).toEqual(['1. ', '2. ', '3. ', '4. ']);
  });

  it('computes the schema probe by running the lab\'s own SQL: the init script, then the Job\'s migration', () => {
    expect(sqlHistory(solvedSim, spec).map((r) => [r.source.replace(/-\w{10}\)/, '-<hash>)'), r.args.join(' ')])).toEqual([
      ['init script schema-v1.sql (ConfigMap postgres-init-<hash>)', '-v ON_ERROR_STOP=1 --no-psqlrc -f schema-v1.sql'],
      ['Job shop-migrate-v2 (migrate-v2.sql from ConfigMap shop-migrate-v2-<hash>)', '-v ON_ERROR_STOP=1 --single-transaction -f migrate-v2.sql'],
    ]);
    expect(sqlHistory(solvedSim, spec)[1].sql).toBe(readFileSync(join(ROOT, 'solutions/s5-db-migration/migration/migrate-v2.sql'), 'utf8'));
  });

  it('a v2 ReplicaSet created before the Job completed fails ordered only, and says by how much', async () => {
    const r = result(await byHand({ shipBeforeMigration: true }));
    expect(withStatus(r, 'fail')).toEqual(['ordered']);
    expect((r.checks[1].observed as { en: string }).en).toMatch(/4\. Shipped: v2 ReplicaSet shop-\w+ created at \S+, 25 s before the migration ended\.$/);
  });

  it('the drill done by hand in the right order passes all four', async () => {
    expect(withStatus(result(await byHand()), 'fail')).toEqual([]);
  });

  it('shop on 1 replica fails scaled only', async () => {
    const r = result(await byHand({ replicas: 1 }));
    expect(withStatus(r, 'fail')).toEqual(['scaled']);
    expect(r.checks[2].observed).toEqual({ ko: 'v2, 원하는 복제본 1개 중 1개 사용 가능', en: 'v2 with 1 of 1 replicas available' });
  });

  it('a migration that succeeds without adding status (a typo in the SQL) fails schema only', async () => {
    const r = result(
      await byHand({
        migration: (objects) => {
          const cm = objects.find((o) => o.kind === 'ConfigMap')!;
          cm.data['migrate-v2.sql'] = cm.data['migrate-v2.sql'].replace('ADD COLUMN IF NOT EXISTS status', 'ADD COLUMN IF NOT EXISTS state');
        },
      }),
    );
    expect(withStatus(r, 'fail')).toEqual(['schema']);
    expect(r.checks[3].observed).toBe('orders: id, item, quantity, created_at, state');
  });

  it('tells steps 1 and 2 without judging them: with no announcement every check still passes, and the story says so', () => {
    const sim = solvedSim.fork().delete('ConfigMap', NS, 'shop-notice');
    const r = result(sim);
    expect(withStatus(r, 'fail')).toEqual([]);
    expect((r.checks[1].observed as { en: string }).en).toContain('1. Announced: no trace — there is no ConfigMap shop-notice.');
  });

  it('a shop never stopped fails ordered, and the story names the v1 Pods that ran through the migration', () => {
    const sim = starterSim.fork();
    sim.advance(30);
    sim.apply(manifestsAt('solutions/s5-db-migration/migration'));
    sim.advance(30);
    const r = result(sim);
    expect(statuses(r)).toEqual({ migrated: 'pass', ordered: 'fail', scaled: 'fail', schema: 'pass' });
    expect((r.checks[1].observed as { en: string }).en).toMatch(/2\. Stopped: not quite — shop Pod shop-\w+-\w+ \(v1\), shop-\w+-\w+ \(v1\) from before the migration still runs\./);
  });

  it('a snapshot without the schema probe skips schema with the reason, and judges the rest', () => {
    const snapshot = snapshotOf(solvedSim, [grader]);
    delete snapshot.probes;
    const r = grade(grader, snapshot);
    expect(statuses(r)).toEqual({ migrated: 'pass', ordered: 'pass', scaled: 'pass', schema: 'skip' });
    expect(r.checks[3].reason!.en).toContain('schema/s5-db-migration');
  });
});

describe(`the drill script (solutions/s5-db-migration/drill.sh), run with a simulated kubectl${needsPostgres}`, { skip: Boolean(missing) }, () => {
  const words = (args: string[]) => args.filter((a) => !a.startsWith('-') && a !== 'kind-cicd-lab' && a !== NS).map((a) => a.replace(`${ROOT}/`, ''));

  it('takes the four steps in order, each after the one before has finished', async () => {
    const sim = await started(NS);
    const run = await runWithSimKubectl(sim, DRILL, [], { NOTICE_SECONDS: '0' });
    expect(run.exitCode, run.stderr).toBe(0);
    const calls = run.calls.map((c) => words(c.args).slice(0, 2).join(' '));
    expect(calls).toEqual([
      'get deployment', 'get job',
      'apply solutions/s5-db-migration/notice.yaml', // 1. announce
      'scale deployment/shop', 'get pods', // 2. stop, and wait until its Pods are gone
      'apply solutions/s5-db-migration/migration', 'wait job/shop-migrate-v2', // 3. migrate, and wait until the Job completed
      'patch deployment', 'rollout status', // 4. ship v2 on 2 replicas (solutions/s5-db-migration/ship-v2.yaml)
      'patch configmap',
    ]);
    expect(run.stdout).toMatch(/1\/4 Announce[\s\S]*2\/4 Stop[\s\S]*3\/4 Migrate[\s\S]*4\/4 Ship/);
    expect(statuses(grade(grader, snapshotOf(sim, [grader])))).toEqual({ migrated: 'pass', ordered: 'pass', scaled: 'pass', schema: 'pass' });
    expect(sim.must('ConfigMap', NS, 'shop-notice').data.message).toContain('done');
  });

  it('stops when the migration fails, leaving the shop stopped on v1 and saying where to look', async () => {
    const sim = await started(NS);
    sim.breakImage(versions.images.postgres); // the Job's image: its Pod never runs, the Job fails
    const run = await runWithSimKubectl(sim, DRILL, [], { NOTICE_SECONDS: '0', TIMEOUT: '60s' });
    expect(run.exitCode).toBe(1);
    expect(run.stderr).toContain('The migration did not complete, so the shop stays stopped on v1 (0 replicas).');
    expect(run.stderr).toContain('kubectl -n s5-db-migration logs job/shop-migrate-v2');
    expect(run.calls.some((c) => c.args.includes('patch') && c.args.includes('deployment'))).toBe(false);
    const d = sim.must('Deployment', NS, 'shop');
    expect([d.spec.replicas, d.spec.template.spec.containers[0].image]).toEqual([0, 'kind-registry:5000/hello-app:v1']);
  });

  it('refuses to run before the lab is started, and after the migration is done', async () => {
    const fresh = await runWithSimKubectl(new SimCluster(), DRILL, [], { NOTICE_SECONDS: '0' });
    expect(fresh.exitCode).toBe(1);
    expect(fresh.stderr).toContain('npm run lab -- start s5-db-migration');
    const again = await runWithSimKubectl(await solved(NS), DRILL, [], { NOTICE_SECONDS: '0' });
    expect(again.exitCode).toBe(1);
    expect(again.stderr).toContain('already succeeded');
    expect(again.calls.some((c) => c.args.includes('scale'))).toBe(false);
  });
});

describe(`the migration and the shop, on a real PostgreSQL${needsPostgres}`, { skip: Boolean(missing) }, () => {
  let pg: TestPostgres;
  const env = () => ({ ...process.env, PGHOST: pg.socketDir, PGPORT: String(pg.port), PGUSER: 'shop', PGDATABASE: 'shop' });
  const job = manifestsAt('solutions/s5-db-migration/migration').find((o) => o.kind === 'Job')!;
  const jobCommand = job.spec.template.spec.containers[0].command as string[];
  const SQL_PATH = '/migrations/migrate-v2.sql';
  /** Run the migration as the Job does: its psql command, with the SQL file of the solution. */
  const migrate = () => {
    const args = jobCommand.slice(1).map((a) => (a === SQL_PATH ? join(ROOT, 'solutions/s5-db-migration/migration/migrate-v2.sql') : a));
    return execFileSync(join(pg.bin, 'psql'), args, { env: env(), encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'] });
  };
  /** The probe's own command, run the way the exec runs it in the database Pod. */
  const columns = () => parseColumns(execFileSync(join(pg.bin, 'psql'), columnsCommand(spec).slice(1), { env: env(), encoding: 'utf8' }));
  const app = async (module: string) => import(pathToFileURL(join(ROOT, 'labs/app/src', module)).href);

  beforeAll(() => {
    pg = startPostgres({ hba: ['local all all trust', 'host all all 127.0.0.1/32 scram-sha-256'] });
    pg.psql(['-v', 'ON_ERROR_STOP=1', '-c', "CREATE ROLE shop LOGIN SUPERUSER PASSWORD 'shop-lab-only'"]);
    pg.psql(['-v', 'ON_ERROR_STOP=1', '-c', 'CREATE DATABASE shop OWNER shop']);
    // The starter's init script, as the image's entrypoint runs it.
    execFileSync(join(pg.bin, 'psql'), ['-v', 'ON_ERROR_STOP=1', '--no-psqlrc', '-f', join(ROOT, 'labs/s5-db-migration/schema-v1.sql')], { env: env(), stdio: 'pipe' });
  });
  afterAll(() => pg?.stop());

  it('the Job refuses to migrate while a v1 shop is connected; once it has left, it migrates and v2 turns ready', async () => {
    const { Shop } = await app('shop.js');
    const url = `postgres://shop@127.0.0.1:${pg.port}/shop`;
    const v1 = new Shop({ databaseUrl: url, schemaVersion: 1, env: { PGPASSWORD: 'shop-lab-only' } });
    await v1.start();
    expect(v1.status()).toEqual({ ready: true, reason: '' });
    expect(() => migrate()).toThrow(/the shop is still connected to the database: scale Deployment shop to 0/);
    expect(columns()).toEqual(['id', 'item', 'quantity', 'created_at']);
    await v1.close();
    migrate();
    expect(columns()).toEqual(['id', 'item', 'quantity', 'created_at', 'status']);
    const v2 = new Shop({ databaseUrl: url, schemaVersion: 2, env: { PGPASSWORD: 'shop-lab-only' } });
    await v2.start();
    try {
      expect(v2.status().ready).toBe(true);
      expect((await v2.orders()).map((o: any) => o.status)).toEqual(['placed', 'placed', 'placed', 'placed']);
    } finally {
      await v2.close();
    }
    expect(() => migrate()).not.toThrow(); // a second run changes nothing
  });

  it('the probe\'s session is read-only: a write in it fails', () => {
    const [, ...args] = columnsCommand(spec);
    const write = [...args.slice(0, args.indexOf('-c') + 2), '-c', 'CREATE TABLE sneaky (i int)'];
    expect(() => execFileSync(join(pg.bin, 'psql'), write, { env: env(), encoding: 'utf8', stdio: 'pipe' })).toThrow(/cannot execute CREATE TABLE in a read-only transaction/);
  });

  it('the live collector reads the columns through the API\'s exec (a stand-in API server, psql for real), with GETs only', async () => {
    const sim = await solved(NS);
    const calls: string[][] = [];
    const api = await startExecApiServer(sim.all(), ({ command }) => {
      calls.push(command);
      try {
        const stdout = execFileSync(join(pg.bin, command[0]), command.slice(1), { env: { ...process.env, PGHOST: pg.socketDir, PGPORT: String(pg.port) }, encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'] });
        return { stdout, stderr: '', exitCode: 0 };
      } catch (error) {
        const e = error as { stdout?: string; stderr?: string; status?: number };
        return { stdout: e.stdout ?? '', stderr: e.stderr ?? '', exitCode: e.status ?? 1 };
      }
    });
    try {
      const kubeconfig = writeKubeconfig(api.url, ['kind-cicd-lab']);
      const snapshot = await collect([grader.needs], { env: { KUBECONFIG: kubeconfig, HOME: '/nonexistent' } });
      expect(snapshot.probes!['schema/s5-db-migration']).toEqual({ table: 'orders', columns: ['id', 'item', 'quantity', 'created_at', 'status'] });
      expect(calls).toEqual([columnsCommand(spec)]);
      expect(api.requests.every((r) => r.method === 'GET')).toBe(true);
      const exec = api.requests.filter((r) => r.upgrade);
      expect(exec).toHaveLength(1);
      const pod = sim.list('Pod', NS).find((p) => p.metadata.labels?.app === 'postgres')!.metadata.name;
      expect(exec[0].path).toBe(`/api/v1/namespaces/s5-db-migration/pods/${pod}/exec`);
      expect(new URLSearchParams(exec[0].query).get('container')).toBe('postgres');
      expect(statuses(grade(grader, snapshot))).toEqual({ migrated: 'pass', ordered: 'pass', scaled: 'pass', schema: 'pass' });
    } finally {
      await api.close();
    }
  });

  it('a psql that fails in the Pod makes the schema check fail with psql\'s own words, not a crash', async () => {
    const sim = await solved(NS);
    const api = await startExecApiServer(sim.all(), () => ({ stdout: '', stderr: 'psql: error: connection to server on socket "/var/run/postgresql/.s.PGSQL.5432" failed: No such file or directory\n', exitCode: 2 }));
    try {
      const snapshot = await collect([grader.needs], { env: { KUBECONFIG: writeKubeconfig(api.url, ['kind-cicd-lab']), HOME: '/nonexistent' } });
      expect(snapshot.probes?.['schema/s5-db-migration']).toBeUndefined();
      const check = grade(grader, snapshot).checks.find((c) => c.id === 'schema')!;
      expect(check.status).toBe('fail');
      expect(check.observed).toMatch(/^psql in pod s5-db-migration\/postgres-\w+-\w+ failed \(exit 2\): psql: error: connection to server on socket/);
      expect(new LabState(snapshot, 'live').snapshot.unavailable).toEqual([expect.objectContaining({ source: 'probe', what: 'schema/s5-db-migration' })]);
    } finally {
      await api.close();
    }
  });
});

// The SQL files are shown in the docs and mounted by the manifests: keep them where both look.
it('keeps the schema and migration SQL in files the manifests mount through configMapGenerators', () => {
  const starter = manifestsAt('labs/s5-db-migration').find((o) => o.kind === 'ConfigMap' && o.metadata.name.startsWith('postgres-init-'))!;
  expect(starter.data['schema-v1.sql']).toBe(readFileSync(join(ROOT, 'labs/s5-db-migration/schema-v1.sql'), 'utf8'));
  const migration = manifestsAt('solutions/s5-db-migration/migration').find((o) => o.kind === 'ConfigMap')!;
  expect(migration.data['migrate-v2.sql']).toBe(readFileSync(join(ROOT, 'solutions/s5-db-migration/migration/migrate-v2.sql'), 'utf8'));
});
