import { Controller, Get, Header } from '@nestjs/common';
import { ApiOkResponse, ApiOperation, ApiTags } from '@nestjs/swagger';

import { Access } from './access';
import { MLFLOW_COMPATIBLE_VERSION } from './swagger';

/** `/health` and `/version`, outside the API tree, as MLflow serves them. Mounted once per app. */
@ApiTags('meta')
@Controller()
export class HealthController {
  @Get('health')
  @Access.public()
  @Header('Content-Type', 'text/plain; charset=utf-8')
  @ApiOperation({ summary: 'Liveness probe', description: 'Answers the text `OK`.' })
  @ApiOkResponse({ schema: { type: 'string', example: 'OK' } })
  health(): string {
    return 'OK';
  }

  @Get('version')
  @Access.signedIn()
  @Header('Content-Type', 'text/plain; charset=utf-8')
  @ApiOperation({ summary: 'The MLflow version this server is wire-compatible with' })
  @ApiOkResponse({ schema: { type: 'string', example: MLFLOW_COMPATIBLE_VERSION } })
  version(): string {
    return MLFLOW_COMPATIBLE_VERSION;
  }
}
