import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import { ROOT } from '../../src/paths.js';
import { platformFull } from '../../scripts/lib/platform.js';
import { versions } from '../../scripts/lib/versions.js';
import { kubectlOnlyLabs } from '../integration/k3s.js';

const devcontainer = JSON.parse(readFileSync(join(ROOT, '.devcontainer', 'devcontainer.json'), 'utf8'));
const workflow = (name: string) => parse(readFileSync(join(ROOT, '.github', 'workflows', name), 'utf8'));
const runs = (job: { steps: { run?: string; uses?: string }[] }) => job.steps.map((s) => s.run ?? s.uses ?? '');

describe('the devcontainer (.devcontainer/devcontainer.json)', () => {
  it('has Node at versions.json\'s version and Docker inside (docker-in-docker)', () => {
    expect(devcontainer.features['ghcr.io/devcontainers/features/node:1'].version).toBe(versions.node.devcontainer);
    expect(devcontainer.features['ghcr.io/devcontainers/features/docker-in-docker:2']).toBeDefined();
  });

  it('asks for 4 CPUs and 16 GB, and installs the packages and kind/kubectl/helm on create', () => {
    expect(devcontainer.hostRequirements).toMatchObject({ cpus: 4, memory: '16gb' });
    expect(devcontainer.onCreateCommand).toBe('npm ci && npm run tools -- --dir /home/vscode/.local/bin');
    expect(devcontainer.remoteEnv.PATH.startsWith('/home/vscode/.local/bin:')).toBe(true);
  });

  it('forwards the gateway and registry ports of platform.yaml, and in a codespace the proxy\'s ports of Jenkins, Argo CD, Gitea and the docs, labelled', () => {
    const cs = platformFull.codespaces;
    expect(devcontainer.forwardPorts).toEqual([platformFull.gateway.port, Number(platformFull.registry.host.split(':')[1]), cs.ports.jenkins, cs.ports.argocd, cs.ports.gitea, cs.docs]);
    for (const port of devcontainer.forwardPorts) expect(devcontainer.portsAttributes[String(port)].label).toBeTruthy();
    expect(devcontainer.otherPortsAttributes.label).toBeTruthy();
  });
});

describe('the GitHub workflows', () => {
  it('the kit workflow runs the kit tests on every push, prints the bench figures without failing on them, and runs the integration tier where Docker exists', () => {
    const kit = workflow('kit.yml');
    expect(Object.keys(kit.on)).toEqual(['push', 'pull_request']);
    expect(runs(kit.jobs.kit)).toContain('bash .ci/run');
    expect(runs(kit.jobs.integration)).toContain('npm run test:integration');
    // The performance figures are printed after the tests and never fail the job (no test times anything).
    const bench = kit.jobs.kit.steps.findIndex((s: { run?: string }) => s.run === 'npm run bench');
    expect(bench).toBeGreaterThan(kit.jobs.kit.steps.findIndex((s: { run?: string }) => s.run === 'bash .ci/run'));
    expect(kit.jobs.kit.steps[bench]['continue-on-error']).toBe(true);
  });

  it('the e2e workflow builds the strategies profile and measures it, adds the rest, re-runs up, solves every lab, grades all, measures again, then takes it down', () => {
    const steps = runs(workflow('e2e.yml').jobs.e2e);
    const at = (text: string) => steps.findIndex((s) => s.includes(text));
    const order = [
      'npm run doctor',
      'npm run up -- --profile strategies',
      'list --solvable --profile strategies',
      'npm run -s status | tee reports/status-strategies.txt',
      'npm run up -- --profile full',
      'case "$solved"',
      'npm test',
      'npm run status | tee reports/status.txt',
      'npm run down -- --yes',
    ].map((text) => steps.findIndex((s) => (text === 'npm test' ? s.trim() === text : s.includes(text))));
    expect(order.every((i) => i >= 0), JSON.stringify(order)).toBe(true);
    expect([...order].sort((a, b) => a - b)).toEqual(order);
    // Cold (strategies), the rest (full), and again with nothing to change.
    expect(steps.filter((s) => /npm run up\b/.test(s)).length).toBe(3);
    // Adding the rest must not act on what the strategies profile built.
    expect(steps[at('npm run up -- --profile full')]).toMatch(/grep -E '\^→ \\\[\(registry\|cluster\|gateway\|images\)\\\]'/);
    // Both profiles' memory is measured into one report.
    expect(steps.filter((s) => s.includes('>> reports/memory.txt') || s.includes('tee -a reports/memory.txt')).length).toBe(2);
    expect(steps.find((s) => s.includes('npm run lab -- start l1-freestyle'))).toContain('::error::');
  });

  it('take Node\'s version from versions.json rather than a copy', () => {
    for (const name of ['kit.yml', 'e2e.yml']) {
      for (const job of Object.values(workflow(name).jobs) as { steps: { uses?: string; with?: Record<string, string> }[] }[]) {
        const setup = job.steps.find((s) => s.uses?.startsWith('actions/setup-node'));
        expect(setup?.with?.['node-version'], name).toBe('${{ steps.versions.outputs.node }}');
      }
    }
  });
});

describe('the integration tier\'s choice of labs', () => {
  it('solves the kubectl-only labs (s3-bluegreen) and none that needs Jenkins, Gitea or Argo', () => {
    const ids = kubectlOnlyLabs().map((l) => l.id);
    expect(ids).toContain('s3-bluegreen');
    for (const id of ids) expect(id).toMatch(/^s\d|^l3-kustomize$/);
  });
});
