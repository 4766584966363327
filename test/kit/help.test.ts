/**
 * Every command answers --help and -h with its usage in the learner's language and exits 0;
 * status and doctor speak Korean fully under LAB_LANG=ko, with tables aligned by display width;
 * tools warns when its install folder is not on PATH.
 */
import { describe, expect, it, type TestContext } from 'vitest';
import { renderStatus, type StatusFacts } from '../../scripts/lib/status.js';
import { HELP_TEXT, wantsHelp, type Command } from '../../scripts/lib/help.js';
import { notOnPath } from '../../scripts/tools.js';
import { L } from '../../src/i18n.js';
import { displayWidth } from '../../src/report/width.js';
import { cleanEnv, npmRun, tsx } from '../lib/cli.js';

const COMMANDS: [Command, string][] = [
  ['test', 'test'], ['grade', 'grade'], ['lab', 'lab'], ['up', 'up'], ['down', 'down'], ['status', 'status'],
  ['doctor', 'doctor'], ['tools', 'tools'], ['prefetch', 'prefetch'], ['class-report', 'class-report'], ['hint', 'hint'],
];

const SCRIPT_FILES: Record<string, string> = { test: 'scripts/grade.ts', grade: 'scripts/grade.ts' };
const scriptFile = (script: string) => SCRIPT_FILES[script] ?? `scripts/${script}.ts`;

describe('--help and -h', () => {
  // Each command once through npm (the script's wiring) and once straight (the other flag): every
  // one starts a process, so they run side by side.
  const cases = COMMANDS.flatMap(([command, script]): [Command, string, string, 'ko' | 'en'][] => [[command, script, '--help', 'ko'], [command, script, '-h', 'en']]);
  it.concurrent.for(cases)(
    '%s (npm run %s) %s, LAB_LANG=%s: prints the usage and exits 0, doing nothing else',
    { timeout: 120_000 },
    async ([command, script, flag, lang]: [Command, string, string, 'ko' | 'en'], { expect }: TestContext) => {
      const env = cleanEnv({ LAB_LANG: lang });
      // Straight, the script is told which npm script it is as npm would tell it (test and grade share one file).
      const r = flag === '--help' ? await npmRun(script, [flag], env) : await tsx(scriptFile(script), [flag], { ...env, npm_lifecycle_event: script });
      expect(r.code, r.stderr).toBe(0);
      expect(r.stdout.trim()).toBe(HELP_TEXT[command][lang]);
      expect(r.stdout).toMatch(lang === 'ko' ? /^사용법: / : /^usage: /);
      expect(r.stdout).toContain(lang === 'ko' ? '-h, --help           이 도움말' : '-h, --help           this help');
    },
  );

  it('is asked for by -h or --help anywhere, but not after a bare --', () => {
    expect(wantsHelp(['s1-recreate', '--help'])).toBe(true);
    expect(wantsHelp(['-h'])).toBe(true);
    expect(wantsHelp(['s1-recreate'])).toBe(false);
    expect(wantsHelp(['--', '--help'])).toBe(false);
  });

  it('has Korean that is Korean and the same options in both languages', () => {
    for (const [command, text] of Object.entries(HELP_TEXT)) {
      expect(text.ko, command).toMatch(/[\uac00-\ud7a3]/);
      const options = (s: string) => [...s.matchAll(/(^|\s)(--?[a-z][\w-]*)/g)].map((m) => m[2]).sort();
      expect(options(text.ko), command).toEqual(options(text.en));
    }
  });
});

describe('status in Korean', () => {
  const facts: StatusFacts = {
    components: [
      { id: 'registry', healthy: true, detail: 'GET /v2/ → 200', url: 'localhost:5001 · kind-registry:5000' },
      { id: 'gitea', healthy: false, detail: L('준비 안 됨: deployment/gitea; GET /api/v1/version → 503', 'not ready: deployment/gitea; GET /api/v1/version → 503'), url: 'http://git.localhost:8080', login: { user: 'lab' } },
      { id: 'rollouts', healthy: true, detail: L('워크로드 1개 준비됨', '1 workloads ready') },
    ],
    credentials: { path: '.lab/credentials.json', mode: 0o600 },
  };

  it('speaks Korean in every row and lines its columns up by display width', () => {
    const text = renderStatus(facts, 'ko');
    expect(text).toContain('준비 안 됨: deployment/gitea');
    expect(text).not.toMatch(/not ready|workloads ready|not yet/);
    // The profile first, then the table.
    expect(text.split('\n')[0]).toMatch(/^프로필: /);
    const table = text.split('\n').slice(1, 5);
    // Every column starts at the same display column in every row (Hangul counts two).
    const starts = (line: string, cells: string[]) => cells.map((cell) => displayWidth(line.slice(0, line.indexOf(cell))));
    const head = ['구성요소', '상태', '주소', '로그인', '자세히'];
    const at = starts(table[0], head);
    expect(starts(table[2], ['gitea', '✗', 'http://git.localhost:8080', 'lab / (아직 없음)', '준비 안 됨'])).toEqual(at);
    expect(starts(table[1], ['registry', '✓', 'localhost:5001'])).toEqual(at.slice(0, 3));
  });
});

describe('npm run tools', () => {
  it('warns when the folder it installs into is not on PATH, in the learner\'s language', () => {
    expect(notOnPath('/home/me/.local/bin', { PATH: '/usr/bin:/home/me/.local/bin' })).toBeUndefined();
    const warning = notOnPath('/opt/lab-bin', { PATH: '/usr/bin:/bin' })!;
    expect(warning.en).toContain('/opt/lab-bin is not on PATH');
    expect(warning.ko).toContain('/opt/lab-bin가 PATH에 없어서');
    expect(warning.en).toContain('export PATH="/opt/lab-bin:$PATH"');
  });
});
