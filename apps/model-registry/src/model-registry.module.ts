import { DynamicModule, Module } from '@nestjs/common';

import { FlopsNaming, FlopsNamingPatterns } from '@app/domain';

import { FlopsProjectReader } from './flops-promotion/flops-project-reader';
import { FlopsPromotionController } from './flops-promotion/flops-promotion.controller';
import { FlopsPromotionService } from './flops-promotion/flops-promotion.service';
import { ModelRegistryOptions } from './model-registry-options';
import { ModelSourceResolver } from './model-versions/model-source-resolver';
import { ModelVersionArtifactsController } from './model-versions/model-version-artifacts.controller';
import { ModelVersionArtifactsService } from './model-versions/model-version-artifacts.service';
import { ModelVersionsController } from './model-versions/model-versions.controller';
import { ModelVersionsService } from './model-versions/model-versions.service';
import { RegisteredModelsController } from './registered-models/registered-models.controller';
import { RegisteredModelsService } from './registered-models/registered-models.service';

export { ModelRegistryOptions } from './model-registry-options';

export interface ModelRegistryModuleOptions {
  /** MODEL_VERSION_SOURCE_REGEX: new model version sources must match it. */
  modelVersionSourceRegex?: string;
  /** How FLOps projects and rounds are named (promotion recognises them as the view does). */
  flopsNaming?: FlopsNamingPatterns;
}

/**
 * The MLflow model registry: registered models, model versions, stages and aliases. Needs the
 * ModelRegistryStore port bound (PersistenceModule) by the app that mounts it.
 */
@Module({})
export class ModelRegistryModule {
  static register(options: ModelRegistryModuleOptions = {}): DynamicModule {
    const registryOptions: ModelRegistryOptions = {
      modelVersionSourceRegex: compileSourceRegex(options.modelVersionSourceRegex),
    };
    return {
      module: ModelRegistryModule,
      controllers: [
        RegisteredModelsController,
        ModelVersionsController,
        ModelVersionArtifactsController,
        FlopsPromotionController,
      ],
      providers: [
        { provide: ModelRegistryOptions, useValue: registryOptions },
        RegisteredModelsService,
        ModelVersionsService,
        ModelSourceResolver,
        ModelVersionArtifactsService,
        {
          provide: FlopsNaming,
          useValue: new FlopsNaming(options.flopsNaming),
        },
        FlopsProjectReader,
        FlopsPromotionService,
      ],
    };
  }
}

function compileSourceRegex(pattern: string | undefined): RegExp | null {
  if (pattern === undefined || pattern === '') return null;
  try {
    return new RegExp(pattern);
  } catch (error) {
    throw new Error(
      `Invalid configuration:\n  - MODEL_VERSION_SOURCE_REGEX: ${(error as Error).message}`,
    );
  }
}
