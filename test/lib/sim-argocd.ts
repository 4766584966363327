/**
 * A simulated Argo CD application controller, plugged into a SimCluster with `use()`.
 *
 * It reconciles the Applications in Argo CD's namespace (platform.yaml `namespaces.argocd`) the way
 * Argo CD 3.x does, for what the graders read (Argo CD docs: "Declarative Setup", "Automated Sync
 * Policy", "Resource Tracking", "Sync Applications with Kubectl"; status fields as in
 * argoproj/argo-cd pkg/apis/application/v1alpha1/types.go):
 *
 * - AppProject checks: the project must exist, permit the source repository (`sourceRepos`) and
 *   the destination (`destinations`, glob patterns); otherwise the Application gets the condition
 *   InvalidSpecError with Argo CD's message, sync and health Unknown, and nothing is deployed.
 *   Cluster-scoped objects need the project's clusterResourceWhitelist.
 * - Manifests: the source path at the resolved revision, checked out of the simulated Gitea and
 *   rendered by the real `kubectl kustomize` (or read as plain YAML when the path has no
 *   kustomization); namespaced objects without a namespace go to the destination namespace;
 *   each gets the tracking mark of the method argocd-cm sets (`application.resourceTrackingMethod`,
 *   default annotation: `argocd.argoproj.io/tracking-id: <app>:<group>/<kind>:<namespace>/<name>`;
 *   util/argo/resource_tracking.go SetAppInstance), and objects belong to an Application by the
 *   same method (GetAppName, src/argocd.ts appInstanceName).
 * - Sources: `spec.source`, or `spec.sources` (multi-source: each rendered, a `ref`-only source
 *   renders nothing); `status.sync.comparedTo` is the spec's source(s), destination and
 *   ignoreDifferences (BuildComparedToStatus), `status.sync.revision` the commit compared with —
 *   or, multi-source, `status.sync.revisions[]` with `revision` left empty (CompareAppState).
 * - Refresh: the target revision is resolved again when the spec changed (comparedTo differs), when the annotation
 *   `argocd.argoproj.io/refresh` is set (then removed), and every 120 s of simulated time (the
 *   default `timeout.reconciliation`); live objects are compared on every reconcile.
 * - Sync status: Synced when every rendered object exists in the cluster with the rendered fields
 *   (a subset comparison; the server's defaults are ignored), and no tracked object is left over
 *   (those are `requiresPruning`); `status.sync.revision` is the commit compared with.
 * - Automated sync (`syncPolicy.automated`, unless `enabled: false`): when OutOfSync at a revision
 *   not yet synced, or at any time with selfHeal; prune only with `prune: true`. Manual sync: the
 *   `operation` field (`argocd app sync`, the UI, or kubectl: user-guide/sync-kubectl.md), removed
 *   once done. Each sync writes `status.operationState` and appends to `status.history`.
 * - Health: Deployments as gitops-engine judges them (Healthy when rolled out, Progressing before,
 *   Degraded past their progress deadline); missing objects Missing; other kinds Healthy. The
 *   Application takes the worst.
 *
 * Not modelled: sync waves and hooks, retries, sync windows, Helm sources,
 * other clusters, the repo server's caching.
 */
import { mkdtempSync, rmSync, existsSync, readdirSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { appInstanceName, ARGOCD_CM, comparedToOfSpec, globMatch, hasMultipleSources, INSTALLATION_ID_ANNOTATION, staleComparison, TRACKING_ANNOTATION, trackingIdOf, trackingSettings, type TrackingSettings } from '../../src/argocd.js';
import { RESOURCES, groupOf, type KindName } from '../../src/kube/resources.js';
import { ROOT } from '../../src/paths.js';
import { platform } from '../../src/platform.js';
import { parse as parseYaml } from 'yaml';
import type { KubeObject } from '../../src/snapshot.js';
import { applyDefaults, type SimCluster } from './sim.js';
import { SimGitea } from './sim-gitea.js';
import { kustomize, parseManifests } from './tools.js';

export const ARGOCD_NAMESPACE = platform.namespaces.argocd;
export const IN_CLUSTER = 'https://kubernetes.default.svc';
export const REFRESH_ANNOTATION = 'argocd.argoproj.io/refresh';
/** argocd-cm `timeout.reconciliation`, default 120 s: how often Argo CD looks at Git unprompted. */
export const POLL_SECONDS = 120;

const giteas = new WeakMap<SimCluster, SimGitea>();

/**
 * The chart's defaults for argocd-cm (argoproj/argo-helm argo-cd-10.1.1
 * charts/argo-cd/values.yaml `configs.cm`; the pinned 10.1.4 is not in the mirror here): the
 * template writes every key but `create` and `annotations`, as strings (templates/_helpers.tpl
 * "argo-cd.config.cm"). Note the instance label key, which differs from Argo CD's own default.
 */
const CHART_CM_DEFAULTS: Record<string, string> = {
  'application.instanceLabelKey': 'argocd.argoproj.io/instance',
  'application.sync.impersonation.enabled': 'false',
  'exec.enabled': 'false',
  'admin.enabled': 'true',
  'timeout.reconciliation': '120s',
  'timeout.reconciliation.jitter': '60s',
  'timeout.hard.reconciliation': '0s',
  'statusbadge.enabled': 'false',
};

/**
 * argocd-cm as `npm run up` installs it: the chart's defaults overlaid with the platform's values
 * (platform/values/argo-cd.yaml `configs.cm`), labelled as the chart labels it
 * (templates/_common.tpl "argo-cd.labels": app.kubernetes.io/part-of: argocd).
 */
export function argocdConfigMap(more: Record<string, string> = {}): KubeObject {
  const values = parseYaml(readFileSync(join(ROOT, 'platform/values/argo-cd.yaml'), 'utf8')) as any;
  const platformCm = Object.fromEntries(Object.entries(values?.configs?.cm ?? {}).filter(([k]) => k !== 'create' && k !== 'annotations').map(([k, v]) => [k, String(v)]));
  return {
    apiVersion: 'v1',
    kind: 'ConfigMap',
    metadata: { name: ARGOCD_CM, namespace: ARGOCD_NAMESPACE, labels: { 'app.kubernetes.io/name': ARGOCD_CM, 'app.kubernetes.io/component': 'server', 'app.kubernetes.io/part-of': 'argocd' } },
    data: { ...CHART_CM_DEFAULTS, ...platformCm, ...more },
  };
}


interface Rendered {
  objects: KubeObject[];
  sourceType: 'Kustomize' | 'Directory';
}
const renders = new Map<string, Rendered | Error>();

/** The manifests of a path at a commit, rendered as Argo CD's repo server would (cached: commits do not change). */
function render(gitea: SimGitea, repo: string, sha: string, path: string): Rendered {
  const key = `${repo}|${sha}|${path}`; // a commit names its tree: the same in every fork
  if (!renders.has(key)) {
    const dir = gitea.checkout(repo, sha, mkdtempSync(join(tmpdir(), 'cicd-lab-argocd-')));
    try {
      const at = join(dir, path);
      if (!existsSync(at)) throw new Error(`${path}: app path does not exist`);
      const isKustomize = ['kustomization.yaml', 'kustomization.yml', 'Kustomization'].some((f) => existsSync(join(at, f)));
      const objects = isKustomize
        ? kustomize(at)
        : readdirSync(at).filter((n) => /\.(ya?ml|json)$/.test(n)).sort().flatMap((n) => parseManifests(readFileSync(join(at, n), 'utf8')));
      renders.set(key, { objects, sourceType: isKustomize ? 'Kustomize' : 'Directory' });
    } catch (error) {
      renders.set(key, new Error((error as Error).message.replace(/^kubectl kustomize \S+ failed \(\d+\): /, '')));
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  }
  const hit = renders.get(key)!;
  if (hit instanceof Error) throw hit;
  return structuredClone(hit);
}

const HEALTH_ORDER = ['Healthy', 'Suspended', 'Progressing', 'Missing', 'Degraded', 'Unknown'];

/**
 * A resource's health as Argo CD judges it (argo-cd v3.5 gitops-engine/pkg/health/
 * health_deployment.go getAppsv1DeploymentHealth for Deployments: a Deployment scaled to 0 is
 * Healthy there — Argo CD's rule, not the graders'); other kinds Healthy, a missing one Missing.
 */
function resourceHealth(live: KubeObject | undefined): string {
  if (!live) return 'Missing';
  if (live.kind !== 'Deployment') return 'Healthy';
  if (live.spec?.paused) return 'Suspended';
  const st = live.status ?? {};
  if ((live.metadata.generation ?? 0) > (st.observedGeneration ?? 0)) return 'Progressing';
  const progressing = (st.conditions ?? []).find((c: any) => c.type === 'Progressing');
  if (progressing?.reason === 'ProgressDeadlineExceeded') return 'Degraded';
  const updated = st.updatedReplicas ?? 0;
  if (live.spec?.replicas !== undefined && updated < live.spec.replicas) return 'Progressing';
  if ((st.replicas ?? 0) > updated) return 'Progressing';
  if ((st.availableReplicas ?? 0) < updated) return 'Progressing';
  return 'Healthy';
}

/** Does `live` hold every field `want` has (objects: recursively; arrays: element by element)? */
function contains(live: unknown, want: unknown): boolean {
  if (Array.isArray(want)) return Array.isArray(live) && live.length === want.length && want.every((w, i) => contains(live[i], w));
  if (want && typeof want === 'object') return !!live && typeof live === 'object' && Object.entries(want).every(([k, v]) => contains((live as any)[k], v));
  return live === want || String(live) === String(want);
}

const kindName = (kind: string): KindName => {
  if (!(kind in RESOURCES)) throw new Error(`the simulated Argo CD does not know the kind ${kind} (src/kube/resources.ts)`);
  return kind as KindName;
};

/** Register the controller on a cluster, with the Gitea its Applications read from. */
export function attachArgoCd(sim: SimCluster, gitea: SimGitea): SimCluster {
  const known = giteas.has(sim);
  giteas.set(sim, gitea);
  if (!known) sim.use(argoCdController);
  return sim;
}

/** After `sim.fork()` (which copies the controller): the fork's own Gitea. */
export function rebindArgoCd(sim: SimCluster, gitea: SimGitea): void {
  giteas.set(sim, gitea);
}

function argoCdController(sim: SimCluster): boolean {
  const gitea = giteas.get(sim);
  if (!gitea) return false;
  let changed = false;
  for (const app of sim.list('Application', ARGOCD_NAMESPACE)) changed = reconcileApp(sim, gitea, app) || changed;
  return changed;
}

/** Argo CD's tracking settings, from the argocd-cm ConfigMap in its namespace (defaults without one). */
function settingsOf(sim: SimCluster): TrackingSettings {
  return trackingSettings(sim.get('ConfigMap', ARGOCD_NAMESPACE, ARGOCD_CM));
}

/**
 * Mark an object for an Application as SetAppInstance does (resource_tracking.go): the tracking-id
 * annotation (with the installation id when one is set) for `annotation`, the instance label for
 * `label` (truncated to 63 characters for `annotation+label`), both for `annotation+label`.
 */
function markTracked(o: KubeObject, app: string, settings: TrackingSettings, destNamespace: string): void {
  const annotation = () => {
    const ns = o.metadata.namespace ?? destNamespace;
    o.metadata.annotations = { ...o.metadata.annotations, [TRACKING_ANNOTATION]: trackingIdOf(app, o, ns) };
    if (settings.installationID) o.metadata.annotations[INSTALLATION_ID_ANNOTATION] = settings.installationID;
    else delete o.metadata.annotations[INSTALLATION_ID_ANNOTATION];
  };
  const label = (value: string) => void (o.metadata.labels = { ...o.metadata.labels, [settings.labelKey]: value });
  if (settings.method === 'label') label(app);
  else if (settings.method === 'annotation+label') (annotation(), label(app.slice(0, 63).replace(/[^a-zA-Z0-9]+$/, '')));
  else annotation();
}

function reconcileApp(sim: SimCluster, gitea: SimGitea, app: KubeObject): boolean {
  const name = app.metadata.name;
  const now = sim.now();
  const spec = app.spec ?? {};
  const multi = hasMultipleSources(app);
  const sources: any[] = multi ? spec.sources : [spec.source ?? {}];
  const destination = spec.destination ?? {};
  const destNamespace: string = destination.namespace ?? '';
  const settings = settingsOf(sim);
  const st: any = structuredClone(app.status ?? {});
  // CompareAppState: what the status is computed for (BuildComparedToStatus).
  const comparedTo = JSON.parse(JSON.stringify(comparedToOfSpec(app)));
  const invalid = (type: string, message: string): boolean => {
    const next = {
      ...st,
      conditions: [{ type, message, lastTransitionTime: st.conditions?.find((c: any) => c.type === type && c.message === message)?.lastTransitionTime ?? now }],
      sync: { status: 'Unknown', comparedTo },
      health: { status: 'Unknown' },
      reconciledAt: st.reconciledAt ?? now,
    };
    return sim.setStatus(app, next);
  };

  // --- the AppProject's fences ---
  const projectName = spec.project ?? 'default';
  const project = sim.get('AppProject', ARGOCD_NAMESPACE, projectName);
  if (!project) return invalid('InvalidSpecError', `Application referencing project ${projectName} which does not exist`);
  for (const source of sources) {
    const repoURL: string = source.repoURL ?? '';
    if (!(project.spec?.sourceRepos ?? []).some((p: string) => globMatch(p, repoURL))) {
      return invalid('InvalidSpecError', `application repo ${repoURL} is not permitted in project '${projectName}'`);
    }
  }
  const server = destination.server ?? (destination.name === 'in-cluster' ? IN_CLUSTER : undefined);
  // A destination matches by server (or cluster name) and namespace; a namespace pattern with a
  // leading ! denies (Argo CD 2.11+), and a deny wins over any allow.
  const destinations = (project.spec?.destinations ?? []).filter((d: any) => (d.server ? globMatch(d.server, server ?? '') : globMatch(d.name ?? '', destination.name ?? 'in-cluster')));
  const allowed = (ns: string) =>
    destinations.some((d: any) => !String(d.namespace ?? '').startsWith('!') && globMatch(d.namespace ?? '', ns)) &&
    !destinations.some((d: any) => String(d.namespace ?? '').startsWith('!') && globMatch(String(d.namespace).slice(1), ns));
  if (server !== IN_CLUSTER) return invalid('InvalidSpecError', `cluster '${destination.server ?? destination.name}' has not been configured (the simulation has only ${IN_CLUSTER})`);
  if (!allowed(destNamespace)) {
    return invalid('InvalidSpecError', `application destination server '${server}' and namespace '${destNamespace}' do not match any of the allowed destinations in project '${projectName}'`);
  }
  const targets = sources.map((source) => SimGitea.repoOf(source.repoURL ?? ''));
  for (const [i, target] of targets.entries()) {
    if (!target || !gitea.has(target.repo)) return invalid('ComparisonError', `failed to resolve revision: repository not found: ${sources[i].repoURL ?? ''}`);
  }

  // --- refresh: which commits to compare with (one per source) ---
  const annotations = app.metadata.annotations ?? {};
  const previous: string[] = multi ? (st.sync?.revisions ?? []) : st.sync?.revision ? [st.sync.revision] : [];
  const specChanged = staleComparison({ ...app, status: st }) !== null;
  const due = !st.reconciledAt || Date.parse(now) - Date.parse(st.reconciledAt) >= POLL_SECONDS * 1000;
  const refresh = specChanged || due || REFRESH_ANNOTATION in annotations || previous.length !== sources.length || previous.some((r) => !r);
  const resolveOne = (i: number, wanted = sources[i].targetRevision ?? 'HEAD'): string | undefined => {
    const repo = targets[i]!.repo;
    return gitea.resolve(repo, wanted === 'HEAD' ? 'HEAD' : /^[0-9a-f]{40}$/.test(wanted) ? wanted : `refs/heads/${wanted}`) ?? gitea.resolve(repo, `refs/tags/${wanted}`);
  };
  const resolveAll = () => sources.map((_, i) => resolveOne(i));
  let revisions: (string | undefined)[] = refresh ? resolveAll() : previous;
  const unresolved = revisions.findIndex((r) => !r);
  if (unresolved >= 0) return invalid('ComparisonError', `unable to resolve '${sources[unresolved].targetRevision ?? 'HEAD'}' to a commit SHA`);
  let metaChanged = false;
  if (REFRESH_ANNOTATION in annotations) {
    delete app.metadata.annotations![REFRESH_ANNOTATION];
    metaChanged = true;
  }
  if (refresh) st.reconciledAt = now;

  let sourceType = 'Directory';
  const desiredAt = (revs: (string | undefined)[]): KubeObject[] => {
    const objects: KubeObject[] = [];
    sources.forEach((source, i) => {
      // A source with only `ref` (a values source for Helm) renders nothing itself.
      if (source.path === undefined && source.ref) return;
      const rendered = render(gitea, targets[i]!.repo, revs[i]!, source.path ?? '.');
      sourceType = rendered.sourceType;
      objects.push(...rendered.objects);
    });
    for (const o of objects) {
      const r = RESOURCES[kindName(o.kind)];
      if (r.namespaced) o.metadata.namespace ??= destNamespace;
      else delete o.metadata.namespace;
      markTracked(o, name, settings, destNamespace);
    }
    return objects;
  };
  const fence = (objects: KubeObject[]): string | undefined => {
    for (const o of objects) {
      const r = RESOURCES[kindName(o.kind)];
      if (r.namespaced && !allowed(o.metadata.namespace!)) return `namespace ${o.metadata.namespace} is not permitted in project '${projectName}'`;
      const group = groupOf(o.apiVersion);
      if (!r.namespaced && !(project.spec?.clusterResourceWhitelist ?? []).some((w: any) => globMatch(w.group ?? '', group) && globMatch(w.kind ?? '', o.kind))) {
        return `Resource ${group}/${o.kind} ${o.metadata.name} is not permitted in project ${projectName}.`;
      }
    }
    return undefined;
  };
  const compare = (objects: KubeObject[]) => {
    const tracked = sim.all().filter((o) => appInstanceName(o, settings) === name);
    const resources = objects.map((o) => {
      const live = sim.get(kindName(o.kind), o.metadata.namespace, o.metadata.name);
      const want = applyDefaults(structuredClone(o));
      delete want.status;
      const inSync = !!live && contains(live, want);
      return { o, live, inSync };
    });
    const extra = tracked.filter((t) => !objects.some((o) => o.kind === t.kind && o.metadata.name === t.metadata.name && o.metadata.namespace === t.metadata.namespace));
    return { resources, extra, synced: resources.every((r) => r.inSync) && extra.length === 0 };
  };

  let desired: KubeObject[];
  try {
    desired = desiredAt(revisions);
  } catch (error) {
    return invalid('ComparisonError', `rpc error: code = Unknown desc = ${(error as Error).message}`) || metaChanged;
  }
  let result = compare(desired);

  // --- sync: an operation someone asked for, or the automated policy ---
  const automated = spec.syncPolicy?.automated && spec.syncPolicy.automated.enabled !== false ? spec.syncPolicy.automated : undefined;
  const synced = st.operationState?.syncResult;
  const lastSynced: string[] = multi ? (synced?.revisions ?? []) : synced?.revision ? [synced.revision] : [];
  const sameRevisions = (a: (string | undefined)[], b: (string | undefined)[]) => a.length === b.length && a.every((x, i) => x === b[i]);
  // SyncOperation: `revision` for one source, `revisions` for several (types.go).
  const revisionsField = (revs: (string | undefined)[]) => (multi ? { revisions: revs } : { revision: revs[0] });
  let operation: any;
  if (app.operation?.sync) {
    operation = { ...structuredClone(app.operation), retry: app.operation.retry ?? {} };
    delete app.operation;
    metaChanged = true;
    const asked: (string | undefined)[] = multi ? (operation.sync.revisions ?? []) : [operation.sync.revision];
    revisions = sources.map((_, i) => {
      const wanted = asked[i];
      if (!wanted) return resolveOne(i);
      return /^[0-9a-f]{40}$/.test(wanted) ? wanted : (resolveOne(i, wanted) ?? resolveOne(i));
    });
    Object.assign(operation.sync, revisionsField(revisions));
    desired = desiredAt(revisions);
    result = compare(desired);
  } else if (automated && !result.synced && (!sameRevisions(lastSynced, revisions) || automated.selfHeal)) {
    operation = { sync: { ...revisionsField(revisions), ...(automated.prune ? { prune: true } : {}) }, initiatedBy: { automated: true }, retry: { limit: 5 } };
  }
  // SyncOperationResult and RevisionHistory: `revision` + `source`, or `revisions` + `sources`.
  const what = multi ? { revisions, sources } : { revision: revisions[0], source: sources[0] };
  if (operation) {
    const startedAt = now;
    const problem = fence(desired);
    if (problem) {
      st.operationState = { operation, phase: 'Failed', message: problem, startedAt, finishedAt: now, syncResult: { resources: [], ...what } };
    } else {
      const prune = !!operation.sync.prune || (!!automated?.prune && operation.initiatedBy?.automated);
      const resources = desired.map((o) => {
        const existed = !!sim.get(kindName(o.kind), o.metadata.namespace, o.metadata.name);
        sim.write(o);
        return { group: groupOf(o.apiVersion), version: o.apiVersion.split('/').pop(), kind: o.kind, namespace: o.metadata.namespace ?? '', name: o.metadata.name, status: 'Synced', message: `${o.kind.toLowerCase()}/${o.metadata.name} ${existed ? 'configured' : 'created'}`, hookPhase: 'Running', syncPhase: 'Sync' };
      });
      for (const x of prune ? result.extra : []) {
        sim.delete(kindName(x.kind), x.metadata.namespace, x.metadata.name, { reconcile: false });
        resources.push({ group: groupOf(x.apiVersion), version: x.apiVersion.split('/').pop(), kind: x.kind, namespace: x.metadata.namespace ?? '', name: x.metadata.name, status: 'Pruned', message: 'pruned', hookPhase: 'Running', syncPhase: 'Sync' });
      }
      st.operationState = { operation, phase: 'Succeeded', message: 'successfully synced (all tasks run)', syncResult: { resources, ...what }, startedAt, finishedAt: now };
      const history = st.history ?? [];
      history.push({ id: (history[history.length - 1]?.id ?? -1) + 1, ...what, deployedAt: now, deployStartedAt: startedAt, initiatedBy: operation.initiatedBy });
      st.history = history.slice(-10);
      result = compare(desired);
    }
  }

  // --- status ---
  const health = result.resources.map((r) => resourceHealth(r.live));
  const worst = health.reduce((w, h) => (HEALTH_ORDER.indexOf(h) > HEALTH_ORDER.indexOf(w) ? h : w), 'Healthy');
  const next = {
    ...st,
    sync: { status: result.synced ? 'Synced' : 'OutOfSync', comparedTo, ...revisionsField(revisions) },
    health: { status: worst, lastTransitionTime: st.health?.status === worst ? (st.health.lastTransitionTime ?? now) : now },
    resources: [
      ...result.resources.map((r) => ({ group: groupOf(r.o.apiVersion) || undefined, version: r.o.apiVersion.split('/').pop(), kind: r.o.kind, namespace: r.o.metadata.namespace, name: r.o.metadata.name, status: r.inSync ? 'Synced' : 'OutOfSync' })),
      ...result.extra.map((x) => ({ group: groupOf(x.apiVersion) || undefined, version: x.apiVersion.split('/').pop(), kind: x.kind, namespace: x.metadata.namespace, name: x.metadata.name, status: 'OutOfSync', requiresPruning: true })),
    ].map((r) => JSON.parse(JSON.stringify(r))),
    summary: { images: [...new Set(desired.flatMap((o) => (o.spec?.template?.spec?.containers ?? []).map((c: any) => c.image)))].sort() },
    sourceType,
    controllerNamespace: ARGOCD_NAMESPACE,
  };
  delete next.conditions;
  return sim.setStatus(app, next) || metaChanged || !!operation;
}
