import { Controller, Get, HttpCode, Param, Post, Res } from '@nestjs/common';
import {
  ApiOkResponse,
  ApiOperation,
  ApiParam,
  ApiProduces,
  ApiResponse,
  ApiTags,
} from '@nestjs/swagger';
import type { FastifyReply } from 'fastify';

import { formatObjective, parseRoundParameter, Principal, roundsCsv, RunStatus } from '@app/domain';
import { Access, Caller, MlflowRequest, project, projects } from '@app/http';

import {
  BestRoundResponseDto,
  CompareSeriesRequestDto,
  CompareSeriesResponseDto,
  CreateProjectRequestDto,
  ExportRequestDto,
  FinishRoundRequestDto,
  fromAggregationDto,
  GetRoundRequestDto,
  ListProjectsRequestDto,
  ListProjectsResponseDto,
  ListRoundsResponseDto,
  PageRequestDto,
  ProjectResponseDto,
  ProjectSeriesJsonDto,
  ProjectSeriesRequestDto,
  RoundResponseDto,
  StartRoundRequestDto,
  toBestRoundJson,
  toProjectJson,
  toProjectSeriesJson,
  toRoundJson,
} from './flops.dto';
import { FlopsService } from './flops.service';

export const FLOPS_API_PREFIX = 'api/2.0/flops';

const EXPERIMENT_ID_PARAM = {
  name: 'experiment_id',
  description: "The project's experiment id",
  example: '1',
};
const ROUND_PARAM = { name: 'round', description: 'Round (cycle) number, from 1', example: '1' };

/**
 * The FLOps view: projects (experiments) and training rounds (runs) as resources. Reads work for
 * projects logged by unmodified FLOps aggregators; the writes let an aggregator that is not an
 * MLflow client create projects and rounds, as runs MLflow clients then see.
 */
@ApiTags('FLOps projects and rounds')
@Controller(FLOPS_API_PREFIX)
export class FlopsController {
  constructor(private readonly flops: FlopsService) {}

  @Get('projects')
  @Access.signedIn({ aggregator: true })
  @ApiOperation({
    summary: "The caller's FLOps projects with a summary each, filtered, ordered and paged",
  })
  @ApiOkResponse({ type: ListProjectsResponseDto })
  async listProjects(
    @MlflowRequest() dto: ListProjectsRequestDto,
    @Caller() caller: Principal,
  ): Promise<ListProjectsResponseDto> {
    const page = await this.flops.listProjects({
      caller,
      state: dto.state,
      name: dto.name,
      orderBy: dto.order_by,
      maxResults: dto.max_results,
      pageToken: dto.page_token,
    });
    const response: ListProjectsResponseDto = { projects: page.items.map(toProjectJson) };
    if (page.nextPageToken) response.next_page_token = page.nextPageToken;
    return response;
  }

  @Post('projects')
  @Access.signedIn()
  @HttpCode(200)
  @ApiOperation({
    summary: 'Create a project explicitly (for aggregators that are not MLflow clients)',
    description:
      'Creates the experiment named by the project pattern, tagged flops.project_id (and flops.objective); a taken name is RESOURCE_ALREADY_EXISTS.',
  })
  @ApiOkResponse({ type: ProjectResponseDto })
  async createProject(
    @MlflowRequest() dto: CreateProjectRequestDto,
    @Caller() caller: Principal,
  ): Promise<ProjectResponseDto> {
    const created = await this.flops.createProject({
      projectId: dto.project_id,
      objective: dto.objective,
      tags: (dto.tags ?? []).map((t) => ({ key: t.key, value: t.value ?? '' })),
      caller,
    });
    return { project: toProjectJson(created) };
  }

  @Get('projects/:experiment_id')
  @Access.to([project('read')], { aggregator: true })
  @ApiParam(EXPERIMENT_ID_PARAM)
  @ApiOperation({ summary: 'One project with its summary' })
  @ApiOkResponse({ type: ProjectResponseDto })
  async getProject(@Param('experiment_id') experimentId: string): Promise<ProjectResponseDto> {
    return { project: toProjectJson(await this.flops.getProject(experimentId)) };
  }

  @Get('projects/:experiment_id/rounds')
  @Access.to([project('read')], { aggregator: true })
  @ApiParam(EXPERIMENT_ID_PARAM)
  @ApiOperation({
    summary: "A project's rounds in round order, with metrics, params, metadata and system summary",
  })
  @ApiOkResponse({ type: ListRoundsResponseDto })
  async listRounds(
    @Param('experiment_id') experimentId: string,
    @MlflowRequest() dto: PageRequestDto,
  ): Promise<ListRoundsResponseDto> {
    const page = await this.flops.listRounds(experimentId, dto.max_results, dto.page_token);
    const response: ListRoundsResponseDto = { rounds: page.items.map(toRoundJson) };
    if (page.nextPageToken) response.next_page_token = page.nextPageToken;
    return response;
  }

  @Post('projects/:experiment_id/rounds')
  @Access.to([project('update')], { aggregator: true })
  @HttpCode(200)
  @ApiParam(EXPERIMENT_ID_PARAM)
  @ApiOperation({
    summary: 'Start a round: a RUNNING run named by the round pattern and tagged flops.round',
  })
  @ApiOkResponse({ type: RoundResponseDto })
  async startRound(
    @Param('experiment_id') experimentId: string,
    @MlflowRequest() dto: StartRoundRequestDto,
    @Caller() caller: Principal,
  ): Promise<RoundResponseDto> {
    const round = await this.flops.startRound(experimentId, {
      round: dto.round,
      cycle: dto.cycle,
      startTime: dto.start_time,
      params: (dto.params ?? []).map(({ key, value }) => ({ key, value })),
      aggregation: fromAggregationDto(dto.aggregation),
      caller,
    });
    return { round: toRoundJson(round) };
  }

  @Get('projects/:experiment_id/rounds/:round')
  @Access.to([project('read')], { aggregator: true })
  @ApiParam(EXPERIMENT_ID_PARAM)
  @ApiParam(ROUND_PARAM)
  @ApiOperation({ summary: 'One round by number' })
  @ApiOkResponse({ type: RoundResponseDto })
  async getRound(
    @Param('experiment_id') experimentId: string,
    @Param('round') round: string,
    @MlflowRequest() dto: GetRoundRequestDto,
  ): Promise<RoundResponseDto> {
    return {
      round: toRoundJson(
        await this.flops.getRound(experimentId, parseRoundParameter(round), dto.cycle),
      ),
    };
  }

  @Post('projects/:experiment_id/rounds/:round/finish')
  @Access.to([project('update')], { aggregator: true })
  @HttpCode(200)
  @ApiParam(EXPERIMENT_ID_PARAM)
  @ApiParam(ROUND_PARAM)
  @ApiOperation({
    summary: 'Finish a round: log its final metrics (step 0) and metadata, then end its run',
  })
  @ApiOkResponse({ type: RoundResponseDto })
  async finishRound(
    @Param('experiment_id') experimentId: string,
    @Param('round') round: string,
    @MlflowRequest() dto: FinishRoundRequestDto,
  ): Promise<RoundResponseDto> {
    const finished = await this.flops.finishRound(experimentId, parseRoundParameter(round), {
      cycle: dto.cycle,
      status: (dto.status ?? 'FINISHED') as RunStatus,
      endTime: dto.end_time,
      metrics: (dto.metrics ?? []).map((m) => ({
        key: m.key,
        value: m.value,
        timestamp: m.timestamp,
        step: m.step,
      })),
      aggregation: fromAggregationDto(dto.aggregation),
    });
    return { round: toRoundJson(finished) };
  }

  @Get('projects/:experiment_id/series')
  @Access.to([project('read')], { aggregator: true })
  @ApiParam(EXPERIMENT_ID_PARAM)
  @ApiOperation({
    summary:
      'Each metric per round (latest value), and with system=true each system/* mean and max',
  })
  @ApiOkResponse({ type: ProjectSeriesJsonDto })
  async series(
    @Param('experiment_id') experimentId: string,
    @MlflowRequest() dto: ProjectSeriesRequestDto,
  ): Promise<ProjectSeriesJsonDto> {
    const system = dto.system ?? false;
    const [series] = await this.flops.series([experimentId], dto.metrics ?? [], system);
    return toProjectSeriesJson(series, system);
  }

  @Get('projects/:experiment_id/best-round')
  @Access.to([project('read')], { aggregator: true })
  @ApiParam(EXPERIMENT_ID_PARAM)
  @ApiOperation({
    summary:
      "The best round by the project's objective (flops.objective; default the aggregator's rule)",
  })
  @ApiOkResponse({ type: BestRoundResponseDto })
  async bestRound(@Param('experiment_id') experimentId: string): Promise<BestRoundResponseDto> {
    const found = await this.flops.bestRound(experimentId);
    const response: BestRoundResponseDto = { objective: formatObjective(found.objective) };
    const best = toBestRoundJson(found);
    if (best) response.best_round = best;
    return response;
  }

  @Get('projects/:experiment_id/export')
  @Access.to([project('read')], { aggregator: true })
  @ApiParam(EXPERIMENT_ID_PARAM)
  @ApiOperation({
    summary: "A project's rounds as CSV (spreadsheet-safe) or JSON, as an attachment",
  })
  @ApiProduces('text/csv', 'application/json')
  @ApiResponse({ status: 200, description: 'One row (CSV) or object (JSON) per round' })
  async export(
    @Param('experiment_id') experimentId: string,
    @MlflowRequest() dto: ExportRequestDto,
    @Res() reply: FastifyReply,
  ): Promise<void> {
    const found = await this.flops.projectWithRounds(experimentId);
    const format = dto.format ?? 'csv';
    const fileName = `flops-project-${found.experimentId}-rounds.${format}`;
    const body =
      format === 'csv'
        ? roundsCsv(found)
        : JSON.stringify({ project: toProjectJson(found), rounds: found.rounds.map(toRoundJson) });
    void reply
      .status(200)
      .header('Content-Type', format === 'csv' ? 'text/csv; charset=utf-8' : 'application/json')
      .header('Content-Disposition', `attachment; filename="${fileName}"`)
      .send(body);
  }

  @Get('series')
  @Access.to([projects('read')], { aggregator: true })
  @ApiOperation({ summary: 'The per-round series of several projects, to compare them' })
  @ApiOkResponse({ type: CompareSeriesResponseDto })
  async compareSeries(
    @MlflowRequest() dto: CompareSeriesRequestDto,
  ): Promise<CompareSeriesResponseDto> {
    const system = dto.system ?? false;
    const series = await this.flops.series(dto.projects ?? [], dto.metrics ?? [], system);
    return { projects: series.map((s) => toProjectSeriesJson(s, system)) };
  }
}
