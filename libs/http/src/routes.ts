/** Every MLflow RPC is served under both prefixes (MLflow's `get_endpoints`). */
export const MLFLOW_API_PREFIXES = ['api/2.0/mlflow', 'ajax-api/2.0/mlflow'];
/** MLflow 3.x RPCs (`since { major: 3 }` in service.proto) are served under the 3.0 prefixes. */
export const MLFLOW_V3_API_PREFIXES = ['api/3.0/mlflow', 'ajax-api/3.0/mlflow'];
/** Routes the MLflow UI calls that exist only under the ajax prefix. */
export const MLFLOW_AJAX_ONLY_PREFIX = 'ajax-api/2.0/mlflow';
/** The artifact proxy's routes (`mlflow_artifacts.proto`), under both prefixes too. */
export const MLFLOW_ARTIFACTS_PREFIXES = [
  'api/2.0/mlflow-artifacts',
  'ajax-api/2.0/mlflow-artifacts',
];

const RAW_ARTIFACT_WILDCARD =
  /^\/(?:ajax-)?api\/2\.0\/mlflow-artifacts\/(?:artifacts|mpu\/\w+)\/([^?]*)/;

/**
 * The artifact path of a `…/artifacts/<path>` or `…/mpu/<op>/<path>` URL exactly as the client
 * sent it, still percent-encoded: Fastify's decoded `*` parameter would turn `..%2F` into `../`
 * once and hide how many rounds of encoding there were; `canonicalArtifactPath` decodes until
 * stable itself.
 */
export function rawArtifactPath(url: string): string {
  return RAW_ARTIFACT_WILDCARD.exec(url)?.[1] ?? '';
}
