import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { parse, parseAllDocuments } from 'yaml';
import { ROOT } from '../../src/paths.js';
import { validator } from '../../src/schema.js';
import { chartValues } from '../../scripts/lib/up/renderers/chart-values.js';
import { registryHostingConfigMap } from '../../scripts/lib/up/renderers/cluster-objects.js';
import { platformSecrets } from '../../scripts/lib/up/renderers/secrets.js';
import { platformFull as p } from '../../scripts/lib/platform.js';
import { versions } from '../../scripts/lib/versions.js';
import type { KubeObject } from '../../src/snapshot.js';
import { schemaErrors } from '../lib/validate.js';

const manifestsDir = join(ROOT, 'platform', 'manifests');
const objectsOf = (file: string) => parseAllDocuments(readFileSync(file, 'utf8')).map((d) => d.toJS() as KubeObject).filter(Boolean);
/** Every manifest file under platform/manifests (the routes live in routes/, one file per component). */
const manifestFiles = (dir = manifestsDir): string[] =>
  readdirSync(dir, { withFileTypes: true }).flatMap((e) => (e.isDirectory() ? manifestFiles(join(dir, e.name)).map((f) => join(e.name, f)) : [e.name]));
const allManifests = () => manifestFiles().flatMap((f) => objectsOf(join(manifestsDir, f)).map((object) => ({ file: f, object })));

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
