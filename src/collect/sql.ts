/**
 * The `sql-columns` probe: which columns a table has, asked of the database itself. The grader of
 * s5-db-migration needs it because a migration Job can succeed without changing what v2 needs.
 *
 * It runs `psql` inside the database's Pod through the Kubernetes API's exec (the one thing a
 * grader does besides GET: ARCHITECTURE.md#contracts), with read-only SQL: the session is set READ
 * ONLY before the one SELECT on information_schema. Exec is a WebSocket upgrade of
 *   GET /api/v1/namespaces/<ns>/pods/<pod>/exec?command=…&container=…&stdout=true&stderr=true
 * speaking the channel.k8s.io subprotocols (stream 1 stdout, 2 stderr, 3 the final Status), as
 * @kubernetes/client-node's Exec does (its exec.js and web-socket-handler.js, v1.4).
 *
 * The official postgres image trusts connections over its local socket ("trust authentication
 * locally", its README), so psql needs no password inside the Pod.
 *
 * Where this runs for real is the learner's cluster; the kit tests run the same command against
 * a real PostgreSQL (locally) and drive the exec through a stand-in API server that speaks the
 * same protocol, since no cluster runs here.
 */
import type { KubeConfig, V1Status } from '@kubernetes/client-node';
import { clientNode } from '../kube/client.js';
import { Writable } from 'node:stream';
import type { SqlColumnsProbeSpec } from '../needs.js';
import type { SchemaProbe } from '../snapshot.js';

export class ProbeUnavailable extends Error {}

const IDENTIFIER = /^[a-z_][a-z0-9_]*$/;

/** The SELECT that lists a table's columns in the current schema, in their order. */
export function columnsQuery(table: string): string {
  if (!IDENTIFIER.test(table)) throw new Error(`not a plain table name: ${JSON.stringify(table)}`);
  return `SELECT column_name FROM information_schema.columns WHERE table_schema = current_schema() AND table_name = '${table}' ORDER BY ordinal_position`;
}

/**
 * The psql command run in the database container: no psqlrc (-X), quiet (-q, so SET prints
 * nothing), unaligned tuples only (-A -t: one column name per line), stop at the first error, the
 * session read-only before the query.
 */
export function columnsCommand(spec: Pick<SqlColumnsProbeSpec, 'user' | 'database' | 'table'>): string[] {
  return [
    'psql', '-X', '-q', '-A', '-t', '-v', 'ON_ERROR_STOP=1',
    '-U', spec.user, '-d', spec.database,
    '-c', 'SET SESSION CHARACTERISTICS AS TRANSACTION READ ONLY',
    '-c', columnsQuery(spec.table),
  ];
}

/** psql's -A -t output: one column name per line. */
export function parseColumns(stdout: string): string[] {
  return stdout.split(/\r?\n/).map((l) => l.trim()).filter(Boolean);
}

export interface ExecResult {
  stdout: string;
  stderr: string;
  /** 0 on success; the command's exit code otherwise (from the Status on stream 3). */
  exitCode: number;
}

export type PodExec = (namespace: string, pod: string, container: string, command: string[]) => Promise<ExecResult>;

/** The exit code a Status from stream 3 reports: Success → 0, NonZeroExitCode → its ExitCode cause. */
export function exitCodeOf(status: V1Status | undefined): number {
  if (!status) return -1;
  if (status.status === 'Success') return 0;
  const cause = status.details?.causes?.find((c) => c.reason === 'ExitCode');
  return cause?.message ? Number(cause.message) : 1;
}

/** Exec through the API with @kubernetes/client-node, collecting stdout and stderr. */
export function kubeExec(config: KubeConfig, timeoutMs = 30_000): PodExec {
  return (namespace, pod, container, command) =>
    new Promise<ExecResult>((resolve, reject) => {
      const out: Buffer[] = [];
      const err: Buffer[] = [];
      const sink = (into: Buffer[]) => new Writable({ write: (chunk, _enc, done) => (into.push(Buffer.from(chunk)), done()) });
      let settled = false;
      const finish = (status: V1Status | undefined) => {
        if (settled) return;
        settled = true;
        clearTimeout(timer);
        resolve({ stdout: Buffer.concat(out).toString('utf8'), stderr: Buffer.concat(err).toString('utf8'), exitCode: exitCodeOf(status) });
      };
      const timer = setTimeout(() => {
        settled = true;
        reject(new ProbeUnavailable(`exec in pod ${namespace}/${pod} gave no answer within ${timeoutMs / 1000} s`));
      }, timeoutMs);
      new (clientNode().Exec)(config)
        .exec(namespace, pod, container, command, sink(out), sink(err), null, false, (status) => finish(status))
        .then((ws) => ws.on('close', () => setTimeout(() => finish(undefined), 50)))
        .catch((error: unknown) => {
          if (settled) return;
          settled = true;
          clearTimeout(timer);
          reject(new ProbeUnavailable(`cannot exec in pod ${namespace}/${pod}: ${(error as Error).message ?? error}`));
        });
    });
}

export interface SqlDeps {
  /** Running Pods matching a label selector in a namespace. */
  listPods(namespace: string, labelSelector: string): Promise<{ metadata: { name: string }; status?: { phase?: string } }[]>;
  exec: PodExec;
}

/** Ask the database Pod for the table's columns: `{table, columns}` (the snapshot's `schema/<lab>`). */
export async function readColumns(spec: SqlColumnsProbeSpec, deps: SqlDeps): Promise<SchemaProbe> {
  const pods = (await deps.listPods(spec.namespace, spec.podSelector)).filter((p) => p.status?.phase === 'Running');
  if (!pods.length) throw new ProbeUnavailable(`no running database Pod (${spec.podSelector}) in ${spec.namespace}, so the table ${spec.table} could not be read`);
  const pod = pods[0].metadata.name;
  const result = await deps.exec(spec.namespace, pod, spec.container, columnsCommand(spec));
  if (result.exitCode !== 0) throw new ProbeUnavailable(`psql in pod ${spec.namespace}/${pod} failed (exit ${result.exitCode}): ${result.stderr.trim() || result.stdout.trim()}`);
  return { table: spec.table, columns: parseColumns(result.stdout) };
}
