/**
 * A K3s cluster and a registry for the integration tier, through testcontainers (GenericContainer:
 * @testcontainers/k3s is not a dependency of the kit, so the few lines it would add are here).
 *
 * How the platform's contracts are met without kind:
 *   - images: a registry container (versions.json images.registry) on the same Docker network as
 *     K3s, under the network alias `kind-registry`, so the labs' references `kind-registry:5000/hello-app:…`
 *     resolve as on the platform; K3s's registries.yaml makes that name a plain-HTTP mirror. hello-app
 *     v1 and v2 are built from labs/app with the host's Docker and pushed to the registry's mapped
 *     localhost port (Docker treats localhost registries as insecure by default).
 *   - gateway: none. K3s starts without Traefik and no Gateway API implementation runs, so the
 *     Gateway API CRDs are installed (HTTPRoutes apply and validate) but nothing routes traffic:
 *     traffic checks are skipped here with that reason; the e2e workflow checks them on the platform.
 */
import { execFileSync } from 'node:child_process';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parse, stringify } from 'yaml';
import { GenericContainer, Network, Wait, getContainerRuntimeClient, type StartedNetwork, type StartedTestContainer } from 'testcontainers';
import { existsSync } from 'node:fs';
import { catalog, type Lab } from '../../src/catalog.js';
import { graderFile } from '../../src/paths.js';
import { manifestsAt } from '../lib/lab-states.js';
import { versions } from '../../scripts/lib/versions.js';
import { platformFull } from '../../scripts/lib/platform.js';

export const CONTEXT = 'k3s-integration';

/** Why the integration tier cannot run here, or undefined when Docker answers. */
export async function dockerMissing(): Promise<string | undefined> {
  try {
    await getContainerRuntimeClient();
    return undefined;
  } catch (error) {
    return `no container runtime (${(error as Error).message.split('\n')[0]})`;
  }
}

export interface K3sPlatform {
  kubeconfig: string;
  registryPort: number;
  stop(): Promise<void>;
}

export async function startK3s(): Promise<K3sPlatform> {
  const network: StartedNetwork = await new Network().start();
  const [registryName, registryPort] = platformFull.registry.inCluster.split(':');
  const registry: StartedTestContainer = await new GenericContainer(versions.images.registry)
    .withNetwork(network)
    .withNetworkAliases(registryName)
    .withExposedPorts(Number(registryPort))
    .withWaitStrategy(Wait.forHttp('/v2/', Number(registryPort)))
    .start();
  const registries = stringify({ mirrors: { [platformFull.registry.inCluster]: { endpoint: [`http://${platformFull.registry.inCluster}`] } } });
  const k3s: StartedTestContainer = await new GenericContainer(versions.images.k3s)
    .withNetwork(network)
    .withPrivilegedMode()
    .withExposedPorts(6443)
    .withTmpFs({ '/run': 'rw', '/var/run': 'rw' })
    .withCopyContentToContainer([{ content: registries, target: '/etc/rancher/k3s/registries.yaml' }])
    .withCommand(['server', '--disable=traefik', '--disable=metrics-server', '--tls-san=127.0.0.1', `--tls-san=${'localhost'}`])
    .withWaitStrategy(Wait.forLogMessage(/Node controller sync successful/))
    .withStartupTimeout(240_000)
    .start();
  const raw = (await k3s.exec(['cat', '/etc/rancher/k3s/k3s.yaml'])).output;
  const config = parse(raw);
  config.clusters[0].cluster.server = `https://${k3s.getHost()}:${k3s.getMappedPort(6443)}`;
  config.clusters[0].name = CONTEXT;
  config.users[0].name = CONTEXT;
  config.contexts[0] = { name: CONTEXT, context: { cluster: CONTEXT, user: CONTEXT } };
  config['current-context'] = CONTEXT;
  const dir = mkdtempSync(join(tmpdir(), 'cicd-lab-k3s-'));
  const kubeconfig = join(dir, 'config');
  writeFileSync(kubeconfig, stringify(config), { mode: 0o600 });
  return {
    kubeconfig,
    registryPort: registry.getMappedPort(Number(registryPort)),
    async stop() {
      await k3s.stop();
      await registry.stop();
      await network.stop();
    },
  };
}

/** Build hello-app at a version from labs/app with the host's Docker and push it to the test registry. */
export function buildAndPush(appDir: string, registryPort: number, version: string): void {
  const ref = `localhost:${registryPort}/hello-app:${version}`;
  execFileSync('docker', ['build', '--build-arg', `APP_VERSION=${version}`, '-t', ref, appDir], { stdio: 'inherit' });
  execFileSync('docker', ['push', ref], { stdio: 'inherit' });
}

/** Labs the integration tier can solve: kubectl-only steps, a grader, and no Argo Rollouts objects (no controller here). */
export function kubectlOnlyLabs(): Lab[] {
  return catalog().labs.filter((lab) => {
    const steps = [...(lab.start ?? []), ...(lab.solve ?? [])];
    if (!lab.solve?.length || !steps.every((s) => 'apply' in s || 'run' in s)) return false;
    if (!existsSync(graderFile(lab.id))) return false;
    const objects = steps.flatMap((s) => ('apply' in s ? manifestsAt(s.apply) : []));
    return !objects.some((o) => o.apiVersion?.startsWith('argoproj.io/'));
  });
}

