/** The platform's names and addresses (platform/platform.yaml) and the generated credentials. */
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { PLATFORM_DIR, ROOT } from './paths.js';
import { readYamlFile } from './yaml-file.js';

export interface PlatformConfig {
  cluster: string;
  context: string;
  gateway: { name: string; namespace: string; host: string; port: number; domain: string; inCluster: string };
  hosts: { jenkins: string; argocd: string; gitea: string };
  registry: { host: string; inCluster: string };
  credentialsFile: string;
  namespaces: { gatewayController: string; gitea: string; jenkins: string; argocd: string; rollouts: string };
  gitea: { org: string; repo: string; inCluster: string };
  jenkins: { agentLabel: string; containers: string[]; credentials: { gitea: string } };
}

export const platform = readYamlFile(join(PLATFORM_DIR, 'platform.yaml')) as PlatformConfig;

/** Base URL of a host behind the gateway, e.g. `http://jenkins.localhost:8080`. */
export function gatewayUrl(host: string, env: NodeJS.ProcessEnv = process.env): string {
  const port = Number(env.LAB_GATEWAY_PORT ?? platform.gateway.port);
  return `http://${host}${port === 80 ? '' : `:${port}`}`;
}

/** The host of a lab behind the gateway: `<lab>.localhost`. */
export const labHost = (lab: string) => `${lab}.${platform.gateway.domain}`;

export interface Login {
  user: string;
  password: string;
}

export interface Credentials {
  jenkins?: Login & { token?: string };
  gitea?: Login;
  argocd?: Login;
}

/** The credentials file; LAB_CREDENTIALS_FILE names another (tests, or a second install). */
export const credentialsPath = () => process.env.LAB_CREDENTIALS_FILE || join(ROOT, platform.credentialsFile);

/** The generated credentials, or {} before `npm run up` has written them. */
export function readCredentials(file = credentialsPath()): Credentials {
  if (!existsSync(file)) return {};
  return JSON.parse(readFileSync(file, 'utf8')) as Credentials;
}
