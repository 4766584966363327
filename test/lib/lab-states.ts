/**
 * Lab states for the kit tests, built the way a learner's cluster gets them: the lab's own
 * `start` and `solve` steps (lab.yaml) carried out on a SimCluster — manifests rendered by the
 * real kubectl/kustomize, scripts run for real with a simulated kubectl — plus the live-only
 * probes the graders ask for, measured on the simulation.
 */
import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { getLab } from '../../src/catalog.js';
import { runSteps, type StepExecutor } from '../../src/lifecycle.js';
import type { LabResult, Status } from '../../src/checks.js';
import { gradeLab, type Grader } from '../../src/engine.js';
import { ROOT } from '../../src/paths.js';
import { redactSecret } from '../../src/kube/helm.js';
import { groupOf, resource } from '../../src/kube/resources.js';
import { mergeNeeds } from '../../src/needs.js';
import type { KubeObject, Snapshot } from '../../src/snapshot.js';
import { LabState } from '../../src/state.js';
import { SimCluster } from './sim.js';
import { runWithSimKubectl } from './sim-kubectl.js';
import { postgresMissing, simulatedColumns } from './sim-postgres.js';
import { rolloutsController } from './sim-rollouts.js';
import { kustomize, parseManifests } from './tools.js';

/** The objects `kubectl apply [-k] <path>` would send. */
export function manifestsAt(path: string) {
  const full = join(ROOT, path);
  if (statSync(full).isDirectory()) {
    if (existsSync(join(full, 'kustomization.yaml'))) return kustomize(full);
    return readdirSync(full).filter((n) => /\.ya?ml$/.test(n)).sort().flatMap((n) => parseManifests(readFileSync(join(full, n), 'utf8')));
  }
  return parseManifests(readFileSync(full, 'utf8'));
}

/**
 * Carries lifecycle steps out on a SimCluster: manifests rendered by the real kubectl/kustomize,
 * scripts run for real with a simulated kubectl. Labs that need Jenkins or Gitea plug their
 * simulations in with `extend`.
 */
export class SimExecutor implements StepExecutor {
  constructor(
    readonly sim: SimCluster,
    private readonly more: Partial<StepExecutor> = {},
  ) {}

  async apply(path: string): Promise<void> {
    this.sim.apply(manifestsAt(path));
  }

  async run(script: string, args: string[], env: Record<string, string>): Promise<void> {
    if (this.more.run) return this.more.run(script, args, env);
    const run = await runWithSimKubectl(this.sim, join(ROOT, script), args, env);
    if (run.exitCode !== 0) throw new Error(`${script} ${args.join(' ')} exited ${run.exitCode}:\n${run.stderr}\n${run.stdout}`);
  }

  gitPush(repo: string, files: Record<string, string>, message: string): Promise<void> {
    if (!this.more.gitPush) throw new Error(`no simulated Gitea: cannot push ${Object.keys(files).join(', ')} to ${repo} ("${message}")`);
    return this.more.gitPush(repo, files, message);
  }

  jenkinsJob(name: string, config: string): Promise<void> {
    if (!this.more.jenkinsJob) throw new Error(`no simulated Jenkins: cannot create job ${name} from ${config}`);
    return this.more.jenkinsJob(name, config);
  }

  jenkinsBuild(job: string): Promise<void> {
    if (!this.more.jenkinsBuild) throw new Error(`no simulated Jenkins: cannot build ${job}`);
    return this.more.jenkinsBuild(job);
  }
}

/**
 * A simulated lab platform: the cluster with the controllers `npm run up` installs (Argo
 * Rollouts so far; Argo CD plugs in here too).
 */
export function platformSim(): SimCluster {
  return new SimCluster().use(rolloutsController);
}

/** The cluster right after `npm run lab -- start <lab>`. */
export async function started(labId: string, sim = platformSim(), more: Partial<StepExecutor> = {}): Promise<SimCluster> {
  await runSteps(getLab(labId).start, new SimExecutor(sim, more));
  return sim;
}

/** The cluster after `start`, a minute, then `solve`. */
export async function solved(labId: string, sim = platformSim(), more: Partial<StepExecutor> = {}): Promise<SimCluster> {
  await started(labId, sim, more);
  sim.advance(60);
  await runSteps(getLab(labId).solve, new SimExecutor(sim, more));
  return sim;
}

/** What the collector's probes would measure on this simulated cluster. */
export function simulatedProbes(sim: SimCluster, graders: Grader[]): Record<string, unknown> {
  const probes: Record<string, unknown> = {};
  for (const grader of graders) {
    for (const [name, spec] of Object.entries(grader.needs.probes ?? {})) {
      if (spec.type === 'traffic') probes[name] = sim.traffic(spec.host, spec);
      // The database's columns, from the lab's real SQL run on a real PostgreSQL (test/lib/sim-postgres.ts);
      // left out, as a snapshot without the probe, where PostgreSQL is not installed.
      if (spec.type === 'sql-columns' && !postgresMissing()) {
        const columns = simulatedColumns(sim, spec);
        if (columns) probes[name] = columns;
      }
    }
  }
  return probes;
}

/** Probes of these graders the simulation cannot measure on this machine, with the reason. */
export function unmeasurableProbes(graders: Grader[]): Record<string, string> {
  const missing = postgresMissing();
  const out: Record<string, string> = {};
  for (const grader of graders) {
    for (const [name, spec] of Object.entries(grader.needs.probes ?? {})) if (spec.type === 'sql-columns' && missing) out[name] = missing;
  }
  return out;
}

/** Does a label set satisfy a label selector (`a=b,c!=d,e,!f`), as the API server's LIST evaluates it? */
export function selects(labels: Record<string, string> | undefined, selector: string | undefined): boolean {
  if (!selector) return true;
  return selector.split(',').map((t) => t.trim()).filter(Boolean).every((term) => {
    const ne = /^([^!=]+)!=(.*)$/.exec(term);
    if (ne) return labels?.[ne[1].trim()] !== ne[2].trim();
    const eq = /^([^!=]+)==?(.*)$/.exec(term);
    if (eq) return labels?.[eq[1].trim()] === eq[2].trim();
    if (term.startsWith('!')) return labels?.[term.slice(1)] === undefined;
    return labels?.[term] !== undefined;
  });
}

/**
 * What the live collector (src/collect/kubernetes.ts) would gather for these graders: one LIST per
 * kind, namespace and label selector their `needs` declare — Events only of type Warning, no
 * managedFields, Secrets redacted — and nothing else. A check that reads a kind its grader does
 * not declare finds nothing here, as it would on a live cluster.
 */
export function collectedObjects(objects: KubeObject[], graders: Grader[]): KubeObject[] {
  const requests = mergeNeeds(graders.map((g) => g.needs)).kubernetes;
  return objects
    .filter((o) =>
      requests.some((r) => {
        const res = resource(r.kind);
        return (
          o.kind === r.kind &&
          groupOf(o.apiVersion) === groupOf(res.apiVersion) &&
          (!res.namespaced || o.metadata.namespace === r.namespace) &&
          selects(o.metadata.labels, r.labelSelector) &&
          (o.kind !== 'Event' || o.type === 'Warning')
        );
      }),
    )
    .map((o) => {
      const copy = structuredClone(o);
      delete copy.metadata.managedFields;
      return copy.kind === 'Secret' ? redactSecret(copy) : copy;
    });
}

export function snapshotOf(sim: SimCluster, graders: Grader[]): Snapshot {
  const snapshot = sim.snapshot({ probes: simulatedProbes(sim, graders) });
  snapshot.kubernetes = collectedObjects(snapshot.kubernetes ?? [], graders);
  return snapshot;
}

export function grade(grader: Grader, snapshot: Snapshot): LabResult {
  return gradeLab(grader, new LabState(snapshot, 'snapshot'));
}

/** `{ 'green-ready': 'pass', … }` — what a test compares. */
export function statuses(result: LabResult): Record<string, Status> {
  return Object.fromEntries(result.checks.map((c) => [c.id, c.status]));
}

/** The ids of the checks a grader fails on this simulated cluster (its probes measured on it). */
export function failingChecks(grader: Grader, sim: SimCluster): string[] {
  return withStatus(grade(grader, snapshotOf(sim, [grader])), 'fail');
}

/** The ids of the checks with this status. */
export function withStatus(result: LabResult, status: Status): string[] {
  return result.checks.filter((c) => c.status === status).map((c) => c.id);
}
