/**
 * `npm run status`: the installed profile, each component's health, address and login (the
 * components the profile does not install are shown as such), and the platform's memory against the
 * profile's figure (scripts/lib/profiles.ts). Gathering
 * asks Docker, kubectl and the services over HTTP (read only); rendering is a pure function of what
 * was gathered, tested with fake facts (test/kit/platform-cli.test.ts).
 */
import { endpoints } from '../../src/collect/index.js';
import { request } from '../../src/http.js';
import { L, t, type Lang, type Text } from '../../src/i18n.js';
import { displayWidth, padToWidth as pad } from '../../src/report/width.js';
import { credentialsPath, gatewayUrl, readCredentials, type Credentials } from '../../src/platform.js';
import { rel } from '../../src/paths.js';
import { credentialsMode } from './credentials.js';
import type { Runner } from './exec.js';
import type { Component, PlatformFull } from './platform.js';
import { codespace, forwardedUrl, labHosts, publicUrl } from './codespaces.js';
import type { ProfileName } from '../../src/catalog.js';
import { PROFILES, readInstalledProfile } from './profiles.js';

export interface ComponentStatus {
  id: string;
  healthy: boolean;
  /** What was seen: a sentence in both languages, or a value as it is. */
  detail: Text;
  url?: string;
  login?: { user: string; password?: string };
  /** Not part of the installed profile: not checked, not counted as unhealthy. */
  absent?: boolean;
}

export interface StatusFacts {
  /** The profile `up` recorded (.lab/platform.json); undefined: none recorded (counted as full). */
  profile?: ProfileName;
  components: ComponentStatus[];
  /** Memory of the platform's containers (docker stats), by container. */
  memory?: Record<string, number>;
  /** Where a browser reaches each lab host and the docs: here (*.localhost) or in a codespace (forwarded ports). */
  addresses?: { codespace: boolean; labs: { host: string; url: string }[]; docs: string };
  credentials: { path: string; mode?: number };
}

const UNITS: Record<string, number> = { B: 1, KB: 1e3, KIB: 1024, MB: 1e6, MIB: 1024 ** 2, GB: 1e9, GIB: 1024 ** 3, TB: 1e12, TIB: 1024 ** 4 };

/** "1.234GiB / 15.5GiB" (docker stats MemUsage) → bytes used. */
export function parseMemUsage(text: string): number | undefined {
  const m = /^\s*([\d.]+)\s*([kmgt]?i?b)/i.exec(text);
  if (!m) return undefined;
  const unit = UNITS[m[2].toUpperCase()];
  return unit ? Number(m[1]) * unit : undefined;
}

const gib = (bytes: number) => `${(bytes / 1024 ** 3).toFixed(2)} GiB`;

export function renderStatus(s: StatusFacts, lang: Lang): string {
  const say = (ko: string, en: string) => t(L(ko, en), lang);
  const rows = s.components.map((c) => [c.id, c.absent ? '–' : c.healthy ? '✓' : '✗', c.url ?? '', c.login ? `${c.login.user} / ${c.login.password ?? say('(아직 없음)', '(not yet)')}` : '', t(c.detail, lang)]);
  const head = [L('구성요소', 'component'), L('상태', 'health'), L('주소', 'address'), L('로그인', 'login'), L('자세히', 'detail')].map((h) => t(h, lang));
  // Columns line up by display width: a Hangul syllable takes two columns of the terminal.
  const widths = head.map((h, i) => Math.max(displayWidth(h), ...rows.map((r) => displayWidth(r[i]))));
  const line = (r: string[]) => r.map((cell, i) => pad(cell, widths[i])).join('  ').trimEnd();
  const profile = PROFILES[s.profile ?? 'full'];
  const out = [
    s.profile
      ? say(`프로필: ${profile.name} — ${profile.components.join(', ')} (${profile.for.ko})`, `Profile: ${profile.name} — ${profile.components.join(', ')} (${profile.for.en})`)
      : say('프로필: 기록 없음(프로필 이전의 설치이거나 아직 up 전) — full로 봅니다', 'Profile: none recorded (an install from before profiles, or no up yet) — taken as full'),
    line(head),
    ...rows.map(line),
    '',
  ];
  if (s.memory && Object.keys(s.memory).length) {
    // The profile's figure is an estimate until the e2e workflow measures it (docs/reference/platform.md#profiles).
    const target = profile.estimateBytes;
    const total = Object.values(s.memory).reduce((a, b) => a + b, 0);
    const over = total > target;
    const each = Object.entries(s.memory).map(([k, v]) => `${k} ${gib(v)}`).join(', ');
    out.push(
      say(
        `메모리(docker stats): ${gib(total)} — ${profile.name} 프로필의 목표 ${gib(target)} 이하${over ? '를 넘었습니다' : ''} (${each})`,
        `Memory (docker stats): ${gib(total)} — ${profile.name} profile's target ≤ ${gib(target)}${over ? ', exceeded' : ''} (${each})`,
      ),
    );
  }
  if (s.addresses) {
    const a = s.addresses;
    out.push(a.codespace ? say('실습 주소(이 Codespace가 전달하는 포트, 브라우저에서 열기):', 'Lab addresses (ports this codespace forwards; open them in the browser):') : say('실습 주소:', 'Lab addresses:'));
    const width = Math.max(0, ...a.labs.map((l) => l.host.length));
    for (const l of a.labs) out.push(`  ${l.host.padEnd(width)}  ${l.url}`);
    out.push(say(`문서(npm run docs:dev): ${a.docs}`, `Docs (npm run docs:dev): ${a.docs}`));
  }
  const mode = s.credentials.mode === undefined ? say('없음', 'missing') : `mode ${s.credentials.mode.toString(8).padStart(4, '0')}`;
  out.push(say(`로그인 파일: ${s.credentials.path} (${mode})`, `Logins file: ${s.credentials.path} (${mode})`));
  if (s.credentials.mode !== undefined && s.credentials.mode !== 0o600) out.push(say(`  → 본인만 읽게 하세요: chmod 600 ${s.credentials.path}`, `  → make it yours only: chmod 600 ${s.credentials.path}`));
  const bad = s.components.filter((c) => !c.healthy && !c.absent).map((c) => c.id).join(', ');
  if (bad) out.push(say(`문제가 있는 구성요소: ${bad} — \`npm run up\`이 고칩니다.`, `Not healthy: ${bad} — \`npm run up\` converges them.`));
  return out.join('\n');
}

async function httpOk(url: string, expect: (status: number) => boolean): Promise<{ ok: boolean; seen: string }> {
  try {
    const r = await request(url, { timeoutMs: 5000 });
    return { ok: expect(r.status), seen: `${r.status}` };
  } catch (error) {
    return { ok: false, seen: (error as { reason?: string }).reason ?? (error as Error).message };
  }
}

async function workloadsReady(runner: Runner, context: string, namespace: string): Promise<{ ok: boolean; seen: Text }> {
  const r = await runner({ cmd: 'kubectl', args: ['--context', context, '-n', namespace, 'get', 'deployments,statefulsets', '-o', 'json'] });
  if (r.code !== 0) return { ok: false, seen: r.stderr.trim().split('\n')[0] || L('kubectl 실패', 'kubectl failed') };
  const items = (JSON.parse(r.stdout) as { items: { kind: string; metadata: { name: string }; spec: { replicas?: number }; status: { readyReplicas?: number } }[] }).items;
  if (!items.length) return { ok: false, seen: L(`${namespace}에 설치된 것이 없음`, `nothing installed in ${namespace}`) };
  const notReady = items.filter((i) => (i.status.readyReplicas ?? 0) < (i.spec.replicas ?? 1)).map((i) => `${i.kind.toLowerCase()}/${i.metadata.name}`);
  return notReady.length
    ? { ok: false, seen: L(`준비 안 됨: ${notReady.join(', ')}`, `not ready: ${notReady.join(', ')}`) }
    : { ok: true, seen: L(`워크로드 ${items.length}개 준비됨`, `${items.length} workloads ready`) };
}

export async function gatherStatus(runner: Runner, p: PlatformFull, env: NodeJS.ProcessEnv = process.env, installedProfile: () => ProfileName | undefined = readInstalledProfile): Promise<StatusFacts> {
  const profile = installedProfile();
  const installed = (id: Component) => PROFILES[profile ?? 'full'].components.includes(id);
  const absent = (id: Component): ComponentStatus => ({
    id,
    healthy: false,
    absent: true,
    detail: L(`${profile} 프로필에 없음(npm run up -- --profile full이 더합니다)`, `not in the ${profile} profile (npm run up -- --profile full adds it)`),
  });
  const creds: Credentials = readCredentials();
  const ep = endpoints(env);
  // Health is checked where the kit reaches the gateway (127.0.0.1); the addresses shown are the ones
  // a browser uses where this runs (the forwarded ports in a GitHub Codespace).
  const url = (h: string) => gatewayUrl(h, env);
  const shown = (h: string) => publicUrl(h, p, env);
  const cs = codespace(env);
  const docker = await runner({ cmd: 'docker', args: ['info', '--format', '{{.ServerVersion}}'] }).catch(() => ({ code: 1, stdout: '', stderr: 'docker not found' }));
  const components: ComponentStatus[] = [];
  if (docker.code !== 0) {
    components.push({ id: 'docker', healthy: false, detail: L('Docker에 연결할 수 없음(npm run doctor)', 'Docker is not reachable (npm run doctor)') });
    return { profile, components, credentials: { path: rel(credentialsPath()), mode: credentialsMode() } };
  }
  const registry = await httpOk(`${ep.registry}/v2/`, (s) => s === 200);
  components.push({ id: 'registry', healthy: registry.ok, detail: `GET /v2/ → ${registry.seen}`, url: `${p.registry.host} · ${p.registry.inCluster}` });
  const node = await runner({ cmd: 'kubectl', args: ['--context', p.context, 'get', 'nodes', '-o', 'jsonpath={.items[*].status.conditions[?(@.type=="Ready")].status}'] });
  components.push({ id: 'cluster', healthy: node.code === 0 && node.stdout.trim() === 'True', detail: node.code === 0 ? L(`노드 Ready=${node.stdout.trim()}`, `node Ready=${node.stdout.trim()}`) : L(`클러스터 없음(${node.stderr.trim().split('\n')[0]})`, `no cluster (${node.stderr.trim().split('\n')[0]})`), url: `context ${p.context}` });
  const gwReady = await workloadsReady(runner, p.context, p.releases.gatewayController.namespace);
  const gwHttp = await httpOk(url(`status-check.${p.gateway.domain}`), () => true);
  components.push({ id: 'gateway', healthy: gwReady.ok && gwHttp.ok, detail: L(`${t(gwReady.seen, 'ko')}; ${p.gateway.host}:${p.gateway.port} 응답: ${t(gwHttp.seen, 'ko')}`, `${t(gwReady.seen, 'en')}; ${p.gateway.host}:${p.gateway.port} answers: ${t(gwHttp.seen, 'en')}`), url: cs ? `https://${cs.name}-<port>.${cs.domain}` : url(`<lab>.${p.gateway.domain}`) });
  const service = async (id: Component, namespace: string, host: string, path: string, login?: { user: string; password?: string }) => {
    if (!installed(id)) return void components.push(absent(id));
    const ready = await workloadsReady(runner, p.context, namespace);
    const http = await httpOk(`${url(host)}${path}`, (s) => s === 200);
    components.push({ id, healthy: ready.ok && http.ok, detail: L(`${t(ready.seen, 'ko')}; GET ${path} → ${t(http.seen, 'ko')}`, `${t(ready.seen, 'en')}; GET ${path} → ${t(http.seen, 'en')}`), url: shown(host), login });
  };
  await service('gitea', p.releases.gitea.namespace, p.hosts.gitea, '/api/v1/version', creds.gitea);
  await service('jenkins', p.releases.jenkins.namespace, p.hosts.jenkins, '/login', creds.jenkins && { user: creds.jenkins.user, password: creds.jenkins.password });
  await service('argocd', p.releases.argocd.namespace, p.hosts.argocd, '/healthz', creds.argocd ?? { user: p.logins.argocd });
  if (installed('rollouts')) {
    const rollouts = await workloadsReady(runner, p.context, p.releases.rollouts.namespace);
    components.push({ id: 'rollouts', healthy: rollouts.ok, detail: rollouts.seen });
  } else components.push(absent('rollouts'));

  const names = [p.kind.node, p.registryContainer.name, ...p.mirrors.map((m) => m.container)];
  const stats = await runner({ cmd: 'docker', args: ['stats', '--no-stream', '--format', '{{.Name}}\t{{.MemUsage}}', ...names] });
  const memory: Record<string, number> = {};
  for (const l of stats.stdout.split('\n')) {
    const [name, usage] = l.split('\t');
    const bytes = usage ? parseMemUsage(usage) : undefined;
    if (name && bytes !== undefined) memory[name] = bytes;
  }
  return { profile, components, memory, addresses: statusAddresses(p, env), credentials: { path: rel(credentialsPath()), mode: credentialsMode() } };
}

/** The lab hosts and the docs, at the addresses a browser uses where this runs. */
export function statusAddresses(p: PlatformFull, env: NodeJS.ProcessEnv): NonNullable<StatusFacts['addresses']> {
  const cs = codespace(env);
  return {
    codespace: Boolean(cs),
    labs: labHosts().map((host) => ({ host, url: publicUrl(host, p, env) })),
    docs: cs ? forwardedUrl(cs, p.codespaces.docs) : `http://localhost:${p.codespaces.docs}`,
  };
}

export const statusHealthy = (s: StatusFacts) => s.components.every((c) => c.healthy || c.absent);
