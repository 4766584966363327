/** The Secrets the charts read their logins from, made from the credentials file. */
import type { Credentials } from '../../../../src/platform.js';
import type { Component, PlatformFull } from '../../platform.js';

/** The Secrets the charts read their logins from (values never printed; applied from stdin). */
export function platformSecrets(p: PlatformFull, creds: Credentials): { component: Component; object: Record<string, unknown> }[] {
  const secret = (namespace: string, name: string, stringData: Record<string, string>) => ({
    apiVersion: 'v1',
    kind: 'Secret',
    type: 'Opaque',
    metadata: { name, namespace, labels: { 'app.kubernetes.io/part-of': 'cicd-lab' } },
    stringData,
  });
  const jenkins = creds.jenkins ?? { user: p.logins.jenkins, password: '' };
  const gitea = creds.gitea ?? { user: p.logins.gitea, password: '' };
  return [
    { component: 'gitea', object: secret(p.releases.gitea.namespace, 'gitea-admin', { username: gitea.user, password: gitea.password }) },
    { component: 'jenkins', object: secret(p.releases.jenkins.namespace, 'jenkins-admin', { 'jenkins-admin-user': jenkins.user, 'jenkins-admin-password': jenkins.password }) },
    { component: 'jenkins', object: secret(p.releases.jenkins.namespace, 'lab-gitea', { username: gitea.user, password: gitea.password }) },
  ];
}
