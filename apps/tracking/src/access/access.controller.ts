import { Controller, Delete, Get, HttpCode, Ip, Patch, Post } from '@nestjs/common';
import { ApiOkResponse, ApiOperation, ApiTags } from '@nestjs/swagger';

import { Principal } from '@app/domain';
import { Access, Caller, experiment, MlflowRequest, registeredModel } from '@app/http';

import {
  AuthEmptyResponseDto,
  CreateExperimentPermissionRequestDto,
  CreateRegisteredModelPermissionRequestDto,
  CreateTokenRequestDto,
  CreateTokenResponseDto,
  CreateUserRequestDto,
  CreateUserResponseDto,
  DeleteExperimentPermissionRequestDto,
  DeleteRegisteredModelPermissionRequestDto,
  DeleteUserRequestDto,
  ExperimentPermissionResponseDto,
  GetExperimentPermissionRequestDto,
  GetRegisteredModelPermissionRequestDto,
  GetUserRequestDto,
  GetUserResponseDto,
  ListExperimentPermissionsRequestDto,
  ListExperimentPermissionsResponseDto,
  ListRegisteredModelPermissionsRequestDto,
  ListRegisteredModelPermissionsResponseDto,
  ListTokensResponseDto,
  ListUsersResponseDto,
  RegisteredModelPermissionResponseDto,
  RevokeTokenRequestDto,
  SearchAuditEventsRequestDto,
  SearchAuditEventsResponseDto,
  toAuditEventJson,
  toExperimentGrantJson,
  toExperimentPermissionJson,
  toRegisteredModelGrantJson,
  toRegisteredModelPermissionJson,
  toTokenJson,
  toUserJson,
  toUserSummaryJson,
  UpdateExperimentPermissionRequestDto,
  UpdateRegisteredModelPermissionRequestDto,
  UpdateUserAdminRequestDto,
  UpdateUserPasswordRequestDto,
} from './access.dto';
import { AccessService } from './access.service';

/** MLflow's auth app serves its routes under `/api/2.0/mlflow` only, with no ajax mirror. */
const AUTH_API_PREFIX = 'api/2.0/mlflow';

@ApiTags('users and permissions')
@Controller(AUTH_API_PREFIX)
export class UsersController {
  constructor(private readonly access: AccessService) {}

  @Post('users/create')
  @Access.admin()
  @HttpCode(200)
  @ApiOperation({ summary: 'Create a user (admins only); the password must be strong' })
  @ApiOkResponse({ type: CreateUserResponseDto })
  async create(
    @MlflowRequest() dto: CreateUserRequestDto,
    @Caller() caller: Principal,
    @Ip() clientAddress: string,
  ): Promise<CreateUserResponseDto> {
    const created = await this.access.createUser(
      { caller, clientAddress },
      dto.username,
      dto.password,
    );
    return { user: toUserJson(created.user, created.grants) };
  }

  @Get('users/get')
  @Access.self()
  @ApiOperation({ summary: 'Get a user with its permissions (the user itself, or an admin)' })
  @ApiOkResponse({ type: GetUserResponseDto })
  async get(@MlflowRequest() dto: GetUserRequestDto): Promise<GetUserResponseDto> {
    const found = await this.access.getUser(dto.username);
    return { user: toUserJson(found.user, found.grants) };
  }

  @Get('users/list')
  @Access.admin()
  @ApiOperation({ summary: 'List every user (admins only)' })
  @ApiOkResponse({ type: ListUsersResponseDto })
  async list(): Promise<ListUsersResponseDto> {
    return { users: (await this.access.listUsers()).map(toUserSummaryJson) };
  }

  @Patch('users/update-password')
  @Access.self()
  @ApiOperation({
    summary: "Change a user's password (the user itself, or an admin); the old one stops working",
  })
  @ApiOkResponse({ type: AuthEmptyResponseDto })
  async updatePassword(
    @MlflowRequest() dto: UpdateUserPasswordRequestDto,
    @Caller() caller: Principal,
    @Ip() clientAddress: string,
  ): Promise<AuthEmptyResponseDto> {
    await this.access.updatePassword({ caller, clientAddress }, dto.username, dto.password);
    return {};
  }

  @Patch('users/update-admin')
  @Access.admin()
  @ApiOperation({ summary: 'Make a user an administrator or not (admins only)' })
  @ApiOkResponse({ type: AuthEmptyResponseDto })
  async updateAdmin(
    @MlflowRequest() dto: UpdateUserAdminRequestDto,
    @Caller() caller: Principal,
    @Ip() clientAddress: string,
  ): Promise<AuthEmptyResponseDto> {
    await this.access.updateAdmin({ caller, clientAddress }, dto.username, dto.is_admin);
    return {};
  }

  @Delete('users/delete')
  @Access.admin()
  @ApiOperation({
    summary: 'Delete a user with its permissions and API tokens (admins only; not the last admin)',
  })
  @ApiOkResponse({ type: AuthEmptyResponseDto })
  async delete(
    @MlflowRequest() dto: DeleteUserRequestDto,
    @Caller() caller: Principal,
    @Ip() clientAddress: string,
  ): Promise<AuthEmptyResponseDto> {
    await this.access.deleteUser({ caller, clientAddress }, dto.username);
    return {};
  }
}

@ApiTags('users and permissions')
@Controller(AUTH_API_PREFIX)
export class ExperimentPermissionsController {
  constructor(private readonly access: AccessService) {}

  @Post('experiments/permissions/create')
  @Access.to([experiment('manage')])
  @HttpCode(200)
  @ApiOperation({ summary: 'Grant a user a permission on an experiment (needs MANAGE on it)' })
  @ApiOkResponse({ type: ExperimentPermissionResponseDto })
  async create(
    @MlflowRequest() dto: CreateExperimentPermissionRequestDto,
    @Caller() caller: Principal,
    @Ip() clientAddress: string,
  ): Promise<ExperimentPermissionResponseDto> {
    const grant = await this.access.createExperimentPermission(
      { caller, clientAddress },
      dto.experiment_id,
      dto.username,
      dto.permission,
    );
    return { experiment_permission: toExperimentPermissionJson(grant) };
  }

  @Get('experiments/permissions/get')
  @Access.to([experiment('manage')])
  @ApiOperation({ summary: "A user's permission on an experiment (needs MANAGE on it)" })
  @ApiOkResponse({ type: ExperimentPermissionResponseDto })
  async get(
    @MlflowRequest() dto: GetExperimentPermissionRequestDto,
  ): Promise<ExperimentPermissionResponseDto> {
    const grant = await this.access.getExperimentPermission(dto.experiment_id, dto.username);
    return { experiment_permission: toExperimentPermissionJson(grant) };
  }

  @Get('experiments/permissions/list')
  @Access.to([experiment('manage')])
  @ApiOperation({ summary: 'Who holds which permission on an experiment (needs MANAGE on it)' })
  @ApiOkResponse({ type: ListExperimentPermissionsResponseDto })
  async list(
    @MlflowRequest() dto: ListExperimentPermissionsRequestDto,
  ): Promise<ListExperimentPermissionsResponseDto> {
    const grants = await this.access.listExperimentPermissions(dto.experiment_id);
    return { experiment_permissions: grants.map(toExperimentGrantJson) };
  }

  @Patch('experiments/permissions/update')
  @Access.to([experiment('manage')])
  @ApiOperation({ summary: "Change a user's permission on an experiment (needs MANAGE on it)" })
  @ApiOkResponse({ type: AuthEmptyResponseDto })
  async update(
    @MlflowRequest() dto: UpdateExperimentPermissionRequestDto,
    @Caller() caller: Principal,
    @Ip() clientAddress: string,
  ): Promise<AuthEmptyResponseDto> {
    await this.access.updateExperimentPermission(
      { caller, clientAddress },
      dto.experiment_id,
      dto.username,
      dto.permission,
    );
    return {};
  }

  @Delete('experiments/permissions/delete')
  @Access.to([experiment('manage')])
  @ApiOperation({ summary: "Remove a user's permission on an experiment (needs MANAGE on it)" })
  @ApiOkResponse({ type: AuthEmptyResponseDto })
  async delete(
    @MlflowRequest() dto: DeleteExperimentPermissionRequestDto,
    @Caller() caller: Principal,
    @Ip() clientAddress: string,
  ): Promise<AuthEmptyResponseDto> {
    await this.access.deleteExperimentPermission(
      { caller, clientAddress },
      dto.experiment_id,
      dto.username,
    );
    return {};
  }
}

@ApiTags('users and permissions')
@Controller(AUTH_API_PREFIX)
export class RegisteredModelPermissionsController {
  constructor(private readonly access: AccessService) {}

  @Post('registered-models/permissions/create')
  @Access.to([registeredModel('manage')])
  @HttpCode(200)
  @ApiOperation({ summary: 'Grant a user a permission on a registered model (needs MANAGE on it)' })
  @ApiOkResponse({ type: RegisteredModelPermissionResponseDto })
  async create(
    @MlflowRequest() dto: CreateRegisteredModelPermissionRequestDto,
    @Caller() caller: Principal,
    @Ip() clientAddress: string,
  ): Promise<RegisteredModelPermissionResponseDto> {
    const grant = await this.access.createRegisteredModelPermission(
      { caller, clientAddress },
      dto.name,
      dto.username,
      dto.permission,
    );
    return { registered_model_permission: toRegisteredModelPermissionJson(grant) };
  }

  @Get('registered-models/permissions/get')
  @Access.to([registeredModel('manage')])
  @ApiOperation({ summary: "A user's permission on a registered model (needs MANAGE on it)" })
  @ApiOkResponse({ type: RegisteredModelPermissionResponseDto })
  async get(
    @MlflowRequest() dto: GetRegisteredModelPermissionRequestDto,
  ): Promise<RegisteredModelPermissionResponseDto> {
    const grant = await this.access.getRegisteredModelPermission(dto.name, dto.username);
    return { registered_model_permission: toRegisteredModelPermissionJson(grant) };
  }

  @Get('registered-models/permissions/list')
  @Access.to([registeredModel('manage')])
  @ApiOperation({
    summary: 'Who holds which permission on a registered model (needs MANAGE on it)',
  })
  @ApiOkResponse({ type: ListRegisteredModelPermissionsResponseDto })
  async list(
    @MlflowRequest() dto: ListRegisteredModelPermissionsRequestDto,
  ): Promise<ListRegisteredModelPermissionsResponseDto> {
    const grants = await this.access.listRegisteredModelPermissions(dto.name);
    return { registered_model_permissions: grants.map(toRegisteredModelGrantJson) };
  }

  @Patch('registered-models/permissions/update')
  @Access.to([registeredModel('manage')])
  @ApiOperation({
    summary: "Change a user's permission on a registered model (needs MANAGE on it)",
  })
  @ApiOkResponse({ type: AuthEmptyResponseDto })
  async update(
    @MlflowRequest() dto: UpdateRegisteredModelPermissionRequestDto,
    @Caller() caller: Principal,
    @Ip() clientAddress: string,
  ): Promise<AuthEmptyResponseDto> {
    await this.access.updateRegisteredModelPermission(
      { caller, clientAddress },
      dto.name,
      dto.username,
      dto.permission,
    );
    return {};
  }

  @Delete('registered-models/permissions/delete')
  @Access.to([registeredModel('manage')])
  @ApiOperation({
    summary: "Remove a user's permission on a registered model (needs MANAGE on it)",
  })
  @ApiOkResponse({ type: AuthEmptyResponseDto })
  async delete(
    @MlflowRequest() dto: DeleteRegisteredModelPermissionRequestDto,
    @Caller() caller: Principal,
    @Ip() clientAddress: string,
  ): Promise<AuthEmptyResponseDto> {
    await this.access.deleteRegisteredModelPermission(
      { caller, clientAddress },
      dto.name,
      dto.username,
    );
    return {};
  }
}

@ApiTags('API tokens')
@Controller(AUTH_API_PREFIX)
export class TokensController {
  constructor(private readonly access: AccessService) {}

  @Post('tokens/create')
  @Access.signedIn()
  @HttpCode(200)
  @ApiOperation({
    summary:
      'Mint an API token of the caller, optionally scoped to one experiment; the secret is shown only here',
  })
  @ApiOkResponse({ type: CreateTokenResponseDto })
  async create(
    @MlflowRequest() dto: CreateTokenRequestDto,
    @Caller() caller: Principal,
    @Ip() clientAddress: string,
  ): Promise<CreateTokenResponseDto> {
    const { token, secret } = await this.access.createToken(
      { caller, clientAddress },
      {
        name: dto.name,
        experimentId: dto.experiment_id,
        expiresInSeconds: dto.expires_in_seconds,
      },
    );
    return { token: toTokenJson(token), secret };
  }

  @Get('tokens/list')
  @Access.signedIn()
  @ApiOperation({ summary: "The caller's API tokens (never their secrets)" })
  @ApiOkResponse({ type: ListTokensResponseDto })
  async list(@Caller() caller: Principal): Promise<ListTokensResponseDto> {
    return { tokens: (await this.access.listTokens(caller)).map(toTokenJson) };
  }

  @Post('tokens/revoke')
  @Access.signedIn()
  @HttpCode(200)
  @ApiOperation({ summary: 'Revoke an API token of the caller (admins: any); idempotent' })
  @ApiOkResponse({ type: AuthEmptyResponseDto })
  async revoke(
    @MlflowRequest() dto: RevokeTokenRequestDto,
    @Caller() caller: Principal,
    @Ip() clientAddress: string,
  ): Promise<AuthEmptyResponseDto> {
    await this.access.revokeToken({ caller, clientAddress }, dto.token_id);
    return {};
  }
}

@ApiTags('audit log')
@Controller(AUTH_API_PREFIX)
export class AuditController {
  constructor(private readonly access: AccessService) {}

  @Get('audit/search')
  @Access.signedIn()
  @ApiOperation({
    summary:
      'Search the audit log, newest first: admins see every event, others those on what they manage and their own',
  })
  @ApiOkResponse({ type: SearchAuditEventsResponseDto })
  async search(
    @MlflowRequest() dto: SearchAuditEventsRequestDto,
    @Caller() caller: Principal,
  ): Promise<SearchAuditEventsResponseDto> {
    const page = await this.access.searchAudit(caller, {
      resourceType: dto.resource_type,
      resourceId: dto.resource_id,
      maxResults: dto.max_results,
      pageToken: dto.page_token,
    });
    const response: SearchAuditEventsResponseDto = { events: page.events.map(toAuditEventJson) };
    if (page.nextPageToken) response.next_page_token = page.nextPageToken;
    return response;
  }
}
