/**
 * Expected failures (bad input, no cluster, a refused context) are LabErrors: the entry points
 * print their message in the learner's language and exit non-zero, without a stack trace.
 * Anything else is a bug in the kit and is printed in full so that it can be reported.
 */
import { detectLang, L, t, type Text } from './i18n.js';

export const EXIT_USAGE = 2;
export const EXIT_BUG = 70;

export class LabError extends Error {
  constructor(
    readonly text: Text,
    readonly exitCode: number = EXIT_USAGE,
  ) {
    super(typeof text === 'string' ? text : text.en);
    this.name = 'LabError';
  }
}

/** Print an error the way every entry point does; returns the exit code to use. */
export function reportError(error: unknown, lang = detectLang()): number {
  if (error instanceof LabError) {
    console.error(`\n✗ ${t(error.text, lang)}\n`);
    return error.exitCode;
  }
  console.error(t(L('\n✗ 예상하지 못한 오류입니다(cicd-lab의 버그입니다). 아래 내용을 이슈로 알려 주세요:\n', '\n✗ Unexpected error (a bug in cicd-lab). Please report it with what follows:\n'), lang));
  console.error(error);
  return EXIT_BUG;
}

/** Run an entry point's main function and turn its outcome into the process exit code. */
export async function runMain(main: () => Promise<number | void>): Promise<void> {
  try {
    process.exitCode = (await main()) ?? 0;
  } catch (error) {
    process.exitCode = reportError(error);
  }
}
