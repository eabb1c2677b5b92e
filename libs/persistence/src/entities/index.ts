import {
  ApiTokenEntity,
  AuditEventEntity,
  ExperimentPermissionEntity,
  RegisteredModelPermissionEntity,
  UserEntity,
} from './access.entities';
import { DatasetEntity } from './dataset.entity';
import { ExperimentEntity } from './experiment.entity';
import { ExperimentTagEntity } from './experiment-tag.entity';
import { LatestMetricEntity } from './latest-metric.entity';
import { LoggedModelEntity } from './logged-model.entity';
import { LoggedModelMetricEntity } from './logged-model-metric.entity';
import { LoggedModelParamEntity } from './logged-model-param.entity';
import { LoggedModelTagEntity } from './logged-model-tag.entity';
import { MetricEntity } from './metric.entity';
import { ModelVersionEntity } from './model-version.entity';
import { ModelVersionTagEntity } from './model-version-tag.entity';
import { ParamEntity } from './param.entity';
import { RegisteredModelEntity } from './registered-model.entity';
import { RegisteredModelAliasEntity } from './registered-model-alias.entity';
import { RegisteredModelTagEntity } from './registered-model-tag.entity';
import { RunEntity } from './run.entity';
import { RunDatasetInputEntity } from './run-dataset-input.entity';
import { RunDatasetInputTagEntity } from './run-dataset-input-tag.entity';
import { RunModelInputEntity } from './run-model-input.entity';
import { RunModelOutputEntity } from './run-model-output.entity';
import { RunTagEntity } from './run-tag.entity';
import {
  TraceInfoEntity,
  TraceRequestMetadataEntity,
  TraceRunLinkEntity,
  TraceTagEntity,
} from './trace.entities';

export {
  ApiTokenEntity,
  AuditEventEntity,
  DatasetEntity,
  ExperimentEntity,
  ExperimentPermissionEntity,
  ExperimentTagEntity,
  LatestMetricEntity,
  LoggedModelEntity,
  LoggedModelMetricEntity,
  LoggedModelParamEntity,
  LoggedModelTagEntity,
  MetricEntity,
  ModelVersionEntity,
  ModelVersionTagEntity,
  ParamEntity,
  RegisteredModelAliasEntity,
  RegisteredModelEntity,
  RegisteredModelPermissionEntity,
  RegisteredModelTagEntity,
  RunDatasetInputEntity,
  RunDatasetInputTagEntity,
  RunEntity,
  RunModelInputEntity,
  RunModelOutputEntity,
  RunTagEntity,
  TraceInfoEntity,
  TraceRequestMetadataEntity,
  TraceRunLinkEntity,
  TraceTagEntity,
  UserEntity,
};

/** Every table of the migrations, in its order. Never a glob (webpack trap). */
export const ENTITIES = [
  ExperimentEntity,
  ExperimentTagEntity,
  RunEntity,
  RunTagEntity,
  ParamEntity,
  MetricEntity,
  LatestMetricEntity,
  DatasetEntity,
  RunDatasetInputEntity,
  RunDatasetInputTagEntity,
  RunModelInputEntity,
  RunModelOutputEntity,
  LoggedModelEntity,
  LoggedModelTagEntity,
  LoggedModelParamEntity,
  LoggedModelMetricEntity,
  RegisteredModelEntity,
  ModelVersionEntity,
  RegisteredModelTagEntity,
  ModelVersionTagEntity,
  RegisteredModelAliasEntity,
  UserEntity,
  ApiTokenEntity,
  ExperimentPermissionEntity,
  RegisteredModelPermissionEntity,
  AuditEventEntity,
  TraceInfoEntity,
  TraceTagEntity,
  TraceRequestMetadataEntity,
  TraceRunLinkEntity,
];
