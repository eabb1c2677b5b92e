/** MLflow's limits (mlflow/utils/validation.py and the server handlers), in one place. */
export const LIMITS = {
  maxMetricsPerBatch: 1000,
  maxParamsTagsPerBatch: 100,
  maxEntitiesPerBatch: 1000,
  maxEntityKeyLength: 250,
  maxParamValueLength: 6000,
  maxRunTagValueLength: 8000,
  maxExperimentTagValueLength: 5000,
  maxExperimentNameLength: 500,
  maxRegistryTagValueLength: 100_000,
  maxRegisteredModelNameLength: 256,
  maxAliasLength: 255,
  maxDatasetNameLength: 500,
  maxDatasetDigestLength: 36,
  maxDatasetSourceLength: 65_535,
  maxDatasetSchemaLength: 1_048_575,
  maxDatasetProfileLength: 16_777_215,
  maxInputTagKeyLength: 255,
  maxInputTagValueLength: 500,
  searchRunsDefaultMaxResults: 1000,
  searchRunsMaxResults: 50_000,
  searchExperimentsDefaultMaxResults: 1000,
  searchExperimentsMaxResults: 50_000,
  searchRegisteredModelsDefaultMaxResults: 100,
  searchRegisteredModelsMaxResults: 1000,
  searchModelVersionsDefaultMaxResults: 200_000,
  searchModelVersionsMaxResults: 200_000,
  searchLoggedModelsDefaultMaxResults: 100,
  /** MLflow's SEARCH_TRACES_DEFAULT_MAX_RESULTS and the handlers' `max_results <= 500`. */
  searchTracesDefaultMaxResults: 100,
  searchTracesMaxResults: 500,
  /** trace_tags / trace_request_metadata columns (MLflow: key String(250), value String(8000)). */
  maxTraceKeyLength: 250,
  maxTraceValueLength: 8000,
  /** MLflow 3's request/response previews are cut to this many characters by the client. */
  maxTracePreviewLength: 1000,
  /** Trace ids: MLflow's request_id column is varchar(50). */
  maxTraceIdLength: 50,
  /** MLflow's `link_traces_to_run` refuses more in one request. */
  maxTracesPerLink: 100,
  /** Larger logged-model pages are cut to this size; the client follows next_page_token. */
  searchLoggedModelsMaxResults: 1000,
  /** Column widths MLflow leaves to the database; checked first so that they fail as 400. */
  maxRunNameLength: 250,
  maxUserIdLength: 256,
  maxModelIdLength: 64,
  maxDatasetSourceTypeLength: 36,
  /** Percent-decoding rounds before a path or source still encoded is refused. */
  maxPercentDecodeRounds: 10,
  /** The logged_models name and model_type columns. */
  maxLoggedModelNameLength: 500,
  maxLoggedModelTypeLength: 500,
  metricHistoryBulkMaxRunIds: 100,
  metricHistoryBulkMaxResults: 25_000,
  metricHistoryBulkIntervalMaxResults: 2500,
  searchDatasetsMaxExperimentIds: 20,
  /** MLflow's cap on the UI upload route (`upload_artifact_handler`). */
  uiUploadMaxBytes: 10 * 1024 * 1024,
} as const;

/** The range of MLflow's int64 fields (timestamps, steps), for values beyond 2^53 as bigints. */
export const INT64_MIN = -(2n ** 63n);
export const INT64_MAX = 2n ** 63n - 1n;
