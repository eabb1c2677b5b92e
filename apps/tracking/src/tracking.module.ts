import { DynamicModule, Module } from '@nestjs/common';

import { FlopsNaming } from '@app/domain';

import {
  AuditController,
  ExperimentPermissionsController,
  RegisteredModelPermissionsController,
  TokensController,
  UsersController,
} from './access/access.controller';
import { AccessService } from './access/access.service';
import {
  ArtifactFilesController,
  ArtifactsAjaxController,
  ArtifactsController,
} from './artifacts/artifacts.controller';
import { ArtifactsService } from './artifacts/artifacts.service';
import { ExperimentsController } from './experiments/experiments.controller';
import { ExperimentsService } from './experiments/experiments.service';
import { FlopsController } from './flops/flops.controller';
import { FlopsService } from './flops/flops.service';
import { LearnerPrivacyService } from './learner-privacy/learner-privacy.service';
import { LoggedModelsController } from './logged-models/logged-models.controller';
import { LoggedModelsService } from './logged-models/logged-models.service';
import { MetricsAjaxController, MetricsController } from './metrics/metrics.controller';
import { MetricsService } from './metrics/metrics.service';
import { RunSearchAjaxController, RunSearchController } from './runs/run-search.controller';
import { RunSearchService } from './runs/run-search.service';
import { RunsController } from './runs/runs.controller';
import { RunsService } from './runs/runs.service';
import {
  TraceArtifactController,
  TracesController,
  TracesV3Controller,
} from './traces/traces.controller';
import { TracesService } from './traces/traces.service';
import { TrackingOptions } from './tracking-options';
import { PromptlabService } from './ui-routes/promptlab.service';
import { UiRoutesController } from './ui-routes/ui-routes.controller';

export { TrackingOptions } from './tracking-options';

/**
 * The MLflow tracking service: experiments (FLOps projects), runs (training rounds), metrics,
 * logged models, traces, and the FLOps view of them (projects and rounds); also users, permission grants, API tokens and the audit log (MLflow's basic-auth
 * API). Needs the store ports bound (PersistenceModule) by the app that mounts it.
 */
@Module({})
export class TrackingModule {
  static register(options: TrackingOptions): DynamicModule {
    return {
      module: TrackingModule,
      controllers: [
        ExperimentsController,
        FlopsController,
        LoggedModelsController,
        TracesController,
        TracesV3Controller,
        TraceArtifactController,
        RunsController,
        RunSearchController,
        RunSearchAjaxController,
        MetricsController,
        MetricsAjaxController,
        ArtifactsController,
        ArtifactFilesController,
        ArtifactsAjaxController,
        UsersController,
        ExperimentPermissionsController,
        RegisteredModelPermissionsController,
        TokensController,
        AuditController,
        UiRoutesController,
      ],
      providers: [
        { provide: TrackingOptions, useValue: options },
        LearnerPrivacyService,
        { provide: FlopsNaming, useValue: new FlopsNaming(options.flopsNaming) },
        FlopsService,
        ExperimentsService,
        PromptlabService,
        LoggedModelsService,
        TracesService,
        RunsService,
        RunSearchService,
        MetricsService,
        ArtifactsService,
        AccessService,
      ],
    };
  }
}
