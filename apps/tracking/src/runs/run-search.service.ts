import { Injectable } from '@nestjs/common';

import {
  DatasetSummary,
  decodePageToken,
  encodePageToken,
  LIMITS,
  MlflowError,
  Page,
  parseOrderBy,
  parseSearchFilter,
  Principal,
  readableBy,
  Run,
  RunStore,
  ViewType,
} from '@app/domain';

export interface SearchRunsParams {
  experimentIds?: string[];
  filter?: string;
  viewType?: ViewType;
  maxResults?: number;
  orderBy?: string[];
  pageToken?: string;
  caller: Principal;
}

/** runs/search and the UI's search-datasets: MLflow's request rules on top of the RunStore port. */
@Injectable()
export class RunSearchService {
  constructor(private readonly runs: RunStore) {}

  /**
   * Offset paging as upstream: a full page carries a next-page token even when nothing follows,
   * so the last page may be empty.
   */
  async search(params: SearchRunsParams): Promise<Page<Run>> {
    const maxResults = params.maxResults ?? LIMITS.searchRunsDefaultMaxResults;
    if (maxResults < 1) {
      throw MlflowError.invalidParameterValue(
        `Invalid value ${maxResults} for parameter 'max_results' supplied. It must be a positive integer`,
      );
    }
    const offset = decodePageToken(params.pageToken);
    const filter = parseSearchFilter(params.filter, 'runs');
    const orderBy = parseOrderBy(params.orderBy, 'runs');
    const { items, hasMore } = await this.runs.searchRuns({
      experimentIds: params.experimentIds ?? [],
      filter,
      orderBy,
      viewType: params.viewType ?? 'ACTIVE_ONLY',
      maxResults,
      offset,
      readableBy: readableBy(params.caller),
    });
    return { items, nextPageToken: hasMore ? encodePageToken(offset + maxResults) : undefined };
  }

  /** Messages as MLflow's `search_datasets_handler`. */
  searchDatasets(experimentIds: string[] | undefined): Promise<DatasetSummary[]> {
    const ids = experimentIds ?? [];
    if (ids.length === 0) {
      throw MlflowError.invalidParameterValue(
        'SearchDatasets request must specify at least one experiment_id.',
      );
    }
    const max = LIMITS.searchDatasetsMaxExperimentIds;
    if (ids.length > max) {
      throw MlflowError.invalidParameterValue(
        `SearchDatasets request cannot specify more than ${max} experiment_ids. Received ${ids.length} experiment_ids.`,
      );
    }
    return this.runs.searchDatasets(ids);
  }
}
