/**
 * Snapshots (DESIGN §5): the collected state of a lab platform, saved to grade offline.
 * `loadSnapshot` accepts JSON or YAML in the CicdLabSnapshot v1 shape and says which field is
 * wrong when it is not; `saveSnapshot` writes the same shape (YAML for .yaml/.yml, else JSON).
 * More fields than those below are allowed, as DESIGN says; the kit itself adds `unavailable`.
 */
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { dirname, extname } from 'node:path';
import { LabError } from './errors.js';
import { L } from './i18n.js';
import { validator } from './schema.js';
import { yaml } from './yaml-file.js';

export const SNAPSHOT_KIND = 'CicdLabSnapshot';
export const SNAPSHOT_VERSION = 1;

export interface ObjectMeta {
  name: string;
  namespace?: string;
  uid?: string;
  generation?: number;
  resourceVersion?: string;
  creationTimestamp?: string;
  labels?: Record<string, string>;
  annotations?: Record<string, string>;
  ownerReferences?: { apiVersion: string; kind: string; name: string; uid: string; controller?: boolean }[];
  [key: string]: unknown;
}

/** A Kubernetes object exactly as the API returns it. */
export interface KubeObject {
  apiVersion: string;
  kind: string;
  metadata: ObjectMeta;
  spec?: any;
  status?: any;
  [key: string]: any;
}

/** What the collector saves for one Jenkins job (each field is one GET; see src/collect/jenkins.ts). */
export interface JenkinsJobRecord {
  job: any;
  lastCompletedBuild?: any | null;
  lastSuccessfulBuild?: any | null;
  config?: string | null;
  stages?: any | null;
}

export interface TrafficProbe {
  requests: number;
  versions: Record<string, number>;
  /** Requests that got no answer with a version (connection errors, non-2xx, not JSON). */
  errors?: number;
  /** Those requests counted by what they got instead: `{"HTTP 500": 239, "no answer (timeout)": 1}`. */
  failures?: Record<string, number>;
  [key: string]: unknown;
}

export interface SchemaProbe {
  table: string;
  columns: string[];
  [key: string]: unknown;
}

/** A source the collector could not read, so that checks can say why instead of "not found". */
export interface Unavailable {
  source: 'kubernetes' | 'jenkins' | 'registry' | 'git' | 'probe';
  /** For kubernetes: `<kind>.<group>` and namespace; for others the job, repository or probe. */
  what: string;
  namespace?: string;
  message: string;
}

export interface Snapshot {
  kind: typeof SNAPSHOT_KIND;
  version: typeof SNAPSHOT_VERSION;
  capturedAt?: string;
  context?: string;
  kubernetes?: KubeObject[];
  jenkins?: { jobs?: Record<string, JenkinsJobRecord> };
  registry?: { repositories?: Record<string, string[]> };
  git?: { repositories?: Record<string, { branches?: Record<string, string> }> };
  probes?: Record<string, any>;
  unavailable?: Unavailable[];
  [key: string]: unknown;
}

const stringMap = { type: 'object', additionalProperties: { type: 'string' } };
const objectOrNull = { type: ['object', 'null'] };
/** A build as `api/json` returns it; `actions[]` carries its causes (a Replay is one: src/jenkins.ts). */
const buildOrNull = { type: ['object', 'null'], properties: { number: { type: 'integer' }, actions: { type: 'array' } } };

const checkShape = validator<Snapshot>({
  type: 'object',
  required: ['kind', 'version'],
  properties: {
    kind: { const: SNAPSHOT_KIND },
    version: { const: SNAPSHOT_VERSION },
    capturedAt: { type: 'string' },
    context: { type: 'string' },
    kubernetes: {
      type: 'array',
      items: {
        type: 'object',
        required: ['apiVersion', 'kind', 'metadata'],
        properties: {
          apiVersion: { type: 'string', minLength: 1 },
          kind: { type: 'string', minLength: 1 },
          metadata: {
            type: 'object',
            required: ['name'],
            properties: {
              name: { type: 'string', minLength: 1 },
              namespace: { type: 'string' },
              generation: { type: 'integer' },
              creationTimestamp: { type: 'string' },
              labels: stringMap,
              annotations: stringMap,
            },
          },
          spec: { type: 'object' },
          status: { type: 'object' },
        },
      },
    },
    jenkins: {
      type: 'object',
      properties: {
        jobs: {
          type: 'object',
          additionalProperties: {
            type: 'object',
            required: ['job'],
            properties: {
              job: { type: 'object' },
              lastCompletedBuild: buildOrNull,
              lastSuccessfulBuild: buildOrNull,
              config: { type: ['string', 'null'] },
              stages: objectOrNull,
            },
          },
        },
      },
    },
    registry: {
      type: 'object',
      properties: {
        repositories: { type: 'object', additionalProperties: { type: 'array', items: { type: ['string', 'number'] } } },
      },
    },
    git: {
      type: 'object',
      properties: {
        repositories: {
          type: 'object',
          additionalProperties: { type: 'object', properties: { branches: stringMap } },
        },
      },
    },
    // Probes are named <type>/<lab>[/<variant>]: traffic/… counts answers by version, schema/… lists a table's columns.
    probes: {
      type: 'object',
      patternProperties: {
        '^traffic/': {
          type: 'object',
          required: ['requests', 'versions'],
          properties: {
            requests: { type: 'integer', minimum: 0 },
            versions: { type: 'object', additionalProperties: { type: 'integer', minimum: 0 } },
            errors: { type: 'integer', minimum: 0 },
            failures: { type: 'object', additionalProperties: { type: 'integer', minimum: 0 } },
          },
        },
        '^schema/': {
          type: 'object',
          required: ['table', 'columns'],
          properties: { table: { type: 'string' }, columns: { type: 'array', items: { type: 'string' } } },
        },
      },
      additionalProperties: { type: 'object' },
    },
    unavailable: {
      type: 'array',
      items: { type: 'object', required: ['source', 'what', 'message'], properties: { source: { type: 'string' }, what: { type: 'string' }, message: { type: 'string' } } },
    },
  },
});

/**
 * Check that parsed data is a v1 snapshot. The version is checked first and on its own: a
 * snapshot from a newer kit gets "unknown version", not a list of field errors.
 */
export function validateSnapshot(data: unknown, where: string): Snapshot {
  if (data === null || typeof data !== 'object' || Array.isArray(data)) {
    throw new LabError(L(`${where}은(는) 스냅샷이 아닙니다: 최상위가 객체(kind: ${SNAPSHOT_KIND}, version: ${SNAPSHOT_VERSION}, …)여야 합니다.`, `${where} is not a snapshot: its top level must be an object (kind: ${SNAPSHOT_KIND}, version: ${SNAPSHOT_VERSION}, …).`));
  }
  const { kind, version } = data as Record<string, unknown>;
  if (kind === SNAPSHOT_KIND && version !== undefined && version !== SNAPSHOT_VERSION) {
    throw new LabError(L(
      `${where}의 스냅샷 버전 ${JSON.stringify(version)}은(는) 알 수 없는 버전입니다. 이 키트는 version ${SNAPSHOT_VERSION}을 읽습니다. 그 스냅샷을 만든 키트 버전으로 채점하거나, 이 키트로 다시 저장하세요(npm run grade -- <lab> --save <file>).`,
      `${where} is snapshot version ${JSON.stringify(version)}, which this kit does not know: it reads version ${SNAPSHOT_VERSION}. Grade it with the kit version that wrote it, or save it again with this kit (npm run grade -- <lab> --save <file>).`,
    ));
  }
  const snapshot = checkShape(data, where, L('스냅샷의 형식이 CicdLabSnapshot v1과 맞지 않습니다', 'The snapshot does not have the CicdLabSnapshot v1 shape'));
  // Tags are strings; YAML may read a tag like 1.0 as a number, so normalise without changing what it says.
  for (const [name, tags] of Object.entries(snapshot.registry?.repositories ?? {})) {
    snapshot.registry!.repositories![name] = tags.map(String);
  }
  return snapshot;
}

export function parseSnapshot(text: string, where: string): Snapshot {
  let data: unknown;
  try {
    data = text.trimStart().startsWith('{') ? JSON.parse(text) : yaml().parse(text);
  } catch (error) {
    throw new LabError(L(`${where}을(를) JSON이나 YAML로 읽을 수 없습니다: ${(error as Error).message}`, `${where} is neither valid JSON nor YAML: ${(error as Error).message}`));
  }
  return validateSnapshot(data, where);
}

export function loadSnapshot(file: string): Snapshot {
  let text: string;
  try {
    text = readFileSync(file, 'utf8');
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    throw new LabError(L(`스냅샷 파일 ${file}을(를) 열 수 없습니다(${code}).`, `cannot open the snapshot file ${file} (${code}).`));
  }
  return parseSnapshot(text, file);
}

export function serializeSnapshot(snapshot: Snapshot, format: 'json' | 'yaml'): string {
  return format === 'yaml' ? yaml().stringify(snapshot, { lineWidth: 0 }) : `${JSON.stringify(snapshot, null, 2)}\n`;
}

export function saveSnapshot(file: string, snapshot: Snapshot): void {
  const format = ['.yaml', '.yml'].includes(extname(file).toLowerCase()) ? 'yaml' : 'json';
  mkdirSync(dirname(file), { recursive: true });
  writeFileSync(file, serializeSnapshot(snapshot, format));
}
