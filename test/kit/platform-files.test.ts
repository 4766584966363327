import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { parse, parseAllDocuments } from 'yaml';
import { ROOT } from '../../src/paths.js';
import { validator } from '../../src/schema.js';
import { chartValues, jcascConfig, labBuilderPodTemplate, platformSecrets, registryHostingConfigMap, ROOTLESS_BUILD_SECURITY_CONTEXT, type ChartName } from '../../scripts/lib/components.js';
import { platformFull as p } from '../../scripts/lib/platform.js';
import { versions } from '../../scripts/lib/versions.js';
import type { KubeObject } from '../../src/snapshot.js';
import { schemaErrors } from '../lib/validate.js';

const manifestsDir = join(ROOT, 'platform', 'manifests');
const objectsOf = (file: string) => parseAllDocuments(readFileSync(file, 'utf8')).map((d) => d.toJS() as KubeObject).filter(Boolean);
const allManifests = () => readdirSync(manifestsDir).flatMap((f) => objectsOf(join(manifestsDir, f)).map((object) => ({ file: f, object })));

// The subset of kind's v1alpha4 Cluster config the kit uses (https://kind.sigs.k8s.io/docs/user/configuration/).
const kindConfigSchema = {
  type: 'object',
  required: ['kind', 'apiVersion', 'nodes'],
  additionalProperties: false,
  properties: {
    kind: { const: 'Cluster' },
    apiVersion: { const: 'kind.x-k8s.io/v1alpha4' },
    name: { type: 'string', pattern: '^[a-z0-9][a-z0-9-]*$' },
    networking: { type: 'object', additionalProperties: false, properties: { apiServerAddress: { type: 'string' }, apiServerPort: { type: 'integer' } } },
    nodes: {
      type: 'array',
      minItems: 1,
      items: {
        type: 'object',
        required: ['role'],
        additionalProperties: false,
        properties: {
          role: { enum: ['control-plane', 'worker'] },
          extraPortMappings: {
            type: 'array',
            items: {
              type: 'object',
              required: ['containerPort', 'hostPort'],
              additionalProperties: false,
              properties: {
                containerPort: { type: 'integer', minimum: 1, maximum: 65535 },
                hostPort: { type: 'integer', minimum: 1, maximum: 65535 },
                listenAddress: { type: 'string' },
                protocol: { enum: ['TCP', 'UDP', 'SCTP'] },
              },
            },
          },
        },
      },
    },
  },
};

describe('the kind cluster config (platform/kind/cluster.yaml)', () => {
  const config = parse(readFileSync(join(ROOT, p.kind.config), 'utf8'));

  it('is a valid kind v1alpha4 Cluster', () => {
    expect(() => validator(kindConfigSchema)(config, p.kind.config, { ko: '', en: 'kind config' })).not.toThrow();
    expect(() => validator(kindConfigSchema)({ ...config, nodes: [{ role: 'master' }] }, 'x', { ko: '', en: 'kind config' })).toThrow();
  });

  it('names the cluster of platform.yaml and publishes only the gateway, on 127.0.0.1:8080 → the NodePort', () => {
    expect(config.name).toBe(p.cluster);
    expect(`kind-${config.name}`).toBe(p.context);
    expect(config.networking.apiServerAddress).toBe('127.0.0.1');
    expect(config.nodes).toHaveLength(1);
    expect(config.nodes[0].extraPortMappings).toEqual([{ containerPort: p.kind.gatewayNodePort, hostPort: p.gateway.port, listenAddress: p.gateway.host, protocol: 'TCP' }]);
    expect(p.kind.node).toBe(`${p.cluster}-control-plane`);
  });
});

describe('the platform manifests (platform/manifests)', () => {
  it('parse and validate against their schemas (core, RBAC, Gateway API)', () => {
    const problems = allManifests().flatMap(({ file, object }) => schemaErrors(object).map((e) => `${file}: ${object.kind} ${object.metadata?.name}: ${e}`));
    expect(problems).toEqual([]);
    expect(allManifests().length).toBeGreaterThan(10);
  });

  it('the Gateway lab listens for every *.localhost host and admits routes from every namespace', () => {
    const gw = allManifests().find((m) => m.object.kind === 'Gateway')!.object;
    expect(gw.metadata).toMatchObject({ name: p.gateway.name, namespace: p.gateway.namespace });
    expect(gw.spec.gatewayClassName).toBe((chartValues('nginx-gateway-fabric', versions, p) as any).nginxGateway.gatewayClassName);
    expect(gw.spec.listeners).toEqual([{ name: 'http', protocol: 'HTTP', port: 80, hostname: `*.${p.gateway.domain}`, allowedRoutes: { namespaces: { from: 'All' } } }]);
  });

  it('routes the platform hosts of platform.yaml to the services the releases create', () => {
    const routes = allManifests().filter((m) => m.object.kind === 'HTTPRoute').map((m) => m.object);
    expect(routes.map((r) => [r.metadata.namespace, r.spec.hostnames[0]]).sort()).toEqual(
      [
        [p.releases.argocd.namespace, p.hosts.argocd],
        [p.releases.gitea.namespace, p.hosts.gitea],
        [p.releases.jenkins.namespace, p.hosts.jenkins],
      ].sort(),
    );
    for (const r of routes) expect(r.spec.parentRefs).toEqual([{ name: p.gateway.name, namespace: p.gateway.namespace }]);
    const gitea = routes.find((r) => r.spec.hostnames[0] === p.hosts.gitea)!;
    expect(`http://${gitea.spec.rules[0].backendRefs[0].name}.${gitea.metadata.namespace}.svc.cluster.local:${gitea.spec.rules[0].backendRefs[0].port}`).toBe(p.gitea.inCluster);
  });

  it('lets build pods deploy to the Jenkins labs\' namespaces only, with the verbs kubectl and Helm need', () => {
    const rbac = allManifests().filter((m) => m.file === 'lab-builder-rbac.yaml').map((m) => m.object);
    expect(rbac.filter((o) => o.kind === 'Namespace').map((o) => o.metadata.name)).toEqual(p.labBuilder.namespaces);
    const bindings = rbac.filter((o) => o.kind === 'RoleBinding');
    expect(bindings.map((b) => b.metadata.namespace)).toEqual(p.labBuilder.namespaces);
    for (const b of bindings) expect(b.subjects).toEqual([{ kind: 'ServiceAccount', name: p.labBuilder.serviceAccount, namespace: p.releases.jenkins.namespace }]);
    expect(rbac.some((o) => o.kind === 'ClusterRoleBinding')).toBe(false);
    const rules = rbac.find((o) => o.kind === 'ClusterRole')!.rules as { apiGroups: string[]; resources: string[]; verbs: string[] }[];
    const can = (group: string, resource: string, verb: string) => rules.some((r) => r.apiGroups.includes(group) && r.resources.includes(resource) && r.verbs.includes(verb));
    for (const [g, r] of [['apps', 'deployments'], ['', 'services'], ['', 'configmaps'], ['', 'secrets'], ['gateway.networking.k8s.io', 'httproutes']]) {
      for (const verb of ['get', 'create', 'update', 'patch']) expect(can(g, r, verb), `${verb} ${r}`).toBe(true);
    }
    expect(can('', 'pods', 'create')).toBe(false);
    expect(can('', 'namespaces', 'delete')).toBe(false);
  });

  it('generated objects validate too: the registry-hosting ConfigMap and the login Secrets', () => {
    const hosting = registryHostingConfigMap(p);
    expect(schemaErrors(hosting as KubeObject)).toEqual([]);
    expect(parse(hosting.data['localRegistryHosting.v1']).host).toBe(p.registry.host);
    for (const { object } of platformSecrets(p, { jenkins: { user: 'admin', password: 'x' }, gitea: { user: 'lab-admin', password: 'y' } })) expect(schemaErrors(object as KubeObject)).toEqual([]);
  });
});

describe('the Helm values (platform/values + versions.json + platform.yaml)', () => {
  const charts = Object.keys(versions.charts) as ChartName[];

  it('there is one values file per pinned chart, and each parses', () => {
    expect(readdirSync(join(ROOT, 'platform', 'values')).sort()).toEqual(charts.map((c) => `${c}.yaml`).sort());
    for (const c of charts) expect(chartValues(c, versions, p)).toBeTypeOf('object');
  });

  it('Jenkins: pinned plugins incl. the graders\' and the learners\', no executors on the controller, CSRF on', () => {
    const v = chartValues('jenkins', versions, p) as any;
    const plugins = v.controller.installPlugins.map((x: string) => x.split(':')[0]);
    for (const needed of ['workflow-aggregator', 'kubernetes', 'git', 'configuration-as-code', 'job-dsl', 'pipeline-stage-view', 'pipeline-graph-view']) expect(plugins).toContain(needed);
    for (const x of v.controller.installPlugins) expect(x).toMatch(/^[\w-]+:\S+$/);
    expect(v.controller.numExecutors).toBe(0);
    expect(v.controller.csrf.defaultCrumbIssuer.enabled).toBe(true);
    expect(v.controller.admin).toMatchObject({ existingSecret: 'jenkins-admin', userKey: 'jenkins-admin-user', passwordKey: 'jenkins-admin-password' });
    // The chart mounts the admin Secret's keys where its JCasC security realm reads them
    // (chart-admin-username/-password) only with createSecret: true; existingSecret then names our
    // Secret and the chart makes none (jenkinsci/helm-charts charts/jenkins/templates/
    // jenkins-controller-statefulset.yaml, secret.yaml; rendered by npm run test:contract).
    expect(v.controller.admin.createSecret).toBe(true);
    const secret = platformSecrets(p, { jenkins: { user: 'admin', password: 'x' } }).find((s) => (s.object.metadata as any).name === v.controller.admin.existingSecret)!;
    expect(Object.keys((secret.object as any).stringData)).toEqual([v.controller.admin.userKey, v.controller.admin.passwordKey]);
    expect(v.controller.jenkinsUrl).toBe('http://jenkins.localhost:8080/');
  });

  it('Jenkins: the lab-builder pod template has the containers of platform.yaml with images from versions.json, no privileged container, no Docker socket', () => {
    const [template] = parse(labBuilderPodTemplate(versions, p));
    expect(template.label).toBe(p.jenkins.agentLabel);
    expect(template.serviceAccount).toBe(p.labBuilder.serviceAccount);
    expect(template.containers.map((c: any) => c.name)).toEqual(['jnlp', ...p.jenkins.containers]);
    expect(template.containers.find((c: any) => c.name === 'buildah').image).toBe(versions.images.buildah);
    expect(template.containers.find((c: any) => c.name === 'buildah').envVars).toEqual([{ envVar: { key: 'STORAGE_DRIVER', value: 'vfs' } }, { envVar: { key: 'BUILDAH_ISOLATION', value: 'chroot' } }]);
    const text = labBuilderPodTemplate(versions, p);
    expect(text).not.toMatch(/privileged|docker\.sock|hostPath/);
    expect((chartValues('jenkins', versions, p) as any).agent.podTemplates[p.jenkins.agentLabel]).toBe(text);
  });

  it('Jenkins: the containers that build images (jnlp, buildah) run rootless Buildah: non-root, every capability dropped but SETUID/SETGID, seccomp and AppArmor unconfined', () => {
    const [template] = parse(labBuilderPodTemplate(versions, p));
    const pod = parse(template.yaml);
    const contexts = Object.fromEntries(pod.spec.containers.map((c: any) => [c.name, c.securityContext]));
    expect(Object.keys(contexts).sort()).toEqual(['buildah', 'jnlp']);
    for (const [name, sc] of Object.entries<any>(contexts)) {
      expect(sc, name).toEqual(ROOTLESS_BUILD_SECURITY_CONTEXT);
      expect(sc.runAsNonRoot && sc.runAsUser > 0, name).toBe(true);
      expect(sc.capabilities, name).toEqual({ drop: ['ALL'], add: ['SETUID', 'SETGID'] });
      expect(sc.privileged, name).toBeUndefined();
      // What the RUN steps need (a user namespace, mounts in it) and upstream documents for rootless builds in a pod.
      expect([sc.seccompProfile.type, sc.appArmorProfile.type], name).toEqual(['Unconfined', 'Unconfined']);
    }
    // Every container of the YAML is one of the template's (the plugin merges them by name).
    expect(Object.keys(contexts).every((n) => template.containers.some((c: any) => c.name === n))).toBe(true);
  });

  it('Jenkins: the agent image ends as its non-root user, with subordinate ids and newuidmap/newgidmap by file capabilities', () => {
    const file = readFileSync(join(ROOT, 'platform/jenkins/agent/Containerfile'), 'utf8');
    const users = [...file.matchAll(/^USER (\S+)/gm)].map((m) => m[1]);
    expect(users.at(-1)).toBe('jenkins');
    expect(file).toMatch(/setcap cap_setuid=ep \/usr\/bin\/newuidmap/);
    expect(file).toMatch(/setcap cap_setgid=ep \/usr\/bin\/newgidmap/);
    expect(file).toMatch(/chmod u-s \/usr\/bin\/newuidmap \/usr\/bin\/newgidmap/);
    expect(file).toMatch(/echo 'jenkins:\d+:65536' > \/etc\/subuid/);
    expect(file).toMatch(/echo 'jenkins:\d+:65536' > \/etc\/subgid/);
  });

  it('Jenkins: JCasC defines the credential `gitea` from the mounted Secret, not a literal password', () => {
    const casc = parse(jcascConfig(p));
    const cred = casc.credentials.system.domainCredentials[0].credentials[0].usernamePassword;
    expect(cred).toMatchObject({ id: p.jenkins.credentials.gitea, username: '${lab-gitea-username}', password: '${lab-gitea-password}' });
    const v = chartValues('jenkins', versions, p) as any;
    expect(v.controller.additionalExistingSecrets).toEqual([{ name: 'lab-gitea', keyName: 'username' }, { name: 'lab-gitea', keyName: 'password' }]);
  });

  it('Gitea: SQLite, no Valkey or PostgreSQL, admin from the Secret, served as git.localhost', () => {
    const v = chartValues('gitea', versions, p) as any;
    expect(v.gitea.config.database.DB_TYPE).toBe('sqlite3');
    for (const off of ['postgresql', 'postgresql-ha', 'valkey', 'valkey-cluster']) expect(v[off].enabled).toBe(false);
    expect(v.gitea.admin.existingSecret).toBe('gitea-admin');
    expect(v.gitea.config.server.ROOT_URL).toBe('http://git.localhost:8080/');
  });

  it('NGINX Gateway Fabric: the NGINX Service is a NodePort on the port kind maps', () => {
    const v = chartValues('nginx-gateway-fabric', versions, p) as any;
    expect(v.nginx.service).toMatchObject({ type: 'NodePort', nodePorts: [{ port: p.kind.gatewayNodePort, listenerPort: 80 }] });
  });

  it('Argo CD: reduced footprint, plain HTTP behind the gateway', () => {
    const v = chartValues('argo-cd', versions, p) as any;
    expect(v.dex.enabled).toBe(false);
    expect(v.notifications.enabled).toBe(false);
    expect(v.configs.params['server.insecure']).toBe(true);
    expect(v.configs.cm.url).toBe('http://argocd.localhost:8080');
  });

  it('Rollouts: the Gateway API plugin by the name of versions.json, loaded from the node, with its RBAC', () => {
    const v = chartValues('argo-rollouts', versions, p) as any;
    expect(v.controller.trafficRouterPlugins).toEqual([{ name: versions.rolloutsPlugin.name, location: `file:///lab-plugins/gatewayapi-plugin-${versions.rolloutsPlugin.version}` }]);
    expect(v.controller.volumeMounts[0].mountPath).toBe('/lab-plugins');
    expect(v.providerRBAC.providers.gatewayAPI).toBe(true);
  });
});
