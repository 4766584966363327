/** Component `gitea` of `npm run up` (scripts/lib/up/components/gitea.ts): Gitea's values. */
import { describe, expect, it } from 'vitest';
import { platformFull as p } from '../../../scripts/lib/platform.js';
import { chartValues } from '../../../scripts/lib/up/renderers/chart-values.js';
import { versions } from '../../../scripts/lib/versions.js';

describe('the Gitea values (platform/values/gitea.yaml + platform.yaml)', () => {
  it('SQLite, no Valkey or PostgreSQL, admin from the Secret, served as git.localhost', () => {
    const v = chartValues('gitea', versions, p) as any;
    expect(v.gitea.config.database.DB_TYPE).toBe('sqlite3');
    for (const off of ['postgresql', 'postgresql-ha', 'valkey', 'valkey-cluster']) expect(v[off].enabled).toBe(false);
    expect(v.gitea.admin.existingSecret).toBe('gitea-admin');
    expect(v.gitea.config.server.ROOT_URL).toBe('http://git.localhost:8080/');
  });
});
