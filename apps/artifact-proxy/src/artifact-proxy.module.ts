import { DynamicModule, Module } from '@nestjs/common';

import { ArtifactProxyOptions } from './artifact-proxy-options';
import { ArtifactAccess } from './artifacts/artifact-access.service';
import { ArtifactsController } from './artifacts/artifacts.controller';
import { ArtifactsService } from './artifacts/artifacts.service';

export { ArtifactProxyOptions } from './artifact-proxy-options';

/** Five minutes without a byte ends an upload. */
const DEFAULT_UPLOAD_IDLE_TIMEOUT_MS = 5 * 60 * 1000;

/**
 * The MLflow artifact proxy (`/api/2.0/mlflow-artifacts/…`, MLflow's `--serve-artifacts`).
 * Needs the ArtifactStore port (ArtifactStoreModule) and the run and logged-model stores
 * (PersistenceModule, for the path scope checks) bound by the app that mounts it.
 */
@Module({})
export class ArtifactProxyModule {
  static register(options: Partial<ArtifactProxyOptions> = {}): DynamicModule {
    const resolved: ArtifactProxyOptions = {
      uploadIdleTimeoutMs: options.uploadIdleTimeoutMs ?? DEFAULT_UPLOAD_IDLE_TIMEOUT_MS,
    };
    return {
      module: ArtifactProxyModule,
      controllers: [ArtifactsController],
      providers: [
        { provide: ArtifactProxyOptions, useValue: resolved },
        ArtifactAccess,
        ArtifactsService,
      ],
      exports: [ArtifactAccess],
    };
  }
}
