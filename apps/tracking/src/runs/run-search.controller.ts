import { Controller, HttpCode, Post } from '@nestjs/common';
import { ApiOkResponse, ApiOperation, ApiTags } from '@nestjs/swagger';

import { Principal } from '@app/domain';
import {
  Access,
  Caller,
  experiments,
  MLFLOW_AJAX_ONLY_PREFIX,
  MLFLOW_API_PREFIXES,
  MlflowRequest,
} from '@app/http';

import { toRunJson } from './run-json';
import {
  SearchDatasetsRequestDto,
  SearchDatasetsResponseDto,
  SearchRunsRequestDto,
  SearchRunsResponseDto,
  toDatasetSummaryJson,
} from './run-search.dto';
import { RunSearchService } from './run-search.service';

@ApiTags('runs (FLOps training rounds)')
@Controller(MLFLOW_API_PREFIXES)
export class RunSearchController {
  constructor(private readonly search: RunSearchService) {}

  @Post('runs/search')
  @Access.signedIn({ aggregator: true })
  @HttpCode(200)
  @ApiOperation({
    summary: 'Search runs',
    description:
      'Filter grammar and ordering as MLflow (metrics/params/tags/attributes/datasets); default order `start_time DESC, run_id ASC`.',
  })
  @ApiOkResponse({ type: SearchRunsResponseDto })
  async searchRuns(
    @MlflowRequest() dto: SearchRunsRequestDto,
    @Caller() caller: Principal,
  ): Promise<SearchRunsResponseDto> {
    const page = await this.search.search({
      experimentIds: dto.experiment_ids,
      filter: dto.filter,
      viewType: dto.run_view_type,
      maxResults: dto.max_results,
      orderBy: dto.order_by,
      pageToken: dto.page_token,
      caller,
    });
    const response: SearchRunsResponseDto = {};
    if (page.items.length > 0) response.runs = page.items.map(toRunJson);
    if (page.nextPageToken) response.next_page_token = page.nextPageToken;
    return response;
  }
}

/** The UI's dataset summaries: upstream only routes this under /ajax-api (its proto path lacks a slash). */
@ApiTags('runs (FLOps training rounds)')
@Controller(MLFLOW_AJAX_ONLY_PREFIX)
export class RunSearchAjaxController {
  constructor(private readonly search: RunSearchService) {}

  @Post('experiments/search-datasets')
  @Access.to([experiments('read')], { aggregator: true })
  @HttpCode(200)
  @ApiOperation({ summary: 'Distinct datasets used by the runs of 1..20 experiments (UI only)' })
  @ApiOkResponse({ type: SearchDatasetsResponseDto })
  async searchDatasets(
    @MlflowRequest() dto: SearchDatasetsRequestDto,
  ): Promise<SearchDatasetsResponseDto> {
    const summaries = await this.search.searchDatasets(dto.experiment_ids);
    return { dataset_summaries: summaries.map(toDatasetSummaryJson) };
  }
}
