import {
  decodePageToken,
  encodePageToken,
  Page,
  parseOrderBy,
  parseSearchFilter,
  Principal,
  readableBy,
  scopePrompts,
  SearchRegistryQuery,
} from '@app/domain';

/** A registry search as the client sends it (registered models and model versions alike). */
export interface RegistrySearchParams {
  filter?: string;
  maxResults?: number;
  orderBy?: string[];
  pageToken?: string;
  caller: Principal;
}

/**
 * One page of a registry search: the filter and order parsed for the target, prompts left out
 * unless the filter asks for them (MLflow ≥2.21, see scopePrompts), offset page tokens.
 */
export async function searchRegistryPage<T>(
  target: 'registered-models' | 'model-versions',
  params: RegistrySearchParams,
  defaultMaxResults: number,
  search: (query: SearchRegistryQuery) => Promise<{ items: T[]; hasMore: boolean }>,
): Promise<Page<T>> {
  const maxResults = params.maxResults ?? defaultMaxResults;
  const { filter, includePrompts } = scopePrompts(parseSearchFilter(params.filter, target));
  const orderBy = parseOrderBy(params.orderBy, target);
  const offset = decodePageToken(params.pageToken);
  const { items, hasMore } = await search({
    filter,
    orderBy,
    maxResults,
    offset,
    includePrompts,
    readableBy: readableBy(params.caller),
  });
  return { items, nextPageToken: hasMore ? encodePageToken(offset + maxResults) : undefined };
}
