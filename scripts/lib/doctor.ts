/**
 * The preflight checks of `npm run doctor`, as pure functions of the facts they read, so that each is
 * tested on fake inputs (test/kit/doctor.test.ts) and the live gathering stays small.
 *
 * Levels: ok · warn (works, but slower or fragile; says how to fix) · block (the platform will not
 * come up; `doctor` exits 1). Sources of the thresholds: kind's known issues (inotify limits #2586,
 * WSL2 mirrored networking #3565), and the platform's target of 4 CPUs / 8 GB
 * (docs/reference/platform.md#performance).
 */
import { readFileSync, existsSync } from 'node:fs';
import { createServer } from 'node:net';
import { arch as osArch, platform as osPlatform, totalmem } from 'node:os';
import type { ProfileName } from '../../src/catalog.js';
import { L, t, type Lang, type Localized, type Text } from '../../src/i18n.js';
import type { Runner } from './exec.js';
import type { PlatformFull } from './platform.js';
import { PROFILES, recommendProfile } from './profiles.js';
import { clusterKubernetesVersion, compareVersions, parseVersion, type Versions } from './versions.js';

export type Level = 'ok' | 'warn' | 'block';

export interface Finding {
  id: string;
  level: Level;
  title: Localized;
  /** What was seen: a value as it is (a version, a number) or a sentence in both languages. */
  observed: Text;
  /** The command or setting that fixes it (warn and block only). */
  fix?: Localized;
}

export interface DockerInfo {
  ServerVersion: string;
  NCPU: number;
  MemTotal: number;
  Architecture: string;
  OperatingSystem: string;
  HttpProxy?: string;
  HttpsProxy?: string;
  NoProxy?: string;
}

export type PortState = 'free' | 'ours' | 'taken';

export interface Facts {
  os: NodeJS.Platform;
  /** The machine's memory in bytes (os.totalmem()): what Docker's limit cannot exceed, shared with the desktop. */
  machineMemory?: number;
  docker: { reachable: true; info: DockerInfo } | { reachable: false; error: string };
  ports: Record<number, PortState>;
  /** Linux hosts where Docker runs natively (elsewhere the limits live in Docker's VM). */
  inotify?: { maxUserWatches: number; maxUserInstances: number };
  pidMax?: number;
  /**
   * Unprivileged user namespaces on a Linux host with a native Docker (the build pods' rootless
   * Buildah makes one for each RUN step): user.max_user_namespaces, and Ubuntu's
   * kernel.apparmor_restrict_unprivileged_userns (undefined where the kernel has no such switch).
   */
  userns?: { maxUserNamespaces?: number; apparmorRestrict?: number };
  /** systemd's TasksMax of docker.service: a number or "infinity". */
  dockerTasksMax?: string;
  env: Record<string, string | undefined>;
  wsl?: { networkingMode?: string };
  /** The first line each tool prints for its version, or undefined when it is not on PATH. */
  tools: { kind?: string; kubectl?: string; helm?: string; 'kubectl-argo-rollouts'?: string };
}

const GB = 1024 ** 3;

/** The host ports the platform binds, with what needs each. */
export function platformPorts(p: PlatformFull): { port: number; what: string; required: boolean }[] {
  return [
    { port: p.gateway.port, what: 'the lab gateway (kind → NGINX Gateway Fabric)', required: true },
    { port: Number(p.registry.host.split(':')[1]), what: 'the local registry', required: true },
    ...p.mirrors.map((m) => ({ port: m.port, what: `the ${m.upstream} mirror`, required: false })),
  ];
}

export function checkDocker(f: Facts): Finding {
  if (!f.docker.reachable) {
    return {
      id: 'docker',
      level: 'block',
      title: L('Docker에 연결할 수 있다', 'Docker is reachable'),
      observed: f.docker.error,
      fix: L(
        'Docker를 시작하세요: macOS/Windows는 Docker Desktop을 실행하고, Linux는 `sudo systemctl start docker`를 실행합니다. 권한 오류라면 `sudo usermod -aG docker $USER` 후 다시 로그인하세요. devcontainer에서는 컨테이너를 다시 빌드하면 docker-in-docker가 함께 시작됩니다.',
        'Start Docker: on macOS/Windows start Docker Desktop; on Linux run `sudo systemctl start docker`. For "permission denied", run `sudo usermod -aG docker $USER` and log in again. In the devcontainer, rebuild the container: docker-in-docker starts with it.',
      ),
    };
  }
  return { id: 'docker', level: 'ok', title: L('Docker에 연결할 수 있다', 'Docker is reachable'), observed: `Docker ${f.docker.info.ServerVersion} (${f.docker.info.OperatingSystem})` };
}

const resourcesFix = L(
  'Docker Desktop: Settings → Resources에서 CPU 4개, 메모리 8 GB 이상으로 올리세요. WSL2: %UserProfile%\\.wslconfig의 [wsl2]에 memory=8GB, processors=4를 쓰고 `wsl --shutdown`. Codespaces: 4코어 이상 머신을 고르세요.',
  'Docker Desktop: Settings → Resources, give it 4 CPUs and 8 GB or more. WSL2: in %UserProfile%\\.wslconfig under [wsl2] set memory=8GB and processors=4, then `wsl --shutdown`. Codespaces: pick a machine with 4 cores or more.',
);

/** CPUs and Docker's memory, against what the profile being checked needs (scripts/lib/profiles.ts). */
export function checkResources(f: Facts, profile: ProfileName = 'full'): Finding[] {
  if (!f.docker.reachable) return [];
  const { NCPU, MemTotal } = f.docker.info;
  const cpuLevel: Level = NCPU < 2 ? 'block' : NCPU < 4 ? 'warn' : 'ok';
  const gb = MemTotal / GB;
  const { minBytes, advisedBytes } = PROFILES[profile];
  const memLevel: Level = MemTotal < minBytes ? 'block' : MemTotal < advisedBytes ? 'warn' : 'ok';
  const smaller = profile === 'full' && MemTotal >= PROFILES.strategies.minBytes
    ? L(` 배포 전략 실습(s1–s6)만 할 거라면 더 작은 플랫폼으로 충분합니다: npm run up -- --profile strategies`, ` For the strategy labs (s1–s6) alone a smaller platform is enough: npm run up -- --profile strategies`)
    : undefined;
  const memFix = memLevel === 'ok' ? undefined : smaller ? L(resourcesFix.ko + smaller.ko, resourcesFix.en + smaller.en) : resourcesFix;
  const advised = (advisedBytes / GB).toFixed(1).replace(/\.0$/, '');
  return [
    { id: 'cpus', level: cpuLevel, title: L('Docker가 쓸 수 있는 CPU(4개 권장)', 'CPUs available to Docker (4 advised)'), observed: `${NCPU}`, fix: cpuLevel === 'ok' ? undefined : resourcesFix },
    {
      id: 'memory',
      level: memLevel,
      title: L(`Docker가 쓸 수 있는 메모리(${profile} 프로필: ${advised} GB 이상 권장)`, `Memory available to Docker (${profile} profile: ${advised} GB or more advised)`),
      observed: `${gb.toFixed(1)} GB`,
      fix: memFix,
    },
  ];
}

/** Which profile fits this machine: from Docker's memory limit and the machine's own memory. */
export function checkProfile(f: Facts): Finding {
  const docker = f.docker.reachable ? f.docker.info.MemTotal : undefined;
  const recommended = recommendProfile(docker, f.machineMemory);
  const figure = (label: string, bytes: number | undefined) => (bytes ? [`${label} ${(bytes / GB).toFixed(1)} GB`] : []);
  const observedKo = [...figure('Docker', docker), ...figure('이 머신', f.machineMemory)].join(', ');
  const observedEn = [...figure('Docker', docker), ...figure('machine', f.machineMemory)].join(', ');
  const title = L('이 머신에 맞는 플랫폼 프로필', 'The platform profile this machine fits');
  if (!recommended) {
    return { id: 'profile', level: 'block', title, observed: L(`${observedKo || '알 수 없음'} — 어느 프로필에도 모자람`, `${observedEn || 'unknown'} — too little for any profile`), fix: resourcesFix };
  }
  const p = PROFILES[recommended];
  const line = L(
    `${observedKo} → ${recommended}: ${p.for.ko}. npm run up -- --profile ${recommended}`,
    `${observedEn} → ${recommended}: ${p.for.en}. npm run up -- --profile ${recommended}`,
  );
  if (recommended === 'full') return { id: 'profile', level: 'ok', title, observed: line };
  return {
    id: 'profile',
    level: 'warn',
    title,
    observed: line,
    fix: L(
      `레벨 1–4(Jenkins, Gitea, Argo CD, Rollouts)에는 full 프로필이 필요합니다: Docker에 메모리를 ${(PROFILES.full.advisedBytes / GB).toFixed(1)} GB 이상 주면 npm run up -- --profile full이 나머지를 더합니다.`,
      `Levels 1–4 (Jenkins, Gitea, Argo CD, Rollouts) need the full profile: give Docker ${(PROFILES.full.advisedBytes / GB).toFixed(1)} GB or more, then npm run up -- --profile full adds the rest.`,
    ),
  };
}

export function checkArch(f: Facts): Finding {
  const a = f.docker.reachable ? f.docker.info.Architecture : osArch();
  const ok = ['x86_64', 'amd64', 'x64', 'aarch64', 'arm64'].includes(a);
  return {
    id: 'arch',
    level: ok ? 'ok' : 'block',
    title: L('아키텍처가 amd64 또는 arm64다(모든 이미지가 두 가지로 나온다)', 'The architecture is amd64 or arm64 (every image is published for both)'),
    observed: a,
    fix: ok ? undefined : L('amd64 또는 arm64 머신(또는 Codespaces)을 쓰세요.', 'Use an amd64 or arm64 machine (or Codespaces).'),
  };
}

export function checkPorts(f: Facts, p: PlatformFull): Finding[] {
  return platformPorts(p).map(({ port, what, required }) => {
    const state = f.ports[port] ?? 'free';
    const level: Level = state === 'taken' ? (required ? 'block' : 'warn') : 'ok';
    return {
      id: `port-${port}`,
      level,
      title: L(`127.0.0.1:${port} 포트를 쓸 수 있다(${what})`, `Port 127.0.0.1:${port} is free for ${what}`),
      observed: state === 'ours' ? L('랩 플랫폼이 이미 쓰는 중', 'used by the lab platform already') : state === 'taken' ? L('다른 프로그램이 쓰는 중', 'taken') : L('비어 있음', 'free'),
      fix:
        level === 'ok'
          ? undefined
          : required
            ? L(`다른 프로그램이 ${port}번을 쓰고 있습니다. \`lsof -iTCP:${port} -sTCP:LISTEN\`(Windows: \`netstat -ano | findstr :${port}\`)으로 찾아 멈추세요.`, `Another program listens on ${port}. Find it with \`lsof -iTCP:${port} -sTCP:LISTEN\` (Windows: \`netstat -ano | findstr :${port}\`) and stop it.`)
            : L(`${port}번을 다른 프로그램이 씁니다. 그 프로그램을 멈추거나, 미러 없이 진행하려면 LAB_MIRRORS=off로 실행하세요.`, `Another program listens on ${port}. Stop it, or run without mirrors: LAB_MIRRORS=off npm run up.`),
    };
  });
}

export function checkInotify(f: Facts): Finding {
  const title = L('inotify 한도(max_user_watches ≥ 524288, max_user_instances ≥ 512)', 'inotify limits (max_user_watches ≥ 524288, max_user_instances ≥ 512)');
  if (!f.inotify) return { id: 'inotify', level: 'ok', title, observed: L('여기서는 해당 없음(Docker가 자기 제한을 가진 가상 머신에서 돎)', 'not applicable here (Docker runs in a VM with its own limits)') };
  const { maxUserWatches, maxUserInstances } = f.inotify;
  const ok = maxUserWatches >= 524288 && maxUserInstances >= 512;
  return {
    id: 'inotify',
    level: ok ? 'ok' : 'warn',
    title,
    observed: `max_user_watches=${maxUserWatches}, max_user_instances=${maxUserInstances}`,
    fix: ok
      ? undefined
      : L(
          '"too many open files"로 파드가 멈추는 것을 막습니다(kind 알려진 문제 #2586): `sudo sysctl fs.inotify.max_user_watches=524288 fs.inotify.max_user_instances=512`. 재부팅 후에도 유지하려면 같은 두 줄을 /etc/sysctl.d/99-cicd-lab.conf에 쓰세요.',
          'Prevents pods failing with "too many open files" (kind known issue #2586): `sudo sysctl fs.inotify.max_user_watches=524288 fs.inotify.max_user_instances=512`. To keep it after a reboot, put the same two settings in /etc/sysctl.d/99-cicd-lab.conf.',
        ),
  };
}

export function checkPids(f: Facts): Finding {
  const title = L('프로세스 수 한도(pid_max, Docker의 TasksMax)', 'Process limits (pid_max, Docker TasksMax)');
  const problems: string[] = [];
  if (f.pidMax !== undefined && f.pidMax < 32768) problems.push(`kernel.pid_max=${f.pidMax}`);
  const tasks = f.dockerTasksMax;
  if (tasks && tasks !== 'infinity' && Number(tasks) < 8192) problems.push(`docker.service TasksMax=${tasks}`);
  const observed = [f.pidMax !== undefined ? `pid_max=${f.pidMax}` : undefined, tasks ? `TasksMax=${tasks}` : undefined].filter(Boolean).join(', ') || 'not applicable here';
  if (!problems.length) return { id: 'pids', level: 'ok', title, observed };
  return {
    id: 'pids',
    level: 'warn',
    title,
    observed,
    fix: L(
      'Jenkins와 빌드 파드는 스레드를 많이 씁니다: `sudo sysctl kernel.pid_max=4194304`, `sudo systemctl set-property docker.service TasksMax=infinity`.',
      'Jenkins and build pods use many threads: `sudo sysctl kernel.pid_max=4194304` and `sudo systemctl set-property docker.service TasksMax=infinity`.',
    ),
  };
}

/** Names that must bypass a proxy for the lab to work. */
export const NO_PROXY_NEEDED = ['localhost', '127.0.0.1', '.localhost', 'kind-registry', '.svc', '.cluster.local'];

export function checkProxy(f: Facts): Finding {
  const title = L('프록시 설정이 랩 주소를 건너뛴다', 'Proxy settings bypass the lab addresses');
  const proxy = f.env.HTTPS_PROXY ?? f.env.https_proxy ?? f.env.HTTP_PROXY ?? f.env.http_proxy;
  const daemonProxy = f.docker.reachable ? f.docker.info.HttpsProxy || f.docker.info.HttpProxy : undefined;
  if (!proxy && !daemonProxy) return { id: 'proxy', level: 'ok', title, observed: L('프록시 없음', 'no proxy') };
  const noProxy = (f.env.NO_PROXY ?? f.env.no_proxy ?? '').split(',').map((s) => s.trim()).filter(Boolean);
  const daemonNoProxy = f.docker.reachable ? (f.docker.info.NoProxy ?? '').split(',').map((s) => s.trim()).filter(Boolean) : [];
  const missing = proxy ? NO_PROXY_NEEDED.filter((n) => !noProxy.includes(n)) : [];
  const daemonMissing = daemonProxy ? NO_PROXY_NEEDED.filter((n) => !daemonNoProxy.includes(n)) : [];
  const seen = (lang: Lang) =>
    [
      proxy ? `${t(L('프록시', 'proxy'), lang)} ${proxy}, NO_PROXY=${noProxy.join(',') || t(L('(비어 있음)', '(empty)'), lang)}` : '',
      daemonProxy ? `${t(L('Docker 데몬 프록시', 'Docker daemon proxy'), lang)} ${daemonProxy}` : '',
    ]
      .filter(Boolean)
      .join('; ');
  const observed = L(seen('ko'), seen('en'));
  if (!missing.length && !daemonMissing.length) return { id: 'proxy', level: 'ok', title, observed };
  const list = [...new Set([...noProxy, ...NO_PROXY_NEEDED])].join(',');
  return {
    id: 'proxy',
    level: 'warn',
    title,
    observed: L(`${observed.ko}; NO_PROXY에 빠진 것: ${[...new Set([...missing, ...daemonMissing])].join(', ')}`, `${observed.en}; missing from NO_PROXY: ${[...new Set([...missing, ...daemonMissing])].join(', ')}`),
    fix: L(
      `셸에서 \`export NO_PROXY=${list} no_proxy=${list}\`를 실행하고, Docker 데몬의 프록시 설정(Docker Desktop: Settings → Resources → Proxies, Linux: systemd의 docker.service 환경)에도 같은 목록을 넣으세요.`,
      `Run \`export NO_PROXY=${list} no_proxy=${list}\` in your shell, and put the same list in the Docker daemon's proxy settings (Docker Desktop: Settings → Resources → Proxies; Linux: the docker.service environment in systemd).`,
    ),
  };
}

export function checkUserns(f: Facts): Finding {
  const title = L('권한 없는 사용자 네임스페이스(Jenkins 빌드의 RUN 단계)', 'Unprivileged user namespaces (RUN steps of the Jenkins builds)');
  if (!f.userns) return { id: 'userns', level: 'ok', title, observed: 'not applicable here (Docker runs in a VM with its own kernel settings)' };
  const { maxUserNamespaces, apparmorRestrict } = f.userns;
  const observed = [maxUserNamespaces !== undefined ? `user.max_user_namespaces=${maxUserNamespaces}` : '', apparmorRestrict !== undefined ? `kernel.apparmor_restrict_unprivileged_userns=${apparmorRestrict}` : ''].filter(Boolean).join(', ') || 'no restriction found';
  const off = maxUserNamespaces === 0;
  const restricted = apparmorRestrict === 1;
  if (!off && !restricted) return { id: 'userns', level: 'ok', title, observed };
  // moby/buildkit docs/rootless.md, "Ubuntu, 24.04 or later" and "max_user_namespaces": the same holds
  // for rootless Buildah, which the build pods run unconfined by AppArmor.
  const settings = [off ? 'user.max_user_namespaces=28633' : '', restricted ? 'kernel.apparmor_restrict_unprivileged_userns=0' : ''].filter(Boolean).join(' ');
  return {
    id: 'userns',
    level: 'warn',
    title,
    observed,
    fix: L(
      `Jenkins 빌드 파드의 Buildah는 RUN 단계마다 사용자 네임스페이스를 만듭니다(root도 특권도 없이). 이 커널은 그것을 막아 RUN이 있는 Dockerfile 빌드가 실패합니다: \`sudo sysctl ${settings}\`. 재부팅 후에도 유지하려면 /etc/sysctl.d/99-cicd-lab.conf에 쓰세요.`,
      `Buildah in the Jenkins build pods makes a user namespace for each RUN step (no root, no privilege). This kernel refuses it, so builds of a Dockerfile with RUN fail: \`sudo sysctl ${settings}\`. To keep it after a reboot, put it in /etc/sysctl.d/99-cicd-lab.conf.`,
    ),
  };
}

export function checkWsl(f: Facts): Finding {
  const title = L('WSL2 네트워킹 모드가 NAT다', 'WSL2 networking mode is NAT');
  if (!f.wsl) return { id: 'wsl', level: 'ok', title, observed: L('WSL 아님', 'not WSL') };
  const mode = f.wsl.networkingMode ?? 'unknown';
  if (mode !== 'mirrored') return { id: 'wsl', level: 'ok', title, observed: L(`WSL2, 네트워크 모드 ${mode}`, `WSL2, networking mode ${mode}`) };
  return {
    id: 'wsl',
    level: 'warn',
    title,
    observed: L('WSL2, 네트워크 모드 mirrored', 'WSL2, networking mode mirrored'),
    fix: L(
      'mirrored 모드에서는 kind의 포트 매핑이 깨질 수 있습니다(kind #3565). %UserProfile%\\.wslconfig의 [wsl2]에 networkingMode=nat를 쓰고 PowerShell에서 `wsl --shutdown` 후 다시 여세요.',
      'Mirrored networking can break kind port mappings (kind #3565). In %UserProfile%\\.wslconfig under [wsl2] set networkingMode=nat, then run `wsl --shutdown` in PowerShell and reopen.',
    ),
  };
}

export function checkTools(f: Facts, v: Versions): Finding[] {
  const out: Finding[] = [];
  const kindWanted = parseVersion(v.tools.kind)!;
  const kindSeen = f.tools.kind ? parseVersion(f.tools.kind) : undefined;
  const kindFix = L(
    `devcontainer를 쓰거나 kind ${v.tools.kind}를 설치하세요: \`npm run tools\` (또는 https://kind.sigs.k8s.io/docs/user/quick-start/#installation).`,
    `Use the devcontainer, or install kind ${v.tools.kind}: \`npm run tools\` (or https://kind.sigs.k8s.io/docs/user/quick-start/#installation).`,
  );
  if (!kindSeen) out.push({ id: 'kind', level: 'block', title: L('kind가 있다', 'kind is installed'), observed: L('PATH에 없음', 'not on PATH'), fix: kindFix });
  else {
    // The node image is built for the pinned kind release; an older kind may not run it.
    const older = compareVersions(kindSeen, kindWanted) < 0;
    out.push({ id: 'kind', level: older ? 'block' : 'ok', title: L(`kind ${v.tools.kind} 이상`, `kind ${v.tools.kind} or newer`), observed: f.tools.kind!.trim(), fix: older ? kindFix : undefined });
  }

  // Kubernetes' version skew policy: kubectl is supported within one minor version (older or newer)
  // of the API server. Every kubectl that drives the lab cluster is the one on PATH (up, lab, the
  // solution scripts, the learner), so one outside the skew blocks.
  const cluster = parseVersion(clusterKubernetesVersion(v))!;
  const kubectlFix = L(
    `클러스터(${clusterKubernetesVersion(v)})와 마이너 버전이 하나 이내인 kubectl을 PATH의 맨 앞에 두세요: \`npm run tools\`가 ${clusterKubernetesVersion(v)}를 ~/.local/bin에 설치합니다(그 폴더를 PATH 앞에 추가).`,
    `Put a kubectl within one minor version of the cluster (${clusterKubernetesVersion(v)}) first on PATH: \`npm run tools\` installs ${clusterKubernetesVersion(v)} into ~/.local/bin (put that folder first on PATH).`,
  );
  const kubectlSeen = f.tools.kubectl ? parseVersion(f.tools.kubectl) : undefined;
  if (!kubectlSeen) out.push({ id: 'kubectl', level: 'block', title: L('kubectl이 있다', 'kubectl is installed'), observed: L('PATH에 없음', 'not on PATH'), fix: kubectlFix });
  else {
    const skew = Math.abs(kubectlSeen[1] - cluster[1]) > 1 || kubectlSeen[0] !== cluster[0];
    out.push({
      id: 'kubectl',
      level: skew ? 'block' : 'ok',
      title: L(`kubectl(클러스터 ${clusterKubernetesVersion(v)}와 마이너 하나 이내)`, `kubectl (within one minor of the cluster, ${clusterKubernetesVersion(v)})`),
      observed: f.tools.kubectl!.trim(),
      fix: skew ? kubectlFix : undefined,
    });
  }

  // The Rollouts labs use `kubectl argo rollouts` (get --watch, promote, undo); the other labs do not.
  const plugin = v.tools['kubectl-argo-rollouts'];
  const pluginSeen = f.tools['kubectl-argo-rollouts'] ? parseVersion(f.tools['kubectl-argo-rollouts']) : undefined;
  const pluginWanted = parseVersion(plugin)!;
  const pluginFix = L(
    `\`npm run tools\`가 kubectl 플러그인 kubectl-argo-rollouts ${plugin}을 설치합니다(Rollouts 실습의 \`kubectl argo rollouts\`).`,
    `\`npm run tools\` installs the kubectl plugin kubectl-argo-rollouts ${plugin} (\`kubectl argo rollouts\` in the Rollouts labs).`,
  );
  const pluginOld = pluginSeen && (pluginSeen[0] !== pluginWanted[0] || pluginSeen[1] < pluginWanted[1]);
  out.push({
    id: 'kubectl-argo-rollouts',
    level: !pluginSeen || pluginOld ? 'warn' : 'ok',
    title: L(`kubectl argo rollouts 플러그인(${plugin})`, `The kubectl argo rollouts plugin (${plugin})`),
    observed: f.tools['kubectl-argo-rollouts']?.trim() ?? 'not on PATH',
    fix: !pluginSeen || pluginOld ? pluginFix : undefined,
  });

  const helmSeen = f.tools.helm ? parseVersion(f.tools.helm) : undefined;
  const helmFix = L(`Helm ${v.tools.helm}을 설치하세요: \`npm run tools\` (또는 https://helm.sh/docs/intro/install/).`, `Install Helm ${v.tools.helm}: \`npm run tools\` (or https://helm.sh/docs/intro/install/).`);
  if (!helmSeen) out.push({ id: 'helm', level: 'block', title: L('helm이 있다', 'helm is installed'), observed: L('PATH에 없음', 'not on PATH'), fix: helmFix });
  else {
    // OCI charts (NGINX Gateway Fabric) need Helm 3.8 or newer.
    const old = compareVersions(helmSeen, [3, 8, 0]) < 0;
    out.push({ id: 'helm', level: old ? 'block' : 'ok', title: L('Helm 3.8 이상(OCI 차트)', 'Helm 3.8 or newer (OCI charts)'), observed: f.tools.helm!.trim(), fix: old ? helmFix : undefined });
  }
  return out;
}

/** Every check, the resources against `profile` (doctor: the one this machine fits; up: the one it builds). */
export function runChecks(f: Facts, v: Versions, p: PlatformFull, profile: ProfileName = recommendProfile(f.docker.reachable ? f.docker.info.MemTotal : undefined, f.machineMemory) ?? 'full'): Finding[] {
  return [checkDocker(f), ...checkResources(f, profile), checkProfile(f), checkArch(f), ...checkPorts(f, p), checkInotify(f), checkPids(f), checkUserns(f), checkProxy(f), checkWsl(f), ...checkTools(f, v)];
}

export const blockers = (findings: Finding[]) => findings.filter((x) => x.level === 'block');

// ── live gathering (needs the real machine; the checks above are what the tests exercise) ──────────

export function portFree(port: number, host = '127.0.0.1'): Promise<boolean> {
  return new Promise((resolve) => {
    const server = createServer();
    server.once('error', () => resolve(false));
    server.listen(port, host, () => server.close(() => resolve(true)));
  });
}

const readNumber = (file: string) => (existsSync(file) ? Number(readFileSync(file, 'utf8').trim()) : undefined);

export async function gatherFacts(runner: Runner, p: PlatformFull, env: NodeJS.ProcessEnv = process.env): Promise<Facts> {
  const first = async (cmd: string, args: string[]) => {
    const r = await runner({ cmd, args }).catch(() => ({ code: 127, stdout: '', stderr: '' }));
    return r.code === 0 ? (r.stdout.trim().split('\n')[0] ?? '') : undefined;
  };
  const info = await runner({ cmd: 'docker', args: ['info', '--format', '{{json .}}'] }).catch((e) => ({ code: 127, stdout: '', stderr: String(e) }));
  let docker: Facts['docker'];
  if (info.code === 0 && info.stdout.trim().startsWith('{')) {
    const parsed = JSON.parse(info.stdout) as DockerInfo & { ServerErrors?: string[] };
    docker = parsed.ServerVersion ? { reachable: true, info: parsed } : { reachable: false, error: parsed.ServerErrors?.join('; ') ?? 'no server' };
  } else docker = { reachable: false, error: (info.stderr || info.stdout).trim().split('\n')[0] || 'docker is not installed' };

  // Ports the lab's own containers publish count as "ours".
  const ps = docker.reachable ? await runner({ cmd: 'docker', args: ['ps', '--format', '{{.Names}} {{.Ports}}'] }).catch(() => undefined) : undefined;
  const ours = new Set([p.registryContainer.name, p.kind.node, ...p.mirrors.map((m) => m.container)]);
  const lines = (ps?.stdout ?? '').split('\n').filter((l) => ours.has(l.split(' ')[0]));
  const published = new Set([...lines.join(' ').matchAll(/:(\d+)->/g)].map((m) => Number(m[1])));
  const ports: Record<number, PortState> = {};
  for (const { port } of platformPorts(p)) ports[port] = (await portFree(port)) ? 'free' : published.has(port) ? 'ours' : 'taken';

  const os = osPlatform();
  // Docker Desktop keeps its own limits in its VM; a Linux host with a native engine (or one not started yet) uses the host's.
  const nativeLinux = os === 'linux' && !(docker.reachable && /Docker Desktop/i.test(docker.info.OperatingSystem));
  const inotify = nativeLinux
    ? { maxUserWatches: readNumber('/proc/sys/fs/inotify/max_user_watches') ?? 0, maxUserInstances: readNumber('/proc/sys/fs/inotify/max_user_instances') ?? 0 }
    : undefined;
  const isWsl = os === 'linux' && (Boolean(env.WSL_DISTRO_NAME) || (existsSync('/proc/version') && /microsoft/i.test(readFileSync('/proc/version', 'utf8'))));
  return {
    os,
    machineMemory: totalmem(),
    docker,
    ports,
    inotify,
    pidMax: nativeLinux ? readNumber('/proc/sys/kernel/pid_max') : undefined,
    userns: nativeLinux ? { maxUserNamespaces: readNumber('/proc/sys/user/max_user_namespaces'), apparmorRestrict: readNumber('/proc/sys/kernel/apparmor_restrict_unprivileged_userns') } : undefined,
    dockerTasksMax: nativeLinux ? await first('systemctl', ['show', 'docker', '--property', 'TasksMax', '--value']) : undefined,
    env: { HTTP_PROXY: env.HTTP_PROXY, HTTPS_PROXY: env.HTTPS_PROXY, NO_PROXY: env.NO_PROXY, http_proxy: env.http_proxy, https_proxy: env.https_proxy, no_proxy: env.no_proxy },
    wsl: isWsl ? { networkingMode: await first('wslinfo', ['--networking-mode']) } : undefined,
    tools: {
      kind: await first('kind', ['version']),
      kubectl: await first('kubectl', ['version', '--client']),
      helm: await first('helm', ['version', '--short']),
      'kubectl-argo-rollouts': await first('kubectl-argo-rollouts', ['version', '--short']),
    },
  };
}
