import { t } from '../../src/i18n.js';
import { describe, expect, it } from 'vitest';
import { blockers, checkArch, checkDocker, checkInotify, checkPids, checkPorts, checkProfile, checkProxy, checkResources, checkTools, checkUserns, checkWsl, runChecks, type Facts } from '../../scripts/lib/doctor.js';
import { platformFull } from '../../scripts/lib/platform.js';
import { versions, type Versions } from '../../scripts/lib/versions.js';
import { renderFindings } from '../../scripts/doctor.js';

const GB = 1024 ** 3;

/** A machine that passes every check. */
function good(): Facts {
  return {
    os: 'linux',
    docker: { reachable: true, info: { ServerVersion: '28.2.2', NCPU: 8, MemTotal: 16 * GB, Architecture: 'x86_64', OperatingSystem: 'Ubuntu 24.04' } },
    ports: {},
    inotify: { maxUserWatches: 524288, maxUserInstances: 512 },
    pidMax: 4194304,
    dockerTasksMax: 'infinity',
    userns: { maxUserNamespaces: 63359 },
    env: {},
    tools: { kind: `kind ${versions.tools.kind} go1.24.3 linux/amd64`, kubectl: 'Client Version: v1.37.0', helm: `${versions.tools.helm}+g05fa379`, 'kubectl-argo-rollouts': `kubectl-argo-rollouts: ${versions.tools['kubectl-argo-rollouts']}+8f0d5f4` },
  };
}

describe('npm run doctor, check by check on fake machines', () => {
  it('passes a well-equipped machine with no warning', () => {
    const findings = runChecks(good(), versions, platformFull);
    expect(findings.filter((f) => f.level !== 'ok').map((f) => `${f.id}: ${f.observed}`)).toEqual([]);
    expect(renderFindings(findings, 'en').trim().split('\n').at(-1)).toBe('Ready: npm run up');
  });

  it('blocks when Docker does not answer, and says how to start it', () => {
    const f = { ...good(), docker: { reachable: false as const, error: 'Cannot connect to the Docker daemon at unix:///var/run/docker.sock' } };
    const docker = checkDocker(f);
    expect(docker.level).toBe('block');
    expect(docker.fix!.en).toContain('sudo systemctl start docker');
    expect(docker.fix!.ko).toContain('Docker Desktop');
    expect(checkResources(f)).toEqual([]);
  });

  it('warns under 4 CPUs / 8 GB and blocks under 2 CPUs / 6 GB', () => {
    const at = (NCPU: number, mem: number) => checkResources({ ...good(), docker: { reachable: true, info: { ...(good().docker as any).info, NCPU, MemTotal: mem * GB } } }).map((x) => x.level);
    expect(at(4, 8)).toEqual(['ok', 'ok']);
    expect(at(3, 7)).toEqual(['warn', 'warn']);
    expect(at(1, 4)).toEqual(['block', 'block']);
    const memory = checkResources({ ...good(), docker: { reachable: true, info: { ...(good().docker as any).info, MemTotal: 4 * GB } } })[1];
    expect(memory.observed).toBe('4.0 GB');
    expect(memory.fix!.en).toContain('Settings → Resources');
  });

  it('recommends a profile from Docker\'s memory limit and the machine\'s memory, the smaller of the two deciding', () => {
    const machine = (docker: number | undefined, ram: number | undefined): Facts => ({
      ...good(),
      machineMemory: ram === undefined ? undefined : ram * GB,
      docker: docker === undefined ? { reachable: false, error: 'no docker' } : { reachable: true, info: { ...(good().docker as any).info, MemTotal: docker * GB } },
    });
    const rec = (docker: number | undefined, ram: number | undefined) => {
      const f = checkProfile(machine(docker, ram));
      return `${f.level} ${t(f.observed, 'en')}`;
    };
    expect(rec(16, 32)).toBe('ok Docker 16.0 GB, machine 32.0 GB → full: every lab. npm run up -- --profile full');
    expect(rec(7.7, 16)).toMatch(/^ok .* → full:/);
    // Docker Desktop's default half of an 8 GB laptop, or a native engine on an 8 GB laptop with a 4 GB VM…
    expect(rec(4, 8)).toBe('warn Docker 4.0 GB, machine 8.0 GB → strategies: the strategy labs s1–s6 (no Gitea, Jenkins, Argo CD or Rollouts). npm run up -- --profile strategies');
    // …the machine's memory limits what Docker may claim,
    expect(rec(16, 6)).toMatch(/^warn .* → strategies:/);
    // the largest profile with its advised memory is named (6.5 GB runs the full one, but tightly),
    expect(rec(6.5, 16)).toMatch(/^warn .* → strategies:/);
    // and under every advised figure, the largest that still runs,
    expect(rec(3.7, 16)).toMatch(/^warn .* → strategies:/);
    // and with Docker not answering the machine's memory alone decides.
    expect(rec(undefined, 16)).toMatch(/^ok machine 16.0 GB → full:/);
    expect(rec(3, 4)).toBe('block Docker 3.0 GB, machine 4.0 GB — too little for any profile');
    expect(checkProfile(machine(4, 8)).fix!.en).toContain('npm run up -- --profile full adds the rest');
    expect(t(checkProfile(machine(4, 8)).observed, 'ko')).toContain('Docker 4.0 GB, 이 머신 8.0 GB → strategies');
  });

  it('checks Docker\'s memory against the profile: 5 GB blocks the full platform, fits the strategies one, and doctor judges by the profile it recommends', () => {
    const f: Facts = { ...good(), machineMemory: 8 * GB, docker: { reachable: true, info: { ...(good().docker as any).info, MemTotal: 5 * GB } } };
    const memory = (profile?: 'strategies' | 'full') => checkResources(f, profile)[1];
    expect(memory('full').level).toBe('block');
    expect(memory('full').fix!.en).toContain('npm run up -- --profile strategies');
    expect(memory('strategies').level).toBe('ok');
    expect(t(memory('strategies').title, 'en')).toBe('Memory available to Docker (strategies profile: 4 GB or more advised)');
    // doctor: no block, a warning that names the profile; up (full) is blocked.
    expect(blockers(runChecks(f, versions, platformFull)).map((x) => x.id)).toEqual([]);
    expect(runChecks(f, versions, platformFull).find((x) => x.id === 'profile')!.level).toBe('warn');
    expect(blockers(runChecks(f, versions, platformFull, 'full')).map((x) => x.id)).toEqual(['memory']);
  });

  it('accepts amd64 and arm64 only', () => {
    const withArch = (Architecture: string) => checkArch({ ...good(), docker: { reachable: true, info: { ...(good().docker as any).info, Architecture } } }).level;
    expect(withArch('x86_64')).toBe('ok');
    expect(withArch('aarch64')).toBe('ok');
    expect(withArch('s390x')).toBe('block');
  });

  it('blocks a port another program holds, accepts the lab\'s own, and only warns for a mirror port', () => {
    const findings = checkPorts({ ...good(), ports: { 8080: 'taken', 5001: 'ours', 5101: 'taken' } }, platformFull);
    const byPort = Object.fromEntries(findings.map((f) => [f.id, f]));
    expect(byPort['port-8080'].level).toBe('block');
    expect(byPort['port-8080'].fix!.en).toContain('lsof -iTCP:8080 -sTCP:LISTEN');
    expect(byPort['port-5001']).toMatchObject({ level: 'ok', observed: { en: 'used by the lab platform already' } });
    expect(byPort['port-5101'].level).toBe('warn');
    expect(byPort['port-5101'].fix!.en).toContain('LAB_MIRRORS=off');
  });

  it('warns about low inotify limits with the sysctl that raises them (kind #2586)', () => {
    const low = checkInotify({ ...good(), inotify: { maxUserWatches: 8192, maxUserInstances: 128 } });
    expect(low.level).toBe('warn');
    expect(low.observed).toBe('max_user_watches=8192, max_user_instances=128');
    expect(low.fix!.en).toContain('sudo sysctl fs.inotify.max_user_watches=524288 fs.inotify.max_user_instances=512');
    expect(checkInotify({ ...good(), inotify: undefined }).level).toBe('ok');
  });

  it('warns about a small pid_max or a finite Docker TasksMax', () => {
    expect(checkPids({ ...good(), pidMax: 4096 }).level).toBe('warn');
    const tasks = checkPids({ ...good(), dockerTasksMax: '4915' });
    expect(tasks.level).toBe('warn');
    expect(tasks.fix!.en).toContain('TasksMax=infinity');
    expect(checkPids({ ...good(), dockerTasksMax: '65536' }).level).toBe('ok');
  });

  it('warns when a proxy is set and NO_PROXY lacks the lab\'s names, listing what to add', () => {
    const f = { ...good(), env: { HTTPS_PROXY: 'http://proxy.corp:3128', NO_PROXY: 'localhost,127.0.0.1' } };
    const proxy = checkProxy(f);
    expect(proxy.level).toBe('warn');
    expect(t(proxy.observed, 'en')).toContain('missing from NO_PROXY: .localhost, kind-registry, .svc, .cluster.local');
    expect(t(proxy.observed, 'ko')).toContain('NO_PROXY에 빠진 것: .localhost, kind-registry, .svc, .cluster.local');
    expect(proxy.fix!.en).toContain('export NO_PROXY=localhost,127.0.0.1,.localhost,kind-registry,.svc,.cluster.local');
    expect(checkProxy({ ...good(), env: { HTTPS_PROXY: 'http://p:3128', NO_PROXY: 'localhost,127.0.0.1,.localhost,kind-registry,.svc,.cluster.local' } }).level).toBe('ok');
    const daemon = checkProxy({ ...good(), docker: { reachable: true, info: { ...(good().docker as any).info, HttpsProxy: 'http://p:3128', NoProxy: 'localhost' } } });
    expect(daemon.level).toBe('warn');
    expect(t(daemon.observed, 'en')).toContain('Docker daemon proxy http://p:3128');
  });

  it('warns about WSL2 mirrored networking (kind #3565) and how to switch to NAT', () => {
    const wsl = checkWsl({ ...good(), wsl: { networkingMode: 'mirrored' } });
    expect(wsl.level).toBe('warn');
    expect(wsl.fix!.en).toContain('networkingMode=nat');
    expect(checkWsl({ ...good(), wsl: { networkingMode: 'nat' } }).level).toBe('ok');
    expect(t(checkWsl(good()).observed, 'en')).toBe('not WSL');
  });

  it('blocks missing tools, a kind older than versions.json, a pre-OCI Helm and a kubectl more than one minor from the cluster', () => {
    const tools = (t: Facts['tools']) => Object.fromEntries(checkTools({ ...good(), tools: t }, versions).map((f) => [f.id, f.level]));
    expect(tools({})).toEqual({ kind: 'block', kubectl: 'block', 'kubectl-argo-rollouts': 'warn', helm: 'block' });
    expect(tools({ kind: 'kind v0.20.0 go1.21 linux/amd64', kubectl: 'Client Version: v1.37.2', helm: 'v3.7.1+g1d11fcb' })).toMatchObject({ kind: 'block', kubectl: 'ok', helm: 'block' });
    // Kubernetes' skew policy: one minor either way of the 1.37 server; .ci/bin's 1.34 is three away.
    const kubectl = (version: string) => tools({ ...good().tools, kubectl: `Client Version: ${version}` }).kubectl;
    expect(['v1.36.4', 'v1.37.0', 'v1.38.1'].map(kubectl)).toEqual(['ok', 'ok', 'ok']);
    expect(['v1.34.5', 'v1.35.3', 'v1.39.0'].map(kubectl)).toEqual(['block', 'block', 'block']);
    const fix = checkTools({ ...good(), tools: { ...good().tools, kubectl: 'Client Version: v1.35.3' } }, versions).find((f) => f.id === 'kubectl')!.fix!;
    expect(fix.en).toContain('npm run tools');
  });

  it('warns when the kubectl argo rollouts plugin is missing or older than the controller, and says how to install it', () => {
    const plugin = (seen: string | undefined) => checkTools({ ...good(), tools: { ...good().tools, 'kubectl-argo-rollouts': seen } }, versions).find((f) => f.id === 'kubectl-argo-rollouts')!;
    expect(plugin(`kubectl-argo-rollouts: ${versions.tools['kubectl-argo-rollouts']}+8f0d5f4`).level).toBe('ok');
    expect(plugin(undefined)).toMatchObject({ level: 'warn', observed: 'not on PATH' });
    expect(plugin(undefined).fix!.en).toContain('npm run tools');
    expect(plugin('kubectl-argo-rollouts: v1.6.0+7eae71e').level).toBe('warn');
  });

  it('warns where the kernel refuses the user namespaces the build pods\' rootless Buildah needs (Ubuntu 24.04\'s AppArmor switch, or none allowed)', () => {
    expect(checkUserns(good()).level).toBe('ok');
    const ubuntu = checkUserns({ ...good(), userns: { maxUserNamespaces: 63359, apparmorRestrict: 1 } });
    expect(ubuntu.level).toBe('warn');
    expect(ubuntu.fix!.en).toContain('sudo sysctl kernel.apparmor_restrict_unprivileged_userns=0');
    expect(checkUserns({ ...good(), userns: { maxUserNamespaces: 0 } }).fix!.en).toContain('user.max_user_namespaces=');
    expect(checkUserns({ ...good(), userns: undefined }).level).toBe('ok');
  });

  it('counts blockers (doctor exits 1 on any) and speaks Korean', () => {
    const f = { ...good(), ports: { 8080: 'taken' as const }, tools: { ...good().tools, kind: undefined } };
    const findings = runChecks(f, versions, platformFull);
    expect(blockers(findings).map((x) => x.id)).toEqual(['port-8080', 'kind']);
    const ko = renderFindings(findings, 'ko');
    expect(ko).toContain('✗ kind가 있다: PATH에 없음');
    // Fully Korean: no English sentence left in what was observed.
    expect(ko).not.toMatch(/not on PATH|no proxy|not WSL|used by the lab/);
    expect(ko.trim().split('\n').at(-1)).toBe('막는 문제 2개, 경고 0개: 위의 → 를 고친 다음 다시 실행하세요.');
  });
});
