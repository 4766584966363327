/**
 * Component `jenkins` of `npm run up` (scripts/lib/up/components/jenkins.ts): the agent image the build
 * pods run, and Jenkins' values — plugins, JCasC, the lab-builder pod template (scripts/lib/up/renderers/).
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import { ROOT } from '../../../src/paths.js';
import { platformFull as p } from '../../../scripts/lib/platform.js';
import { agentBuildArgs, agentImageTag } from '../../../scripts/lib/up/agent-image.js';
import { IMAGE_SOURCE_LABEL } from '../../../scripts/lib/up/components/images.js';
import { describeAction, plan } from '../../../scripts/lib/up/plan.js';
import { chartValues } from '../../../scripts/lib/up/renderers/chart-values.js';
import { jcascConfig } from '../../../scripts/lib/up/renderers/jcasc.js';
import { labBuilderPodTemplate, ROOTLESS_BUILD_SECURITY_CONTEXT } from '../../../scripts/lib/up/renderers/pod-template.js';
import { platformSecrets } from '../../../scripts/lib/up/renderers/secrets.js';
import { upSteps } from '../../../scripts/lib/up/steps.js';
import { versions } from '../../../scripts/lib/versions.js';
import { fakeContext, freshState, stepOf, testCredentials } from '../../lib/fake-platform.js';

testCredentials();

describe('the Jenkins agent image', () => {
  it('is built from platform/jenkins/agent with the pinned images, and the pod template runs it', async () => {
    const { ctx } = fakeContext(freshState());
    const step = stepOf(await plan(upSteps(['jenkins']), ctx), 'agent-image');
    const tag = agentImageTag(versions);
    expect(step.observation.done).toBe(false);
    expect(step.actions.map(describeAction)).toEqual([
      `$ docker build -f platform/jenkins/agent/Containerfile --build-arg AGENT_IMAGE=${versions.images['jenkins-agent']} --build-arg NODE_IMAGE=${versions.images['agent-node']} --build-arg TOOLS_IMAGE=${versions.images.tools} --label ${IMAGE_SOURCE_LABEL}=${tag} -t localhost:5001/lab-agent:${tag} platform/jenkins/agent`,
      `$ docker push localhost:5001/lab-agent:${tag}`,
    ]);
    expect(labBuilderPodTemplate(versions, p)).toContain(`image: kind-registry:5000/lab-agent:${tag}`);
    // The Containerfile names no version: every image it is made of comes in as a build argument.
    const containerfile = readFileSync(join(ROOT, 'platform/jenkins/agent/Containerfile'), 'utf8');
    expect(containerfile.match(/^FROM .*/gm)).toEqual(['FROM ${NODE_IMAGE} AS node', 'FROM ${TOOLS_IMAGE} AS tools', 'FROM ${AGENT_IMAGE}']);
    expect(Object.keys(agentBuildArgs(versions)).every((arg) => containerfile.includes(`ARG ${arg}\n`))).toBe(true);
  });

  it('ends as its non-root user, with subordinate ids and newuidmap/newgidmap by file capabilities', () => {
    const file = readFileSync(join(ROOT, 'platform/jenkins/agent/Containerfile'), 'utf8');
    const users = [...file.matchAll(/^USER (\S+)/gm)].map((m) => m[1]);
    expect(users.at(-1)).toBe('jenkins');
    expect(file).toMatch(/setcap cap_setuid=ep \/usr\/bin\/newuidmap/);
    expect(file).toMatch(/setcap cap_setgid=ep \/usr\/bin\/newgidmap/);
    expect(file).toMatch(/chmod u-s \/usr\/bin\/newuidmap \/usr\/bin\/newgidmap/);
    expect(file).toMatch(/echo 'jenkins:\d+:65536' > \/etc\/subuid/);
    expect(file).toMatch(/echo 'jenkins:\d+:65536' > \/etc\/subgid/);
  });
});

describe('the Jenkins values (platform/values/jenkins.yaml + versions.json + platform.yaml)', () => {
  it('pinned plugins incl. the graders\' and the learners\', no executors on the controller, CSRF on', () => {
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

  it('the lab-builder pod template has the containers of platform.yaml with images from versions.json, no privileged container, no Docker socket', () => {
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

  it('the containers that build images (jnlp, buildah) run rootless Buildah: non-root, every capability dropped but SETUID/SETGID, seccomp and AppArmor unconfined', () => {
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

  it('JCasC defines the credential `gitea` from the mounted Secret, not a literal password', () => {
    const casc = parse(jcascConfig(p));
    const cred = casc.credentials.system.domainCredentials[0].credentials[0].usernamePassword;
    expect(cred).toMatchObject({ id: p.jenkins.credentials.gitea, username: '${lab-gitea-username}', password: '${lab-gitea-password}' });
    const v = chartValues('jenkins', versions, p) as any;
    expect(v.controller.additionalExistingSecrets).toEqual([{ name: 'lab-gitea', keyName: 'username' }, { name: 'lab-gitea', keyName: 'password' }]);
  });
});
