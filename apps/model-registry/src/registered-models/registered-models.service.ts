import { Injectable } from '@nestjs/common';

import {
  aliasNotFound,
  canonicalStage,
  isLatestAlias,
  KeyValue,
  lastValuePerKey,
  LIMITS,
  ModelRegistryStore,
  ModelVersion,
  ownerOf,
  Page,
  Principal,
  RegisteredModel,
  requireModelVersionNumber,
  validateAliasName,
  validateAliasNotReserved,
  validateKey,
  validateRegisteredModelName,
  validateRegistryTag,
  validateRegistryText,
} from '@app/domain';

import { RegistrySearchParams, searchRegistryPage } from '../registry-search';

export type SearchRegisteredModelsParams = RegistrySearchParams;

/** Registered models and their aliases: MLflow's rules on top of the ModelRegistryStore port. */
@Injectable()
export class RegisteredModelsService {
  constructor(private readonly store: ModelRegistryStore) {}

  /** The last value wins for a key given twice; an absent description is `''`. */
  create(
    name: string,
    tags: KeyValue[],
    description: string | undefined,
    caller: Principal,
  ): Promise<RegisteredModel> {
    validateRegisteredModelName(name);
    const uniqueTags = lastValuePerKey(tags);
    uniqueTags.forEach(validateRegistryTag);
    validateRegistryText('description', description ?? '');
    return this.store.createRegisteredModel({
      name,
      tags: uniqueTags,
      description: description ?? '',
      owner: ownerOf(caller),
    });
  }

  get(name: string): Promise<RegisteredModel> {
    return this.store.getRegisteredModel(name);
  }

  rename(name: string, newName: string): Promise<RegisteredModel> {
    validateRegisteredModelName(newName);
    return this.store.renameRegisteredModel(name, newName);
  }

  update(name: string, description: string | undefined): Promise<RegisteredModel> {
    validateRegistryText('description', description ?? '');
    return this.store.updateRegisteredModel(name, description ?? '');
  }

  delete(name: string): Promise<void> {
    return this.store.deleteRegisteredModel(name);
  }

  search(params: SearchRegisteredModelsParams): Promise<Page<RegisteredModel>> {
    return searchRegistryPage(
      'registered-models',
      params,
      LIMITS.searchRegisteredModelsDefaultMaxResults,
      (query) => this.store.searchRegisteredModels(query),
    );
  }

  /** No stages (or an empty list) means all four. */
  getLatestVersions(name: string, stages: string[] | undefined): Promise<ModelVersion[]> {
    const canonical = stages && stages.length > 0 ? stages.map(canonicalStage) : null;
    return this.store.getLatestVersions(name, canonical);
  }

  async setTag(name: string, tag: KeyValue): Promise<void> {
    validateRegistryTag(tag);
    await this.store.setRegisteredModelTag(name, tag);
  }

  async deleteTag(name: string, key: string): Promise<void> {
    validateKey('tag', key);
    await this.store.deleteRegisteredModelTag(name, key);
  }

  async setAlias(name: string, alias: string, version: string): Promise<void> {
    validateAliasName(alias);
    validateAliasNotReserved(alias);
    await this.store.setRegisteredModelAlias(name, alias, requireModelVersionNumber(name, version));
  }

  async deleteAlias(name: string, alias: string): Promise<void> {
    validateAliasName(alias);
    await this.store.deleteRegisteredModelAlias(name, alias);
  }

  /** `latest` (any case) is the highest live version, as MLflow 3 resolves it. */
  async getVersionByAlias(name: string, alias: string): Promise<ModelVersion> {
    validateAliasName(alias);
    if (!isLatestAlias(alias)) return this.store.getModelVersionByAlias(name, alias);
    const latest = await this.store.getLatestModelVersion(name);
    if (!latest) throw aliasNotFound(alias);
    return latest;
  }
}
