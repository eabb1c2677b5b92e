CREATE TABLE "api_tokens" ("id" integer PRIMARY KEY AUTOINCREMENT NOT NULL, "user_id" integer NOT NULL, "name" varchar(255) NOT NULL, "secret_hash" varchar(64) NOT NULL, "experiment_id" integer, "creation_time" bigint NOT NULL, "expiration_time" bigint, "last_used_time" bigint, "revoked_time" bigint);

CREATE TABLE "audit_events" ("id" integer PRIMARY KEY AUTOINCREMENT NOT NULL, "time" bigint NOT NULL, "username" varchar(255) NOT NULL, "client_address" varchar(64) NOT NULL, "action" varchar(64) NOT NULL, "resource_type" varchar(32) NOT NULL, "resource_id" varchar(256) NOT NULL, "experiment_id" integer, "registered_model_id" integer, "detail" text);

CREATE TABLE "datasets" ("dataset_id" integer PRIMARY KEY AUTOINCREMENT NOT NULL, "experiment_id" integer NOT NULL, "name" varchar(500) NOT NULL, "digest" varchar(36) NOT NULL, "source_type" varchar(36) NOT NULL, "source" text NOT NULL, "dataset_schema" text, "profile" text);

CREATE TABLE "experiment_permissions" ("experiment_id" integer NOT NULL, "user_id" integer NOT NULL, "permission" varchar(32) NOT NULL, PRIMARY KEY ("experiment_id", "user_id"));

CREATE TABLE "experiment_tags" ("experiment_id" integer NOT NULL, "key" varchar(250) NOT NULL, "value" text, PRIMARY KEY ("experiment_id", "key"));

CREATE TABLE "experiments" ("experiment_id" integer PRIMARY KEY AUTOINCREMENT NOT NULL, "name" varchar(500) NOT NULL, "artifact_location" varchar(1000) NOT NULL, "lifecycle_stage" varchar(32) NOT NULL, "creation_time" bigint NOT NULL, "last_update_time" bigint NOT NULL, "owner" varchar(255), "owner_id" integer);

CREATE INDEX "ix_api_tokens_user" ON "api_tokens" ("user_id") ;

CREATE INDEX "ix_audit_events_experiment" ON "audit_events" ("experiment_id", "id") ;

CREATE INDEX "ix_audit_events_registered_model" ON "audit_events" ("registered_model_id", "id") ;

CREATE INDEX "ix_audit_events_username" ON "audit_events" ("username", "id") ;

CREATE INDEX "ix_experiment_permissions_user" ON "experiment_permissions" ("user_id", "experiment_id") ;

CREATE INDEX "ix_latest_metrics_key_value" ON "latest_metrics" ("key", "value") ;

CREATE INDEX "ix_logged_models_experiment" ON "logged_models" ("experiment_id") ;

CREATE INDEX "ix_metrics_run_key_step" ON "metrics" ("run_id", "key", "step") ;

CREATE INDEX "ix_model_versions_stage" ON "model_versions" ("registered_model_id", "current_stage") ;

CREATE INDEX "ix_registered_model_permissions_user" ON "registered_model_permissions" ("user_id", "registered_model_id") ;

CREATE INDEX "ix_run_tags_key" ON "run_tags" ("key") ;

CREATE INDEX "ix_runs_experiment_stage_start" ON "runs" ("experiment_id", "lifecycle_stage", "start_time") ;

CREATE INDEX "ix_trace_info_experiment_timestamp" ON "trace_info" ("experiment_id", "timestamp_ms") ;

CREATE INDEX "ix_trace_request_metadata_request_id" ON "trace_request_metadata" ("request_id") ;

CREATE INDEX "ix_trace_run_links_run_uuid" ON "trace_run_links" ("run_uuid") ;

CREATE INDEX "ix_trace_tags_request_id" ON "trace_tags" ("request_id") ;

CREATE TABLE "latest_metrics" ("run_id" integer NOT NULL, "key" varchar(250) NOT NULL, "step" bigint NOT NULL, "timestamp" bigint NOT NULL, "value" real NOT NULL, "is_nan" boolean NOT NULL, PRIMARY KEY ("run_id", "key"));

CREATE TABLE "logged_model_metrics" ("model_id" varchar(64) NOT NULL, "key" varchar(250) NOT NULL, "timestamp" bigint NOT NULL, "step" bigint NOT NULL, "value" real NOT NULL, "is_nan" boolean NOT NULL, "run_id" varchar(32) NOT NULL, "dataset_name" varchar(500), "dataset_digest" varchar(36), PRIMARY KEY ("model_id", "key", "timestamp", "step", "value", "is_nan"));

CREATE TABLE "logged_model_params" ("model_id" varchar(64) NOT NULL, "key" varchar(250) NOT NULL, "value" text, PRIMARY KEY ("model_id", "key"));

CREATE TABLE "logged_model_tags" ("model_id" varchar(64) NOT NULL, "key" varchar(250) NOT NULL, "value" text, PRIMARY KEY ("model_id", "key"));

CREATE TABLE "logged_models" ("model_id" varchar(64) PRIMARY KEY NOT NULL, "experiment_id" integer NOT NULL, "name" varchar(500) NOT NULL, "artifact_location" varchar(1000) NOT NULL, "creation_timestamp_ms" bigint NOT NULL, "last_updated_timestamp_ms" bigint NOT NULL, "status" varchar(40) NOT NULL, "status_message" text, "model_type" varchar(500), "source_run_id" varchar(32), "lifecycle_stage" varchar(32) NOT NULL);

CREATE TABLE "metrics" ("run_id" integer NOT NULL, "key" varchar(250) NOT NULL, "timestamp" bigint NOT NULL, "step" bigint NOT NULL, "value" real NOT NULL, "is_nan" boolean NOT NULL, "model_id" varchar(64), "dataset_name" varchar(500), "dataset_digest" varchar(36), PRIMARY KEY ("run_id", "key", "timestamp", "step", "value", "is_nan"));

CREATE TABLE "model_version_tags" ("registered_model_id" integer NOT NULL, "version" integer NOT NULL, "key" varchar(250) NOT NULL, "value" text, PRIMARY KEY ("registered_model_id", "version", "key"));

CREATE TABLE "model_versions" ("registered_model_id" integer NOT NULL, "version" integer NOT NULL, "creation_time" bigint NOT NULL, "last_updated_time" bigint NOT NULL, "description" text, "user_id" varchar(256), "current_stage" varchar(20) NOT NULL, "source" text NOT NULL, "storage_location" text NOT NULL, "run_id" varchar(32), "run_link" text, "status" varchar(20) NOT NULL, "status_message" text, "model_id" varchar(64), PRIMARY KEY ("registered_model_id", "version"));

CREATE TABLE "params" ("run_id" integer NOT NULL, "key" varchar(250) NOT NULL, "value" text, PRIMARY KEY ("run_id", "key"));

CREATE TABLE "registered_model_aliases" ("registered_model_id" integer NOT NULL, "alias" varchar(255) NOT NULL, "version" integer NOT NULL, PRIMARY KEY ("registered_model_id", "alias"));

CREATE TABLE "registered_model_permissions" ("registered_model_id" integer NOT NULL, "user_id" integer NOT NULL, "permission" varchar(32) NOT NULL, PRIMARY KEY ("registered_model_id", "user_id"));

CREATE TABLE "registered_model_tags" ("registered_model_id" integer NOT NULL, "key" varchar(250) NOT NULL, "value" text, PRIMARY KEY ("registered_model_id", "key"));

CREATE TABLE "registered_models" ("id" integer PRIMARY KEY AUTOINCREMENT NOT NULL, "name" varchar(256) NOT NULL, "creation_time" bigint NOT NULL, "last_updated_time" bigint NOT NULL, "description" text, "owner" varchar(255), "next_version" integer NOT NULL);

CREATE TABLE "run_dataset_input_tags" ("run_id" integer NOT NULL, "dataset_id" integer NOT NULL, "key" varchar(255) NOT NULL, "value" varchar(500) NOT NULL, PRIMARY KEY ("run_id", "dataset_id", "key"));

CREATE TABLE "run_dataset_inputs" ("run_id" integer NOT NULL, "dataset_id" integer NOT NULL, PRIMARY KEY ("run_id", "dataset_id"));

CREATE TABLE "run_model_inputs" ("run_id" integer NOT NULL, "model_id" varchar(64) NOT NULL, PRIMARY KEY ("run_id", "model_id"));

CREATE TABLE "run_model_outputs" ("run_id" integer NOT NULL, "model_id" varchar(64) NOT NULL, "step" bigint NOT NULL, PRIMARY KEY ("run_id", "model_id"));

CREATE TABLE "run_tags" ("run_id" integer NOT NULL, "key" varchar(250) NOT NULL, "value" text, PRIMARY KEY ("run_id", "key"));

CREATE TABLE "runs" ("id" integer PRIMARY KEY AUTOINCREMENT NOT NULL, "run_uuid" varchar(32) NOT NULL, "experiment_id" integer NOT NULL, "name" varchar(250) NOT NULL, "user_id" varchar(256) NOT NULL, "status" varchar(20) NOT NULL, "start_time" bigint, "end_time" bigint, "deleted_time" bigint, "lifecycle_stage" varchar(20) NOT NULL, "artifact_uri" varchar(1000) NOT NULL);

CREATE TABLE "schema_migrations" ("id" integer PRIMARY KEY AUTOINCREMENT NOT NULL, "timestamp" bigint NOT NULL, "name" varchar NOT NULL);

CREATE TABLE sqlite_sequence(name,seq);

CREATE TABLE "trace_info" ("request_id" varchar(50) PRIMARY KEY NOT NULL, "experiment_id" integer NOT NULL, "timestamp_ms" bigint NOT NULL, "execution_time_ms" bigint, "status" varchar(50) NOT NULL, "client_request_id" varchar(250), "request_preview" text, "response_preview" text);

CREATE TABLE "trace_request_metadata" ("key" varchar(250) NOT NULL, "value" text, "request_id" varchar(50) NOT NULL, PRIMARY KEY ("key", "request_id"));

CREATE TABLE "trace_run_links" ("request_id" varchar(50) NOT NULL, "run_uuid" varchar(32) NOT NULL, PRIMARY KEY ("request_id", "run_uuid"));

CREATE TABLE "trace_tags" ("key" varchar(250) NOT NULL, "value" text, "request_id" varchar(50) NOT NULL, PRIMARY KEY ("key", "request_id"));

CREATE UNIQUE INDEX "uq_api_tokens_secret_hash" ON "api_tokens" ("secret_hash") ;

CREATE UNIQUE INDEX "uq_datasets_experiment_name_digest" ON "datasets" ("experiment_id", "name", "digest") ;

CREATE UNIQUE INDEX "uq_experiments_name" ON "experiments" ("name") ;

CREATE UNIQUE INDEX "uq_registered_models_name" ON "registered_models" ("name") ;

CREATE UNIQUE INDEX "uq_runs_run_uuid" ON "runs" ("run_uuid") ;

CREATE UNIQUE INDEX "uq_users_username" ON "users" ("username") ;

CREATE TABLE "users" ("id" integer PRIMARY KEY AUTOINCREMENT NOT NULL, "username" varchar(255) NOT NULL, "password_hash" varchar(255), "is_admin" boolean NOT NULL, "creation_time" bigint NOT NULL);
