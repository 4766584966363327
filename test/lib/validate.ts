/**
 * Schema validation of Kubernetes objects without a cluster, with the JSON schemas that the
 * kubernetes-models packages generate from the OpenAPI of Kubernetes and from the CRDs of the
 * Gateway API, Argo CD and Argo Rollouts (versions chosen to run on Node 20; see package.json).
 * They check types, required fields, enums and patterns; they do not flag unknown fields, which
 * the graders' own checks and the real kubectl on the platform do.
 */
import { createRequire } from 'node:module';
import type { KubeObject } from '../../src/snapshot.js';

const require = createRequire(import.meta.url);

const PACKAGES: Record<string, string> = {
  'gateway.networking.k8s.io': '@kubernetes-models/gateway-api/gateway.networking.k8s.io',
  'argoproj.io': '@kubernetes-models/argo-cd/argoproj.io',
};
const ROLLOUTS = '@kubernetes-models/argo-rollouts/argoproj.io';

function modelPath(o: KubeObject): string {
  const [group, version] = o.apiVersion.includes('/') ? o.apiVersion.split('/') : ['', o.apiVersion];
  if (group === 'argoproj.io' && ['Rollout', 'AnalysisTemplate', 'AnalysisRun', 'Experiment'].includes(o.kind)) return `${ROLLOUTS}/${version}/${o.kind}`;
  if (PACKAGES[group]) return `${PACKAGES[group]}/${version}/${o.kind}`;
  return `kubernetes-models/${group ? `${group}/` : ''}${version}/${o.kind}`;
}

/** The schema errors of an object ([] when valid); an unknown kind is an error too. */
export function schemaErrors(o: KubeObject): string[] {
  const path = modelPath(o);
  let Model: new (data: unknown) => { validate(): void };
  try {
    Model = require(path)[o.kind];
  } catch {
    return [`no schema for ${o.apiVersion} ${o.kind} (looked for ${path})`];
  }
  try {
    new Model(o).validate();
    return [];
  } catch (error) {
    return [(error as Error).message];
  }
}
