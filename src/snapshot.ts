/**
 * Snapshots (ARCHITECTURE.md#grading): the collected state of a lab platform, saved to grade offline.
 * `loadSnapshot` accepts JSON or YAML in the CicdLabSnapshot v1 shape and says which field is
 * wrong when it is not; `saveSnapshot` writes the same shape (YAML for .yaml/.yml, else JSON).
 * The format promises readers every field below, read as written, and allows more: every object in
 * the definition is loose, so that a field it does not name passes through untouched (the kit
 * itself adds `unavailable` and `learner`). The definition below is the one source of the type,
 * the check and the published schema.
 */
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { dirname, extname } from 'node:path';
import { LabError } from './errors.js';
import { L } from './i18n.js';
import { doc, openObject, validator, z, type Infer, type Schema } from './schema.js';
import { yaml } from './yaml-file.js';

export const SNAPSHOT_KIND = 'CicdLabSnapshot';
export const SNAPSHOT_VERSION = 1;

const stringMap = z.record(z.string(), z.string());
const count = z.int().min(0);
/** Tags are strings; YAML may read a tag like 1.0 as a number, so a number is read as the string it stands for. */
const tag = z.union([z.string(), z.number().transform(String)]);

export const ObjectMeta = z
  .object({
    name: z.string().min(1),
    namespace: z.string().optional(),
    uid: z.string().optional(),
    generation: z.int().optional(),
    resourceVersion: z.string().optional(),
    creationTimestamp: z.string().optional(),
    labels: stringMap.optional(),
    annotations: stringMap.optional(),
    ownerReferences: z.array(z.looseObject({ apiVersion: z.string(), kind: z.string(), name: z.string(), uid: z.string(), controller: z.boolean().optional() })).optional(),
  })
  .catchall(z.unknown());
export type ObjectMeta = Infer<typeof ObjectMeta>;

/** A Kubernetes object exactly as the API returns it. */
export const KubeObject = z
  .object({ apiVersion: z.string().min(1), kind: z.string().min(1), metadata: ObjectMeta, spec: openObject().optional(), status: openObject().optional() })
  .catchall(z.any());
export type KubeObject = Infer<typeof KubeObject>;

/** A build as `api/json` returns it; `actions[]` carries its causes (a Replay is one: src/jenkins.ts). */
const build = openObject({ number: z.int().optional(), actions: z.array(z.any()).optional() }).nullable();

/** What the collector saves for one Jenkins job (each field is one GET; see src/collect/jenkins.ts). */
export const JenkinsJobRecord = z.looseObject({
  job: doc(openObject(), '`GET /job/<작업>/api/json`', '`GET /job/<job>/api/json`'),
  lastCompletedBuild: doc(build, '`GET /job/<작업>/lastCompletedBuild/api/json`(없으면 `null`)', '`GET /job/<job>/lastCompletedBuild/api/json` (`null` if none)').optional(),
  lastSuccessfulBuild: doc(build, '`GET /job/<작업>/lastSuccessfulBuild/api/json`(없으면 `null`)', '`GET /job/<job>/lastSuccessfulBuild/api/json` (`null` if none)').optional(),
  config: doc(z.string().nullable(), '`GET /job/<작업>/config.xml`', '`GET /job/<job>/config.xml`').optional(),
  stages: doc(openObject().nullable(), '마지막으로 끝난 실행의 `GET /job/<작업>/<번호>/wfapi/describe`(Pipeline만)', "`GET /job/<job>/<number>/wfapi/describe` of the last completed run (Pipelines only)").optional(),
});
export type JenkinsJobRecord = Infer<typeof JenkinsJobRecord>;

export const TrafficProbe = z.looseObject({
  requests: doc(count, '보낸 요청 수', 'Requests sent'),
  versions: doc(z.record(z.string(), count), '응답의 `version`별 요청 수', 'Answers counted by their `version`'),
  errors: doc(count, '버전이 있는 응답을 받지 못한 요청 수(연결 오류, 2xx가 아닌 응답, JSON이 아닌 응답)', 'Requests that got no answer with a version (connection errors, non-2xx, not JSON)').optional(),
  failures: doc(z.record(z.string(), count), '그 요청을 대신 받은 것별로 센 수: `{"HTTP 500": 239, "no answer (timeout)": 1}`', 'Those requests counted by what they got instead: `{"HTTP 500": 239, "no answer (timeout)": 1}`').optional(),
});
export type TrafficProbe = Infer<typeof TrafficProbe>;

export const SchemaProbe = z.looseObject({
  table: doc(z.string(), '테이블 이름', 'The table'),
  columns: doc(z.array(z.string()), '테이블의 열', "The table's columns"),
});
export type SchemaProbe = Infer<typeof SchemaProbe>;

/** A source the collector could not read, so that checks can say why instead of "not found". */
export const Unavailable = z.looseObject({
  source: z.enum(['kubernetes', 'jenkins', 'registry', 'git', 'probe']),
  /** For kubernetes: `<kind>.<group>` and namespace; for others the job, repository or probe. */
  what: z.string(),
  namespace: z.string().optional(),
  message: z.string(),
});
export type Unavailable = Infer<typeof Unavailable>;

// Probes are named <type>/<lab>[/<variant>]: traffic/… counts answers by version, schema/… lists a
// table's columns. Checks read a probe by its name (src/state.ts), so the type is a plain map.
const probes: Schema<Record<string, any>> = z
  .looseRecord(z.string().regex(/^traffic\//), doc(TrafficProbe, '`traffic/<실습>[/<변형>]`: 게이트웨이를 지난 요청과 버전별 응답 수', '`traffic/<lab>[/<variant>]`: requests through the gateway and the answers per version'))
  .and(z.looseRecord(z.string().regex(/^schema\//), doc(SchemaProbe, '`schema/<실습>`: 테이블의 열', "`schema/<lab>`: a table's columns")))
  .and(z.record(z.string(), openObject()));

/** A snapshot: the collected state of a lab platform, JSON or YAML. More fields are allowed. */
export const Snapshot = z
  .object({
    kind: doc(z.literal(SNAPSHOT_KIND), '언제나 `CicdLabSnapshot`', 'Always `CicdLabSnapshot`'),
    version: doc(z.literal(SNAPSHOT_VERSION), '형식의 버전. 이 키트가 모르는 버전은 그 버전을 밝히며 거절합니다', 'The format version; one this kit does not know is refused, naming it'),
    capturedAt: doc(z.string(), '상태를 모은 시각(ISO 8601)', 'When the state was collected (ISO 8601)').optional(),
    context: doc(z.string(), '읽은 kube 컨텍스트', 'The kube context read').optional(),
    kubernetes: doc(z.array(KubeObject), '쿠버네티스 객체를 API가 돌려주는 그대로(`apiVersion`, `kind`, `metadata`, `spec`, `status`)', 'Kubernetes objects exactly as the API returns them (`apiVersion`, `kind`, `metadata`, `spec`, `status`)').optional(),
    jenkins: doc(z.looseObject({ jobs: doc(z.record(z.string(), JenkinsJobRecord), '작업 이름마다 Jenkins가 돌려준 것', 'Per job name, what Jenkins returned').optional() }), 'Jenkins 작업', 'Jenkins jobs').optional(),
    registry: doc(
      z.looseObject({ repositories: doc(z.record(z.string(), z.array(tag)), '저장소 이름마다 태그 목록(`GET /v2/<이름>/tags/list`)', 'The tags of each repository (`GET /v2/<name>/tags/list`)').optional() }),
      '레지스트리',
      'The registry',
    ).optional(),
    git: doc(
      z.looseObject({ repositories: doc(z.record(z.string(), z.looseObject({ branches: stringMap.optional() })), 'Gitea 저장소(`조직/이름`)마다 브랜치의 커밋(Gitea API)', 'The commit of each branch, per Gitea repository (`org/name`; the Gitea API)').optional() }),
      'Gitea',
      'Gitea',
    ).optional(),
    probes: doc(probes, '살아 있는 클러스터에서만 잴 수 있는 것의 결과(키트가 직접 측정)', 'Results of measurements only a live cluster allows (measured by the kit)').optional(),
    unavailable: doc(z.array(Unavailable), '모으지 못한 출처와 그 이유(검사가 "없음" 대신 이유를 말합니다)', 'Sources the collector could not read, and why (checks say why instead of "not found")').optional(),
    learner: doc(z.string(), '학습자 이름(`--learner`와 함께 저장할 때. 반 보고서가 읽습니다)', 'The learner name (saved with `--learner`; the class report reads it)').optional(),
  })
  .catchall(z.unknown());
export type Snapshot = Infer<typeof Snapshot>;

const checkShape = validator(Snapshot);

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
  return checkShape(data, where, L('스냅샷의 형식이 CicdLabSnapshot v1과 맞지 않습니다', 'The snapshot does not have the CicdLabSnapshot v1 shape'));
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
