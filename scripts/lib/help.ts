/**
 * `--help` and `-h` of every command, in the learner's language: what it does, its options and the
 * environment it reads. One place for all of them, so a test can ask each command for its help and
 * find every option it accepts described (test/kit/help.test.ts). The scripts' header comments say
 * the same for readers of the code; docs/reference/commands.md says it at length.
 */
import { detectLang, L, t, type Localized } from '../../src/i18n.js';

export type Command = 'test' | 'grade' | 'lab' | 'up' | 'down' | 'status' | 'doctor' | 'tools' | 'prefetch' | 'class-report' | 'hint';

const CONTEXT = L('  --context <이름>     kind-cicd-lab 대신 이 kube 컨텍스트(LAB_CONTEXT)', '  --context <name>     this kube context instead of kind-cicd-lab (LAB_CONTEXT)');
const LANG = L('  LAB_LANG             ko | en (없으면 LANG에서)', '  LAB_LANG             ko | en (else from LANG)');
const HELP = L('  -h, --help           이 도움말', '  -h, --help           this help');

const join = (...parts: Localized[]): Localized => L(parts.map((p) => p.ko).join('\n'), parts.map((p) => p.en).join('\n'));

export const HELP_TEXT: Record<Command, Localized> = {
  test: join(
    L('사용법: npm test [-- <실습>…] [--context <이름>]', 'usage: npm test [-- <lab>…] [--context <name>]'),
    L('', ''),
    L('실습의 검사를 내 클러스터(또는 스냅샷)에서 채점합니다. 실습을 적지 않으면 모든 실습을 채점합니다.\n보고서: reports/grade.json, reports/junit.xml', "Grades the labs' checks on your cluster (or a snapshot). With no lab named, grades every lab.\nReports: reports/grade.json, reports/junit.xml"),
    L('', ''),
    L('옵션:', 'Options:'),
    CONTEXT,
    L('  --snapshot <파일>    클러스터 대신 저장한 스냅샷을 채점(LAB_SNAPSHOT)', '  --snapshot <file>    grade a saved snapshot instead of the cluster (LAB_SNAPSHOT)'),
    L('  --save <파일>        읽은 상태를 스냅샷으로도 저장', '  --save <file>        also save the state it read as a snapshot'),
    L('  --learner <이름>     reports/<이름>.grade.json도 씀(강사에게 제출)', '  --learner <name>     also write reports/<name>.grade.json (to hand in)'),
    HELP,
    L('', ''),
    L('환경 변수:', 'Environment:'),
    L('  LAB_WAIT             검사가 실패하는 동안 다시 볼 최대 초(기본 15)', '  LAB_WAIT             seconds to keep looking while checks fail (default 15)'),
    L('  LAB_DOCS_URL         힌트가 가리킬 문서 사이트', '  LAB_DOCS_URL         the docs site that hints link to'),
    LANG,
    L('', ''),
    L('종료 코드: 0 모두 통과 · 1 실패한 검사 있음 · 2 입력 오류나 클러스터 없음', 'Exit: 0 all pass · 1 a check failed · 2 bad input or no cluster'),
  ),
  grade: L('', ''),
  lab: join(
    L('사용법: npm run lab -- <명령> [<실습>] [옵션]', 'usage: npm run lab -- <command> [<lab>] [options]'),
    L('', ''),
    L('명령:', 'Commands:'),
    L('  list [--solvable]    실습 목록(과정 순서). --solvable --profile <이름>: 그 프로필에서 풀 수 있는 것만', '  list [--solvable]    the labs, in course order. --solvable --profile <name>: those that profile runs'),
    L('  start <실습>         실습의 시작 상태를 만듦', "  start <lab>          lay out the lab's starting state"),
    L('  reset <실습>         실습을 지우고 시작 상태로 되돌림', '  reset <lab>          remove the lab and lay it out again'),
    L('  solve <실습>         참고 답안을 적용', '  solve <lab>          apply the reference solution'),
    L('', ''),
    L('옵션:', 'Options:'),
    CONTEXT,
    L('  --dry-run            실행할 명령만 보여 줌', '  --dry-run            print the commands, run nothing'),
    L(
      '  --catch-up           (start) 먼저 이 실습이 이어 가는 앞 실습들(requires)을 과정 순서로 채점해,\n                       통과하는 것은 그대로 두고 나머지는 정답을 적용한 뒤 시작. 계획을 먼저\n                       보여 주고, 다시 실행해도 안전함. --dry-run과 함께: 채점하고 계획만 보여 줌',
      '  --catch-up           (start) first grade the labs it builds on (requires), in course order: keep\n                       those that pass, solve the others, then start. Prints the plan first; safe\n                       to run again. With --dry-run: grades and prints the plan only',
    ),
    HELP,
    L('', ''),
    L('환경 변수:', 'Environment:'),
    L('  LAB_CONTEXT          --context와 같음', '  LAB_CONTEXT          as --context'),
    LANG,
  ),
  up: join(
    L('사용법: npm run up [-- --profile strategies|full] [--dry-run] [--only <구성요소>[,…]]', 'usage: npm run up [-- --profile strategies|full] [--dry-run] [--only <component>[,…]]'),
    L('', ''),
    L('랩 플랫폼(kind 클러스터, 레지스트리, 게이트웨이, Gitea, Jenkins, Argo CD, Argo Rollouts)을 만들거나\n맞춥니다. 다시 실행해도 안전합니다.', 'Creates or converges the lab platform (kind cluster, registry, gateway, Gitea, Jenkins, Argo CD,\nArgo Rollouts). Safe to run again.'),
    L('', ''),
    L('옵션:', 'Options:'),
    L(
      '  --profile <이름>     strategies: 레지스트리, 클러스터, 게이트웨이, 이미지만(배포 전략 실습 s1–s6,\n                       작은 머신용) · full(기본): 모두. 나중에 --profile full이 나머지를 더함',
      '  --profile <name>     strategies: registry, cluster, gateway and images only (the strategy labs\n                       s1–s6, for small machines) · full (default): everything. A later\n                       --profile full adds the rest',
    ),
    L('  --dry-run            계획(단계, 본 것, 실행할 명령)만 보여 줌', '  --dry-run            print the plan (steps, what it saw, the commands), run nothing'),
    L('  --only <구성요소>    이 구성요소만: registry, cluster, gateway, images, gitea, jenkins, argocd, …', '  --only <components>  only these: registry, cluster, gateway, images, gitea, jenkins, argocd, …'),
    L('  --context <이름>     kind-cicd-lab이 아니면 거부(랩의 클러스터만 만듦)', "  --context <name>     refused unless kind-cicd-lab (up builds the lab's own cluster only)"),
    HELP,
    L('', ''),
    L('환경 변수:', 'Environment:'),
    L('  LAB_MIRROR_HOST      공유 풀스루 미러가 있는 호스트(워크숍 교실)', "  LAB_MIRROR_HOST      a shared pull-through mirror's host (a workshop room's)"),
    L('  LAB_MIRRORS=off      미러 없이 레지스트리에서 직접 받음', '  LAB_MIRRORS=off      no mirrors: pull from the registries directly'),
    L('  LAB_GATEWAY_PORT     게이트웨이의 호스트 포트(기본 8080)', "  LAB_GATEWAY_PORT     the gateway's host port (default 8080)"),
    LANG,
  ),
  down: join(
    L('사용법: npm run down [-- --yes] [--purge] [--dry-run]', 'usage: npm run down [-- --yes] [--purge] [--dry-run]'),
    L('', ''),
    L('랩 클러스터와 레지스트리 컨테이너를 지웁니다(먼저 묻습니다).', 'Deletes the lab cluster and the registry containers (asks first).'),
    L('', ''),
    L('옵션:', 'Options:'),
    L('  --yes                묻지 않음(터미널이 없으면 필요)', '  --yes                do not ask (required without a terminal)'),
    L('  --purge              미러 캐시와 .lab/cache도 지움', '  --purge              also delete the mirror caches and .lab/cache'),
    L('  --dry-run            지울 것만 보여 줌', '  --dry-run            print what would be deleted, delete nothing'),
    L('  --context <이름>     kind-cicd-lab이 아니면 거부', '  --context <name>     refused unless kind-cicd-lab'),
    HELP,
    L('', ''),
    L('환경 변수:', 'Environment:'),
    LANG,
  ),
  status: join(
    L('사용법: npm run status', 'usage: npm run status'),
    L('', ''),
    L('설치된 프로필, 구성요소마다 상태, 주소, 로그인, 그리고 프로필의 목표와 견준 메모리를 보여 줍니다.', "Shows the installed profile, each component's health, address and login, and the memory\nagainst the profile's target."),
    L('', ''),
    L('옵션:', 'Options:'),
    L('  --context <이름>     kind-cicd-lab이 아니면 거부', '  --context <name>     refused unless kind-cicd-lab'),
    HELP,
    L('', ''),
    L('환경 변수:', 'Environment:'),
    L('  LAB_GATEWAY_PORT     게이트웨이의 호스트 포트(기본 8080)', "  LAB_GATEWAY_PORT     the gateway's host port (default 8080)"),
    LANG,
  ),
  doctor: join(
    L('사용법: npm run doctor', 'usage: npm run doctor'),
    L('', ''),
    L('플랫폼을 만들기 전에 이 컴퓨터를 점검합니다: Docker와 그 메모리·CPU, 포트, inotify·pids 제한,\n아키텍처, 프록시, kind·kubectl·helm과 버전. 문제마다 고치는 방법을 알려 줍니다. 이 머신과 Docker의\n메모리로 맞는 플랫폼 프로필(strategies 또는 full)을 권합니다.', 'Checks this machine before the platform is built: Docker and its memory and CPUs, ports,\ninotify and pids limits, architecture, proxy, kind, kubectl and helm and their versions; prints\na fix for each problem. Recommends a platform profile (strategies or full) from the machine\'s\nand Docker\'s memory.'),
    L('', ''),
    L('옵션:', 'Options:'),
    HELP,
    L('', ''),
    L('환경 변수:', 'Environment:'),
    LANG,
    L('', ''),
    L('종료 코드: 0 문제 없음 · 1 고칠 문제가 있음', 'Exit: 0 nothing to fix · 1 a problem to fix'),
  ),
  tools: join(
    L('사용법: npm run tools [-- --dir <폴더>] [--dry-run]', 'usage: npm run tools [-- --dir <folder>] [--dry-run]'),
    L('', ''),
    L('versions.json에 고정된 kind, kubectl, helm을 내려받아 설치합니다.', 'Downloads and installs kind, kubectl and helm at the versions pinned in versions.json.'),
    L('', ''),
    L('옵션:', 'Options:'),
    L('  --dir <폴더>         설치할 폴더(기본 ~/.local/bin; PATH에 있어야 함)', '  --dir <folder>       where to install (default ~/.local/bin; it must be on PATH)'),
    L('  --dry-run            내려받을 것만 보여 줌', '  --dry-run            print the downloads, do nothing'),
    HELP,
    L('', ''),
    L('환경 변수:', 'Environment:'),
    LANG,
  ),
  prefetch: join(
    L('사용법: npm run prefetch [-- --share] [--arch amd64,arm64] [--dry-run]', 'usage: npm run prefetch [-- --share] [--arch amd64,arm64] [--dry-run]'),
    L('', ''),
    L('플랫폼의 이미지와 차트를 미리 받아 미러와 캐시에 둡니다(오프라인 워크숍 준비).', "Fills the mirrors and caches with the platform's images and charts ahead of time (an offline workshop)."),
    L('', ''),
    L('옵션:', 'Options:'),
    L('  --share              미러를 127.0.0.1 대신 0.0.0.0(교실 LAN)에 엶', '  --share              publish the mirrors on 0.0.0.0 (the room\'s LAN) instead of 127.0.0.1'),
    L('  --arch <목록>        미러를 채울 아키텍처(기본: 이 Docker 엔진의 것)', "  --arch <list>        architectures to fill the mirrors for (default: this Docker engine's)"),
    L('  --dry-run            할 일만 보여 줌', '  --dry-run            print what it would do, do nothing'),
    HELP,
    L('', ''),
    L('환경 변수:', 'Environment:'),
    L('  LAB_DOCKERHUB_USER, LAB_DOCKERHUB_TOKEN   docker.io 미러용 Docker Hub 로그인', '  LAB_DOCKERHUB_USER, LAB_DOCKERHUB_TOKEN   a Docker Hub login for the docker.io mirror'),
    LANG,
  ),
  hint: join(
    L('사용법: npm run hint -- <실습> [<검사>] [--context <이름>] [--snapshot <파일>]', 'usage: npm run hint -- <lab> [<check>] [--context <name>] [--snapshot <file>]'),
    L('', ''),
    L(
      '실습을 채점한 다음, 실패한 검사마다(또는 적은 검사 하나) 물을 때마다 한 단계씩 더 알려 줍니다:\n1 살짝 알려 주기(힌트) → 2 어디를 볼지(문서 절과 정확한 필드나 명령) → 3 풀이의 해당 부분.\n3단계는 다시 물어도 3단계입니다. 검사를 통과하면 처음으로 돌아갑니다. 기록: .lab/progress.json',
      'Grades the lab, then for each failing check (or the one named) shows one more level each time you ask:\n1 a nudge (the hint) → 2 where to look (the docs section and the exact field or command) → 3 the solution\'s part.\nLevel 3 stays at 3; when the check passes, its hints start again. Kept in .lab/progress.json',
    ),
    L('', ''),
    L('옵션:', 'Options:'),
    CONTEXT,
    L('  --snapshot <파일>    클러스터 대신 저장한 스냅샷을 채점(LAB_SNAPSHOT)', '  --snapshot <file>    grade a saved snapshot instead of the cluster (LAB_SNAPSHOT)'),
    HELP,
    L('', ''),
    L('환경 변수:', 'Environment:'),
    L('  LAB_DOCS_URL         두 번째 단계가 가리킬 문서 사이트', '  LAB_DOCS_URL         the docs site the second level links to'),
    L('  LAB_PROGRESS_FILE    진행 기록 파일(기본 .lab/progress.json)', '  LAB_PROGRESS_FILE    the progress record (default .lab/progress.json)'),
    LANG,
    L('', ''),
    L('종료 코드: 0 실패한 검사 없음 · 1 실패한 검사의 힌트를 보여 줌 · 2 입력 오류(없는 실습이나 검사)나 클러스터 없음', 'Exit: 0 nothing fails · 1 hints shown for failing checks · 2 bad input (unknown lab or check) or no cluster'),
  ),
  'class-report': join(
    L(
      '사용법: npm run class-report -- <파일|폴더>… [--out <폴더>] [--labs <id,…>] [--top <n>]\n       npm run class-report -- --watch <폴더> [--port <n>] [--out <폴더>] [--labs <id,…>]',
      'usage: npm run class-report -- <file|folder>… [--out <dir>] [--labs <id,…>] [--top <n>]\n       npm run class-report -- --watch <folder> [--port <n>] [--out <dir>] [--labs <id,…>]',
    ),
    L('', ''),
    L(
      '학습자들이 낸 채점 보고서와 스냅샷으로 반 보고서(class.html, class.csv)를 만듭니다.\n맨 위에는 반 대부분이 실패하는 검사와, 실습마다 막힌 학습자(시작했지만 통과 못 함: 오래전에 시작한 사람, 힌트를 많이 본 사람 먼저)가 나옵니다.',
      "Builds the class report (class.html, class.csv) from the learners' grade reports and snapshots.\nAt the top: the check most of the room fails, and per lab who is stuck (started, not passed: longest since started first, then most hints).",
    ),
    L('', ''),
    L('옵션:', 'Options:'),
    L('  --out <폴더>         class.html과 class.csv를 둘 곳(기본 reports/)', '  --out <dir>          where class.html and class.csv go (default reports/)'),
    L('  --labs <id,…>        이 실습만 열로(기본: 누군가 채점한 모든 실습)', '  --labs <id,…>        only these labs as columns (default: every lab someone was graded on)'),
    L('  --top <n>            가장 자주 실패한 검사를 몇 개 보여 줄지(기본 10)', '  --top <n>            how many of the most often failing checks to list (default 10)'),
    L('  --sort <순서>        name(기본), progress, graded', '  --sort <order>       name (default), progress or graded'),
    L('  --title <글>         페이지 제목(예: 워크숍 이름과 날짜)', "  --title <text>       the page's title, e.g. the workshop's name and date"),
    L('  --refresh <초>       페이지가 이 간격으로 다시 읽음(프로젝터용)', '  --refresh <s>        the page reloads itself every s seconds (for a projector)'),
    L('  --watch <폴더>       실시간 보기: 이 폴더에 제출물이 들어올 때마다 페이지가 스스로 바뀜(Ctrl-C로 멈춤)', '  --watch <folder>     live view: the page updates itself as hand-ins arrive in this folder (Ctrl-C stops)'),
    L('  --port <n>           --watch가 페이지를 보여 줄 포트(기본 4180, 127.0.0.1)', '  --port <n>           the port --watch serves the page on (default 4180, on 127.0.0.1)'),
    HELP,
    L('', ''),
    L('환경 변수:', 'Environment:'),
    L('  LAB_REPORTS_DIR      --out의 기본값', '  LAB_REPORTS_DIR      the default of --out'),
    LANG,
  ),
};
// npm test and npm run grade are the same command; grade adds --save and --learner in its usage.
HELP_TEXT.grade = L(
  HELP_TEXT.test.ko.replace('사용법: npm test [-- <실습>…] [--context <이름>]', '사용법: npm run grade -- [<실습>…] [--save <파일>] [--learner <이름>] [--context <이름>]'),
  HELP_TEXT.test.en.replace('usage: npm test [-- <lab>…] [--context <name>]', 'usage: npm run grade -- [<lab>…] [--save <file>] [--learner <name>] [--context <name>]'),
);

/** True when the arguments ask for help (`-h` or `--help` anywhere before a bare `--`). */
export function wantsHelp(argv: string[]): boolean {
  const end = argv.indexOf('--');
  return (end < 0 ? argv : argv.slice(0, end)).some((a) => a === '-h' || a === '--help');
}

/** Prints a command's help in the learner's language; the exit code (0). */
export function printHelp(command: Command, env: NodeJS.ProcessEnv = process.env): number {
  console.log(t(HELP_TEXT[command], detectLang(env)));
  return 0;
}
