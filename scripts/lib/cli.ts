/** What the platform's entry points share: the lab-context guard, and turning known failures into one clear message (options: options.ts). */
import { LabError } from '../../src/errors.js';
import { L } from '../../src/i18n.js';
import { NetworkError } from '../../src/http.js';
import { CommandFailed } from './exec.js';
import { GiteaError } from './gitea.js';
import { JenkinsError } from './jenkins.js';
import { platformFull } from './platform.js';
import { DeadlineExceeded } from '../../src/wait.js';

/**
 * `up`, `status` and `down` build, show and remove the lab's own cluster only: a context named with
 * --context or LAB_CONTEXT that is not kind-cicd-lab is refused before anything runs.
 */
export function requireLabContext(named: string | undefined, command: string, env: NodeJS.ProcessEnv = process.env): string {
  const wanted = named || env.LAB_CONTEXT || platformFull.context;
  if (wanted !== platformFull.context) {
    throw new LabError(L(
      `\`npm run ${command}\`은(는) 랩의 클러스터(컨텍스트 ${platformFull.context})에만 씁니다. 지정된 컨텍스트 "${wanted}"는 건드리지 않습니다. LAB_CONTEXT나 --context를 지우고 다시 실행하세요.`,
      `\`npm run ${command}\` works on the lab's own cluster only (context ${platformFull.context}); it will not touch the context "${wanted}" you named. Unset LAB_CONTEXT / drop --context and run it again.`,
    ));
  }
  return wanted;
}

/** Known failures of the platform's tools and services become a LabError (exit 1, no stack trace). */
export function asLabError(error: unknown): unknown {
  if (error instanceof LabError) return error;
  if (error instanceof CommandFailed || error instanceof JenkinsError || error instanceof GiteaError || error instanceof DeadlineExceeded) {
    return new LabError(error.message, 1);
  }
  if (error instanceof NetworkError) return new LabError(L(`${error.url}에 연결할 수 없습니다: ${error.reason}. \`npm run status\`로 플랫폼 상태를 보세요.`, `Cannot reach ${error.url}: ${error.reason}. See the platform's state with \`npm run status\`.`), 1);
  return error;
}

/** Seconds as "1m 05s" / "42.0s". */
export function duration(seconds: number): string {
  if (seconds < 60) return `${seconds.toFixed(1)}s`;
  const m = Math.floor(seconds / 60);
  return `${m}m ${String(Math.round(seconds - m * 60)).padStart(2, '0')}s`;
}
