import { versionsOfModelFilter } from '../transforms/registry';
import { del, get, patch, post, send } from './client';
import { ModelVersion, RegisteredModel } from './mlflow';

/** The model registry's writes and the reads the model pages need (MLflow wire names). */
const MLFLOW = '/api/2.0/mlflow';

export const registryApi = {
  getModel: (name: string, signal?: AbortSignal) =>
    get<{ registered_model: RegisteredModel }>(`${MLFLOW}/registered-models/get`, { name }, signal),
  updateModelDescription: (name: string, description: string) =>
    patch<{ registered_model: RegisteredModel }>(`${MLFLOW}/registered-models/update`, {
      name,
      description,
    }),
  renameModel: (name: string, newName: string) =>
    post<{ registered_model: RegisteredModel }>(`${MLFLOW}/registered-models/rename`, {
      name,
      new_name: newName,
    }),
  deleteModel: (name: string) => del<object>(`${MLFLOW}/registered-models/delete`, { name }),
  setModelTag: (name: string, key: string, value: string) =>
    post<object>(`${MLFLOW}/registered-models/set-tag`, { name, key, value }),
  deleteModelTag: (name: string, key: string) =>
    del<object>(`${MLFLOW}/registered-models/delete-tag`, { name, key }),
  /** Setting an alias another version holds moves it to this one. */
  setAlias: (name: string, alias: string, version: string) =>
    post<object>(`${MLFLOW}/registered-models/alias`, { name, alias, version }),
  deleteAlias: (name: string, alias: string) =>
    del<object>(`${MLFLOW}/registered-models/alias`, { name, alias }),

  /** The versions of one model, newest first; callers keep only `name`'s (see the filter). */
  searchVersions: (
    name: string,
    query: { max_results: number; page_token?: string },
    signal?: AbortSignal,
  ) =>
    get<{ model_versions?: ModelVersion[]; next_page_token?: string }>(
      `${MLFLOW}/model-versions/search`,
      {
        filter: versionsOfModelFilter(name),
        order_by: ['version_number DESC'],
        ...query,
      },
      signal,
    ),
  getVersion: (name: string, version: string, signal?: AbortSignal) =>
    get<{ model_version: ModelVersion }>(`${MLFLOW}/model-versions/get`, { name, version }, signal),
  updateVersionDescription: (name: string, version: string, description: string) =>
    patch<{ model_version: ModelVersion }>(`${MLFLOW}/model-versions/update`, {
      name,
      version,
      description,
    }),
  transitionStage: (name: string, version: string, stage: string, archiveExisting: boolean) =>
    post<{ model_version: ModelVersion }>(`${MLFLOW}/model-versions/transition-stage`, {
      name,
      version,
      stage,
      archive_existing_versions: archiveExisting,
    }),
  setVersionTag: (name: string, version: string, key: string, value: string) =>
    post<object>(`${MLFLOW}/model-versions/set-tag`, { name, version, key, value }),
  deleteVersionTag: (name: string, version: string, key: string) =>
    del<object>(`${MLFLOW}/model-versions/delete-tag`, { name, version, key }),
  downloadUri: (name: string, version: string, signal?: AbortSignal) =>
    get<{ artifact_uri: string }>(
      `${MLFLOW}/model-versions/get-download-uri`,
      { name, version },
      signal,
    ),
  /** One file of a version, by its path under the version's storage location. */
  downloadFile: (name: string, version: string, path: string) =>
    send('GET', '/model-versions/get-artifact', { query: { name, version, path } }).then((r) =>
      r.blob(),
    ),
};
