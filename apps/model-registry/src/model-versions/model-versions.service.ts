import { Injectable } from '@nestjs/common';

import {
  canonicalStage,
  KeyValue,
  lastValuePerKey,
  LIMITS,
  ModelRegistryStore,
  ModelVersion,
  Page,
  Principal,
  PROMPT_TAG_KEY,
  requireModelVersionNumber,
  validateArchiveTarget,
  validateKey,
  validateRegisteredModelName,
  validateRegistryTag,
  validateRegistryText,
} from '@app/domain';

import { RegistrySearchParams, searchRegistryPage } from '../registry-search';
import { ModelSourceResolver } from './model-source-resolver';

export interface CreateModelVersionParams {
  name: string;
  source: string;
  runId?: string;
  runLink?: string;
  description?: string;
  modelId?: string;
  tags: KeyValue[];
  caller: Principal;
}

export type SearchModelVersionsParams = RegistrySearchParams;

/** Model versions: MLflow's rules on top of the ModelRegistryStore port. */
@Injectable()
export class ModelVersionsService {
  constructor(
    private readonly store: ModelRegistryStore,
    private readonly sources: ModelSourceResolver,
  ) {}

  /** Absent strings are `''`, as the proto reads them: `run_id` and `run_link` come back as `""`. */
  async create(params: CreateModelVersionParams): Promise<ModelVersion> {
    const tags = lastValuePerKey(params.tags);
    const request = {
      source: params.source,
      runId: params.runId ?? '',
      modelId: params.modelId ?? '',
      isPrompt: tags.some((t) => t.key === PROMPT_TAG_KEY && t.value.toLowerCase() === 'true'),
    };
    validateRegisteredModelName(params.name);
    tags.forEach(validateRegistryTag);
    validateRegistryText('description', params.description ?? '');
    validateRegistryText('run_link', params.runLink ?? '');
    // MLflow answers a missing model with 404 before it looks at the source.
    await this.store.assertRegisteredModelExists(params.name);
    const source = this.sources.parse(request);
    const resolved = await this.sources.resolve(request, source, params.caller);
    return this.store.createModelVersion({
      name: params.name,
      source: params.source,
      storageLocation: resolved.storageLocation,
      runId: resolved.runId,
      runLink: params.runLink ?? '',
      description: params.description ?? '',
      tags,
      modelId: resolved.modelId,
      userId: null,
    });
  }

  get(name: string, version: string): Promise<ModelVersion> {
    return this.store.getModelVersion(name, requireModelVersionNumber(name, version));
  }

  update(name: string, version: string, description: string | undefined): Promise<ModelVersion> {
    validateRegistryText('description', description ?? '');
    return this.store.updateModelVersion(
      name,
      requireModelVersionNumber(name, version),
      description ?? '',
    );
  }

  /** Stage errors come first, as in MLflow (the stage is checked before the version is read). */
  transition(
    name: string,
    version: string,
    stage: string,
    archiveExisting: boolean | undefined,
  ): Promise<ModelVersion> {
    const canonical = canonicalStage(stage);
    validateArchiveTarget(stage, canonical, archiveExisting ?? false);
    return this.store.transitionModelVersionStage(
      name,
      requireModelVersionNumber(name, version),
      canonical,
      archiveExisting ?? false,
    );
  }

  delete(name: string, version: string): Promise<void> {
    return this.store.deleteModelVersion(name, requireModelVersionNumber(name, version));
  }

  /** A prompt version has no files (empty storage location): MLflow answers its source. */
  async getDownloadUri(name: string, version: string): Promise<string> {
    const modelVersion = await this.get(name, version);
    return modelVersion.storageLocation || modelVersion.source;
  }

  search(params: SearchModelVersionsParams): Promise<Page<ModelVersion>> {
    return searchRegistryPage(
      'model-versions',
      params,
      LIMITS.searchModelVersionsDefaultMaxResults,
      (query) => this.store.searchModelVersions(query),
    );
  }

  async setTag(name: string, version: string, tag: KeyValue): Promise<void> {
    validateRegistryTag(tag);
    await this.store.setModelVersionTag(name, requireModelVersionNumber(name, version), tag);
  }

  async deleteTag(name: string, version: string, key: string): Promise<void> {
    validateKey('tag', key);
    await this.store.deleteModelVersionTag(name, requireModelVersionNumber(name, version), key);
  }
}
