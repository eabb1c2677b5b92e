import type { OpenAPIObject } from '@nestjs/swagger';
import type { ResponsesObject } from '@nestjs/swagger/dist/interfaces/open-api-spec.interface';

import { ERROR_CODES } from '@app/domain';

/**
 * The operationId of every route, named after MLflow's RPC in camelCase (`CreateExperiment` →
 * `createExperiment`), so a generated client reads like MLflow's own API. Keyed by method and the
 * route's `/api/2.0` path (or its ajax path where only that exists). A route missing here fails
 * the document build, and so the service's boot: no operation ships with a generated name.
 */
const OPERATION_IDS: Readonly<Record<string, string>> = {
  'GET /health': 'health',
  'GET /version': 'getVersion',
  'POST /api/2.0/mlflow/experiments/create': 'createExperiment',
  'GET /api/2.0/mlflow/experiments/get': 'getExperiment',
  'GET /api/2.0/mlflow/experiments/get-by-name': 'getExperimentByName',
  'POST /api/2.0/mlflow/experiments/search': 'searchExperiments',
  'GET /api/2.0/mlflow/experiments/search': 'searchExperimentsByQuery',
  'GET /api/2.0/mlflow/experiments/list': 'listExperiments',
  'POST /api/2.0/mlflow/experiments/update': 'updateExperiment',
  'POST /api/2.0/mlflow/experiments/delete': 'deleteExperiment',
  'POST /api/2.0/mlflow/experiments/restore': 'restoreExperiment',
  'POST /api/2.0/mlflow/experiments/set-experiment-tag': 'setExperimentTag',
  'POST /api/2.0/mlflow/experiments/delete-experiment-tag': 'deleteExperimentTag',
  'POST /ajax-api/2.0/mlflow/experiments/search-datasets': 'searchDatasets',
  'GET /api/2.0/flops/projects': 'listFlopsProjects',
  'POST /api/2.0/flops/projects': 'createFlopsProject',
  'GET /api/2.0/flops/projects/{experiment_id}': 'getFlopsProject',
  'GET /api/2.0/flops/projects/{experiment_id}/rounds': 'listFlopsRounds',
  'POST /api/2.0/flops/projects/{experiment_id}/rounds': 'startFlopsRound',
  'GET /api/2.0/flops/projects/{experiment_id}/rounds/{round}': 'getFlopsRound',
  'POST /api/2.0/flops/projects/{experiment_id}/rounds/{round}/finish': 'finishFlopsRound',
  'GET /api/2.0/flops/projects/{experiment_id}/series': 'getFlopsProjectSeries',
  'GET /api/2.0/flops/projects/{experiment_id}/best-round': 'getFlopsBestRound',
  'GET /api/2.0/flops/projects/{experiment_id}/export': 'exportFlopsRounds',
  'GET /api/2.0/flops/series': 'compareFlopsSeries',
  'POST /api/2.0/mlflow/logged-models': 'createLoggedModel',
  'POST /api/2.0/mlflow/logged-models/search': 'searchLoggedModels',
  'GET /api/2.0/mlflow/logged-models/{model_id}': 'getLoggedModel',
  'PATCH /api/2.0/mlflow/logged-models/{model_id}': 'finalizeLoggedModel',
  'DELETE /api/2.0/mlflow/logged-models/{model_id}': 'deleteLoggedModel',
  'PATCH /api/2.0/mlflow/logged-models/{model_id}/tags': 'setLoggedModelTags',
  'DELETE /api/2.0/mlflow/logged-models/{model_id}/tags/{tag_key}': 'deleteLoggedModelTag',
  'POST /api/2.0/mlflow/logged-models/{model_id}/params': 'logLoggedModelParams',
  'GET /api/2.0/mlflow/logged-models/{model_id}/artifacts/directories': 'listLoggedModelArtifacts',
  'GET /ajax-api/2.0/mlflow/logged-models/{model_id}/artifacts/files': 'getLoggedModelArtifact',
  'POST /api/2.0/mlflow/traces': 'startTrace',
  'PATCH /api/2.0/mlflow/traces/{request_id}': 'endTrace',
  'GET /api/2.0/mlflow/traces/{request_id}/info': 'getTraceInfo',
  'GET /api/2.0/mlflow/traces': 'searchTraces',
  'POST /api/2.0/mlflow/traces/delete-traces': 'deleteTraces',
  'PATCH /api/2.0/mlflow/traces/{request_id}/tags': 'setTraceTag',
  'DELETE /api/2.0/mlflow/traces/{request_id}/tags': 'deleteTraceTag',
  'POST /api/2.0/mlflow/traces/link-to-run': 'linkTracesToRun',
  'GET /ajax-api/2.0/mlflow/get-trace-artifact': 'getTraceArtifact',
  'POST /api/3.0/mlflow/traces': 'startTraceV3',
  'GET /api/3.0/mlflow/traces/{trace_id}': 'getTraceInfoV3',
  'POST /api/3.0/mlflow/traces/search': 'searchTracesV3',
  'POST /api/3.0/mlflow/traces/delete-traces': 'deleteTracesV3',
  'PATCH /api/3.0/mlflow/traces/{trace_id}/tags': 'setTraceTagV3',
  'DELETE /api/3.0/mlflow/traces/{trace_id}/tags': 'deleteTraceTagV3',
  'POST /api/2.0/mlflow/runs/create': 'createRun',
  'GET /api/2.0/mlflow/runs/get': 'getRun',
  'POST /api/2.0/mlflow/runs/update': 'updateRun',
  'POST /api/2.0/mlflow/runs/delete': 'deleteRun',
  'POST /api/2.0/mlflow/runs/restore': 'restoreRun',
  'POST /api/2.0/mlflow/runs/log-metric': 'logMetric',
  'POST /api/2.0/mlflow/runs/log-parameter': 'logParam',
  'POST /api/2.0/mlflow/runs/set-tag': 'setTag',
  'POST /api/2.0/mlflow/runs/delete-tag': 'deleteTag',
  'POST /api/2.0/mlflow/runs/log-batch': 'logBatch',
  'POST /api/2.0/mlflow/runs/log-model': 'logModel',
  'POST /api/2.0/mlflow/runs/log-inputs': 'logInputs',
  'POST /api/2.0/mlflow/runs/outputs': 'logOutputs',
  'POST /api/2.0/mlflow/runs/search': 'searchRuns',
  'GET /api/2.0/mlflow/metrics/get-history': 'getMetricHistory',
  'GET /api/2.0/mlflow/metrics/get-history-bulk-interval': 'getMetricHistoryBulkInterval',
  'GET /ajax-api/2.0/mlflow/metrics/get-history-bulk': 'getMetricHistoryBulk',
  'GET /api/2.0/mlflow/artifacts/list': 'listArtifacts',
  'GET /get-artifact': 'getRunArtifact',
  'POST /ajax-api/2.0/mlflow/upload-artifact': 'uploadRunArtifact',
  'POST /ajax-api/2.0/mlflow/runs/create-promptlab-run': 'createPromptlabRun',
  'GET /ajax-api/2.0/mlflow/gateway-proxy': 'getGatewayProxy',
  'POST /ajax-api/2.0/mlflow/gateway-proxy': 'postGatewayProxy',
  'PUT /api/2.0/mlflow-artifacts/artifacts/{path}': 'uploadArtifact',
  'GET /api/2.0/mlflow-artifacts/artifacts/{path}': 'downloadArtifact',
  'DELETE /api/2.0/mlflow-artifacts/artifacts/{path}': 'deleteArtifact',
  'GET /api/2.0/mlflow-artifacts/artifacts': 'listMlflowArtifacts',
  'POST /api/2.0/mlflow-artifacts/mpu/create/{path}': 'createMultipartUpload',
  'POST /api/2.0/mlflow-artifacts/mpu/complete/{path}': 'completeMultipartUpload',
  'POST /api/2.0/mlflow-artifacts/mpu/abort/{path}': 'abortMultipartUpload',
  'POST /api/2.0/mlflow/registered-models/create': 'createRegisteredModel',
  'GET /api/2.0/mlflow/registered-models/get': 'getRegisteredModel',
  'POST /api/2.0/mlflow/registered-models/rename': 'renameRegisteredModel',
  'PATCH /api/2.0/mlflow/registered-models/update': 'updateRegisteredModel',
  'DELETE /api/2.0/mlflow/registered-models/delete': 'deleteRegisteredModel',
  'GET /api/2.0/mlflow/registered-models/search': 'searchRegisteredModels',
  'POST /api/2.0/mlflow/registered-models/get-latest-versions': 'getLatestVersions',
  'GET /api/2.0/mlflow/registered-models/get-latest-versions': 'getLatestVersionsByQuery',
  'POST /api/2.0/mlflow/registered-models/set-tag': 'setRegisteredModelTag',
  'DELETE /api/2.0/mlflow/registered-models/delete-tag': 'deleteRegisteredModelTag',
  'POST /api/2.0/mlflow/registered-models/alias': 'setRegisteredModelAlias',
  'DELETE /api/2.0/mlflow/registered-models/alias': 'deleteRegisteredModelAlias',
  'GET /api/2.0/mlflow/registered-models/alias': 'getModelVersionByAlias',
  'POST /api/2.0/mlflow/model-versions/create': 'createModelVersion',
  'GET /api/2.0/mlflow/model-versions/get': 'getModelVersion',
  'PATCH /api/2.0/mlflow/model-versions/update': 'updateModelVersion',
  'POST /api/2.0/mlflow/model-versions/transition-stage': 'transitionModelVersionStage',
  'DELETE /api/2.0/mlflow/model-versions/delete': 'deleteModelVersion',
  'GET /api/2.0/mlflow/model-versions/get-download-uri': 'getModelVersionDownloadUri',
  'GET /api/2.0/mlflow/model-versions/search': 'searchModelVersions',
  'POST /api/2.0/mlflow/model-versions/set-tag': 'setModelVersionTag',
  'DELETE /api/2.0/mlflow/model-versions/delete-tag': 'deleteModelVersionTag',
  'GET /model-versions/get-artifact': 'getModelVersionArtifact',
  'POST /api/2.0/mlflow/users/create': 'createUser',
  'GET /api/2.0/mlflow/users/get': 'getUser',
  'GET /api/2.0/mlflow/users/list': 'listUsers',
  'PATCH /api/2.0/mlflow/users/update-password': 'updateUserPassword',
  'PATCH /api/2.0/mlflow/users/update-admin': 'updateUserAdmin',
  'DELETE /api/2.0/mlflow/users/delete': 'deleteUser',
  'POST /api/2.0/mlflow/experiments/permissions/create': 'createExperimentPermission',
  'GET /api/2.0/mlflow/experiments/permissions/get': 'getExperimentPermission',
  'GET /api/2.0/mlflow/experiments/permissions/list': 'listExperimentPermissions',
  'PATCH /api/2.0/mlflow/experiments/permissions/update': 'updateExperimentPermission',
  'DELETE /api/2.0/mlflow/experiments/permissions/delete': 'deleteExperimentPermission',
  'POST /api/2.0/mlflow/registered-models/permissions/create': 'createRegisteredModelPermission',
  'GET /api/2.0/mlflow/registered-models/permissions/get': 'getRegisteredModelPermission',
  'GET /api/2.0/mlflow/registered-models/permissions/list': 'listRegisteredModelPermissions',
  'PATCH /api/2.0/mlflow/registered-models/permissions/update': 'updateRegisteredModelPermission',
  'DELETE /api/2.0/mlflow/registered-models/permissions/delete': 'deleteRegisteredModelPermission',
  'POST /api/2.0/mlflow/tokens/create': 'createToken',
  'GET /api/2.0/mlflow/tokens/list': 'listTokens',
  'POST /api/2.0/mlflow/tokens/revoke': 'revokeToken',
  'GET /api/2.0/mlflow/audit/search': 'searchAuditEvents',
};

const AJAX_PREFIX = '/ajax-api/';
const API_PREFIX = '/api/';

/** What each tag groups, and which deployable serves it when the services run apart. */
const TAG_DESCRIPTIONS: Readonly<Record<string, string>> = {
  meta: 'Liveness and version, on every service.',
  'experiments (FLOps projects)':
    'An MLflow experiment is a FLOps project. Served by tracking (and the suite).',
  'runs (FLOps training rounds)':
    'An MLflow run is a FLOps training round: its params, metrics, tags, inputs and outputs. Served by tracking.',
  metrics: 'Metric histories of runs. Served by tracking.',
  'logged models (MLflow 3.x)': 'MLflow 3.x logged models. Served by tracking.',
  traces:
    "MLflow tracing: trace metadata under /api/2.0 (the 2.x client) and /api/3.0 (the 3.x client's TraceInfoV3 shapes); spans live in the artifact store at each trace's mlflow.artifactLocation. Served by tracking.",
  'FLOps projects and rounds':
    'The FLOps view: projects (experiments) and training rounds (runs) as resources, with per-round series, the best round and exports; projects are addressed by their experiment id. Under /api/2.0/flops only. Served by tracking.',
  'run artifacts':
    "Listing and reading a run's or logged model's artifacts through tracking's routes (the MLflow UI's).",
  'registered models':
    'The model registry: registered models, tags and aliases. Served by model-registry.',
  'model versions':
    'Versions of registered models, stages and downloads. Served by model-registry.',
  'artifact proxy (mlflow-artifacts)':
    'Artifact bytes up and down, streamed to local disk, FTP or SFTP. Served by artifact-proxy.',
  'users and permissions':
    "MLflow's basic-auth API (its AuthServiceClient works unchanged): users, and grants on experiments and registered models, plus who holds which. Under /api/2.0 only, like MLflow. Served by tracking.",
  'API tokens':
    'Bearer tokens of the caller, optionally scoped to one experiment (FLOps project); a secret is shown once. Served by tracking.',
  'audit log':
    'Who changed users, permissions and tokens, when and from where. Served by tracking.',
};

const HTTP_METHODS = ['get', 'put', 'post', 'delete', 'patch', 'head', 'options'] as const;
type HttpMethod = (typeof HTTP_METHODS)[number];
const BODY_METHODS: ReadonlySet<HttpMethod> = new Set(['put', 'post', 'patch']);

const ERROR_SCHEMA_NAME = 'ErrorResponse';
const ERROR_REF = { $ref: `#/components/schemas/${ERROR_SCHEMA_NAME}` };

/** The errors every MLflow operation can answer, with MLflow's status for each. */
function errorResponses(method: HttpMethod): ResponsesObject {
  const error = (description: string) => ({
    description,
    content: { 'application/json': { schema: ERROR_REF } },
  });
  return {
    '400': error(
      'INVALID_PARAMETER_VALUE (a missing or invalid field), RESOURCE_ALREADY_EXISTS, INVALID_STATE or BAD_REQUEST',
    ),
    '404': error('RESOURCE_DOES_NOT_EXIST, or ENDPOINT_NOT_FOUND for an unknown route'),
    ...(BODY_METHODS.has(method) ? { '413': error('The request body is too large') } : {}),
    '500': error('INTERNAL_ERROR: a bug; the message never carries SQL, paths or secrets'),
    '503': {
      ...error('TEMPORARILY_UNAVAILABLE: the backend or artifact store is down; retry later'),
      headers: {
        'Retry-After': {
          description: 'Seconds to wait before retrying',
          schema: { type: 'integer' },
        },
      },
    },
  };
}

/** What a route that needs a credential may also answer. */
function accessResponses(): ResponsesObject {
  const error = (description: string) => ({
    description,
    content: { 'application/json': { schema: ERROR_REF } },
  });
  return {
    '401': {
      ...error('UNAUTHENTICATED: no credential, or not a valid one'),
      headers: {
        'WWW-Authenticate': {
          description: '`Basic realm="mlflow"` and `Bearer realm="mlflow"`',
          schema: { type: 'string' },
        },
      },
    },
    '403': error(
      'PERMISSION_DENIED: the caller may read the resource but not do this, or a project-scoped token used a route outside its project',
    ),
    '429': {
      ...error('REQUEST_LIMIT_EXCEEDED: too many failed sign-ins from this user or address'),
      headers: {
        'Retry-After': {
          description: 'Seconds to wait before retrying',
          schema: { type: 'integer' },
        },
      },
    },
  };
}

/** The credentials every protected operation accepts (`security` names them). */
const SECURITY_SCHEMES = {
  basic: {
    type: 'http',
    scheme: 'basic',
    description:
      "A user's name and password (the MLflow client's MLFLOW_TRACKING_USERNAME / MLFLOW_TRACKING_PASSWORD).",
  },
  bearer: {
    type: 'http',
    scheme: 'bearer',
    description:
      'An API token from `tokens/create` (MLFLOW_TRACKING_TOKEN), or with AUTH_MODE=jwt a JWT issued by the FLOps management.',
  },
} as const;

export interface OpenApiDocumentOptions {
  /** The base URL clients should call, when it differs from where the document is served. */
  serverUrl?: string;
}

/**
 * Makes the document Nest builds one that generated clients live with: each route once (the
 * `/ajax-api/2.0` mirror is served but described only in `info`), MLflow RPC names as
 * operationIds, MLflow's error shape on every operation, a server entry, and every path
 * parameter typed.
 */
export function refineOpenApiDocument(
  document: OpenAPIObject,
  options: OpenApiDocumentOptions = {},
): OpenAPIObject {
  const paths: OpenAPIObject['paths'] = {};
  for (const [path, item] of Object.entries(document.paths)) {
    if (isAjaxMirror(path, document)) continue;
    for (const method of HTTP_METHODS) {
      const operation = item[method];
      if (!operation) continue;
      const key = `${method.toUpperCase()} ${path}`;
      const operationId = OPERATION_IDS[key];
      if (!operationId) {
        throw new Error(`No OpenAPI operationId for ${key}: add it to OPERATION_IDS.`);
      }
      operation.operationId = operationId;
      operation.responses = { ...operation.responses, ...errorResponses(method) };
      // Protected operations list their schemes (the @Access decorator); the rest are public
      // and say so, so a generated client knows which calls need a credential.
      if (operation.security?.length) {
        operation.responses = { ...operation.responses, ...accessResponses() };
      } else {
        operation.security = [];
      }
      for (const parameter of operation.parameters ?? []) {
        if ('in' in parameter && parameter.in === 'path' && !hasType(parameter.schema)) {
          parameter.schema = { type: 'string', ...(parameter.schema ?? {}) };
        }
      }
    }
    paths[path] = item;
  }
  document.paths = paths;
  document.servers = [{ url: options.serverUrl ?? '/', description: 'This service' }];
  const used = new Set(
    Object.values(paths).flatMap((item) =>
      HTTP_METHODS.flatMap((method) => item[method]?.tags ?? []),
    ),
  );
  document.tags = [...used].sort().map((name) => ({
    name,
    ...(TAG_DESCRIPTIONS[name] ? { description: TAG_DESCRIPTIONS[name] } : {}),
  }));
  document.components = {
    ...document.components,
    securitySchemes: SECURITY_SCHEMES,
    schemas: {
      ...document.components?.schemas,
      [ERROR_SCHEMA_NAME]: {
        type: 'object',
        description: "MLflow's error body",
        required: ['error_code', 'message'],
        properties: {
          error_code: { type: 'string', enum: [...ERROR_CODES] },
          message: { type: 'string' },
        },
      },
    },
  };
  return document;
}

/** An `/ajax-api/2.0/...` route whose `/api/2.0/...` twin is in the document. */
function isAjaxMirror(path: string, document: OpenAPIObject): boolean {
  return (
    path.startsWith(AJAX_PREFIX) &&
    `${API_PREFIX}${path.slice(AJAX_PREFIX.length)}` in document.paths
  );
}

function hasType(schema: unknown): boolean {
  return typeof schema === 'object' && schema !== null && ('type' in schema || '$ref' in schema);
}
