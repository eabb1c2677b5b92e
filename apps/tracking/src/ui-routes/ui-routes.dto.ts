import { ApiProperty } from '@nestjs/swagger';

import { Int64 } from '@app/domain';
import { MlflowField } from '@app/http';

import { ParamDto, RunTagDto } from '../runs/runs.dto';

const missing = (field: string) => `CreatePromptlabRun request must specify ${field}.`;

/**
 * MLflow's prompt-engineering UI run (`create_promptlab_run_handler`). Fields are declared in the
 * order MLflow checks them, so the first missing one is the one reported.
 */
export class CreatePromptlabRunRequestDto {
  @MlflowField({
    type: 'string',
    required: true,
    missingMessage: missing('experiment_id'),
    example: '1',
  })
  experiment_id!: string;

  @MlflowField({
    type: 'string',
    required: true,
    missingMessage: missing('prompt_template'),
    example: 'Summarise: {{ text }}',
  })
  prompt_template!: string;

  @MlflowField({
    type: 'object',
    repeated: true,
    item: ParamDto,
    required: true,
    missingMessage: missing('prompt_parameters'),
  })
  prompt_parameters!: ParamDto[];

  @MlflowField({
    type: 'string',
    required: true,
    missingMessage: missing('model_route'),
    example: 'chat',
  })
  model_route!: string;

  @MlflowField({
    type: 'string',
    required: true,
    missingMessage: missing('model_input'),
    example: 'Summarise: the round',
  })
  model_input!: string;

  @MlflowField({
    type: 'string',
    required: true,
    missingMessage: missing('mlflow_version'),
    example: '2.17.2',
  })
  mlflow_version!: string;

  @MlflowField({ type: 'string', example: 'prompt run' })
  run_name?: string;

  @MlflowField({ type: 'object', repeated: true, item: RunTagDto })
  tags?: RunTagDto[];

  @MlflowField({ type: 'object', repeated: true, item: ParamDto })
  model_parameters?: ParamDto[];

  @MlflowField({ type: 'string', example: 'A summary' })
  model_output?: string;

  @MlflowField({ type: 'object', repeated: true, item: ParamDto })
  model_output_parameters?: ParamDto[];

  @MlflowField({ type: 'string', description: 'Ignored when signed in (the caller is the user)' })
  user_id?: string;

  @MlflowField({ type: 'int64', exact: true, description: 'Milliseconds since the epoch' })
  start_time?: Int64;
}

export class GatewayProxyRequestDto {
  @MlflowField({
    type: 'string',
    required: true,
    missingMessage: 'Deployments proxy request must specify a gateway_path.',
    example: 'api/2.0/endpoints/',
  })
  gateway_path!: string;
}

export class GatewayEndpointsResponseDto {
  @ApiProperty({ type: [Object], description: 'Always empty: no deployments target is configured' })
  endpoints!: never[];
}
