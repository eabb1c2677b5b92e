import { Column, Entity, Index, PrimaryColumn } from 'typeorm';

import { bigint, integer, nullable, text, varchar } from './column-options';

/** MLflow's `trace_info`, plus 3.x's client request id and previews. */
@Entity('trace_info')
@Index('ix_trace_info_experiment_timestamp', ['experimentId', 'timestampMs'])
export class TraceInfoEntity {
  @PrimaryColumn(varchar('request_id', 50))
  requestId!: string;

  @Column(integer('experiment_id'))
  experimentId!: number;

  @Column(bigint('timestamp_ms'))
  timestampMs!: number;

  @Column(nullable(bigint('execution_time_ms')))
  executionTimeMs!: number | null;

  @Column(varchar('status', 50))
  status!: string;

  @Column(nullable(varchar('client_request_id', 250)))
  clientRequestId!: string | null;

  @Column(nullable(text('request_preview')))
  requestPreview!: string | null;

  @Column(nullable(text('response_preview')))
  responsePreview!: string | null;
}

@Entity('trace_tags')
@Index('ix_trace_tags_request_id', ['requestId'])
export class TraceTagEntity {
  @PrimaryColumn(varchar('key', 250))
  key!: string;

  @Column(nullable(text('value')))
  value!: string | null;

  @PrimaryColumn(varchar('request_id', 50))
  requestId!: string;
}

@Entity('trace_request_metadata')
@Index('ix_trace_request_metadata_request_id', ['requestId'])
export class TraceRequestMetadataEntity {
  @PrimaryColumn(varchar('key', 250))
  key!: string;

  @Column(nullable(text('value')))
  value!: string | null;

  @PrimaryColumn(varchar('request_id', 50))
  requestId!: string;
}

/** MLflow 3.x's trace → run entity associations (traces/link-to-run). */
@Entity('trace_run_links')
@Index('ix_trace_run_links_run_uuid', ['runUuid'])
export class TraceRunLinkEntity {
  @PrimaryColumn(varchar('request_id', 50))
  requestId!: string;

  @PrimaryColumn(varchar('run_uuid', 32))
  runUuid!: string;
}
