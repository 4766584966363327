/**
 * What a grader needs to read. The collector gathers the union of the needs of the labs being
 * graded — one LIST per kind per namespace, one set of GETs per Jenkins job — so checks never
 * make requests of their own and adding a check costs no request.
 */
import type { KindName } from './kube/resources.js';

export interface KubeNeed {
  kinds: KindName[];
  namespaces: string[];
  /** Passed to the LIST as labelSelector (e.g. `owner=helm` for Helm release Secrets). */
  labelSelector?: string;
}

/** Requests sent through the gateway, counted by the `version` field of the JSON answers. */
export interface TrafficProbeSpec {
  type: 'traffic';
  /** Host header, e.g. `s3-bluegreen.localhost`. */
  host: string;
  path?: string;
  headers?: Record<string, string>;
  requests: number;
}

/**
 * The columns of a table, asked of the database itself: `psql` run in the database Pod through
 * the API's exec, with read-only SQL (src/collect/sql.ts). Snapshot shape: `{table, columns}`.
 */
export interface SqlColumnsProbeSpec {
  type: 'sql-columns';
  namespace: string;
  /** Label selector of the database Pod, e.g. `app=postgres`. */
  podSelector: string;
  container: string;
  /** The role and database psql connects as, inside the Pod (its local socket). */
  user: string;
  database: string;
  table: string;
}

export type ProbeSpec = TrafficProbeSpec | SqlColumnsProbeSpec;

export interface Needs {
  kubernetes?: KubeNeed[];
  /** Jenkins job names. */
  jenkins?: string[];
  /** Registry repositories, e.g. `hello-app`. */
  registry?: string[];
  /** Gitea repositories as owner/name, e.g. `lab/hello-app`. */
  git?: string[];
  /** Live-only measurements, by the name they have in a snapshot's `probes`. */
  probes?: Record<string, ProbeSpec>;
}

export interface KubeRequest {
  kind: KindName;
  namespace: string;
  labelSelector?: string;
}

/** The union of several labs' needs, with every Kubernetes LIST appearing once. */
export function mergeNeeds(all: Needs[]): Required<Omit<Needs, 'kubernetes'>> & { kubernetes: KubeRequest[] } {
  const kube = new Map<string, KubeRequest>();
  const jenkins = new Set<string>();
  const registry = new Set<string>();
  const git = new Set<string>();
  const probes: Record<string, ProbeSpec> = {};
  for (const needs of all) {
    for (const need of needs.kubernetes ?? []) {
      for (const kind of need.kinds) {
        for (const namespace of need.namespaces) {
          kube.set(`${kind}|${namespace}|${need.labelSelector ?? ''}`, { kind, namespace, labelSelector: need.labelSelector });
        }
      }
    }
    needs.jenkins?.forEach((j) => jenkins.add(j));
    needs.registry?.forEach((r) => registry.add(r));
    needs.git?.forEach((g) => git.add(g));
    Object.assign(probes, needs.probes);
  }
  return { kubernetes: [...kube.values()], jenkins: [...jenkins], registry: [...registry], git: [...git], probes };
}
