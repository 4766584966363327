/**
 * A simulated cluster for the kit tests: the API server's bookkeeping and defaulting, and the
 * controllers' status, for the fields the graders read — so that a snapshot can be built from the
 * real lab files (rendered by the real kubectl/kustomize) instead of typed by hand.
 *
 * What it models, as Kubernetes does:
 * - API server: namespace, uid, resourceVersion, creationTimestamp, `generation` (bumped on a spec
 *   change) and the defaults graders look at (Deployment strategy 25%/25%, replicas 1, probe and
 *   port defaults, Service type and targetPort, HTTPRoute match/weight defaults).
 * - Deployment controller: one ReplicaSet per Pod template (named with a template hash, created
 *   at the simulated time), old ones scaled to 0 once the new one is available; status with
 *   observedGeneration, replicas, updated/ready/available counts and conditions.
 * - ReplicaSet and Pods; EndpointSlices for Services with a selector; Jobs that run for a given
 *   time and then complete (or fail); HTTPRoute parent status; Warning events for broken images.
 * - Traffic through the Gateway: HTTPRoute rules chosen as the Gateway API spec says
 *   (src/kube/gateway.ts), relative weights, Services, ready Pods, and each Pod answering its
 *   version as hello-app does (its APP_VERSION env, which the image bakes in as its tag),
 *   allocated deterministically (largest remainder) rather than at random; failures by status.
 *
 * What it does not: scheduling, resources, probes actually running (a Pod is ready unless its
 * image was marked broken), partial rollouts (a rollout completes in one reconcile unless
 * broken). Controllers for other kinds (Argo Rollouts, Argo CD) plug in with `use()`.
 */
import { createHash } from 'node:crypto';
import { matchesSelector } from '../../src/state.js';
import { routeAccepted, routeRequest } from '../../src/kube/gateway.js';
import { imageTag, podTemplate } from '../../src/kube/objects.js';
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

  /** An independent copy (objects, clock, broken images, job durations, controllers). */
  fork(): SimCluster {
    const copy = new SimCluster(this.now());
    copy.controllers.splice(0, copy.controllers.length, ...this.controllers);
    copy.seq = this.seq;
    for (const [k, v] of this.store) copy.store.set(k, clone(v));
    for (const image of this.brokenImages) copy.brokenImages.add(image);
    for (const [k, v] of this.jobDurations) copy.jobDurations.set(k, v);
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

  /** Let simulated time pass (Jobs finish, timestamps move on), then reconcile. */
  advance(seconds: number): this {
    this.clock += seconds * 1000;
    return this.reconcile();
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
    for (let round = 0; round < 20; round++) {
      let changed = false;
      for (const controller of this.controllers) changed = controller(this) || changed;
      if (!changed) return this;
    }
    throw new Error('simulated controllers did not settle in 20 rounds');
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

  private reconcileDeployments(): boolean {
    let changed = false;
    for (const d of this.list('Deployment')) {
      const template = podTemplate(d);
      // A ReplicaSet name taken by another owner is a hash collision: count it and hash again
      // (status.collisionCount, as the Deployment controller does).
      let collisions = Number(d.status?.collisionCount ?? 0);
      const hashOf = () => this.templateHash(collisions ? [template, collisions] : template);
      let hash = hashOf();
      for (let taken = this.get('ReplicaSet', d.metadata.namespace, `${d.metadata.name}-${hash}`); taken && !taken.metadata.ownerReferences?.some((r) => r.uid === d.metadata.uid); taken = this.get('ReplicaSet', d.metadata.namespace, `${d.metadata.name}-${hash}`)) {
        collisions++;
        hash = hashOf();
      }
      const sets = this.owned('ReplicaSet', d);
      let current = sets.find((rs) => rs.metadata.labels?.['pod-template-hash'] === hash);
      const want = d.spec.replicas ?? 1;
      if (!current) {
        const labels = { ...(template.metadata?.labels ?? {}), 'pod-template-hash': hash };
        current = this.write({
          apiVersion: 'apps/v1',
          kind: 'ReplicaSet',
          metadata: { name: `${d.metadata.name}-${hash}`, namespace: d.metadata.namespace, labels, ownerReferences: this.ownerRef(d), annotations: { 'deployment.kubernetes.io/revision': String(sets.length + 1) } },
          spec: {
            replicas: 0,
            minReadySeconds: d.spec.minReadySeconds,
            selector: { matchLabels: { ...(d.spec.selector?.matchLabels ?? {}), 'pod-template-hash': hash } },
            template: { ...clone(template), metadata: { ...(template.metadata ?? {}), labels } },
          },
        });
        changed = true;
      }
      const broken = this.broken(template);
      const recreate = d.spec.strategy?.type === 'Recreate';
      // Desired replica counts: a healthy rollout completes; a broken one stalls with the old
      // Pods still serving (RollingUpdate) or none at all (Recreate).
      for (const rs of this.owned('ReplicaSet', d)) {
        const target = rs === current ? want : broken && !recreate ? (rs.spec.replicas ?? 0) : 0;
        if (rs.spec.replicas !== target) {
          rs.spec.replicas = target;
          rs.metadata.generation = (rs.metadata.generation ?? 1) + 1;
          changed = true;
        }
      }
      const all = this.owned('ReplicaSet', d);
      const pods = all.flatMap((rs) => this.owned('Pod', rs));
      const ready = pods.filter((p) => p.status?.conditions?.some((c: any) => c.type === 'Ready' && c.status === 'True'));
      const updatedPods = this.owned('Pod', current);
      const updatedReady = updatedPods.filter((p) => ready.includes(p));
      const available = ready.length;
      const complete = !broken && updatedReady.length === want && pods.length === want;
      const status: any = {
        observedGeneration: d.metadata.generation,
        collisionCount: collisions || undefined,
        replicas: pods.length,
        updatedReplicas: updatedPods.length,
        readyReplicas: ready.length || undefined,
        availableReplicas: available || undefined,
        unavailableReplicas: pods.length - available > 0 ? pods.length - available : undefined,
        conditions: [
          this.condition('Available', available >= want, available >= want ? 'MinimumReplicasAvailable' : 'MinimumReplicasUnavailable', available >= want ? 'Deployment has minimum availability.' : 'Deployment does not have minimum availability.'),
          broken
            ? this.condition('Progressing', false, 'ProgressDeadlineExceeded', `ReplicaSet "${current.metadata.name}" has timed out progressing.`)
            : this.condition('Progressing', true, complete ? 'NewReplicaSetAvailable' : 'ReplicaSetUpdated', `ReplicaSet "${current.metadata.name}" ${complete ? 'has successfully progressed' : 'is progressing'}.`),
        ],
      };
      for (const k of Object.keys(status)) if (status[k] === undefined) delete status[k];
      changed = this.setStatus(d, keepTransitionTimes(d.status, status)) || changed;
    }
    return changed;
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
      for (const extra of pods.slice(want)) {
        this.store.delete(this.key('v1', 'Pod', extra.metadata.namespace, extra.metadata.name));
        changed = true;
      }
      pods = this.owned('Pod', rs);
      for (const pod of pods) changed = this.setPodStatus(pod, this.broken(rs.spec.template)) || changed;
      const ready = pods.filter((p) => p.status.conditions.some((c: any) => c.type === 'Ready' && c.status === 'True')).length;
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

  private setPodStatus(pod: KubeObject, broken: boolean): boolean {
    const containers = pod.spec?.containers ?? [];
    const status = broken
      ? {
          phase: 'Pending',
          conditions: [this.condition('Ready', false, 'ContainersNotReady', 'containers with unready status')],
          containerStatuses: containers.map((c: any) => ({ name: c.name, image: c.image, ready: false, restartCount: 0, started: false, state: { waiting: { reason: 'ImagePullBackOff', message: `Back-off pulling image "${c.image}"` } } })),
        }
      : {
          phase: 'Running',
          podIP: this.podIp(pod),
          conditions: [this.condition('Ready', true, '', '')].map(({ reason: _r, message: _m, ...c }) => c),
          containerStatuses: containers.map((c: any) => ({ name: c.name, image: c.image, ready: true, restartCount: 0, started: true, state: { running: { startedAt: this.now() } } })),
        };
    let changed = this.setStatus(pod, keepTransitionTimes(pod.status, status));
    if (broken) {
      for (const c of containers) changed = this.event(pod, 'Failed', `Failed to pull image "${c.image}": not found`) || changed;
    }
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

  /** The version a Pod of hello-app answers: APP_VERSION, else its image's tag (the image bakes it in). */
  podVersion(pod: KubeObject): string {
    for (const c of pod.spec?.containers ?? []) {
      const env = (c.env ?? []).find((e: any) => e.name === 'APP_VERSION');
      if (env?.value) return env.value;
    }
    return imageTag(pod.spec?.containers?.[0]?.image) ?? 'unknown';
  }

  /**
   * Requests through the Gateway to `host`, as the traffic probe makes them: the rule the Gateway
   * API's precedence picks (src/kube/gateway.ts routeRequest, over the routes the gateway
   * accepted), its weighted backends, each Service's ready Pods in turn. Shares are allocated
   * exactly (largest remainder), so the result is the expected value of the sampling, not a random
   * draw. Failures answer as NGINX Gateway Fabric does (v2.6.7 internal/controller/nginx/config:
   * no matching rule 404; an invalid backend ref, e.g. a Service that does not exist, 500
   * (upstreams.go nginx500Server); a Service without ready endpoints 503 (types.Nginx503Server)),
   * counted by status under `failures`.
   */
  traffic(host: string, options: { requests: number; headers?: Record<string, string>; path?: string; method?: string }): TrafficProbe {
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
        const v = this.podVersion(pod);
        versions[v] = (versions[v] ?? 0) + perPod[j];
      });
    });
    return probe;
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
