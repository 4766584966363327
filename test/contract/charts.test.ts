/**
 * The contract tier: each pinned chart, rendered with the values `up` gives it, holds what the
 * platform depends on. The kit tests check the values; these check what the charts' templates make of
 * them (test/contract/charts.ts says where the charts come from).
 */
import { beforeAll, describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import { imageRoute, imagesOfRendered, type ChartName, type K8sObject } from '../../scripts/lib/charts.js';
import { agentImageTag } from '../../scripts/lib/up/agent-image.js';
import { PLUGIN_DIR_ON_NODE } from '../../scripts/lib/up/components/rollouts.js';
import { chartValues } from '../../scripts/lib/up/renderers/chart-values.js';
import { jcascConfig } from '../../scripts/lib/up/renderers/jcasc.js';
import { ROOTLESS_BUILD_SECURITY_CONTEXT } from '../../scripts/lib/up/renderers/pod-template.js';
import { platformSecrets } from '../../scripts/lib/up/renderers/secrets.js';
import { platformFull as p } from '../../scripts/lib/platform.js';
import { pluginFileName, versions } from '../../scripts/lib/versions.js';
import { CHARTS, chartDefaults, find, findChart, helmMissing, renderChart, type ChartSource } from './charts.js';

const sources = Object.fromEntries(CHARTS.map((c) => [c, findChart(c)])) as Record<ChartName, ChartSource | { missing: string }>;
const found = CHARTS.filter((c) => 'path' in sources[c]);
const noHelm = helmMissing();
if (noHelm) console.log(`contract tier: ${noHelm}: nothing was rendered, nothing is claimed.`);
else if (!found.length) console.log('contract tier: no chart at hand (run `npm run prefetch`, or name a folder of charts in LAB_CONTRACT_CHARTS): nothing was rendered, nothing is claimed.');
else {
  console.log('contract tier: rendering');
  for (const c of CHARTS) {
    const s = sources[c];
    console.log('path' in s ? `  ${c} ${s.version} from ${s.origin} (${s.path})${s.version === versions.charts[c].version ? '' : ` — pinned ${versions.charts[c].version}: another version`}` : `  ${c}: ${s.missing}`);
  }
}

/** A describe block per chart that runs only when the chart is at hand; `rendered()` gives its objects. */
function chart(name: ChartName, body: (rendered: () => K8sObject[], source: () => ChartSource) => void) {
  const s = sources[name];
  const why = noHelm ?? ('missing' in s ? s.missing : '');
  describe.skipIf(Boolean(why))(`${name}${why ? ` (skipped: ${why})` : ` ${(s as ChartSource).version}`}`, () => {
    let objects: K8sObject[] = [];
    beforeAll(() => void (objects = renderChart(s as ChartSource)));
    const pinned = versions.charts[name].version;
    const other = 'version' in s && s.version !== pinned;
    it.skipIf(other && (s as ChartSource).origin === 'LAB_CONTRACT_CHARTS')(`is the version pinned in versions.json (${pinned})${other ? ` (skipped: LAB_CONTRACT_CHARTS holds ${(s as ChartSource).version})` : ''}`, () => {
      expect((s as ChartSource).version).toBe(pinned);
    });
    body(() => objects, () => s as ChartSource);
  });
}

const containerNamed = (spec: any, name: string) => [...(spec.initContainers ?? []), ...spec.containers].find((c: any) => c.name === name);
const envOf = (container: any, name: string) => container.env?.find((e: any) => e.name === name);

chart('jenkins', (rendered, source) => {
  const statefulSet = () => find(rendered(), 'StatefulSet', p.releases.jenkins.name)!;
  // The JCasC documents: the chart's ConfigMaps' *.yaml keys (the sidecar loads them into Jenkins).
  const jcasc = () =>
    rendered()
      .filter((o) => o.kind === 'ConfigMap')
      .flatMap((o) => Object.entries<string>(o.data ?? {}).filter(([key]) => /\.ya?ml$/.test(key)).map(([, text]) => parse(text)))
      .filter(Boolean);
  const projected = () => statefulSet().spec.template.spec.volumes.find((v: any) => v.name === 'jenkins-secrets')?.projected.sources ?? [];
  const admin = () => chartValues('jenkins', versions, p).controller as any;

  it('mounts the admin Secret\'s keys where the JCasC security realm reads them, and makes no admin Secret of its own', () => {
    const { existingSecret, userKey, passwordKey } = admin().admin;
    const source = projected().find((s: any) => s.secret?.name === existingSecret);
    expect(source?.secret.items, `projected source of Secret ${existingSecret}`).toEqual([
      { key: userKey, path: 'chart-admin-username' },
      { key: passwordKey, path: 'chart-admin-password' },
    ]);
    const controller = containerNamed(statefulSet().spec.template.spec, 'jenkins');
    const mount = controller.volumeMounts.find((m: any) => m.name === 'jenkins-secrets');
    expect(envOf(controller, 'SECRETS')?.value).toBe(mount.mountPath);
    const realm = jcasc().find((d) => d?.jenkins?.securityRealm)?.jenkins.securityRealm.local.users[0];
    expect(realm).toMatchObject({ id: '${chart-admin-username}', password: '${chart-admin-password}' });
    // What up writes into that Secret has exactly these keys.
    const secret = platformSecrets(p, { jenkins: { user: 'admin', password: 'x' } }).find((s) => (s.object.metadata as any).name === existingSecret)!;
    expect(Object.keys((secret.object as any).stringData).sort()).toEqual([userKey, passwordKey].sort());
    expect(rendered().filter((o) => o.kind === 'Secret').map((o) => o.metadata.name)).not.toContain(p.releases.jenkins.name);
  });

  it('carries the lab-builder pod template in JCasC: the agent image, its containers, the rootless build settings', () => {
    const cloud = jcasc().find((d) => d?.jenkins?.clouds)!.jenkins.clouds[0].kubernetes;
    const template = cloud.templates.find((t: any) => t.label === p.jenkins.agentLabel);
    expect(template, `a pod template labelled ${p.jenkins.agentLabel}`).toBeDefined();
    expect(template.serviceAccount).toBe(p.labBuilder.serviceAccount);
    expect(template.containers.map((c: any) => c.name)).toEqual(['jnlp', ...p.jenkins.containers]);
    expect(template.containers[0].image).toBe(`${p.registry.inCluster}/lab-agent:${agentImageTag(versions)}`);
    const pod = parse(template.yaml);
    for (const c of pod.spec.containers) expect(c.securityContext, c.name).toEqual(ROOTLESS_BUILD_SECURITY_CONTEXT);
  });

  it('defines the Gitea credential from the Secret lab-gitea, mounted as the files JCasC reads', () => {
    const config = jcasc().find((d) => d?.credentials)!;
    expect(config).toEqual(parse(jcascConfig(p)));
    const cred = config.credentials.system.domainCredentials[0].credentials[0].usernamePassword;
    expect(cred).toMatchObject({ id: p.jenkins.credentials.gitea, username: '${lab-gitea-username}', password: '${lab-gitea-password}' });
    const items = projected().filter((s: any) => s.secret?.name === 'lab-gitea').flatMap((s: any) => s.secret.items);
    expect(items).toEqual([
      { key: 'username', path: 'lab-gitea-username' },
      { key: 'password', path: 'lab-gitea-password' },
    ]);
  });

  it('installs the plugin versions and uses the agent image that the chart ships by default', () => {
    const defaults = chartDefaults(source());
    const shipped = Object.fromEntries((defaults.controller.installPlugins as string[]).map((x) => x.split(':') as [string, string]));
    const pinned = Object.fromEntries(Object.entries(versions.jenkinsPlugins).filter(([name]) => name in shipped));
    expect(pinned, 'versions.json jenkinsPlugins for the chart\'s default plugins').toEqual(shipped);
    expect(versions.images['jenkins-agent']).toBe(`${defaults.agent.image.repository}:${defaults.agent.image.tag}`);
  });

  it('publishes its URL as the platform\'s address for Jenkins', () => {
    const location = jcasc().find((d) => d?.unclassified?.location)?.unclassified.location;
    expect(location.url).toBe(admin().jenkinsUrl);
  });
});

chart('argo-cd', (rendered) => {
  it('serves plain HTTP behind the gateway and looks at Git every 60 s', () => {
    expect(find(rendered(), 'ConfigMap', 'argocd-cmd-params-cm')?.data['server.insecure']).toBe('true');
    const cm = find(rendered(), 'ConfigMap', 'argocd-cm')!.data;
    expect(cm['timeout.reconciliation']).toBe('60s');
    expect(cm.url).toBe((chartValues('argo-cd', versions, p) as any).configs.cm.url);
  });

  it('runs no Dex, no notifications controller and no ApplicationSet controller', () => {
    const workloads = rendered().filter((o) => ['Deployment', 'StatefulSet'].includes(o.kind) && (o.spec.replicas ?? 1) > 0).map((o) => o.metadata.name);
    expect(workloads.filter((n) => /dex|notifications|applicationset/.test(n))).toEqual([]);
  });
});

chart('nginx-gateway-fabric', (rendered) => {
  it('makes the Gateway\'s NGINX Service a NodePort on the port kind maps to the host', () => {
    const proxy = rendered().find((o) => o.kind === 'NginxProxy')!;
    expect(proxy.spec.kubernetes.service).toMatchObject({ type: 'NodePort', nodePorts: [{ port: p.kind.gatewayNodePort, listenerPort: 80 }] });
  });

  it('provides the GatewayClass the lab Gateway names', () => {
    expect(rendered().filter((o) => o.kind === 'GatewayClass').map((o) => o.metadata.name)).toContain('nginx');
  });
});

chart('gitea', (rendered) => {
  it('creates its admin from the Secret gitea-admin, with the keys up writes', () => {
    const spec = find(rendered(), 'Deployment', p.releases.gitea.name)!.spec.template.spec;
    const refs = [...(spec.initContainers ?? []), ...spec.containers].flatMap((c: any) => c.env ?? []).filter((e: any) => /^GITEA_ADMIN_(USERNAME|PASSWORD)$/.test(e.name));
    const secret = platformSecrets(p, { gitea: { user: 'lab-admin', password: 'x' } }).find((s) => s.component === 'gitea')!.object as any;
    expect(new Set(refs.map((e: any) => e.valueFrom.secretKeyRef.name))).toEqual(new Set([secret.metadata.name]));
    expect(new Set(refs.map((e: any) => e.valueFrom.secretKeyRef.key))).toEqual(new Set(Object.keys(secret.stringData)));
  });

  it('runs one pod with SQLite: no PostgreSQL, no Valkey', () => {
    const workloads = rendered().filter((o) => ['Deployment', 'StatefulSet'].includes(o.kind)).map((o) => o.metadata.name);
    expect(workloads).toEqual([p.releases.gitea.name]);
  });
});

chart('argo-rollouts', (rendered) => {
  it('loads the Gateway API plugin from the binary up puts on the node', () => {
    const config = parse(find(rendered(), 'ConfigMap', 'argo-rollouts-config')!.data.trafficRouterPlugins);
    expect(config).toEqual([{ name: versions.rolloutsPlugin.name, location: `file:///lab-plugins/${pluginFileName(versions)}` }]);
    const spec = find(rendered(), 'Deployment', p.releases.rollouts.name)!.spec.template.spec;
    const volume = spec.volumes.find((v: any) => v.name === 'lab-plugins');
    expect(volume.hostPath.path).toBe(PLUGIN_DIR_ON_NODE);
    expect(containerNamed(spec, 'argo-rollouts').volumeMounts).toContainEqual(expect.objectContaining({ name: 'lab-plugins', mountPath: '/lab-plugins' }));
  });

  it('may read and update HTTPRoutes (the plugin\'s traffic routing)', () => {
    // The plugin gets the route and writes it back with Update (argoproj-labs/rollouts-plugin-
    // trafficrouter-gatewayapi pkg/plugin/httproute.go); its docs list patch too, which it does not call.
    const rules = rendered().filter((o) => o.kind === 'ClusterRole').flatMap((o) => o.rules ?? []);
    const httproutes = rules.find((r: any) => r.apiGroups?.includes('gateway.networking.k8s.io') && r.resources?.includes('httproutes'));
    expect(httproutes?.verbs).toEqual(expect.arrayContaining(['get', 'list', 'update']));
  });
});

describe.skipIf(Boolean(noHelm) || !found.length)('every image the rendered charts make the cluster pull', () => {
  it('goes through a mirror of platform.yaml (or is the platform\'s own, in the local registry)', () => {
    const uses = found.flatMap((c) => imagesOfRendered(renderChart(sources[c] as ChartSource)));
    const table = [...new Map(uses.map((u) => [u.image, u])).values()].sort((a, b) => a.image.localeCompare(b.image));
    const direct: string[] = [];
    console.log(`images of ${found.join(', ')}:`);
    for (const u of table) {
      const r = imageRoute(u.image, p);
      console.log(`  ${u.image}  ←  ${u.from}  →  ${r.via === 'mirror' ? `mirror ${r.mirror.container}` : `${r.via}: ${r.reason}`}`);
      if (r.via === 'direct') direct.push(`${u.image} (${u.from}): ${r.reason}`);
    }
    expect(direct).toEqual([]);
  });
});

describe.skipIf(Boolean(noHelm) || !(['jenkins', 'gitea', 'argo-cd'] as ChartName[]).every((c) => found.includes(c)))('in a GitHub Codespace', () => {
  const CS = { CODESPACES: 'true', CODESPACE_NAME: 'lab-crispy-fiesta', GITHUB_CODESPACES_PORT_FORWARDING_DOMAIN: 'app.github.dev' };
  const at = (port: number) => `https://${CS.CODESPACE_NAME}-${port}.${CS.GITHUB_CODESPACES_PORT_FORWARDING_DOMAIN}`;

  it('each service\'s own external URL is its forwarded port (links and redirects work in the browser)', () => {
    const jenkins = renderChart(sources.jenkins as ChartSource, CS);
    const location = jenkins
      .filter((o) => o.kind === 'ConfigMap')
      .flatMap((o) => Object.entries<string>(o.data ?? {}).filter(([k]) => /\.ya?ml$/.test(k)).map(([, v]) => parse(v)))
      .find((d) => d?.unclassified?.location)?.unclassified.location;
    expect(location.url).toBe(`${at(p.codespaces.ports.jenkins)}/`);
    const gitea = find(renderChart(sources.gitea as ChartSource, CS), 'Secret', 'gitea-inline-config')!;
    expect(gitea.stringData.server).toContain(`ROOT_URL=${at(p.codespaces.ports.gitea)}/`);
    expect(find(renderChart(sources['argo-cd'] as ChartSource, CS), 'ConfigMap', 'argocd-cm')!.data.url).toBe(at(p.codespaces.ports.argocd));
  });
});
