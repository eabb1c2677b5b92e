import type { Readable } from 'node:stream';

import {
  ApiToken,
  ArtifactStat,
  ArtifactStore,
  AuditEvent,
  AuditQuery,
  CreateLoggedModelInput,
  CreateModelVersionInput,
  CreateRegisteredModelInput,
  CreateRunInput,
  DatasetInput,
  DatasetSummary,
  DeleteTracesQuery,
  EndTraceInput,
  ExperimentGrant,
  FileInfo,
  IdentityStore,
  KeyValue,
  LogBatchInput,
  LoggedModel,
  LoggedModelLocation,
  LoggedModelStatus,
  LoggedModelStore,
  Metric,
  MetricHistoryBulkIntervalQuery,
  MetricHistoryPage,
  MetricHistoryQuery,
  ModelOutput,
  ModelRegistryStore,
  ModelStage,
  ModelVersion,
  NewApiToken,
  NewAuditEvent,
  NewUser,
  Permission,
  RegisteredModel,
  RegisteredModelGrant,
  ResolvedExperiment,
  ResolvedRegisteredModel,
  Run,
  RunArtifactRoot,
  RunInfo,
  RunMetric,
  RunStore,
  SearchLoggedModelsQuery,
  SearchRegistryQuery,
  SearchRunsQuery,
  SearchTracesQuery,
  StartTraceInput,
  TraceInfo,
  TraceStore,
  UpdateRunInput,
  User,
  UserCredentials,
} from '@app/domain';

/** Rejects like a store whose method the code under test should not call. */
function unused(method: string): Promise<never> {
  return Promise.reject(new Error(`${method} is not used by this test's subject`));
}

/** Every method of RunStore refuses: a unit test's fake overrides only what its subject calls. */
export abstract class UnusedRunStore extends RunStore {
  createRun(_input: CreateRunInput): Promise<Run> {
    return unused('RunStore.createRun');
  }
  getRun(_runId: string): Promise<Run> {
    return unused('RunStore.getRun');
  }
  getRunInfo(_runId: string): Promise<RunInfo> {
    return unused('RunStore.getRunInfo');
  }
  updateRun(_runId: string, _update: UpdateRunInput): Promise<RunInfo> {
    return unused('RunStore.updateRun');
  }
  deleteRun(_runId: string): Promise<void> {
    return unused('RunStore.deleteRun');
  }
  restoreRun(_runId: string): Promise<void> {
    return unused('RunStore.restoreRun');
  }
  logBatch(_runId: string, _batch: LogBatchInput): Promise<void> {
    return unused('RunStore.logBatch');
  }
  logMetric(_runId: string, _metric: Metric): Promise<void> {
    return unused('RunStore.logMetric');
  }
  deleteTag(_runId: string, _key: string): Promise<void> {
    return unused('RunStore.deleteTag');
  }
  appendLoggedModelHistory(_runId: string, _modelJson: Record<string, unknown>): Promise<void> {
    return unused('RunStore.appendLoggedModelHistory');
  }
  logInputs(_runId: string, _datasets: DatasetInput[], _modelIds: string[]): Promise<void> {
    return unused('RunStore.logInputs');
  }
  logOutputs(_runId: string, _models: ModelOutput[]): Promise<void> {
    return unused('RunStore.logOutputs');
  }
  searchRuns(_query: SearchRunsQuery): Promise<{ items: Run[]; hasMore: boolean }> {
    return unused('RunStore.searchRuns');
  }
  getMetricHistory(_query: MetricHistoryQuery): Promise<MetricHistoryPage> {
    return unused('RunStore.getMetricHistory');
  }
  getMetricHistoryBulkInterval(_query: MetricHistoryBulkIntervalQuery): Promise<RunMetric[]> {
    return unused('RunStore.getMetricHistoryBulkInterval');
  }
  getMetricHistoryBulk(
    _runIds: string[],
    _metricKey: string,
    _maxResults: number,
  ): Promise<RunMetric[]> {
    return unused('RunStore.getMetricHistoryBulk');
  }
  searchDatasets(_experimentIds: string[]): Promise<DatasetSummary[]> {
    return unused('RunStore.searchDatasets');
  }
}

/** Every method of LoggedModelStore refuses: a unit test's fake overrides only what its subject calls. */
export abstract class UnusedLoggedModelStore extends LoggedModelStore {
  createLoggedModel(_input: CreateLoggedModelInput): Promise<LoggedModel> {
    return unused('LoggedModelStore.createLoggedModel');
  }
  getLoggedModel(_modelId: string, _allowDeleted?: boolean): Promise<LoggedModel> {
    return unused('LoggedModelStore.getLoggedModel');
  }
  deleteLoggedModel(_modelId: string): Promise<void> {
    return unused('LoggedModelStore.deleteLoggedModel');
  }
  finalizeLoggedModel(_modelId: string, _status: LoggedModelStatus): Promise<LoggedModel> {
    return unused('LoggedModelStore.finalizeLoggedModel');
  }
  setLoggedModelTags(_modelId: string, _tags: KeyValue[]): Promise<void> {
    return unused('LoggedModelStore.setLoggedModelTags');
  }
  deleteLoggedModelTag(_modelId: string, _key: string): Promise<void> {
    return unused('LoggedModelStore.deleteLoggedModelTag');
  }
  logLoggedModelParams(_modelId: string, _params: KeyValue[]): Promise<void> {
    return unused('LoggedModelStore.logLoggedModelParams');
  }
  searchLoggedModels(
    _query: SearchLoggedModelsQuery,
  ): Promise<{ items: LoggedModel[]; hasMore: boolean }> {
    return unused('LoggedModelStore.searchLoggedModels');
  }
}

/** Every method of TraceStore refuses: a unit test's fake overrides only what its subject calls. */
export abstract class UnusedTraceStore extends TraceStore {
  startTrace(_input: StartTraceInput): Promise<TraceInfo> {
    return unused('TraceStore.startTrace');
  }
  endTrace(_input: EndTraceInput): Promise<TraceInfo> {
    return unused('TraceStore.endTrace');
  }
  getTraceInfo(_requestId: string): Promise<TraceInfo> {
    return unused('TraceStore.getTraceInfo');
  }
  searchTraces(_query: SearchTracesQuery): Promise<{ items: TraceInfo[]; hasMore: boolean }> {
    return unused('TraceStore.searchTraces');
  }
  deleteTraces(_query: DeleteTracesQuery): Promise<number> {
    return unused('TraceStore.deleteTraces');
  }
  setTraceTag(_requestId: string, _key: string, _value: string): Promise<void> {
    return unused('TraceStore.setTraceTag');
  }
  deleteTraceTag(_requestId: string, _key: string): Promise<void> {
    return unused('TraceStore.deleteTraceTag');
  }
  linkTracesToRun(_requestIds: string[], _runId: string): Promise<void> {
    return unused('TraceStore.linkTracesToRun');
  }
}

/** Every method of ModelRegistryStore refuses: a unit test's fake overrides only what its subject calls. */
export abstract class UnusedModelRegistryStore extends ModelRegistryStore {
  createRegisteredModel(_input: CreateRegisteredModelInput): Promise<RegisteredModel> {
    return unused('ModelRegistryStore.createRegisteredModel');
  }
  getRegisteredModel(_name: string): Promise<RegisteredModel> {
    return unused('ModelRegistryStore.getRegisteredModel');
  }
  assertRegisteredModelExists(_name: string): Promise<void> {
    return unused('ModelRegistryStore.assertRegisteredModelExists');
  }
  renameRegisteredModel(_name: string, _newName: string): Promise<RegisteredModel> {
    return unused('ModelRegistryStore.renameRegisteredModel');
  }
  updateRegisteredModel(_name: string, _description: string): Promise<RegisteredModel> {
    return unused('ModelRegistryStore.updateRegisteredModel');
  }
  deleteRegisteredModel(_name: string): Promise<void> {
    return unused('ModelRegistryStore.deleteRegisteredModel');
  }
  searchRegisteredModels(
    _query: SearchRegistryQuery,
  ): Promise<{ items: RegisteredModel[]; hasMore: boolean }> {
    return unused('ModelRegistryStore.searchRegisteredModels');
  }
  getLatestVersions(_name: string, _stages: ModelStage[] | null): Promise<ModelVersion[]> {
    return unused('ModelRegistryStore.getLatestVersions');
  }
  setRegisteredModelTag(_name: string, _tag: KeyValue): Promise<void> {
    return unused('ModelRegistryStore.setRegisteredModelTag');
  }
  deleteRegisteredModelTag(_name: string, _key: string): Promise<void> {
    return unused('ModelRegistryStore.deleteRegisteredModelTag');
  }
  createModelVersion(_input: CreateModelVersionInput): Promise<ModelVersion> {
    return unused('ModelRegistryStore.createModelVersion');
  }
  getModelVersion(_name: string, _version: number): Promise<ModelVersion> {
    return unused('ModelRegistryStore.getModelVersion');
  }
  updateModelVersion(_name: string, _version: number, _description: string): Promise<ModelVersion> {
    return unused('ModelRegistryStore.updateModelVersion');
  }
  transitionModelVersionStage(
    _name: string,
    _version: number,
    _stage: ModelStage,
    _archiveExisting: boolean,
  ): Promise<ModelVersion> {
    return unused('ModelRegistryStore.transitionModelVersionStage');
  }
  deleteModelVersion(_name: string, _version: number): Promise<void> {
    return unused('ModelRegistryStore.deleteModelVersion');
  }
  searchModelVersions(
    _query: SearchRegistryQuery,
  ): Promise<{ items: ModelVersion[]; hasMore: boolean }> {
    return unused('ModelRegistryStore.searchModelVersions');
  }
  setModelVersionTag(_name: string, _version: number, _tag: KeyValue): Promise<void> {
    return unused('ModelRegistryStore.setModelVersionTag');
  }
  deleteModelVersionTag(_name: string, _version: number, _key: string): Promise<void> {
    return unused('ModelRegistryStore.deleteModelVersionTag');
  }
  setRegisteredModelAlias(_name: string, _alias: string, _version: number): Promise<void> {
    return unused('ModelRegistryStore.setRegisteredModelAlias');
  }
  deleteRegisteredModelAlias(_name: string, _alias: string): Promise<void> {
    return unused('ModelRegistryStore.deleteRegisteredModelAlias');
  }
  getModelVersionByAlias(_name: string, _alias: string): Promise<ModelVersion> {
    return unused('ModelRegistryStore.getModelVersionByAlias');
  }
  getLatestModelVersion(_name: string): Promise<ModelVersion | null> {
    return unused('ModelRegistryStore.getLatestModelVersion');
  }
  findRunArtifactRoots(_runIds: string[]): Promise<RunArtifactRoot[]> {
    return unused('ModelRegistryStore.findRunArtifactRoots');
  }
  findLoggedModelLocations(_modelIds: string[]): Promise<LoggedModelLocation[]> {
    return unused('ModelRegistryStore.findLoggedModelLocations');
  }
}

/** Every method of ArtifactStore refuses: a unit test's fake overrides only what its subject calls. */
export abstract class UnusedArtifactStore extends ArtifactStore {
  list(_path: string): Promise<FileInfo[] | null> {
    return unused('ArtifactStore.list');
  }
  stat(_path: string): Promise<ArtifactStat | null> {
    return unused('ArtifactStore.stat');
  }
  openRead(_path: string): Promise<Readable> {
    return unused('ArtifactStore.openRead');
  }
  write(_path: string, _source: Readable): Promise<void> {
    return unused('ArtifactStore.write');
  }
  delete(_path: string): Promise<void> {
    return unused('ArtifactStore.delete');
  }
  close(): Promise<void> {
    return unused('ArtifactStore.close');
  }
}

/** Every method of IdentityStore refuses: a unit test's fake overrides only what its subject calls. */
export abstract class UnusedIdentityStore extends IdentityStore {
  countUsers(): Promise<number> {
    return unused('IdentityStore.countUsers');
  }
  createUser(_user: NewUser): Promise<User> {
    return unused('IdentityStore.createUser');
  }
  findUser(_username: string): Promise<UserCredentials | null> {
    return unused('IdentityStore.findUser');
  }
  findUserById(_userId: number): Promise<UserCredentials | null> {
    return unused('IdentityStore.findUserById');
  }
  listUsers(): Promise<User[]> {
    return unused('IdentityStore.listUsers');
  }
  updatePassword(_username: string, _passwordHash: string): Promise<User> {
    return unused('IdentityStore.updatePassword');
  }
  updateAdmin(_username: string, _isAdmin: boolean): Promise<User> {
    return unused('IdentityStore.updateAdmin');
  }
  deleteUser(_username: string): Promise<User> {
    return unused('IdentityStore.deleteUser');
  }
  createToken(_token: NewApiToken): Promise<ApiToken> {
    return unused('IdentityStore.createToken');
  }
  listTokens(_userId: number): Promise<ApiToken[]> {
    return unused('IdentityStore.listTokens');
  }
  getToken(_tokenId: number): Promise<ApiToken | null> {
    return unused('IdentityStore.getToken');
  }
  revokeToken(_tokenId: number, _time: number): Promise<ApiToken | null> {
    return unused('IdentityStore.revokeToken');
  }
  recordTokenUse(_tokenId: number, _time: number): Promise<void> {
    return unused('IdentityStore.recordTokenUse');
  }
  resolveExperiment(_experimentId: string, _userId: number): Promise<ResolvedExperiment | null> {
    return unused('IdentityStore.resolveExperiment');
  }
  resolveExperimentByName(_name: string, _userId: number): Promise<ResolvedExperiment | null> {
    return unused('IdentityStore.resolveExperimentByName');
  }
  resolveRun(_runId: string, _userId: number): Promise<ResolvedExperiment | null> {
    return unused('IdentityStore.resolveRun');
  }
  resolveLoggedModel(_modelId: string, _userId: number): Promise<ResolvedExperiment | null> {
    return unused('IdentityStore.resolveLoggedModel');
  }
  resolveTrace(_requestId: string, _userId: number): Promise<ResolvedExperiment | null> {
    return unused('IdentityStore.resolveTrace');
  }
  resolveRegisteredModel(_name: string, _userId: number): Promise<ResolvedRegisteredModel | null> {
    return unused('IdentityStore.resolveRegisteredModel');
  }
  experimentGrants(_experimentId: string): Promise<ExperimentGrant[]> {
    return unused('IdentityStore.experimentGrants');
  }
  registeredModelGrants(_registeredModelId: number): Promise<RegisteredModelGrant[]> {
    return unused('IdentityStore.registeredModelGrants');
  }
  createExperimentGrant(
    _experimentId: string,
    _userId: number,
    _permission: Permission,
  ): Promise<void> {
    return unused('IdentityStore.createExperimentGrant');
  }
  updateExperimentGrant(
    _experimentId: string,
    _userId: number,
    _permission: Permission,
  ): Promise<void> {
    return unused('IdentityStore.updateExperimentGrant');
  }
  deleteExperimentGrant(_experimentId: string, _userId: number): Promise<void> {
    return unused('IdentityStore.deleteExperimentGrant');
  }
  createRegisteredModelGrant(
    _registeredModelId: number,
    _userId: number,
    _permission: Permission,
  ): Promise<void> {
    return unused('IdentityStore.createRegisteredModelGrant');
  }
  updateRegisteredModelGrant(
    _registeredModelId: number,
    _userId: number,
    _permission: Permission,
  ): Promise<void> {
    return unused('IdentityStore.updateRegisteredModelGrant');
  }
  deleteRegisteredModelGrant(_registeredModelId: number, _userId: number): Promise<void> {
    return unused('IdentityStore.deleteRegisteredModelGrant');
  }
  recordAudit(_event: NewAuditEvent): Promise<void> {
    return unused('IdentityStore.recordAudit');
  }
  findToken(_secretHash: string): Promise<{ token: ApiToken; user: User } | null> {
    return unused('IdentityStore.findToken');
  }
  grantsOfUser(
    _userId: number,
  ): Promise<{ experiments: ExperimentGrant[]; registeredModels: RegisteredModelGrant[] }> {
    return unused('IdentityStore.grantsOfUser');
  }
  searchAudit(_query: AuditQuery): Promise<{ items: AuditEvent[]; hasMore: boolean }> {
    return unused('IdentityStore.searchAudit');
  }
}
