import { MlflowError } from '../errors';
import { canonicalArtifactPath } from './artifact-path';

const MLFLOW_ARTIFACTS_URI = /^mlflow-artifacts:(?:\/\/[^/]*)?(\/.*)?$/is;

/**
 * The artifact path (relative to the artifacts destination, canonical) that an
 * `mlflow-artifacts:` URI names, as MLflow's proxy maps it: the URI's path without its leading
 * `/`, whatever host the URI names (`mlflow-artifacts:/1/<run>/artifacts` →
 * `1/<run>/artifacts`). Null for any other scheme: those roots are not served by this server's
 * store. Throws INVALID_PARAMETER_VALUE "Invalid path" when the path part is unsafe.
 */
export function artifactPathOfUri(uri: string): string | null {
  const match = MLFLOW_ARTIFACTS_URI.exec(uri);
  if (!match) return null;
  return canonicalArtifactPath((match[1] ?? '').replace(/^\/+/, ''));
}

/**
 * `<root>/<relative>` for a canonical root (see {@link artifactPathOfUri}) and a client-supplied
 * relative path, which is canonicalised first: the result always lies under `root`.
 * Throws INVALID_PARAMETER_VALUE "Invalid path" for an unsafe relative path.
 */
export function artifactPathUnder(root: string, relative: string): string {
  if (canonicalArtifactPath(root) !== root) throw MlflowError.invalidParameterValue('Invalid path');
  const rest = canonicalArtifactPath(relative);
  if (root === '') return rest;
  return rest === '' ? root : `${root}/${rest}`;
}
