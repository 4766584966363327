/**
 * The course carries all of its seed, the Korean notes on building a CI/CD pipeline it was made from
 * (ARCHITECTURE.md#product; the notes are not part of the repository): every line of the notes is
 * taught somewhere, in both languages. This is the map from each seed line to the page section that
 * teaches it; the test fails when a section loses what it carries (or its anchor), so the map
 * cannot silently go stale.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { DOCS_DIR } from '../../src/paths.js';

interface Carried {
  /** The line of the seed, as the notes write it. */
  seed: string;
  /** The page (relative to docs/ and docs/en/) and the `{#anchor}` of its section; no anchor: the page's opening. */
  page: string;
  anchor?: string;
  ko: string[];
  en: string[];
}

const SEED: Carried[] = [
  // 1. CI / CD 파이프라인을 구성할 때 고려해야 할 요소
  { seed: '관리 담당 (관리 vs 기능)', page: 'part-0/index.md', anchor: 'ownership', ko: ['기능 기준으로 나누기', '관리 기준으로 나누기'], en: ['a split by function', 'a split by management responsibility'] },
  { seed: '- 업무 분장', page: 'part-0/index.md', anchor: 'ownership', ko: ['업무 분장'], en: ['Division of work'] },
  { seed: '- 관리 책임', page: 'part-0/index.md', anchor: 'ownership', ko: ['관리 책임'], en: ['Accountability'] },
  { seed: '빌드 > 컨테이너빌드 > 배포', page: 'part-0/index.md', anchor: 'ownership', ko: ['빌드 > 컨테이너 빌드 > 배포', '<PipelineDiagram variant="ownership">'], en: ['Build > container build > deploy', '<PipelineDiagram variant="ownership">'] },
  { seed: '빌드 > 컨테이너빌드 + 배포', page: 'part-0/index.md', anchor: 'ownership', ko: ['빌드 > 컨테이너 빌드 + 배포'], en: ['Build > container build + deploy'] },
  { seed: '운영 정책 (단일 vs 분리)', page: 'part-0/index.md', anchor: 'environments', ko: ['하나로(단일)', '환경마다(분리)'], en: ['**Shared**', '**Separate**'] },
  { seed: '- 관리 편의', page: 'part-0/index.md', anchor: 'environments', ko: ['관리 편의'], en: ['Convenience'] },
  { seed: '- 장애 영향도', page: 'part-0/index.md', anchor: 'environments', ko: ['장애 영향도'], en: ['Blast radius'] },
  { seed: '빌드 (소스빌드 , 컨테이너 빌드) -> ArgoCD사용하여 배포 (kubectl, Helm, kustomize) -> 개발 / 운영', page: 'part-0/index.md', anchor: 'environments', ko: ['빌드(소스 빌드, 컨테이너 빌드) → Argo CD를 사용하여 배포(kubectl, Helm, Kustomize로 만든 매니페스트) → 개발 / 운영'], en: ['Build (source build, container build) → deploy with Argo CD (manifests made with kubectl, Helm, Kustomize) → dev / prod'] },
  { seed: '개발/운영 앞에 각각 배포를 도와주는 ArgoCD를 둘까', page: 'part-0/index.md', anchor: 'environments', ko: ['개발과 운영 앞에 배포를 도와주는 Argo CD를 하나만 둘지, 환경마다 하나씩 둘지', '<PipelineDiagram variant="topology">'], en: ['whether one Argo CD stands in front of both dev and prod, or each environment gets its own', '<PipelineDiagram variant="topology">'] },
  { seed: '제품 선정', page: 'part-0/index.md', anchor: 'choosing', ko: ['제품 선정'], en: ['Choosing products'] },
  { seed: '- 데이터 보안', page: 'part-0/index.md', anchor: 'data-security', ko: ['데이터 보안', '폐쇄망'], en: ['Data security', 'air-gapped'] },
  { seed: '- 레퍼런스', page: 'part-0/index.md', anchor: 'references', ko: ['레퍼런스'], en: ['References'] },
  { seed: '- 유지보수 업체', page: 'part-0/index.md', anchor: 'support', ko: ['유지보수 업체', '기술 지원'], en: ['Maintenance vendors', 'under contract'] },
  { seed: '- Docker 대체 (무거움, Daemon 필요)', page: 'part-0/index.md', anchor: 'docker-alternatives', ko: ['Docker 대체', 'Docker는 무겁고', '**데몬이 필요합니다**'], en: ['Replacing Docker', 'Docker is heavy', '**needs a daemon**'] },
  { seed: '온라인 : Github Actions (CI/CD 서버 불필요)', page: 'part-0/index.md', anchor: 'landscape', ko: ['CI/CD — 온라인', 'GitHub Actions', 'CI/CD 서버를 따로 운영하지 않아도 됩니다'], en: ['CI/CD — online', 'GitHub Actions', 'No CI/CD server to run yourself'] },
  { seed: '오프라인 : Jenkins', page: 'part-0/index.md', anchor: 'landscape', ko: ['CI/CD — 오프라인(설치형)', '[Jenkins]'], en: ['CI/CD — offline (self-hosted)', '[Jenkins]'] },
  { seed: 'CI Tool: Travis CI, circleci', page: 'part-0/index.md', anchor: 'landscape', ko: ['[Travis CI]', '[CircleCI]'], en: ['[Travis CI]', '[CircleCI]'] },
  { seed: 'CI Tool: GitLab', page: 'part-0/index.md', anchor: 'landscape', ko: ['[GitLab CI/CD]'], en: ['[GitLab CI/CD]'] },
  { seed: 'CD Tool: Argo, Spinnaker', page: 'part-0/index.md', anchor: 'landscape', ko: ['[Argo CD]', '[Spinnaker]'], en: ['[Argo CD]', '[Spinnaker]'] },
  { seed: '소스빌드 -> 컨테이너 빌드 buildah , podman, skopeo, Kaniko(쿠버네티스 위에서만 돌아감)', page: 'part-0/index.md', anchor: 'docker-alternatives', ko: ['[Buildah]', '[Podman]', '[Skopeo]', '| Kaniko |', '컨테이너 안에서 실행하도록 만들어졌습니다(보통 쿠버네티스 Pod)', '2025-06-03', 'osscontainertools/kaniko'], en: ['[Buildah]', '[Podman]', '[Skopeo]', '| Kaniko |', 'made to run inside a container (usually a Kubernetes Pod)', '2025-06-03', 'osscontainertools/kaniko'] },
  { seed: '(what changed since: ingress-nginx, Stage View)', page: 'part-0/index.md', anchor: 'changes', ko: ['2025-11-11', '2026년 3월', 'Gateway API', 'Pipeline Graph View'], en: ['2025-11-11', 'March 2026', 'Gateway API', 'Pipeline Graph View'] },

  // 2. 배포 전략을 세울 때 고려해야 하는 요소
  { seed: 'Recreate: Deployment 업데이트 · downtime 발생 · 자동배포(정지, 롤백 기능) · 트래픽 제어 불가', page: 'strategies/index.md', anchor: 'compare', ko: ['v1을 모두 내린 다음 v2를 올립니다', '**있음**', '자동 배포(정지, 롤백 기능)', '| 트래픽 제어 | 불가 |'], en: ['all of v1 stops, then v2 starts', '**yes**', 'automated (pause and rollback available)', '| Traffic control | none |'] },
  { seed: 'RollingUpdate: Deployment 업데이트 · v1, v2 동시 호출 발생 · 하나씩 동작 · 자동 배포 (정지, 롤백 가능) · 트래픽 제어 불가 · 서비스 중단 없음', page: 'strategies/index.md', anchor: 'compare', ko: ['Pod를 하나씩 v2로 바꿉니다', 'v1과 v2가 같이 호출됨', '자동 배포(정지, 롤백 가능)', '불가(Pod 수만큼 나뉨)', '없음(준비 검사가 있을 때)'], en: ['Pods are replaced by v2 one by one', 'v1 and v2 are both called', 'automated (pause and rollback available)', 'none (split by the number of Pods)', 'none (with a readiness check)'] },
  { seed: 'Blue/Green: v2를 다 만든다음에 service의 selector를 v2로 변경하면 모두 v2로 감', page: 'strategies/index.md', anchor: 'compare', ko: ['v2를 다 만든 다음 Service의 selector를 v2로 바꾸면 모두 v2로 갑니다'], en: ["build all of v2, then change the Service's selector to v2 and everything goes to v2"] },
  { seed: 'Blue/Green: 수동 배포시에 롤백이 빠름 · Script를 통해 자동 배포 가능', page: 'strategies/index.md', anchor: 'bluegreen', ko: ['**수동 배포일 때 롤백이 빠릅니다**', '**스크립트로 자동 배포**'], en: ['**A manual rollback is fast**', '**It can be automated with a script**'] },
  { seed: 'Blue/Green: v2에 과도한 트래픽 유입시 문제 발생 (CPU 안정화 된 뒤에 들어오도록)', page: 'strategies/index.md', anchor: 'bluegreen', ko: ['**v2에 과도한 트래픽이 한꺼번에 들어오면 문제가 생깁니다**', 'CPU가 안정된 뒤에 트래픽이 들어오도록', '<TrafficDiagram kind="bluegreen">'], en: ['**Too much traffic on v2 at once causes trouble**', 'traffic arrives only once the CPU has settled', '<TrafficDiagram kind="bluegreen">'] },
  { seed: 'Blue/Green: 운영에만 테스트 가능한 경우', page: 'strategies/index.md', anchor: 'bluegreen', ko: ['**운영 환경에서만 테스트할 수 있는 경우**'], en: ['**It helps when something can only be tested in production**'] },
  { seed: 'Canary: Ingress 설정을하여 트래픽 비율을 정할 수 있다', page: 'strategies/index.md', anchor: 'canary', ko: ['노트는 비율을 Ingress 설정으로 정했지만', '`backendRefs[].weight`', '<TrafficDiagram kind="canary">'], en: ['The notes set the ratio with an Ingress setting', '`backendRefs[].weight`', '<TrafficDiagram kind="canary">'] },
  { seed: 'Canary: 트래픽을 점점 늘려가며 새 버전으로 완전한 전환이 끝나면 삭제', page: 'strategies/index.md', anchor: 'canary', ko: ['비율을 점점 늘려 완전히 전환한 뒤 옛 버전을 지웁니다'], en: ['raise the share step by step until the switch is complete, then delete the old version'] },
  { seed: 'Canary: 콜드 스타트 방지 (웜업할 때까지 과도한 트래픽 방지)', page: 'strategies/index.md', anchor: 'canary', ko: ['**콜드 스타트를 막습니다**', '웜업할 때까지 과도한 트래픽이 들어오지 않습니다'], en: ['**It prevents a cold start**', 'no flood of traffic before the new version has warmed up'] },
  { seed: 'Canary: 두 버전 비교 방지 (A/B테스트 용)', page: 'strategies/index.md', anchor: 'canary', ko: ['**두 버전을 비교할 수 있습니다**', 'A/B 테스트'], en: ['**It lets you compare the two versions**', 'A/B tests'] },
  { seed: 'Canary: 특정 헤더 값에 한해서만 v2로 트래픽 유입 (source Ip, User, Language)', page: 'strategies/index.md', anchor: 'canary', ko: ['**특정 헤더 값에 한해서만 v2로**', 'source IP, 사용자, 언어'], en: ['**It can send only requests with a given header value to v2**', 'source IP, user or language'] },
  { seed: 'Recreate / RollingUpdate (the strategies themselves, with diagrams)', page: 'strategies/index.md', anchor: 'recreate', ko: ['<TrafficDiagram kind="recreate">', '다운타임'], en: ['<TrafficDiagram kind="recreate">', 'downtime'] },
  { seed: 'RollingUpdate: 하나씩 동작, v1 v2 동시 호출', page: 'strategies/index.md', anchor: 'rolling', ko: ['<TrafficDiagram kind="rolling">', '**v1과 v2가 함께 응답**'], en: ['<TrafficDiagram kind="rolling">', '**v1 and v2 answer side by side**'] },
  { seed: '무조건 서비스 중단 없이 배포해야 하는 것은 아니다. -> Recreate, RollingUpdate 사용', page: 'strategies/index.md', anchor: 'zero-downtime', ko: ['**무조건 서비스 중단 없이 배포해야 하는 것은 아닙니다.**', 'Recreate나 RollingUpdate'], en: ['**Not every deployment has to avoid an outage.**', 'Recreate or RollingUpdate'] },
  { seed: '데이터베이스 스키마 변경시 1. 서비스 중단 공지 2. Deployment Replica0으로 변경 3. DB 작업 4. Deployment 태그 변경 및 Replica 2로 수정', page: 'strategies/index.md', anchor: 'db-schema', ko: ['1. 서비스 중단을 공지합니다.', '2. Deployment의 replicas를 0으로 바꿉니다.', '3. DB 작업을 합니다', '4. Deployment의 이미지 태그를 바꾸고 replicas를 2로 올립니다.', '<TrafficDiagram kind="migration">'], en: ['1. Announce the outage.', "2. Scale the Deployment's replicas to 0.", '3. Do the database work', "4. Change the Deployment's image tag and scale replicas to 2.", '<TrafficDiagram kind="migration">'] },
  { seed: 'script + kubectl, argocd : Blue/Green 방식 사용', page: 'strategies/index.md', anchor: 'tools', ko: ['**script + kubectl, Argo CD로는 Blue/Green**', '| Blue/Green | 스크립트 + kubectl |'], en: ['**script + kubectl, or Argo CD, for blue/green**', '| Blue/green | script + kubectl |'] },
  { seed: 'ArgoCD, Nginx, Istio: Canary 사용', page: 'strategies/index.md', anchor: 'tools', ko: ['**Argo CD, Nginx, Istio로는 Canary**', '서비스 메시(Istio 등)'], en: ['**Argo CD, Nginx or Istio for canary**', 'a service mesh (Istio and others)'] },

  // 3. 단계별로 구축해보는 배포 파이프라인
  { seed: 'Level1 : Jenkins 기본 구성', page: 'level-1/index.md', anchor: 'what', ko: ['Freestyle 작업 `hello-freestyle`'], en: ['the freestyle job `hello-freestyle`'] },
  { seed: 'Level2 : Jenkins Pipeline 사용', page: 'level-2/index.md', anchor: 'what', ko: ['Pipeline 작업 `hello-pipeline`', '**Build → Container Build → Deploy**'], en: ['the Pipeline job `hello-pipeline`', '**Build → Container Build → Deploy**'] },
  { seed: '빌드 -> 컨테이너 빌드 -> 배포 간의 상관 관계를 명시함으로써 Stage View를 확인 가능', page: 'level-2/index.md', anchor: 'why', ko: ['빌드 → 컨테이너 빌드 → 배포 사이의 관계를 명시하므로 단계별 화면을 볼 수 있습니다', 'Stage View', 'Pipeline Graph View'], en: ['Declaring how build → container build → deploy relate gives you a per-stage view', 'Stage View', 'Pipeline Graph View'] },
  { seed: 'JenkinsFile을 Release 파일로 관리할 수 있다 (변경 이력 관리 가능)', page: 'level-2/index.md', anchor: 'why', ko: ['Jenkinsfile을 릴리스 파일로 관리할 수 있습니다(변경 이력 관리 가능)'], en: ['The Jenkinsfile can be managed as a release file, with a change history'] },
  { seed: 'Level3 : Kustomize, Helm 배포 · 배포 방식을 Kustomize, HELM으로 변경하여 릴리즈 파일로 관리 가능', page: 'level-3/index.md', ko: ['**배포 방식을 Kustomize와 Helm으로 바꿔**', '릴리스 파일로 관리합니다'], en: ['**changes the way of deploying to Kustomize and Helm**', 'become release files'] },
  { seed: '동적 배포 파일 만들어 적용 -> 배포 템플릿을 Helm(.yaml)으로 만들어놓고 Helm 배포 명령을 수행할 떄 외부 변수로 주입하여 시행한다', page: 'level-3/index.md', anchor: 'what', ko: ['배포 템플릿을 차트(`.yaml` 템플릿과 `values.yaml`)로 만들어 두고', '**Helm 배포 명령을 수행할 때 외부 변수로 주입**', '--set image.tag='], en: ['the deployment template becomes a chart (`.yaml` templates and `values.yaml`)', '**values are injected from outside when the Helm deploy command runs**', '--set image.tag='] },
  { seed: 'Level4 : ArgoCD 배포 분리', page: 'level-4/index.md', ko: ['**배포를 파이프라인에서 떼어 냅니다.**'], en: ['**takes deployment out of the pipeline.**'] },
  { seed: 'ArgoCD는 쿠버네티스와 릴리즈 파일 사이에서 계속 싱크를 맞춰준다', page: 'level-4/index.md', anchor: 'what', ko: ['**Argo CD는 쿠버네티스와 릴리스 파일 사이에서 계속 싱크를 맞춰 줍니다.**'], en: ['**Argo CD keeps Kubernetes in sync with the release files, continuously.**'] },
  { seed: 'Kubernetes 리소스를 쉽게 볼 수 있는 리소스 UI를 제공한다', page: 'level-4/index.md', anchor: 'what', ko: ['**쿠버네티스 리소스를 쉽게 볼 수 있는 UI를 제공합니다.**'], en: ['**It gives you a UI that makes Kubernetes resources easy to see.**'] },
  { seed: 'Blue/Green, Canary 배포 방식을 제공한다', page: 'level-4/index.md', anchor: 'what', ko: ['**Blue/Green, Canary 배포 방식을 제공합니다.**', '**Argo Rollouts**'], en: ['**It provides blue/green and canary deployments.**', '**Argo Rollouts**'] },
];

/** The Markdown of a section: from its `{#anchor}` heading to the next heading of the same or a higher level. */
export function section(markdown: string, anchor?: string): string {
  const lines = markdown.split('\n');
  if (!anchor) {
    const end = lines.findIndex((l, i) => i > 0 && /^##\s/.test(l));
    return lines.slice(0, end < 0 ? undefined : end).join('\n');
  }
  const start = lines.findIndex((l) => /^#{1,6}\s/.test(l) && l.includes(`{#${anchor}}`));
  if (start < 0) return '';
  const level = /^#+/.exec(lines[start])![0].length;
  const end = lines.findIndex((l, i) => i > start && /^#{1,6}\s/.test(l) && /^#+/.exec(l)![0].length <= level);
  return lines.slice(start, end < 0 ? undefined : end).join('\n');
}

describe('the course carries every line of the seed notes', () => {
  it.each(SEED.map((c) => [c.seed, c] as const))('"%s"', (_seed, c) => {
    for (const [lang, dir, phrases] of [['ko', DOCS_DIR, c.ko], ['en', join(DOCS_DIR, 'en'), c.en]] as const) {
      const text = section(readFileSync(join(dir, c.page), 'utf8'), c.anchor);
      expect(text, `${lang}/${c.page}#${c.anchor ?? ''} exists`).not.toBe('');
      for (const phrase of phrases) expect(text, `${lang}/${c.page}#${c.anchor ?? ''}`).toContain(phrase);
    }
  });
});
