/**
 * The simulated platform itself (test/lib/sim-*.ts): where it models Jenkins, Gitea, the registry,
 * Buildah and Helm, it must refuse what the platform refuses — or the labs' kit tests could pass
 * where the platform would fail.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { FREESTYLE_JOB, WORKFLOW_JOB } from '../../src/jenkins.js';
import { readRollout } from '../../src/kube/objects.js';
import { NotSimulated } from '../lib/jenkinsfile.js';
import { GITEA_LOGIN, LAB_REPO, SimGitea } from '../lib/sim-gitea.js';
import { SimPlatform } from '../lib/sim-platform.js';

const inline = (script: string) =>
  `<flow-definition><definition class="org.jenkinsci.plugins.workflow.cps.CpsFlowDefinition"><script>${script.replace(/&/g, '&amp;').replace(/</g, '&lt;')}</script></definition></flow-definition>`;
const pipelineOf = (steps: string, agent = 'lab-builder') => `pipeline {\n  agent { label '${agent}' }\n  stages {\n    stage('One') {\n      steps {\n${steps}\n      }\n    }\n  }\n}`;

describe('the simulated platform', () => {
  let base: SimPlatform;
  const own: SimPlatform[] = [];
  const fresh = () => {
    const p = base.fork();
    own.push(p);
    return p;
  };
  beforeAll(() => {
    base = SimPlatform.create();
    own.push(base);
  });
  afterAll(async () => {
    for (const p of own) await p.dispose();
  });

  describe('Jenkins', () => {
    it('answers api/json with the job type and build references, and wfapi/describe with the stages', async () => {
      const p = fresh();
      p.jenkins.putJob('j', inline(pipelineOf("        echo 'hi'")));
      const build = await p.mustBuild('j');
      const record = p.jenkins.record('j')!;
      expect(record.job).toMatchObject({ _class: WORKFLOW_JOB, name: 'j', lastBuild: { number: 1 }, lastCompletedBuild: { number: 1 }, lastSuccessfulBuild: { number: 1 }, nextBuildNumber: 2, color: 'blue' });
      expect(record.lastCompletedBuild).toMatchObject({ _class: 'org.jenkinsci.plugins.workflow.job.WorkflowRun', number: 1, result: 'SUCCESS', building: false, timestamp: build.timestamp });
      expect(record.stages).toMatchObject({ id: '1', name: '#1', status: 'SUCCESS', stages: [{ name: 'One', status: 'SUCCESS', _links: { self: { href: expect.stringMatching(/^\/job\/j\/1\/execution\/node\/\d+\/wfapi\/describe$/) } } }] });
      p.jenkins.putJob('f', '<project><assignedNode>lab-builder</assignedNode><builders><hudson.tasks.Shell><command>true</command></hudson.tasks.Shell></builders></project>');
      await p.mustBuild('f');
      expect(p.jenkins.record('f')).toMatchObject({ job: { _class: FREESTYLE_JOB, labelExpression: 'lab-builder' }, lastCompletedBuild: { _class: 'hudson.model.FreeStyleBuild', result: 'SUCCESS' } });
      expect(p.jenkins.record('f')!.stages).toBeUndefined();
    });

    it('runs a step in the container it names: kubectl is not in the node container', async () => {
      const p = fresh();
      p.jenkins.putJob('j', inline(pipelineOf("        container('node') {\n          sh 'kubectl get pods'\n        }")));
      const build = await p.jenkins.build('j');
      expect(build.result).toBe('FAILURE');
      expect(build.log).toContain('kubectl: not found');
    });

    it('fails a build on a Groovy syntax error, with no stages, as Jenkins does', async () => {
      const p = fresh();
      p.jenkins.putJob('j', inline(pipelineOf("        sh 'true'").replace("stage('One')", "stage('One'")));
      const build = await p.jenkins.build('j');
      expect(build).toMatchObject({ result: 'FAILURE', stages: [] });
      expect(build.log).toContain('MultipleCompilationErrorsException');
    });

    it('refuses loudly what it does not simulate, instead of passing it', async () => {
      const p = fresh();
      p.jenkins.putJob('j', inline(pipelineOf("        sh 'true'").replace('  stages {', '  post { always { echo "x" } }\n  stages {')));
      await expect(p.jenkins.build('j')).rejects.toBeInstanceOf(NotSimulated);
      p.jenkins.putJob('k', inline(pipelineOf("        sh 'true'", 'docker')));
      await expect(p.jenkins.build('k')).rejects.toThrow(/no agent has the label "docker"/);
    });

    it('binds only the credentials it has', async () => {
      const p = fresh();
      p.jenkins.putJob('j', inline(pipelineOf("        withCredentials([usernamePassword(credentialsId: 'github', usernameVariable: 'U', passwordVariable: 'P')]) {\n          sh 'true'\n        }")));
      const build = await p.jenkins.build('j');
      expect(build.result).toBe('FAILURE');
      expect(build.log).toContain("Could not find credentials entry with ID 'github'");
    });
  });

  describe('Gitea, through git in the build pod', () => {
    const push = (url: string) => inline(pipelineOf(`        git url: '${SimGitea.url(LAB_REPO)}', branch: 'main'\n        container('tools') {\n          sh '''\n            git config user.name t && git config user.email t@t\n            echo x > x.txt && git add x.txt && git commit -qm x\n            git push "${url}" HEAD:main\n          '''\n        }`));
    const host = SimGitea.url(LAB_REPO).replace('http://', '');

    it('refuses a push without the login, and with a wrong password', async () => {
      const p = fresh();
      for (const url of [`http://${host}`, `http://${GITEA_LOGIN.user}:wrong@${host}`]) {
        p.jenkins.putJob('j', push(url));
        const build = await p.jenkins.build('j');
        expect(build.result).toBe('FAILURE');
        expect(build.log).toMatch(/could not read Username|Authentication failed/);
      }
      expect(p.gitea.log(LAB_REPO)).toEqual(['Initial commit: hello-app']);
    });

    it('accepts a push with the login the platform stored in Jenkins', async () => {
      const p = fresh();
      p.jenkins.putJob('j', push(`http://${GITEA_LOGIN.user}:${GITEA_LOGIN.password}@${host}`));
      await p.mustBuild('j');
      expect(p.gitea.log(LAB_REPO)[0]).toBe('x');
    });
  });

  describe('Buildah and the registry', () => {
    const build = (push: string) =>
      inline(pipelineOf(`        git url: '${SimGitea.url(LAB_REPO)}', branch: 'main'\n        container('buildah') {\n          sh 'buildah bud --isolation chroot --storage-driver vfs -t kind-registry:5000/hello-app:t1 .'\n          sh '${push}'\n        }`));

    it('pushes to the in-cluster registry over HTTP only with --tls-verify=false, from the storage the image was built in', async () => {
      const p = fresh();
      const cases: [string, RegExp | undefined][] = [
        ['buildah push --storage-driver vfs kind-registry:5000/hello-app:t1', /server gave HTTP response to HTTPS client/],
        ['buildah push --tls-verify=false kind-registry:5000/hello-app:t1', /image not known/],
        ['buildah push --storage-driver vfs --tls-verify=false kind-registry:5000/hello-app:t1', undefined],
      ];
      for (const [command, error] of cases) {
        p.jenkins.putJob('j', build(command));
        const run = await p.jenkins.build('j');
        if (error) expect(run.log).toMatch(error);
        expect(run.result).toBe(error ? 'FAILURE' : 'SUCCESS');
      }
      expect(p.registry.tags('hello-app')).toEqual(['t1', 'v1', 'v2', 'v3']);
    });

    it('cannot build without a Dockerfile in the context', async () => {
      const p = fresh();
      p.gitea.write(LAB_REPO, { Dockerfile: null }, 'no Dockerfile');
      p.jenkins.putJob('j', build('true'));
      const run = await p.jenkins.build('j');
      expect(run.result).toBe('FAILURE');
      expect(run.log).toContain('no Containerfile or Dockerfile');
    });
  });

  describe('the cluster pulls only what the registry has', () => {
    it('a Deployment of a tag never pushed stays in ImagePullBackOff', () => {
      const p = fresh();
      p.cluster.apply({ apiVersion: 'v1', kind: 'Namespace', metadata: { name: 'x' } });
      const deployment = (tag: string) => ({
        apiVersion: 'apps/v1',
        kind: 'Deployment',
        metadata: { name: 'a', namespace: 'x' },
        spec: { selector: { matchLabels: { app: 'a' } }, template: { metadata: { labels: { app: 'a' } }, spec: { containers: [{ name: 'a', image: `kind-registry:5000/hello-app:${tag}` }] } } },
      });
      p.cluster.apply(deployment('v2'));
      expect(readRollout(p.cluster.must('Deployment', 'x', 'a')).complete).toBe(true);
      p.cluster.apply(deployment('never-pushed')).advance(60);
      expect(readRollout(p.cluster.must('Deployment', 'x', 'a')).complete).toBe(false);
      expect(p.cluster.list('Pod', 'x').some((pod) => pod.status.containerStatuses[0].state.waiting?.reason === 'ImagePullBackOff')).toBe(true);
    });
  });

  describe('Helm', () => {
    it('refuses to take over objects it did not create (invalid ownership metadata)', async () => {
      const p = fresh();
      await p.start('l2-pipeline');
      const noNamespace = await p.run('solutions/l3-helm/install.sh', ['v1']);
      expect(noNamespace.exitCode).toBe(1);
      expect(noNamespace.stderr).toContain('namespaces "l3-helm" not found');
      const direct = await p.tools().run({ shell: 'helm upgrade --install hello-app solutions/l3-helm/deploy/helm/hello-app --namespace l2-pipeline', cwd: process.cwd(), env: {}, container: 'host' });
      expect(direct.exitCode).toBe(1);
      expect(direct.stderr).toMatch(/(Service|Deployment) "hello-app" in namespace "l2-pipeline" exists and cannot be imported into the current release: invalid ownership metadata/);
    });
  });
});
