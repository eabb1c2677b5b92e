import { posix } from 'node:path';
import type { Readable } from 'node:stream';

import { Injectable } from '@nestjs/common';

import {
  artifactPathOfUri,
  artifactPathScope,
  artifactPathUnder,
  ArtifactStore,
  canonicalArtifactPath,
  MlflowError,
  Principal,
} from '@app/domain';

import { ModelVersionsService } from './model-versions.service';

export interface ModelVersionArtifactDownload {
  fileName: string;
  stream: Readable;
}

/**
 * The UI's model-version file route (MLflow's `get_model_version_artifact_handler`). The client
 * path is checked first; the version's storage location is read from the registry and must be
 * an `mlflow-artifacts:` location: inside a run's or logged model's directory (checked when the
 * version was created, security §1.3 C), or a free path, read from the caller's own namespace
 * as the proxy would serve it to that caller.
 */
@Injectable()
export class ModelVersionArtifactsService {
  constructor(
    private readonly versions: ModelVersionsService,
    private readonly store: ArtifactStore,
  ) {}

  async download(
    name: string,
    version: string,
    path: string,
    caller: Principal,
  ): Promise<ModelVersionArtifactDownload> {
    const relative = canonicalArtifactPath(path);
    const location = await this.versions.getDownloadUri(name, version);
    const root = artifactPathOfUri(location);
    if (root === null) {
      throw MlflowError.invalidParameterValue(
        `The files of model version (name=${name}, version=${version}) are not stored on this server.`,
      );
    }
    const target = artifactPathUnder(root, relative);
    // The root decides, not the joined path: below a free root, `<run>/artifacts/…` must stay
    // in the caller's namespace instead of naming somebody's run.
    const stored =
      artifactPathScope(root).kind === 'free' ? this.store.freeLocation(caller, target) : target;
    return { fileName: posix.basename(target), stream: await this.store.openRead(stored) };
  }
}
