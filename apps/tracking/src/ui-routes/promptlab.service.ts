import { Injectable } from '@nestjs/common';

import { Int64, KeyValue, Principal, Run } from '@app/domain';

import { ArtifactsService } from '../artifacts/artifacts.service';
import { RunsService } from '../runs/runs.service';

export interface PromptlabRunParams {
  experimentId: string;
  runName?: string;
  tags: KeyValue[];
  promptTemplate: string;
  promptParameters: KeyValue[];
  modelRoute: string;
  modelParameters: KeyValue[];
  modelOutput?: string;
  userId?: string;
  startTime?: Int64;
  caller: Principal;
}

const EVAL_TABLE = 'eval_results_table.json';

/**
 * MLflow's prompt-engineering run (`_create_promptlab_run_impl`): a run with the model's route,
 * template and parameters as params, the evaluation table as an artifact, finished at once. MLflow
 * also saves a pyfunc model of the prompt, which needs Python pickling; that part is left out.
 * Everything is checked before the run exists; a store failure after it marks the run FAILED,
 * as MLflow does.
 */
@Injectable()
export class PromptlabService {
  constructor(
    private readonly runs: RunsService,
    private readonly artifacts: ArtifactsService,
  ) {}

  async create(params: PromptlabRunParams): Promise<Run> {
    const batch = this.runs.checkBatch({
      metrics: [],
      params: [
        ...params.modelParameters,
        { key: 'model_route', value: params.modelRoute },
        { key: 'prompt_template', value: params.promptTemplate },
      ],
      tags: [
        // Python's json.dumps spacing, as MLflow writes the tag.
        { key: 'mlflow.loggedArtifacts', value: `[{"path": "${EVAL_TABLE}", "type": "table"}]` },
        { key: 'mlflow.runSourceType', value: 'PROMPT_ENGINEERING' },
      ],
    });
    const table = {
      columns: [...params.promptParameters.map((p) => p.key), 'output'],
      data: [[...params.promptParameters.map((p) => p.value), params.modelOutput ?? null]],
    };
    const run = await this.runs.create({
      experimentId: params.experimentId,
      userId: params.userId ?? 'unknown',
      runName: params.runName,
      startTime: params.startTime,
      tags: params.tags,
      caller: params.caller,
    });
    const { runId } = run.info;
    try {
      await this.runs.logBatch(runId, batch);
      await this.artifacts.writeRunFile(
        run.info.artifactUri,
        EVAL_TABLE,
        Buffer.from(JSON.stringify(table)),
      );
      await this.runs.update(runId, { status: 'FINISHED', endTime: Date.now() });
    } catch (error) {
      await this.runs.update(runId, { status: 'FAILED', endTime: Date.now() });
      throw error;
    }
    return this.runs.get(runId);
  }
}
