/**
 * A simulated cluster for the kit tests: the API server's bookkeeping and defaulting, and the
 * controllers' status, for the fields the graders read — so that a snapshot can be built from the
 * real lab files (rendered by the real kubectl/kustomize) instead of typed by hand.
 *
 * What it models, as Kubernetes does:
 * - API server: namespace, uid, resourceVersion, creationTimestamp, `generation` (bumped on a spec
 *   change) and the defaults graders look at (Deployment strategy 25%/25%, replicas 1, progress
 *   deadline 600 s, probe and port defaults, Service type and targetPort, HTTPRoute match/weight
 *   defaults).
 * - Deployment controller (kubernetes pkg/controller/deployment: sync.go getNewReplicaSet,
 *   rolling.go, recreate.go, progress.go syncRolloutStatus, util/deployment_util.go): one ReplicaSet
 *   per Pod template, named with a template hash; a RollingUpdate scales the new one up and the old
 *   ones down a step at a time within maxSurge and maxUnavailable (NewRSNewReplicas,
 *   reconcileOldReplicaSets with cleanupUnhealthyReplicas; fenceposts resolved as ResolveFenceposts
 *   does), so a new version that never becomes ready stalls with the old Pods still serving;
 *   Recreate stops every old Pod first. Revisions: a new ReplicaSet gets the highest revision + 1,
 *   and going back to an old template (kubectl rollout undo) gives its ReplicaSet a new revision,
 *   the old number kept in `deployment.kubernetes.io/revision-history` (SetNewReplicaSetAnnotations);
 *   the Deployment carries its current revision. Status with observedGeneration and replica counts
 *   summed from the ReplicaSets; conditions Available (within maxUnavailable) and Progressing:
 *   NewReplicaSetCreated, ReplicaSetUpdated whenever a rollout makes progress (its lastUpdateTime
 *   moves), NewReplicaSetAvailable when complete, and False with ProgressDeadlineExceeded once
 *   progressDeadlineSeconds have passed without progress.
 * - ReplicaSets and Pods; each hello-app Pod behaves as the app's own code says for its environment
 *   (labs/app/src/config.js readConfig): a setting it cannot read crashes it (CrashLoopBackOff); a
 *   setting REQUIRED_SETTINGS names but the Pod lacks keeps it unready — the kubelet's
 *   readinessProbe asks the app (httpGet: the status the app answers on that path; tcpSocket and
 *   exec pass once it runs) and reports `Readiness probe failed` — while a Pod without a probe counts
 *   as ready as soon as it runs. EndpointSlices list ready Pods as ready; Jobs run for a given time
 *   and then complete (or fail); HTTPRoute parent status; Warning events for broken images and
 *   failed probes.
 * - Traffic through the Gateway: HTTPRoute rules chosen as the Gateway API spec says
 *   (src/kube/gateway.ts), relative weights, Services, ready Pods only, allocated deterministically
 *   (largest remainder) rather than at random. Each Pod answers as hello-app does: its version (the
 *   image's tag, which the image bakes in as APP_VERSION), a 503 while the app is not ready (a Pod
 *   without a readinessProbe gets traffic anyway), and with FAIL_PERCENT that share of its requests
 *   fails with 500 (labs/app/src/app.js failsRequest), counted per Pod so that its GET /stats
 *   figures are the app's own (statsBody). Failures by status.
 * - Simulated users (labs/app/src/users.js run as a Pod): while time passes they send
 *   REQUESTS_PER_SECOND through the gateway when TARGET_URL is the gateway's in-cluster address,
 *   and those requests count in each Pod's figures.
 *
 * What it does not: scheduling, resources, restarts, minReadySeconds, a cold start
 * (READY_DELAY_SECONDS), probes on paths the app does not serve beyond their status. Controllers for
 * other kinds (Argo Rollouts, Argo CD) plug in with `use()`.
 */
import { createHash } from 'node:crypto';
import { failsRequest, statsBody } from '../../labs/app/src/app.js';
import { readConfig } from '../../labs/app/src/config.js';
import { readUsersConfig } from '../../labs/app/src/users.js';
import { matchesSelector } from '../../src/state.js';
import { routeAccepted, routeRequest } from '../../src/kube/gateway.js';
import { appContainer, imageRepository, imageTag, podTemplate, resolveIntOrPercent } from '../../src/kube/objects.js';
import { RESOURCES, groupOf, type KindName } from '../../src/kube/resources.js';
import { platform } from '../../src/platform.js';
import { SNAPSHOT_KIND, SNAPSHOT_VERSION, type KubeObject, type Snapshot, type TrafficProbe } from '../../src/snapshot.js';

export type Controller = (sim: SimCluster) => boolean;

const clone = <T>(v: T): T => structuredClone(v);
const stable = (v: unknown): string => JSON.stringify(v, (_k, val) => (val && typeof val === 'object' && !Array.isArray(val) ? Object.fromEntries(Object.entries(val).sort(([a], [b]) => a.localeCompare(b))) : val));
export const shortHash = (v: unknown, length = 10) => {
  const alphabet = 'bcdfghjklmnpqrstvwxz2456789'; // the alphabet of Kubernetes' SafeEncodeString
  const digest = createHash('sha256').update(stable(v)).digest();
  return Array.from(digest.subarray(0, length), (b) => alphabet[b % alphabet.length]).join('');
};

const GENERATION_KINDS = new Set(['Deployment', 'ReplicaSet', 'Job', 'HTTPRoute', 'Gateway', 'Rollout', 'Application', 'AppProject']);

function defaultProbe(p: any) {
  if (!p) return p;
  return { timeoutSeconds: 1, periodSeconds: 10, successThreshold: 1, failureThreshold: 3, ...p };
}

function defaultPodSpec(spec: any) {
  spec.restartPolicy ??= 'Always';
  spec.dnsPolicy ??= 'ClusterFirst';
  spec.terminationGracePeriodSeconds ??= 30;
  spec.schedulerName ??= 'default-scheduler';
  spec.securityContext ??= {};
  for (const c of [...(spec.initContainers ?? []), ...(spec.containers ?? [])]) {
    c.imagePullPolicy ??= imageTag(c.image) === 'latest' ? 'Always' : 'IfNotPresent';
    c.terminationMessagePath ??= '/dev/termination-log';
    c.terminationMessagePolicy ??= 'File';
    c.resources ??= {};
    for (const port of c.ports ?? []) port.protocol ??= 'TCP';
    for (const probe of ['readinessProbe', 'livenessProbe', 'startupProbe']) if (c[probe]) c[probe] = defaultProbe(c[probe]);
  }
}

/** The defaults the API server (and CRD schemas) fill in, for the fields graders compare. */
export function applyDefaults(o: KubeObject): KubeObject {
  switch (o.kind) {
    case 'Deployment': {
      const s = (o.spec ??= {});
      s.replicas ??= 1;
      s.revisionHistoryLimit ??= 10;
      s.progressDeadlineSeconds ??= 600;
      s.strategy ??= { type: 'RollingUpdate' };
      s.strategy.type ??= 'RollingUpdate';
      if (s.strategy.type === 'RollingUpdate') s.strategy.rollingUpdate = { maxUnavailable: '25%', maxSurge: '25%', ...s.strategy.rollingUpdate };
      defaultPodSpec((s.template ??= {}).spec ??= {});
      break;
    }
    case 'Job': {
      const s = (o.spec ??= {});
      s.backoffLimit ??= 6;
      s.completions ??= 1;
      s.parallelism ??= 1;
      s.completionMode ??= 'NonIndexed';
      defaultPodSpec((s.template ??= {}).spec ??= {});
      break;
    }
    case 'Service': {
      const s = (o.spec ??= {});
      s.type ??= 'ClusterIP';
      s.sessionAffinity ??= 'None';
      s.ipFamilies ??= ['IPv4'];
      for (const p of s.ports ?? []) {
        p.protocol ??= 'TCP';
        p.targetPort ??= p.port;
      }
      break;
    }
    case 'HTTPRoute': {
      const s = (o.spec ??= {});
      for (const ref of s.parentRefs ?? []) {
        ref.group ??= 'gateway.networking.k8s.io';
        ref.kind ??= 'Gateway';
      }
      s.rules ??= [{}];
      for (const rule of s.rules) {
        rule.matches ??= [{ path: { type: 'PathPrefix', value: '/' } }];
        for (const m of rule.matches) {
          m.path ??= { type: 'PathPrefix', value: '/' };
          for (const h of m.headers ?? []) h.type ??= 'Exact';
        }
        for (const b of rule.backendRefs ?? []) {
          b.group ??= '';
          b.kind ??= 'Service';
          b.weight ??= 1;
        }
      }
      break;
    }
  }
  return o;
}

export interface ApplyOptions {
  /** Kubectl's `--namespace` for objects without one. */
  namespace?: string;
}

export class SimCluster {
  private clock: number;
  private seq = 0;
  private readonly store = new Map<string, KubeObject>();
  private readonly brokenImages = new Set<string>();
  private readonly jobDurations = new Map<string, number>();
  private readonly controllers: Controller[] = [];
  /** GET / requests each Pod (by uid) has answered and how many of them failed: its GET /stats. */
  private readonly served = new Map<string, { requests: number; errors: number }>();
  /** Which images the kubelet can pull (all, unless a simulated registry says otherwise). */
  private pullable: (image: string) => boolean = () => true;

  constructor(start = '2026-11-26T12:00:00Z') {
    this.clock = Date.parse(start);
    this.controllers.push(
      (s) => s.reconcileDeployments(),
      (s) => s.reconcileReplicaSets(),
      (s) => s.reconcileJobs(),
      (s) => s.reconcileEndpointSlices(),
      (s) => s.reconcileHTTPRoutes(),
    );
  }

  /** An independent copy (objects, clock, broken images, job durations, the Pods' figures, controllers). */
  fork(): SimCluster {
    const copy = new SimCluster(this.now());
    copy.controllers.splice(0, copy.controllers.length, ...this.controllers);
    copy.seq = this.seq;
    for (const [k, v] of this.store) copy.store.set(k, clone(v));
    for (const image of this.brokenImages) copy.brokenImages.add(image);
    for (const [k, v] of this.jobDurations) copy.jobDurations.set(k, v);
    for (const [k, v] of this.served) copy.served.set(k, { ...v });
    copy.pullable = this.pullable;
    return copy;
  }

  /** Images for which this returns false never become ready (ImagePullBackOff), like broken ones. */
  setImagePolicy(pullable: (image: string) => boolean): this {
    this.pullable = pullable;
    return this;
  }

  /** Add a controller (for CRDs such as Rollouts); it returns true when it changed something. */
  use(controller: Controller): this {
    this.controllers.push(controller);
    return this;
  }

  now(): string {
    return new Date(this.clock).toISOString().replace('.000Z', 'Z');
  }

  /**
   * Let simulated time pass — Jobs finish, deadlines expire, the simulated users send their
   * requests — reconciling at least every 5 simulated seconds, as controllers would meanwhile.
   */
  advance(seconds: number): this {
    for (let left = seconds; left > 0; left -= 5) {
      const step = Math.min(5, left);
      this.clock += step * 1000;
      this.runUsers(step);
      this.reconcile();
    }
    return seconds > 0 ? this : this.reconcile();
  }

  private key(apiVersion: string, kind: string, namespace: string | undefined, name: string) {
    return `${groupOf(apiVersion)}/${kind}/${namespace ?? ''}/${name}`;
  }

  private namespaced(kind: string): boolean {
    const r = (RESOURCES as Record<string, { namespaced: boolean }>)[kind];
    return r ? r.namespaced : !['Namespace', 'ClusterRole', 'ClusterRoleBinding', 'CustomResourceDefinition'].includes(kind);
  }

  get(kind: KindName, namespace: string | undefined, name: string): KubeObject | undefined {
    const r = RESOURCES[kind];
    return this.store.get(this.key(r.apiVersion, kind, r.namespaced ? namespace : undefined, name));
  }

  /** The object, or an error naming what is missing (tests read better than with `!`). */
  must(kind: KindName, namespace: string | undefined, name: string): KubeObject {
    const o = this.get(kind, namespace, name);
    if (!o) throw new Error(`simulated cluster has no ${kind} ${namespace ?? ''}/${name}`);
    return o;
  }

  list(kind: string, namespace?: string): KubeObject[] {
    return [...this.store.values()].filter((o) => o.kind === kind && (namespace === undefined || o.metadata.namespace === namespace));
  }

  all(): KubeObject[] {
    return [...this.store.values()];
  }

  /** Create or update objects as `kubectl apply` would, then let the controllers run. */
  apply(input: KubeObject | KubeObject[], options: ApplyOptions = {}): this {
    for (const raw of Array.isArray(input) ? input : [input]) this.write(raw, options);
    return this.reconcile();
  }

  /** Write one object without reconciling (for controllers and for staging several changes). */
  write(raw: KubeObject, options: ApplyOptions = {}): KubeObject {
    const o = applyDefaults(clone(raw));
    if (this.namespaced(o.kind)) o.metadata.namespace ??= options.namespace ?? 'default';
    const k = this.key(o.apiVersion, o.kind, o.metadata.namespace, o.metadata.name);
    const old = this.store.get(k);
    this.seq++;
    if (old) {
      o.metadata = { ...o.metadata, uid: old.metadata.uid, creationTimestamp: old.metadata.creationTimestamp, resourceVersion: String(1000 + this.seq) };
      if (GENERATION_KINDS.has(o.kind)) o.metadata.generation = (old.metadata.generation ?? 1) + (stable(old.spec) === stable(o.spec) ? 0 : 1);
      if (o.status === undefined && old.status !== undefined) o.status = old.status;
    } else {
      o.metadata.uid = `00000000-0000-4000-8000-${String(this.seq).padStart(12, '0')}`;
      o.metadata.creationTimestamp = this.now();
      o.metadata.resourceVersion = String(1000 + this.seq);
      if (GENERATION_KINDS.has(o.kind)) o.metadata.generation = 1;
    }
    this.store.set(k, o);
    return o;
  }

  /** Change an object in place (like `kubectl edit`), then reconcile. */
  edit(kind: KindName, namespace: string | undefined, name: string, change: (o: KubeObject) => void): this {
    const o = clone(this.must(kind, namespace, name));
    change(o);
    return this.apply(o);
  }

  /** Delete an object (and its dependents); controllers pass `reconcile: false` from within a reconcile. */
  delete(kind: KindName, namespace: string | undefined, name: string, options: { reconcile?: boolean } = {}): this {
    const r = RESOURCES[kind];
    this.store.delete(this.key(r.apiVersion, kind, r.namespaced ? namespace : undefined, name));
    // Garbage collection of dependents.
    const gone = new Set([...this.store.values()].filter((o) => !this.ownerExists(o)).map((o) => this.key(o.apiVersion, o.kind, o.metadata.namespace, o.metadata.name)));
    for (const k of gone) this.store.delete(k);
    return options.reconcile === false ? this : this.reconcile();
  }

  private ownerExists(o: KubeObject): boolean {
    const refs = o.metadata.ownerReferences ?? [];
    return refs.length === 0 || refs.some((ref) => [...this.store.values()].some((x) => x.metadata.uid === ref.uid));
  }

  /** Pods whose container uses this image never become ready (ImagePullBackOff). */
  breakImage(image: string): this {
    this.brokenImages.add(image);
    return this.reconcile();
  }

  /** How long a Job runs before it completes (default 20 s). */
  setJobDuration(namespace: string, name: string, seconds: number): this {
    this.jobDurations.set(`${namespace}/${name}`, seconds);
    return this;
  }

  reconcile(): this {
    // A rolling update takes a step per round (a Pod up, then one down), so a rollout of n replicas needs about 2n.
    for (let round = 0; round < 60; round++) {
      let changed = false;
      for (const controller of this.controllers) changed = controller(this) || changed;
      if (!changed) return this;
    }
    throw new Error('simulated controllers did not settle in 60 rounds');
  }

  /** Write status only if it differs; returns whether it changed. */
  setStatus(o: KubeObject, status: any): boolean {
    if (stable(o.status) === stable(status)) return false;
    o.status = status;
    return true;
  }

  /** Objects of a kind whose ownerReferences name this owner. */
  owned(kind: string, owner: KubeObject): KubeObject[] {
    return this.list(kind, owner.metadata.namespace).filter((o) => o.metadata.ownerReferences?.some((r) => r.uid === owner.metadata.uid));
  }

  ownerRef(owner: KubeObject) {
    return [{ apiVersion: owner.apiVersion, kind: owner.kind, name: owner.metadata.name, uid: owner.metadata.uid!, controller: true, blockOwnerDeletion: true }];
  }

  /** Whether Pods of this template can never start (see breakImage, and the pull hook). */
  broken(template: any): boolean {
    return (template?.spec?.containers ?? []).some((c: any) => this.brokenImages.has(c.image) || !this.pullable(c.image));
  }

  /** A status condition stamped with the simulated time. */
  condition(type: string, status: boolean, reason: string, message: string, observedGeneration?: number) {
    return { type, status: status ? 'True' : 'False', reason, message, lastTransitionTime: this.now(), ...(observedGeneration !== undefined ? { observedGeneration } : {}) };
  }

  private event(involved: KubeObject, reason: string, message: string): boolean {
    const name = `${involved.metadata.name}.${shortHash([involved.metadata.uid, reason], 8)}`;
    if (this.get('Event', involved.metadata.namespace, name)) return false;
    this.write({
      apiVersion: 'v1',
      kind: 'Event',
      metadata: { name, namespace: involved.metadata.namespace },
      type: 'Warning',
      reason,
      message,
      involvedObject: { apiVersion: involved.apiVersion, kind: involved.kind, name: involved.metadata.name, namespace: involved.metadata.namespace, uid: involved.metadata.uid },
      firstTimestamp: this.now(),
      lastTimestamp: this.now(),
      count: 1,
      source: { component: 'kubelet' },
    });
    return true;
  }

  // --- Deployments ---------------------------------------------------------------------------

  /** Kubernetes' pod-template-hash stand-in: stable for the same template. */
  templateHash(template: any): string {
    return shortHash(template, 10);
  }

  /**
   * One sync of each Deployment per round, as the Deployment controller does (its work queue calls
   * syncDeployment again until nothing changes): find or create the ReplicaSet of the current
   * template, settle revisions, take one scaling step of its strategy, then write the status.
   */
  private reconcileDeployments(): boolean {
    let changed = false;
    for (const d of this.list('Deployment')) changed = this.syncDeployment(d) || changed;
    return changed;
  }

  private syncDeployment(d: KubeObject): boolean {
    let changed = false;
    const template = podTemplate(d);
    const want: number = d.spec.replicas ?? 1;
    // A ReplicaSet name taken by another owner is a hash collision: count it and hash again
    // (status.collisionCount, as the Deployment controller does).
    let collisions = Number(d.status?.collisionCount ?? 0);
    const hashOf = () => this.templateHash(collisions ? [template, collisions] : template);
    let hash = hashOf();
    for (let taken = this.get('ReplicaSet', d.metadata.namespace, `${d.metadata.name}-${hash}`); taken && !taken.metadata.ownerReferences?.some((r) => r.uid === d.metadata.uid); taken = this.get('ReplicaSet', d.metadata.namespace, `${d.metadata.name}-${hash}`)) {
      collisions++;
      hash = hashOf();
    }
    const conditions: any[] = structuredClone(d.status?.conditions ?? []);
    let current = this.owned('ReplicaSet', d).find((rs) => rs.metadata.labels?.['pod-template-hash'] === hash);
    const olds = () => this.owned('ReplicaSet', d).filter((rs) => rs !== current);
    // sync.go getNewReplicaSet: the new ReplicaSet's revision is the highest of the old ones + 1.
    const newRevision = String(Math.max(0, ...olds().map(revisionOf)) + 1);
    if (!current) {
      const labels = { ...(template.metadata?.labels ?? {}), 'pod-template-hash': hash };
      current = this.write({
        apiVersion: 'apps/v1',
        kind: 'ReplicaSet',
        metadata: { name: `${d.metadata.name}-${hash}`, namespace: d.metadata.namespace, labels, ownerReferences: this.ownerRef(d), annotations: { [REVISION]: newRevision } },
        spec: {
          replicas: 0,
          minReadySeconds: d.spec.minReadySeconds,
          selector: { matchLabels: { ...(d.spec.selector?.matchLabels ?? {}), 'pod-template-hash': hash } },
          template: { ...clone(template), metadata: { ...(template.metadata ?? {}), labels } },
        },
      });
      setDeploymentCondition(conditions, deploymentCondition(this.now(), 'Progressing', true, 'NewReplicaSetCreated', `Created new replica set "${current.metadata.name}"`));
      changed = true;
    } else if (revisionOf(current) < Number(newRevision)) {
      // Back to an older template (rollout undo): its ReplicaSet becomes the newest revision and
      // remembers the numbers it had (util/deployment_util.go SetNewReplicaSetAnnotations).
      const annotations = (current.metadata.annotations ??= {});
      const old = annotations[REVISION];
      if (old) annotations[REVISION_HISTORY] = annotations[REVISION_HISTORY] ? `${annotations[REVISION_HISTORY]},${old}` : old;
      annotations[REVISION] = newRevision;
      changed = true;
    }
    const revision = current.metadata.annotations?.[REVISION] ?? newRevision;
    if (d.metadata.annotations?.[REVISION] !== revision) {
      d.metadata.annotations = { ...(d.metadata.annotations ?? {}), [REVISION]: revision };
      changed = true;
    }
    const scale = (rs: KubeObject, replicas: number) => {
      if ((rs.spec.replicas ?? 0) === replicas) return false;
      rs.spec.replicas = replicas;
      rs.metadata.generation = (rs.metadata.generation ?? 1) + 1;
      return true;
    };
    const replicasOf = (sets: KubeObject[]) => sets.reduce((sum, rs) => sum + (rs.spec.replicas ?? 0), 0);
    const availableOf = (sets: KubeObject[]) => sets.reduce((sum, rs) => sum + (rs.status?.availableReplicas ?? 0), 0);
    const byAge = (sets: KubeObject[]) => [...sets].sort((a, b) => String(a.metadata.creationTimestamp).localeCompare(String(b.metadata.creationTimestamp)) || a.metadata.name.localeCompare(b.metadata.name));
    const { maxSurge, maxUnavailable } = fenceposts(d);
    if (d.spec.strategy?.type === 'Recreate') {
      // recreate.go: scale every old ReplicaSet down, wait until their Pods are gone, then scale up.
      let scaled = false;
      for (const rs of olds()) scaled = scale(rs, 0) || scaled;
      const oldPods = olds().reduce((sum, rs) => sum + this.owned('Pod', rs).length, 0);
      if (!scaled && oldPods === 0) scaled = scale(current, want);
      changed = scaled || changed;
    } else {
      // rolling.go rolloutRolling: scale up if it can; only when it did not, scale down.
      const all = [current, ...olds()];
      let scaled = false;
      if ((current.spec.replicas ?? 0) > want) scaled = scale(current, want);
      else if ((current.spec.replicas ?? 0) < want) {
        // util NewRSNewReplicas: up to replicas + maxSurge Pods in all, never more than replicas in the new one.
        const room = want + maxSurge - replicasOf(all);
        if (room > 0) scaled = scale(current, (current.spec.replicas ?? 0) + Math.min(room, want - (current.spec.replicas ?? 0)));
      }
      const oldSets = olds().filter((rs) => (rs.spec.replicas ?? 0) > 0);
      if (!scaled && oldSets.length) {
        // reconcileOldReplicaSets: never below replicas - maxUnavailable available Pods, counting the
        // new ReplicaSet's unavailable Pods against it; unhealthy old Pods go first.
        const minAvailable = want - maxUnavailable;
        const newUnavailable = (current.spec.replicas ?? 0) - (current.status?.availableReplicas ?? 0);
        const maxScaledDown = replicasOf(all) - minAvailable - newUnavailable;
        if (maxScaledDown > 0) {
          let cleaned = 0;
          for (const rs of byAge(oldSets)) {
            if (cleaned >= maxScaledDown) break;
            const unhealthy = (rs.spec.replicas ?? 0) - (rs.status?.availableReplicas ?? 0);
            if (unhealthy <= 0) continue;
            const down = Math.min(maxScaledDown - cleaned, unhealthy);
            scale(rs, (rs.spec.replicas ?? 0) - down);
            cleaned += down;
          }
          // scaleDownOldReplicaSetsForRollingUpdate: only what is available above minAvailable.
          const available = availableOf([current, ...olds()]);
          const total = available - minAvailable;
          let downed = 0;
          for (const rs of byAge(olds())) {
            if (downed >= total || total <= 0) break;
            if ((rs.spec.replicas ?? 0) === 0) continue;
            const down = Math.min(rs.spec.replicas, total - downed);
            scale(rs, rs.spec.replicas - down);
            downed += down;
          }
          scaled = cleaned + downed > 0;
        }
      }
      changed = scaled || changed;
    }
    changed = this.setStatus(d, this.deploymentStatus(d, current, [current, ...olds()], conditions, collisions, maxUnavailable)) || changed;
    return changed;
  }

  /**
   * calculateStatus and syncRolloutStatus (progress.go): counts summed from the ReplicaSets' status,
   * Available within maxUnavailable, and the Progressing condition — moved on (a new lastUpdateTime)
   * whenever the rollout made progress, False with ProgressDeadlineExceeded once it made none for
   * progressDeadlineSeconds.
   */
  private deploymentStatus(d: KubeObject, current: KubeObject, all: KubeObject[], conditions: any[], collisions: number, maxUnavailable: number): any {
    const want: number = d.spec.replicas ?? 1;
    const sum = (field: string, sets: KubeObject[]) => sets.reduce((n, rs) => n + (rs.status?.[field] ?? 0), 0);
    const available = sum('availableReplicas', all);
    const status: any = {
      observedGeneration: d.metadata.generation,
      replicas: sum('replicas', all),
      updatedReplicas: sum('replicas', [current]),
      readyReplicas: sum('readyReplicas', all),
      availableReplicas: available,
      unavailableReplicas: Math.max(0, want - available),
      collisionCount: collisions || undefined,
    };
    const now = this.now();
    const minimum = available >= want - maxUnavailable;
    setDeploymentCondition(conditions, deploymentCondition(now, 'Available', minimum, minimum ? 'MinimumReplicasAvailable' : 'MinimumReplicasUnavailable', minimum ? 'Deployment has minimum availability.' : 'Deployment does not have minimum availability.'));
    const old = d.status ?? {};
    const progressing = conditions.find((c) => c.type === 'Progressing');
    const completeBefore = status.replicas === status.updatedReplicas && (old.conditions ?? []).find((c: any) => c.type === 'Progressing')?.reason === 'NewReplicaSetAvailable';
    const deadline: number | undefined = d.spec.progressDeadlineSeconds;
    if (deadline !== undefined && !completeBefore) {
      const complete = status.updatedReplicas === want && status.replicas === want && available >= want - maxUnavailable;
      const progress = status.updatedReplicas > (old.updatedReplicas ?? 0) || status.replicas - status.updatedReplicas < (old.replicas ?? 0) - (old.updatedReplicas ?? 0) || available > (old.availableReplicas ?? 0);
      const name = current.metadata.name;
      if (complete) setDeploymentCondition(conditions, deploymentCondition(now, 'Progressing', true, 'NewReplicaSetAvailable', `ReplicaSet "${name}" has successfully progressed.`));
      else if (progress) {
        const next = deploymentCondition(now, 'Progressing', true, 'ReplicaSetUpdated', `ReplicaSet "${name}" is progressing.`);
        if (progressing?.status === 'True') next.lastTransitionTime = progressing.lastTransitionTime;
        conditions.splice(0, conditions.length, ...conditions.filter((c) => c.type !== 'Progressing'), next);
      } else if (progressing && (progressing.reason === 'ProgressDeadlineExceeded' || Date.parse(progressing.lastUpdateTime) + deadline * 1000 < this.clock)) {
        setDeploymentCondition(conditions, deploymentCondition(now, 'Progressing', false, 'ProgressDeadlineExceeded', `ReplicaSet "${name}" has timed out progressing.`));
      }
    }
    status.conditions = conditions;
    // The API leaves out counts of 0 (apps/v1 DeploymentStatus: omitempty).
    for (const k of Object.keys(status)) if (status[k] === undefined || (status[k] === 0 && k !== 'observedGeneration')) delete status[k];
    return status;
  }

  private reconcileReplicaSets(): boolean {
    let changed = false;
    for (const rs of this.list('ReplicaSet')) {
      const want = rs.spec.replicas ?? 1;
      let pods = this.owned('Pod', rs);
      for (let i = pods.length; i < want; i++) {
        const name = `${rs.metadata.name}-${shortHash([rs.metadata.uid, i], 5)}`;
        const template = rs.spec.template ?? {};
        this.write({
          apiVersion: 'v1',
          kind: 'Pod',
          metadata: { name, namespace: rs.metadata.namespace, labels: { ...(template.metadata?.labels ?? {}) }, ownerReferences: this.ownerRef(rs) },
          spec: clone(template.spec ?? {}),
        });
        changed = true;
      }
      pods = this.owned('Pod', rs);
      // Scaling down removes Pods that are not ready first (controller.ActivePodsWithRanks).
      const notReadyFirst = [...pods].sort((a, b) => Number(isReady(a)) - Number(isReady(b)));
      for (const extra of notReadyFirst.slice(0, Math.max(0, pods.length - want))) {
        this.store.delete(this.key('v1', 'Pod', extra.metadata.namespace, extra.metadata.name));
        changed = true;
      }
      pods = this.owned('Pod', rs);
      for (const pod of pods) changed = this.setPodStatus(pod) || changed;
      const ready = pods.filter(isReady).length;
      changed =
        this.setStatus(rs, { replicas: pods.length, fullyLabeledReplicas: pods.length, readyReplicas: ready || undefined, availableReplicas: ready || undefined, observedGeneration: rs.metadata.generation }) || changed;
      if (rs.status.readyReplicas === undefined) delete rs.status.readyReplicas;
      if (rs.status.availableReplicas === undefined) delete rs.status.availableReplicas;
    }
    return changed;
  }

  private podIp(pod: KubeObject): string {
    const h = createHash('sha256').update(pod.metadata.uid!).digest();
    return `10.244.${h[0] % 4}.${2 + (h[1] % 250)}`;
  }

  /**
   * The environment a container's process sees: its `env` values, those taken from ConfigMaps and
   * Secrets that exist (a missing optional one leaves the variable unset), and the field references.
   */
  private containerEnv(namespace: string | undefined, container: any): Record<string, string> {
    const env: Record<string, string> = {};
    for (const e of container?.env ?? []) {
      if (typeof e.value === 'string') env[e.name] = e.value;
      const ref = e.valueFrom?.configMapKeyRef ?? e.valueFrom?.secretKeyRef;
      if (ref) {
        const source = this.get(e.valueFrom.configMapKeyRef ? 'ConfigMap' : 'Secret', namespace, ref.name);
        const raw = source?.data?.[ref.key] ?? source?.stringData?.[ref.key];
        if (raw !== undefined) env[e.name] = e.valueFrom.secretKeyRef && source?.data ? Buffer.from(raw, 'base64').toString('utf8') : raw;
      }
      if (e.valueFrom?.fieldRef) env[e.name] = `(${e.valueFrom.fieldRef.fieldPath})`;
    }
    return env;
  }

  /**
   * The hello-app server a Pod runs, as its own code reads its environment (labs/app/src/config.js):
   * the config, or the error that stops it. Undefined for Pods that run something else (another
   * image, or hello-app's image with another command, such as the simulated users).
   */
  appOf(pod: KubeObject): { config: any; container: any; crash?: undefined } | { crash: string; container: any; config?: undefined } | undefined {
    const container = appContainer({ spec: pod.spec });
    if (imageRepository(container?.image) !== 'hello-app') return undefined;
    const command = [...(container.command ?? []), ...(container.args ?? [])].join(' ');
    if (command && !command.includes('src/server.js')) return undefined;
    const env = { APP_VERSION: imageTag(container.image) ?? 'dev', ...this.containerEnv(pod.metadata.namespace, container) };
    try {
      return { config: readConfig(env), container };
    } catch (error) {
      return { crash: (error as Error).message, container };
    }
  }

  /** The status the app answers on a path (what an httpGet probe sees): the app's own routes. */
  private appStatus(config: any, path: string): number {
    const ready = config.missingSettings.length === 0;
    if (path === '/healthz' || path === '/stats') return 200;
    if (path === '/readyz' || path === '/') return ready ? 200 : 503;
    if (path === '/orders') return config.databaseUrl ? (ready ? 200 : 503) : 404;
    return 404;
  }

  /** Where a Pod stands: its image cannot be pulled, its app crashed, it runs but is not ready, or it is ready. */
  podState(pod: KubeObject): { state: 'pull' | 'crash' | 'unready' | 'ready'; why?: string } {
    if (this.broken({ spec: pod.spec })) return { state: 'pull' };
    const app = this.appOf(pod);
    if (!app) return { state: 'ready' };
    if (app.crash) return { state: 'crash', why: `hello-app: ${app.crash}` };
    const probe = app.container.readinessProbe;
    if (!probe?.httpGet) return { state: 'ready' }; // no probe (ready once it runs), or tcpSocket/exec (the process answers)
    const code = this.appStatus(app.config, probe.httpGet.path ?? '/');
    return code >= 200 && code < 400 ? { state: 'ready' } : { state: 'unready', why: `Readiness probe failed: HTTP probe failed with statuscode: ${code}` };
  }

  private setPodStatus(pod: KubeObject): boolean {
    const containers = pod.spec?.containers ?? [];
    const { state, why } = this.podState(pod);
    const running = (ready: boolean) => ({
      phase: 'Running',
      podIP: this.podIp(pod),
      conditions: [ready ? { type: 'Ready', status: 'True', lastTransitionTime: this.now() } : this.condition('Ready', false, 'ContainersNotReady', `containers with unready status: [${containers.map((c: any) => c.name).join(' ')}]`)],
      containerStatuses: containers.map((c: any) => ({ name: c.name, image: c.image, ready, restartCount: 0, started: true, state: { running: { startedAt: this.now() } } })),
    });
    const status =
      state === 'pull'
        ? {
            phase: 'Pending',
            conditions: [this.condition('Ready', false, 'ContainersNotReady', 'containers with unready status')],
            containerStatuses: containers.map((c: any) => ({ name: c.name, image: c.image, ready: false, restartCount: 0, started: false, state: { waiting: { reason: 'ImagePullBackOff', message: `Back-off pulling image "${c.image}"` } } })),
          }
        : state === 'crash'
          ? {
              phase: 'Running',
              podIP: this.podIp(pod),
              conditions: [this.condition('Ready', false, 'ContainersNotReady', 'containers with unready status')],
              containerStatuses: containers.map((c: any) => ({ name: c.name, image: c.image, ready: false, restartCount: 1, started: false, state: { waiting: { reason: 'CrashLoopBackOff', message: why } } })),
            }
          : running(state === 'ready');
    let changed = this.setStatus(pod, keepTransitionTimes(pod.status, status));
    if (state === 'pull') for (const c of containers) changed = this.event(pod, 'Failed', `Failed to pull image "${c.image}": not found`) || changed;
    if (state === 'crash') changed = this.event(pod, 'BackOff', `Back-off restarting failed container: ${why}`) || changed;
    if (state === 'unready') changed = this.event(pod, 'Unhealthy', why!) || changed;
    return changed;
  }

  // --- Jobs ------------------------------------------------------------------------------------

  private reconcileJobs(): boolean {
    let changed = false;
    for (const job of this.list('Job')) {
      const s = job.status ?? {};
      if (s.conditions?.some((c: any) => (c.type === 'Complete' || c.type === 'Failed') && c.status === 'True')) continue;
      const start = s.startTime ?? this.now();
      const duration = this.jobDurations.get(`${job.metadata.namespace}/${job.metadata.name}`) ?? 20;
      const endsAt = Date.parse(start) + duration * 1000;
      let status: any;
      if (this.clock < endsAt) status = { startTime: start, active: 1, ready: 1 };
      else {
        const at = new Date(endsAt).toISOString().replace('.000Z', 'Z');
        status = this.broken(job.spec.template)
          ? { startTime: start, failed: (job.spec.backoffLimit ?? 6) + 1, conditions: [{ type: 'Failed', status: 'True', reason: 'BackoffLimitExceeded', message: 'Job has reached the specified backoff limit', lastTransitionTime: at, lastProbeTime: at }] }
          : {
              startTime: start,
              succeeded: job.spec.completions ?? 1,
              completionTime: at,
              ready: 0,
              conditions: [
                { type: 'SuccessCriteriaMet', status: 'True', reason: 'CompletionsReached', message: 'Reached expected number of succeeded pods', lastTransitionTime: at, lastProbeTime: at },
                { type: 'Complete', status: 'True', reason: 'CompletionsReached', message: 'Reached expected number of succeeded pods', lastTransitionTime: at, lastProbeTime: at },
              ],
            };
      }
      changed = this.setStatus(job, status) || changed;
    }
    return changed;
  }

  // --- Services and EndpointSlices -------------------------------------------------------------

  private reconcileEndpointSlices(): boolean {
    let changed = false;
    for (const svc of this.list('Service')) {
      const selector = svc.spec?.selector;
      if (!selector) continue;
      const pods = this.list('Pod', svc.metadata.namespace).filter((p) => matchesSelector(p.metadata.labels, selector) && p.status);
      const ports = (svc.spec.ports ?? []).map((p: any) => ({ name: p.name ?? '', port: resolveTargetPort(p.targetPort, pods[0]), protocol: p.protocol ?? 'TCP' }));
      const name = `${svc.metadata.name}-${shortHash(svc.metadata.uid, 5)}`;
      const slice: KubeObject = {
        apiVersion: 'discovery.k8s.io/v1',
        kind: 'EndpointSlice',
        metadata: {
          name,
          namespace: svc.metadata.namespace,
          labels: { 'kubernetes.io/service-name': svc.metadata.name, 'endpointslice.kubernetes.io/managed-by': 'endpointslice-controller.k8s.io' },
          ownerReferences: this.ownerRef(svc),
        },
        addressType: 'IPv4',
        ports,
        endpoints: pods
          .filter((p) => p.status.podIP || p.status.phase === 'Pending')
          .map((p) => {
            const ready = p.status.conditions.some((c: any) => c.type === 'Ready' && c.status === 'True');
            return { addresses: [p.status.podIP ?? '0.0.0.0'], conditions: { ready, serving: ready, terminating: false }, targetRef: { kind: 'Pod', name: p.metadata.name, namespace: p.metadata.namespace, uid: p.metadata.uid } };
          }),
      };
      const old = this.get('EndpointSlice', svc.metadata.namespace, name);
      if (!old || stable({ e: old.endpoints, p: old.ports }) !== stable({ e: slice.endpoints, p: slice.ports })) {
        this.write(slice);
        changed = true;
      }
    }
    return changed;
  }

  /** Ready Pods behind a Service (what its EndpointSlices list as ready). */
  readyPods(namespace: string, service: string): KubeObject[] {
    const slices = this.list('EndpointSlice', namespace).filter((s) => s.metadata.labels?.['kubernetes.io/service-name'] === service);
    const names = new Set(slices.flatMap((s) => s.endpoints ?? []).filter((e: any) => e.conditions?.ready).map((e: any) => e.targetRef?.name));
    return this.list('Pod', namespace).filter((p) => names.has(p.metadata.name));
  }

  // --- Gateway API -----------------------------------------------------------------------------

  private attachesToLabGateway(route: KubeObject, ref: any): boolean {
    return ref.kind === 'Gateway' && ref.name === platform.gateway.name && (ref.namespace ?? route.metadata.namespace) === platform.gateway.namespace;
  }

  private reconcileHTTPRoutes(): boolean {
    let changed = false;
    for (const route of this.list('HTTPRoute')) {
      const backendsResolve = (route.spec.rules ?? []).every((rule: any) =>
        (rule.backendRefs ?? []).every((b: any) => b.kind === 'Service' && this.get('Service', b.namespace ?? route.metadata.namespace, b.name)),
      );
      const parents = (route.spec.parentRefs ?? []).map((ref: any) => {
        const accepted = this.attachesToLabGateway(route, ref);
        return {
          parentRef: ref,
          controllerName: 'gateway.nginx.org/nginx-gateway-controller',
          conditions: [
            this.condition('Accepted', accepted, accepted ? 'Accepted' : 'NoMatchingParent', accepted ? 'The Route is accepted' : 'No Gateway matches this parentRef', route.metadata.generation),
            this.condition('ResolvedRefs', backendsResolve, backendsResolve ? 'ResolvedRefs' : 'BackendNotFound', backendsResolve ? 'All references are resolved' : 'A backend Service does not exist', route.metadata.generation),
          ],
        };
      });
      changed = this.setStatus(route, keepTransitionTimes(route.status, { parents })) || changed;
    }
    return changed;
  }

  /** The version a Pod of hello-app answers: its app's APP_VERSION — the image's tag, which the image bakes in, unless the env says otherwise. */
  podVersion(pod: KubeObject): string {
    const app = this.appOf(pod);
    if (app?.config) return app.config.version;
    for (const c of pod.spec?.containers ?? []) {
      const env = (c.env ?? []).find((e: any) => e.name === 'APP_VERSION');
      if (env?.value) return env.value;
    }
    return imageTag(pod.spec?.containers?.[0]?.image) ?? 'unknown';
  }

  /**
   * What `count` more GET / requests to a ready Pod get, as its app answers them: its version, a 503
   * while it is not ready (a Pod without a readinessProbe gets traffic all the same), and with
   * FAIL_PERCENT the requests that hit the bug a 500 (the app's own failsRequest, counted from the
   * requests this Pod has answered so far).
   */
  private answers(pod: KubeObject, count: number): { answered: number; failures: Record<string, number> } {
    const app = this.appOf(pod);
    if (!app?.config) return { answered: count, failures: {} };
    if (app.config.missingSettings.length) return { answered: 0, failures: { 'HTTP 503': count } };
    const seen = this.served.get(pod.metadata.uid!)?.requests ?? 0;
    let failed = 0;
    for (let n = seen + 1; n <= seen + count; n++) if (failsRequest(n, app.config.failPercent)) failed++;
    return { answered: count - failed, failures: failed ? { 'HTTP 500': failed } : {} };
  }

  /** What a Pod's GET /stats says: the GET / requests it answered and how many failed (the app's statsBody). */
  podStats(pod: KubeObject): { version: string; requests: number; errors: number; errorRate: number } {
    const served = this.served.get(pod.metadata.uid!) ?? { requests: 0, errors: 0 };
    return statsBody(this.podVersion(pod), served.requests, served.errors);
  }

  /**
   * Requests through the Gateway to `host`, as the traffic probe makes them: the rule the Gateway
   * API's precedence picks (src/kube/gateway.ts routeRequest, over the routes the gateway
   * accepted), its weighted backends, each Service's ready Pods in turn. Shares are allocated
   * exactly (largest remainder), so the result is the expected value of the sampling, not a random
   * draw. Failures answer as NGINX Gateway Fabric does (v2.6.7 internal/controller/nginx/config:
   * no matching rule 404; an invalid backend ref, e.g. a Service that does not exist, 500
   * (upstreams.go nginx500Server); a Service without ready endpoints 503 (types.Nginx503Server)),
   * or as the Pod's app answers (`answers`), counted by status under `failures`. A probe only
   * looks; `record` (the simulated users) counts the requests in each Pod's figures.
   */
  traffic(host: string, options: { requests: number; headers?: Record<string, string>; path?: string; method?: string; record?: boolean }): TrafficProbe {
    const routes = this.list('HTTPRoute').filter(routeAccepted);
    const hit = routeRequest(routes, { host, path: options.path ?? '/', method: options.method ?? 'GET', headers: options.headers });
    const versions: Record<string, number> = {};
    const probe: TrafficProbe = { requests: options.requests, versions };
    const errors = (n: number, why: string) => {
      if (n <= 0) return;
      probe.errors = (probe.errors ?? 0) + n;
      probe.lastError = why;
      const failures = (probe.failures ??= {});
      failures[why] = (failures[why] ?? 0) + n;
    };
    if (!hit) {
      errors(options.requests, 'HTTP 404');
      return probe;
    }
    const { rule, route } = hit;
    const backends = (rule.backendRefs ?? []).filter((b: any) => (b.weight ?? 1) > 0);
    const shares = allocate(options.requests, backends.map((b: any) => b.weight ?? 1));
    if (!backends.length) errors(options.requests, 'HTTP 500');
    backends.forEach((b: any, i: number) => {
      const namespace = b.namespace ?? route.metadata.namespace;
      if ((b.kind ?? 'Service') !== 'Service' || !this.get('Service', namespace, b.name)) return errors(shares[i], 'HTTP 500');
      const pods = this.readyPods(namespace, b.name);
      if (!pods.length) return errors(shares[i], 'HTTP 503');
      const perPod = allocate(shares[i], pods.map(() => 1));
      pods.forEach((pod, j) => {
        if (!perPod[j]) return;
        const { answered, failures } = this.answers(pod, perPod[j]);
        if (answered) {
          const v = this.podVersion(pod);
          versions[v] = (versions[v] ?? 0) + answered;
        }
        for (const [why, n] of Object.entries(failures)) errors(n, why);
        if (options.record) {
          const served = this.served.get(pod.metadata.uid!) ?? { requests: 0, errors: 0 };
          const failed = Object.values(failures).reduce((a, n) => a + n, 0);
          this.served.set(pod.metadata.uid!, { requests: served.requests + perPod[j], errors: served.errors + failed });
        }
      });
    });
    return probe;
  }

  /**
   * The simulated users (labs/app/src/users.js in a running Pod) over `seconds`: REQUESTS_PER_SECOND
   * through the gateway to TARGET_HOST, when TARGET_URL is the gateway's in-cluster address (any
   * other address reaches nothing here), counted in the figures of the Pods that answer them.
   */
  private runUsers(seconds: number): void {
    for (const pod of this.list('Pod')) {
      const c = appContainer({ spec: pod.spec });
      if (imageRepository(c?.image) !== 'hello-app' || ![...(c.command ?? []), ...(c.args ?? [])].join(' ').includes('src/users.js')) continue;
      if (this.podState(pod).state !== 'ready') continue;
      let users: ReturnType<typeof readUsersConfig>;
      try {
        users = readUsersConfig(this.containerEnv(pod.metadata.namespace, c));
      } catch {
        continue; // it stops at start, saying why
      }
      if (users.url.origin !== new URL(platform.gateway.inCluster).origin) continue;
      this.traffic(users.host, { requests: Math.round(users.perSecond * seconds), record: true });
    }
  }

  snapshot(extra: Partial<Snapshot> = {}): Snapshot {
    const order = (o: KubeObject) => `${o.metadata.namespace ?? ''}/${o.kind}/${o.metadata.name}`;
    return {
      kind: SNAPSHOT_KIND,
      version: SNAPSHOT_VERSION,
      capturedAt: this.now(),
      context: platform.context,
      kubernetes: clone(this.all()).sort((a, b) => order(a).localeCompare(order(b))),
      ...clone(extra),
    };
  }
}

/** The annotations of a Deployment's revisions (kubernetes pkg/controller/deployment/util/deployment_util.go). */
export const REVISION = 'deployment.kubernetes.io/revision';
export const REVISION_HISTORY = 'deployment.kubernetes.io/revision-history';

/** A ReplicaSet's revision (0 when it has none). */
export const revisionOf = (rs: KubeObject): number => Number(rs.metadata.annotations?.[REVISION] ?? 0) || 0;

/** A Pod whose Ready condition is True. */
export const isReady = (pod: KubeObject) => Boolean(pod.status?.conditions?.some((c: any) => c.type === 'Ready' && c.status === 'True'));

/**
 * maxSurge and maxUnavailable of a RollingUpdate resolved against the replicas (surge rounds up,
 * unavailable down); when both come to 0, one may be unavailable (util ResolveFenceposts).
 */
export function fenceposts(d: KubeObject): { maxSurge: number; maxUnavailable: number } {
  const replicas = d.spec?.replicas ?? 1;
  const ru = d.spec?.strategy?.rollingUpdate ?? {};
  const maxSurge = resolveIntOrPercent(ru.maxSurge, replicas, 'up', '25%');
  const maxUnavailable = resolveIntOrPercent(ru.maxUnavailable, replicas, 'down', '25%');
  return maxSurge === 0 && maxUnavailable === 0 ? { maxSurge, maxUnavailable: 1 } : { maxSurge, maxUnavailable };
}

/** A Deployment condition as util NewDeploymentCondition makes it: updated and transitioned now. */
function deploymentCondition(now: string, type: string, status: boolean, reason: string, message: string) {
  return { type, status: status ? 'True' : 'False', lastUpdateTime: now, lastTransitionTime: now, reason, message };
}

/**
 * util SetDeploymentCondition: a condition with the same status and reason is left as it is;
 * otherwise it replaces the old one, keeping lastTransitionTime while the status stays the same.
 */
function setDeploymentCondition(conditions: any[], next: any): void {
  const i = conditions.findIndex((c) => c.type === next.type);
  const current = conditions[i];
  if (current && current.status === next.status && current.reason === next.reason) return;
  if (current && current.status === next.status) next.lastTransitionTime = current.lastTransitionTime;
  if (i >= 0) conditions.splice(i, 1);
  conditions.push(next);
}

/**
 * What `kubectl rollout status deployment/<name>` says (kubectl pkg/polymorphichelpers/
 * rollout_status.go DeploymentStatusViewer): an error once the Progressing condition says
 * ProgressDeadlineExceeded, done once rolled out (below), else still waiting.
 */
export function deploymentRolloutStatus(d: KubeObject): { done: boolean; error?: string } {
  const st = d.status ?? {};
  if ((d.metadata.generation ?? 0) <= (st.observedGeneration ?? 0) && (st.conditions ?? []).some((c: any) => c.type === 'Progressing' && c.reason === 'ProgressDeadlineExceeded')) {
    return { done: false, error: `error: deployment "${d.metadata.name}" exceeded its progress deadline` };
  }
  return { done: rolledOut(d) };
}

/**
 * Whether `kubectl rollout status` calls a Deployment rolled out (kubectl
 * pkg/polymorphichelpers/rollout_status.go DeploymentStatusViewer; Argo CD's health check copies it):
 * the controller observed the generation, and updated == replicas, no old replicas, all updated
 * available. Unlike the graders' "complete rollout", a Deployment scaled to 0 is rolled out here —
 * that is the tools' view, which the simulated kubectl and helm --wait take.
 */
export function rolledOut(d: KubeObject): boolean {
  const st = d.status ?? {};
  if ((d.metadata.generation ?? 0) > (st.observedGeneration ?? 0)) return false;
  if ((st.conditions ?? []).some((c: any) => c.type === 'Progressing' && c.reason === 'ProgressDeadlineExceeded')) return false;
  const updated = st.updatedReplicas ?? 0;
  return updated >= (d.spec?.replicas ?? 1) && (st.replicas ?? 0) <= updated && (st.availableReplicas ?? 0) >= updated;
}

/** Integer shares of n proportional to weights, by largest remainder (sums to n exactly). */
export function allocate(n: number, weights: number[]): number[] {
  const total = weights.reduce((a, b) => a + b, 0);
  if (total <= 0) return weights.map(() => 0);
  const exact = weights.map((w) => (n * w) / total);
  const out = exact.map(Math.floor);
  let left = n - out.reduce((a, b) => a + b, 0);
  const order = exact.map((e, i) => [e - Math.floor(e), i] as const).sort((a, b) => b[0] - a[0] || a[1] - b[1]);
  for (const [, i] of order) {
    if (left-- <= 0) break;
    out[i]++;
  }
  return out;
}

function resolveTargetPort(targetPort: number | string, pod: KubeObject | undefined): number {
  if (typeof targetPort === 'number') return targetPort;
  for (const c of pod?.spec?.containers ?? []) for (const p of c.ports ?? []) if (p.name === targetPort) return p.containerPort;
  return 0;
}

/** Keep a condition's lastTransitionTime while its status has not changed (as controllers do). */
function keepTransitionTimes(old: any, next: any): any {
  const previous = new Map<string, any>((old?.conditions ?? []).map((c: any) => [c.type, c]));
  const fix = (conditions: any[] | undefined) =>
    conditions?.map((c) => {
      const p = previous.get(c.type);
      return p && p.status === c.status && p.lastTransitionTime ? { ...c, lastTransitionTime: p.lastTransitionTime } : c;
    });
  const out = { ...next };
  if (out.conditions) out.conditions = fix(out.conditions);
  if (out.parents) {
    const oldParents = old?.parents ?? [];
    out.parents = out.parents.map((p: any, i: number) => ({ ...p, conditions: keepTransitionTimes(oldParents[i], p).conditions }));
  }
  return out;
}
