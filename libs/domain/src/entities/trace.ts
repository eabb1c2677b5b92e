import { KeyValue } from './common';

/**
 * A trace's status as MLflow 2.x names it (`TraceStatus`); MLflow 3.x calls the same values the
 * trace's `state` (`STATE_UNSPECIFIED` for the first).
 */
export const TRACE_STATUSES = ['TRACE_STATUS_UNSPECIFIED', 'OK', 'ERROR', 'IN_PROGRESS'] as const;
export type TraceStatus = (typeof TRACE_STATUSES)[number];

/** Tag holding where a trace's data (`traces.json`) lives; set by the server only. */
export const TRACE_ARTIFACT_LOCATION_TAG = 'mlflow.artifactLocation';
/** The file holding a trace's spans, below its artifact location. */
export const TRACE_DATA_FILE_NAME = 'traces.json';
/** Request-metadata keys MLflow 2.x uses for what MLflow 3.x keeps as previews. */
export const TRACE_INPUTS_METADATA = 'mlflow.traceInputs';
export const TRACE_OUTPUTS_METADATA = 'mlflow.traceOutputs';
/** Request metadata naming the run a trace was recorded in. */
export const TRACE_SOURCE_RUN_METADATA = 'mlflow.sourceRun';
/** The tag the `name` search attribute reads. */
export const TRACE_NAME_TAG = 'mlflow.traceName';

/**
 * A trace's metadata (MLflow's TraceInfo; the spans live in the artifact store). One record
 * serves both wire versions: `requestId` is 3.x's `trace_id`, `requestMetadata` its
 * `trace_metadata`, `timestampMs`/`executionTimeMs` its `request_time`/`execution_duration`.
 */
export interface TraceInfo {
  requestId: string;
  experimentId: string;
  timestampMs: number;
  executionTimeMs: number | null;
  status: TraceStatus;
  clientRequestId: string | null;
  requestPreview: string | null;
  responsePreview: string | null;
  requestMetadata: KeyValue[];
  tags: KeyValue[];
}
