// The app's settings, all from the environment (12-factor). See README.md for what each one does.

/** The colours a version can get, in order: the last number in the version picks one (1 → blue, 2 → green, …). */
export const PALETTE = [
  { name: 'blue', hex: '#2563eb' },
  { name: 'green', hex: '#16a34a' },
  { name: 'orange', hex: '#ea580c' },
  { name: 'purple', hex: '#9333ea' },
  { name: 'teal', hex: '#0d9488' },
  { name: 'pink', hex: '#db2777' },
];
const NO_NUMBER = { name: 'gray', hex: '#6b7280' };

/**
 * The colour of a version: the last number in it picks from PALETTE, counting from 1 and
 * wrapping around. v1 is blue and v2 is green (as every lab expects); a pipeline's tags such as
 * l2-7 and l2-8 get different colours from build to build; a version without a number is gray.
 */
export function colorFor(version) {
  const numbers = String(version).match(/\d+/g);
  if (!numbers) return NO_NUMBER;
  const n = Number(numbers[numbers.length - 1]);
  return PALETTE[(((n - 1) % PALETTE.length) + PALETTE.length) % PALETTE.length];
}

/** A colour given in COLOR: a palette name, another CSS colour name, or #rrggbb. */
function explicitColor(value) {
  const known = [...PALETTE, NO_NUMBER].find((c) => c.name === value.toLowerCase());
  if (known) return known;
  if (/^[a-z]{3,20}$/i.test(value)) return { name: value.toLowerCase(), hex: value.toLowerCase() };
  if (/^#[0-9a-f]{6}$/i.test(value)) return { name: value.toLowerCase(), hex: value.toLowerCase() };
  throw new Error(`COLOR must be a colour name or #rrggbb, not "${value}"`);
}

function seconds(env, name, fallback) {
  const raw = env[name];
  if (raw === undefined || raw === '') return fallback;
  const value = Number(raw);
  if (!Number.isFinite(value) || value < 0) throw new Error(`${name} must be a number of seconds >= 0, not "${raw}"`);
  return value;
}

function port(env) {
  const raw = env.PORT ?? '8080';
  const value = Number(raw);
  if (!Number.isInteger(value) || value < 0 || value > 65535) throw new Error(`PORT must be a port number, not "${raw}"`);
  return value;
}

/** A share in percent (0 to 100) from the environment, e.g. FAIL_PERCENT. */
function percent(env, name) {
  const raw = env[name];
  if (raw === undefined || raw === '') return 0;
  const value = Number(raw);
  if (!Number.isFinite(value) || value < 0 || value > 100) throw new Error(`${name} must be a percentage from 0 to 100, not "${raw}"`);
  return value;
}

/** The names in a comma-separated list such as REQUIRED_SETTINGS ("A, B" → ["A", "B"]). */
function names(raw) {
  return String(raw ?? '')
    .split(',')
    .map((n) => n.trim())
    .filter(Boolean);
}

/**
 * The schema a version of the shop expects (database mode): v1 the first, v2 the second with
 * `orders.status`, any other version (a pipeline build) the newest. SCHEMA_VERSION overrides it.
 */
export function schemaFor(version, override) {
  if (override !== undefined && override !== '') {
    const n = Number(override);
    if (n !== 1 && n !== 2) throw new Error(`SCHEMA_VERSION must be 1 or 2, not "${override}"`);
    return n;
  }
  return version === 'v1' ? 1 : 2;
}

/** Read and check the settings; a wrong value is an error that names the variable. */
export function readConfig(env = process.env) {
  const version = env.APP_VERSION || 'dev';
  const color = env.COLOR ? explicitColor(env.COLOR) : colorFor(version);
  return {
    version,
    color,
    port: port(env),
    readyDelaySeconds: seconds(env, 'READY_DELAY_SECONDS', 0),
    shutdownDelaySeconds: seconds(env, 'SHUTDOWN_DELAY_SECONDS', 3),
    databaseUrl: env.DATABASE_URL || undefined,
    schemaVersion: schemaFor(version, env.SCHEMA_VERSION),
    noticeFile: env.NOTICE_FILE || undefined,
    // The failure drills (labs s6-rollback and l4-rollouts-analysis) switch these on in their bad
    // release, v3: a setting the release needs but does not get, and a bug that a share of requests hit.
    missingSettings: names(env.REQUIRED_SETTINGS).filter((name) => !env[name]),
    failPercent: percent(env, 'FAIL_PERCENT'),
  };
}
