/**
 * Kubernetes collector: exactly one LIST per (kind, namespace[, label selector]) the graders
 * need, whatever the number of checks. Items come back as the API returns them, with the
 * `apiVersion` and `kind` a List omits from its items filled in (as kubectl does), and two
 * things removed for size and safety: `metadata.managedFields` (kubectl hides them too) and the
 * contents of Secrets (see redactSecret).
 */
import { NetworkError } from '../http.js';
import type { KubeClient } from '../kube/client.js';
import { redactSecret } from '../kube/helm.js';
import { groupOf, listPath, resource, resourceName } from '../kube/resources.js';
import type { KubeRequest } from '../needs.js';
import type { KubeObject, Unavailable } from '../snapshot.js';

/** Who provides an API group on the lab platform, for "not served" messages. */
const PROVIDERS: Record<string, string> = {
  'gateway.networking.k8s.io': 'the Gateway API CRDs',
  'argoproj.io': 'Argo CD / Argo Rollouts',
};

export interface KubeCollection {
  objects: KubeObject[];
  unavailable: Unavailable[];
}

async function listOne(client: KubeClient, req: KubeRequest): Promise<KubeObject[] | Unavailable> {
  const r = resource(req.kind);
  const path = listPath(r, req.namespace);
  // Events only serve as evidence for failures, so only warnings are kept.
  const fieldSelector = req.kind === 'Event' ? 'type=Warning' : undefined;
  let res;
  try {
    res = await client.get(path, { labelSelector: req.labelSelector, fieldSelector });
  } catch (error) {
    if (error instanceof NetworkError) throw client.unreachable(error);
    throw error;
  }
  if (res.status === 401 || res.status === 403) throw client.refused(res.status, path);
  const what = resourceName(r);
  if (res.status === 404) {
    const provider = PROVIDERS[groupOf(r.apiVersion)];
    return {
      source: 'kubernetes',
      what,
      namespace: req.namespace,
      message: `the cluster does not serve ${what} (${r.apiVersion})${provider ? `: ${provider} may not be installed; \`npm run up\` installs them` : ''}`,
    };
  }
  if (res.status !== 200) {
    return { source: 'kubernetes', what, namespace: req.namespace, message: `GET ${path} answered ${res.status}: ${res.body.slice(0, 200)}` };
  }
  let list: { items?: KubeObject[] };
  try {
    list = JSON.parse(res.body);
  } catch {
    return { source: 'kubernetes', what, namespace: req.namespace, message: `GET ${path} did not answer JSON` };
  }
  return (list.items ?? []).map((item) => {
    const object = Object.assign({ apiVersion: r.apiVersion, kind: r.kind }, item) as KubeObject;
    delete object.metadata.managedFields;
    return object.kind === 'Secret' ? redactSecret(object) : object;
  });
}

/** Run the LISTs a few at a time; abort with one clear message when the cluster is unreachable. */
export async function collectKubernetes(client: KubeClient, requests: KubeRequest[], concurrency = 4): Promise<KubeCollection> {
  const objects: KubeObject[] = [];
  const unavailable: Unavailable[] = [];
  const seen = new Set<string>();
  const queue = [...requests];
  const worker = async () => {
    for (let req = queue.shift(); req; req = queue.shift()) {
      const result = await listOne(client, req);
      if (!Array.isArray(result)) {
        unavailable.push(result);
        continue;
      }
      for (const object of result) {
        const id = object.metadata.uid ?? `${object.apiVersion}/${object.kind}/${object.metadata.namespace}/${object.metadata.name}`;
        if (!seen.has(id)) (seen.add(id), objects.push(object));
      }
    }
  };
  await Promise.all(Array.from({ length: Math.min(concurrency, requests.length) }, worker));
  return { objects, unavailable };
}

