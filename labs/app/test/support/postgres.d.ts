// Types of postgres.js, for the cicd-lab kit's TypeScript tests that start the same throwaway server.
export interface TestPostgres {
  host: string;
  port: number;
  /** Folder of the server's Unix socket (and of its data, removed at stop). */
  socketDir: string;
  /** Folder of the PostgreSQL binaries used (initdb, postgres, psql). */
  bin: string;
  version: string;
  psql(args: string[], options?: { input?: string; user?: string; database?: string; env?: Record<string, string> }): string;
  stop(): void;
}
export function postgresMissing(): string | undefined;
export function startPostgres(options?: { hba?: string[] }): TestPostgres;
