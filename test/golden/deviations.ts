/**
 * Exchanges where our contract (../shared/reference/mlflow-rest-api.md) deliberately differs from
 * what MLflow 2.17.2 answered, each with the answer we give instead and why.
 */
/*
 * Beyond the recorded exchanges, the rules that MLflow's own server tests exercise and where we
 * differ on purpose (README "Model-version sources and proxy paths"; e2e:
 * test/e2e/suite/mlflow-server-contract.e2e-spec.ts, test/e2e/model-registry/source-validation):
 * - run_id / runs:/ naming no run here: recorded as given; naming a run here: readable by the caller;
 * - mlflow-artifacts: sources are authorised like the proxy path (entity paths must exist there);
 * - free proxy paths live in the caller's namespace when auth is on (MLflow has one namespace);
 * - file://<other host> sources: 400, not MLflow's 500; unlisted schemes (javascript:) refused;
 * - prompt-lab runs carry no pickled pyfunc model; gateway-proxy has no target; no /graphql.
 * Tracing (README "Tracing"; e2e test/e2e/tracking/traces.e2e-spec.ts, no recorded exchanges):
 * - mlflow.artifactLocation is server-owned: a client's value is dropped, set/delete of it is 400;
 * - a 3.x trace_id recorded in another experiment is 400 RESOURCE_ALREADY_EXISTS;
 * - tag/metadata values over 8,000 and 3.x previews over 1,000 characters are 400.
 */
export interface Deviation {
  reason: string;
  /** Our status (defaults to the recorded one). */
  status?: number;
  /** Our error_code, when we answer with an error. */
  errorCode?: string;
  /** Do not compare the body beyond status/error_code (e.g. our body is richer or paging differs). */
  ignoreBody?: boolean;
}

const UNKNOWN_ROUTE: Deviation = {
  reason:
    'Unknown routes answer JSON {error_code: ENDPOINT_NOT_FOUND} with 404 instead of an HTML page; the client maps both to ENDPOINT_NOT_FOUND (contract §9.3).',
  status: 404,
  errorCode: 'ENDPOINT_NOT_FOUND',
};

const WRONG_METHOD: Deviation = {
  reason:
    'A known path with the wrong method is answered like an unknown route (JSON 404 ENDPOINT_NOT_FOUND) rather than an HTML 405; the client treats both as failures and only falls back on ENDPOINT_NOT_FOUND.',
  status: 404,
  errorCode: 'ENDPOINT_NOT_FOUND',
};

export const DEVIATIONS: Record<string, Record<string, Deviation>> = {
  'errors.json': {
    'unknown-endpoint-api-get': UNKNOWN_ROUTE,
    'unknown-endpoint-api-post': UNKNOWN_ROUTE,
    'unknown-endpoint-ajax': UNKNOWN_ROUTE,
    'unknown-api-version': UNKNOWN_ROUTE,
    'trailing-slash': UNKNOWN_ROUTE,
    'wrong-method-get-on-post-route': WRONG_METHOD,
    'wrong-method-post-on-get-route': WRONG_METHOD,
    'wrong-method-delete-on-post-route': WRONG_METHOD,
    'json-array-body': {
      reason:
        'A JSON array body is a deterministic client error: 400 INVALID_PARAMETER_VALUE instead of an HTML 500 that the client would retry for minutes (contract §9.4).',
      status: 400,
      errorCode: 'INVALID_PARAMETER_VALUE',
    },
    'camel-case-required-field': {
      reason:
        'lowerCamelCase is accepted for every field (contract §1.2 and the issue), required ones included; MLflow 2.17.2 only honoured it for optional fields.',
      status: 200,
      ignoreBody: true,
    },
    'camel-case-optional-field': {
      reason:
        'Follows from camel-case-required-field: since we accepted that camelCase request, the experiment now carries the tag it set.',
      ignoreBody: true,
    },
    version: {
      reason:
        'Our /version names the MLflow release we are wire-compatible with; compared by type only.',
      ignoreBody: true,
    },
  },
  'experiments.json': {
    'update-rename-deleted': {
      reason:
        "Renaming a deleted experiment is a deterministic client error: 400 INVALID_STATE with MLflow's message instead of 500, which the client would retry for minutes.",
      status: 400,
      errorCode: 'INVALID_STATE',
    },
    'get-non-numeric-id': {
      reason:
        'A non-numeric experiment id names no experiment: 404 RESOURCE_DOES_NOT_EXIST. MLflow returned Default only because MariaDB compares the string as 0 (golden README).',
      status: 404,
      errorCode: 'RESOURCE_DOES_NOT_EXIST',
    },
    'search-without-max-results': {
      reason:
        'A missing max_results defaults to 1000 (what every client sends) instead of an error (contract §2.1 and §9.11: being lenient is safe).',
      status: 200,
      ignoreBody: true,
    },
    'create-with-artifact-location': {
      reason:
        'Client-supplied artifact locations are not honoured: locations are server-owned (issue, security §1.3 B).',
    },
    'search-page-2': {
      reason:
        'The experiment created with a custom artifact_location gets the server-owned mlflow-artifacts:/<id> location.',
      ignoreBody: true,
    },
    'search-get-form': {
      reason:
        'The experiment created with a custom artifact_location gets the server-owned mlflow-artifacts:/<id> location.',
      ignoreBody: true,
    },
  },
  'runs.json': {},
  'metrics.json': {
    'get-history-max-results-2': {
      reason:
        'get-history honours max_results with page tokens (contract §2.4; MLflow 3.x pages too); MLflow 2.17.2 ignored it and returned all 10 points.',
      ignoreBody: true,
    },
    'get-history-with-page-token': {
      reason:
        'get-history honours page_token (offset 2, page of 2 with a next token); MLflow 2.17.2 ignored it and returned all 10 points.',
      ignoreBody: true,
    },
    'get-history-bulk-special-values': {
      reason:
        'NaN is written as the string "NaN" to stay valid JSON (contract §1.3); MLflow wrote a bare NaN token here.',
      ignoreBody: true,
    },
    'get-history-bulk-under-api': UNKNOWN_ROUTE,
  },
  'search.json': {
    'search-datasets-under-api': UNKNOWN_ROUTE,
    'search-datasets-broken-proto-route': UNKNOWN_ROUTE,
  },
  'artifacts.json': {
    'download-missing': {
      reason:
        'A missing file is 404 RESOURCE_DOES_NOT_EXIST (issue, contract §2.7.1): MLflow answers 500 INTERNAL_ERROR with its storage path, which the client retries for minutes.',
      status: 404,
      errorCode: 'RESOURCE_DOES_NOT_EXIST',
    },
    'download-directory': {
      reason:
        'A directory is not a downloadable file: 404 RESOURCE_DOES_NOT_EXIST instead of the HTML 500 page MLflow crashes with (and the client retries).',
      status: 404,
      errorCode: 'RESOURCE_DOES_NOT_EXIST',
    },
    'traversal-download-absolute': {
      reason:
        'An encoded absolute path (%2Fetc%2Fpasswd) is refused with 400 "Invalid path" before routing can rewrite it; MLflow merges the slashes and answers a 308 redirect to another path (security §1.3 A).',
      status: 400,
      errorCode: 'INVALID_PARAMETER_VALUE',
    },
  },
  'registry.json': {
    'transition-stage-archive-existing-to-archived': {
      reason:
        "Archiving into a non-active stage is a deterministic client error: 400 INVALID_PARAMETER_VALUE with MLflow's message instead of 500 INTERNAL_ERROR, which the client would retry for minutes (contract §9.4).",
      status: 400,
      errorCode: 'INVALID_PARAMETER_VALUE',
    },
  },
};

const UNKNOWN_RUN_SIGNED_IN: Deviation = {
  reason:
    "Signed in, every run a request names is looked up before the route runs, and one that does not exist is 404 RESOURCE_DOES_NOT_EXIST, like another user's: MLflow's own basic-auth app answers the same (its validator fetches the run). Without authentication the history of an unknown run is empty, as recorded.",
  status: 404,
  errorCode: 'RESOURCE_DOES_NOT_EXIST',
};

/** Further differences when the replay runs signed in as a user (AUTH_MODE=basic). */
export const SIGNED_IN_DEVIATIONS: Record<string, Record<string, Deviation>> = {
  'metrics.json': {
    'get-history-unknown-run': UNKNOWN_RUN_SIGNED_IN,
    'get-history-bulk': UNKNOWN_RUN_SIGNED_IN,
  },
};
