/**
 * Command-line options of every entry point: node:util parseArgs, strict (an unknown option or a
 * missing value is an error), with positionals; a bad option is a LabError (exit 2) that ends with
 * the command's usage line. Kept apart from cli.ts, which loads the platform's clients, so that
 * `npm test` starts without them.
 */
import { parseArgs, type ParseArgsConfig } from 'node:util';
import { LabError } from '../../src/errors.js';
import { L, type Localized } from '../../src/i18n.js';

/** A bad-input error (exit 2): what is wrong, then the usage line. */
export function usageError(problem: Localized, usage: Localized): LabError {
  return new LabError(L(`${problem.ko}\n${usage.ko}`, `${problem.en}\n${usage.en}`));
}

export function parseOptions<T extends NonNullable<ParseArgsConfig['options']>>(argv: string[], options: T, usage: Localized) {
  try {
    return parseArgs({ args: argv, options, allowPositionals: true, strict: true });
  } catch (error) {
    const message = (error as Error).message;
    throw usageError(L(message, message), usage);
  }
}
