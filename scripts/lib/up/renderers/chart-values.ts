/**
 * The values `up` installs each chart with: the file in platform/values/ plus what comes from
 * versions.json (pins, plugins, images) and platform.yaml (names, hosts, the addresses a browser uses).
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { parse } from 'yaml';
import { ROOT } from '../../../../src/paths.js';
import type { ChartName } from '../../charts.js';
import { publicUrl } from '../../codespaces.js';
import { deepMerge } from '../../deep-merge.js';
import type { PlatformFull } from '../../platform.js';
import { jenkinsPluginList, pluginFileName, type Versions } from '../../versions.js';
import { jcascConfig } from './jcasc.js';
import { labBuilderPodTemplate } from './pod-template.js';

/** The kit's own values of a chart, kept in the repository. */
export const valuesFile = (chart: ChartName) => join(ROOT, 'platform', 'values', `${chart}.yaml`);

export function chartValues(chart: ChartName, v: Versions, p: PlatformFull, env: NodeJS.ProcessEnv = {}): Record<string, unknown> {
  const base = parse(readFileSync(valuesFile(chart), 'utf8')) ?? {};
  // The address a browser uses: *.localhost:8080, or the forwarded port's URL in a GitHub Codespace.
  const url = (host: string) => publicUrl(host, p, env);
  const computed: Record<ChartName, Record<string, unknown>> = {
    'nginx-gateway-fabric': { nginx: { service: { nodePorts: [{ port: p.kind.gatewayNodePort, listenerPort: 80 }] } } },
    gitea: {
      gitea: {
        admin: { email: `${p.logins.gitea}@cicd-lab.localhost` },
        config: { server: { DOMAIN: new URL(url(p.hosts.gitea)).hostname, ROOT_URL: `${url(p.hosts.gitea)}/` } },
      },
    },
    jenkins: {
      controller: {
        installPlugins: jenkinsPluginList(v),
        jenkinsUrl: `${url(p.hosts.jenkins)}/`,
        JCasC: { configScripts: { 'cicd-lab': jcascConfig(p) } },
      },
      agent: { image: { repository: v.images['jenkins-agent'].split(':')[0], tag: v.images['jenkins-agent'].split(':')[1] }, podTemplates: { [p.jenkins.agentLabel]: labBuilderPodTemplate(v, p) } },
    },
    'argo-cd': { configs: { cm: { url: url(p.hosts.argocd) } } },
    'argo-rollouts': {
      controller: {
        trafficRouterPlugins: [{ name: v.rolloutsPlugin.name, location: `file:///lab-plugins/${pluginFileName(v)}` }],
        // A new plugin version changes this annotation, so the controller restarts and loads it.
        podAnnotations: { 'cicd-lab/gateway-api-plugin': v.rolloutsPlugin.version },
      },
    },
  };
  return deepMerge(base, computed[chart]);
}
