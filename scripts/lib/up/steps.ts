/**
 * The steps of `npm run up`, in order, one module per component (`--only <component>`):
 *
 *   registry  credentials · local registry container · pull-through mirrors
 *   cluster   kind cluster · registry on the kind network · containerd registry config on the node ·
 *             local-registry-hosting ConfigMap · platform namespaces
 *   gateway   Gateway API CRDs · NGINX Gateway Fabric · Gateway `lab` · platform HTTPRoutes ·
 *             the Codespaces proxy (in a codespace only)
 *   images    hello-app:v1, :v2 and :v3 built from labs/app and pushed to the local registry
 *   gitea     admin Secret · Gitea · org `lab` and repo `hello-app` seeded from labs/app
 *   jenkins   Secrets · lab-builder RBAC · agent image · Jenkins (JCasC) · API token
 *   argocd    Argo CD · its generated admin password copied into the credentials file
 *   rollouts  Gateway API plugin binary on the node · Argo Rollouts
 *
 * The kit tests plan these steps against a fake machine (test/kit/up/); the commands themselves need
 * Docker, kind and the internet, and run for real in the e2e workflow.
 */
import type { Component } from '../platform.js';
import { argocdSteps } from './components/argocd.js';
import { clusterSteps } from './components/cluster.js';
import { gatewaySteps } from './components/gateway.js';
import { giteaSteps } from './components/gitea.js';
import { imagesSteps } from './components/images.js';
import { jenkinsSteps } from './components/jenkins.js';
import { registrySteps } from './components/registry.js';
import { rolloutsSteps } from './components/rollouts.js';
import type { Step } from './plan.js';

/** The components in the order `up` builds them, each with its steps (all of which name it as their component). */
export const COMPONENT_STEPS: readonly (readonly [Component, () => Step[]])[] = [
  ['registry', registrySteps],
  ['cluster', clusterSteps],
  ['gateway', gatewaySteps],
  ['images', imagesSteps],
  ['gitea', giteaSteps],
  ['jenkins', jenkinsSteps],
  ['argocd', argocdSteps],
  ['rollouts', rolloutsSteps],
];

/**
 * Every step of `up`, in order; or those of the components named, still in `up`'s order — what a
 * profile that installs only some components would run.
 */
export function upSteps(components?: readonly Component[]): Step[] {
  return COMPONENT_STEPS.filter(([c]) => !components || components.includes(c)).flatMap(([, steps]) => steps());
}
