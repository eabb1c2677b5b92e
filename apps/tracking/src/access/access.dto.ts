import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { Expose } from 'class-transformer';
import { ValidateBy, ValidationArguments } from 'class-validator';

import {
  API_DOCS_HINT,
  ApiToken,
  AUDIT_RESOURCE_TYPES,
  AuditEvent,
  AuditResourceType,
  ExperimentGrant,
  invalidParameterTypeError,
  Permission,
  PERMISSIONS,
  RegisteredModelGrant,
  User,
} from '@app/domain';
import { MlflowField } from '@app/http';

/** Longest lifetime a new API token may ask for: ten years. */
const MAX_TOKEN_LIFETIME_SECONDS = 10 * 365 * 24 * 60 * 60;
const MAX_AUDIT_RESULTS = 1000;
export const DEFAULT_AUDIT_RESULTS = 100;

const PERMISSION_DESCRIPTION = `One of ${PERMISSIONS.join(', ')}`;

/**
 * A required JSON boolean, refused when it comes as a string: MLflow's `users/update-admin` answers
 * `"false"` with 400 (SQLAlchemy's "Not a boolean value"), and a lenient reading of it would turn
 * the string `"false"` into an administrator.
 */
function JsonBoolean(description: string): PropertyDecorator {
  const error = (value: unknown, field: string): string | null => {
    if (value === undefined || value === null) {
      return `Missing value for required parameter '${field}'. ${API_DOCS_HINT}`;
    }
    return typeof value === 'boolean' ? null : invalidParameterTypeError(field, value).message;
  };
  return (target: object, key: string | symbol) => {
    ApiProperty({ type: Boolean, required: true, description, example: true })(target, key);
    Expose()(target, key);
    ValidateBy({
      name: 'jsonBoolean',
      validator: {
        validate: (value: unknown, args?: ValidationArguments) =>
          error(value, args?.property ?? String(key)) === null,
        defaultMessage: (args?: ValidationArguments) =>
          error(args?.value, args?.property ?? String(key)) ?? 'Invalid value',
      },
    })(target, key);
  };
}

export class UsernameRequestDto {
  @MlflowField({ type: 'string', required: true, example: 'alice' })
  username!: string;
}

export class GetUserRequestDto extends UsernameRequestDto {}

export class DeleteUserRequestDto extends UsernameRequestDto {}

export class CreateUserRequestDto extends UsernameRequestDto {
  @MlflowField({
    type: 'string',
    required: true,
    description: 'At least 12 characters, not the username, not a common password',
    example: 'correct horse battery staple',
  })
  password!: string;
}

export class UpdateUserPasswordRequestDto extends CreateUserRequestDto {}

export class UpdateUserAdminRequestDto extends UsernameRequestDto {
  @JsonBoolean('Whether the user is an administrator (a JSON boolean, not a string)')
  is_admin!: boolean;
}

export class ExperimentPermissionKeyDto {
  @MlflowField({ type: 'string', required: true, numberAsString: true, example: '1' })
  experiment_id!: string;

  @MlflowField({ type: 'string', required: true, example: 'alice' })
  username!: string;
}

export class GetExperimentPermissionRequestDto extends ExperimentPermissionKeyDto {}

export class DeleteExperimentPermissionRequestDto extends ExperimentPermissionKeyDto {}

export class CreateExperimentPermissionRequestDto extends ExperimentPermissionKeyDto {
  @MlflowField({
    type: 'string',
    required: true,
    description: PERMISSION_DESCRIPTION,
    example: 'READ',
  })
  permission!: string;
}

export class UpdateExperimentPermissionRequestDto extends CreateExperimentPermissionRequestDto {}

export class ListExperimentPermissionsRequestDto {
  @MlflowField({ type: 'string', required: true, numberAsString: true, example: '1' })
  experiment_id!: string;
}

export class RegisteredModelPermissionKeyDto {
  @MlflowField({ type: 'string', required: true, example: 'fraud-detector' })
  name!: string;

  @MlflowField({ type: 'string', required: true, example: 'alice' })
  username!: string;
}

export class GetRegisteredModelPermissionRequestDto extends RegisteredModelPermissionKeyDto {}

export class DeleteRegisteredModelPermissionRequestDto extends RegisteredModelPermissionKeyDto {}

export class CreateRegisteredModelPermissionRequestDto extends RegisteredModelPermissionKeyDto {
  @MlflowField({
    type: 'string',
    required: true,
    description: PERMISSION_DESCRIPTION,
    example: 'READ',
  })
  permission!: string;
}

export class UpdateRegisteredModelPermissionRequestDto extends CreateRegisteredModelPermissionRequestDto {}

export class ListRegisteredModelPermissionsRequestDto {
  @MlflowField({ type: 'string', required: true, example: 'fraud-detector' })
  name!: string;
}

export class CreateTokenRequestDto {
  @MlflowField({
    type: 'string',
    required: true,
    description: 'What the token is for, 1 to 255 characters',
    example: 'aggregator of project 1',
  })
  name!: string;

  @MlflowField({
    type: 'string',
    numberAsString: true,
    description:
      'Scope: the token may then only write this experiment (FLOps project) and read it back; the caller needs EDIT on it',
    example: '1',
  })
  experiment_id?: string;

  @MlflowField({
    type: 'int64',
    min: 1,
    max: MAX_TOKEN_LIFETIME_SECONDS,
    description: `Lifetime in seconds, 1..${MAX_TOKEN_LIFETIME_SECONDS} (absent: no expiry)`,
    example: 86400,
  })
  expires_in_seconds?: number;
}

export class RevokeTokenRequestDto {
  @MlflowField({ type: 'int64', required: true, min: 1, example: 1 })
  token_id!: number;
}

export class SearchAuditEventsRequestDto {
  @MlflowField({ type: 'enum', enum: AUDIT_RESOURCE_TYPES, example: 'experiment' })
  resource_type?: AuditResourceType;

  @MlflowField({
    type: 'string',
    description: 'Experiment id, model name, username or token id',
    example: '1',
  })
  resource_id?: string;

  @MlflowField({
    type: 'int32',
    min: 1,
    max: MAX_AUDIT_RESULTS,
    description: `Page size, 1..${MAX_AUDIT_RESULTS} (default ${DEFAULT_AUDIT_RESULTS})`,
    example: DEFAULT_AUDIT_RESULTS,
  })
  max_results?: number;

  @MlflowField({ type: 'string', description: 'Opaque token of the next page' })
  page_token?: string;
}

export class ExperimentPermissionJsonDto {
  @ApiProperty({ example: '1' })
  experiment_id!: string;

  @ApiProperty({ example: 2 })
  user_id!: number;

  @ApiProperty({ enum: PERMISSIONS, example: 'MANAGE' })
  permission!: Permission;
}

export class RegisteredModelPermissionJsonDto {
  @ApiProperty({ example: 'fraud-detector' })
  name!: string;

  @ApiProperty({ example: 3 })
  user_id!: number;

  @ApiProperty({ enum: PERMISSIONS, example: 'READ' })
  permission!: Permission;
}

export class UserSummaryJsonDto {
  @ApiProperty({ example: 2 })
  id!: number;

  @ApiProperty({ example: 'alice' })
  username!: string;

  @ApiProperty({ example: false })
  is_admin!: boolean;
}

/** MLflow's User: never a password field (its client fills `password_hash="REDACTED"`). */
export class UserJsonDto extends UserSummaryJsonDto {
  @ApiProperty({ type: [ExperimentPermissionJsonDto] })
  experiment_permissions!: ExperimentPermissionJsonDto[];

  @ApiProperty({ type: [RegisteredModelPermissionJsonDto] })
  registered_model_permissions!: RegisteredModelPermissionJsonDto[];
}

export class CreateUserResponseDto {
  @ApiProperty({ type: UserJsonDto })
  user!: UserJsonDto;
}

export class GetUserResponseDto {
  @ApiProperty({ type: UserJsonDto })
  user!: UserJsonDto;
}

export class ListUsersResponseDto {
  @ApiProperty({ type: [UserSummaryJsonDto] })
  users!: UserSummaryJsonDto[];
}

export class ExperimentPermissionResponseDto {
  @ApiProperty({ type: ExperimentPermissionJsonDto })
  experiment_permission!: ExperimentPermissionJsonDto;
}

export class RegisteredModelPermissionResponseDto {
  @ApiProperty({ type: RegisteredModelPermissionJsonDto })
  registered_model_permission!: RegisteredModelPermissionJsonDto;
}

export class ExperimentGrantJsonDto extends ExperimentPermissionJsonDto {
  @ApiProperty({ example: 'alice' })
  username!: string;
}

export class RegisteredModelGrantJsonDto extends RegisteredModelPermissionJsonDto {
  @ApiProperty({ example: 'alice' })
  username!: string;
}

export class ListExperimentPermissionsResponseDto {
  @ApiProperty({ type: [ExperimentGrantJsonDto] })
  experiment_permissions!: ExperimentGrantJsonDto[];
}

export class ListRegisteredModelPermissionsResponseDto {
  @ApiProperty({ type: [RegisteredModelGrantJsonDto] })
  registered_model_permissions!: RegisteredModelGrantJsonDto[];
}

export class TokenJsonDto {
  @ApiProperty({ example: 1 })
  id!: number;

  @ApiProperty({ example: 'aggregator of project 1' })
  name!: string;

  @ApiPropertyOptional({ example: '1', description: 'Set for a token scoped to one experiment' })
  experiment_id?: string;

  @ApiProperty({ type: 'integer', format: 'int64', example: 1732600000000 })
  creation_time!: number;

  @ApiPropertyOptional({ type: 'integer', format: 'int64', example: 1764136000000 })
  expiration_time?: number;

  @ApiPropertyOptional({ type: 'integer', format: 'int64', example: 1732600060000 })
  last_used_time?: number;

  @ApiPropertyOptional({ type: 'integer', format: 'int64', example: 1732603600000 })
  revoked_time?: number;
}

export class CreateTokenResponseDto {
  @ApiProperty({ type: TokenJsonDto })
  token!: TokenJsonDto;

  @ApiProperty({
    description: 'The bearer secret: shown in this response only, never stored or shown again',
    example: 'mlsk_<43 base64url characters>',
  })
  secret!: string;
}

export class ListTokensResponseDto {
  @ApiProperty({ type: [TokenJsonDto] })
  tokens!: TokenJsonDto[];
}

export class AuditEventJsonDto {
  @ApiProperty({ example: 42 })
  id!: number;

  @ApiProperty({ type: 'integer', format: 'int64', example: 1732600000000 })
  time!: number;

  @ApiProperty({ example: 'alice' })
  username!: string;

  @ApiProperty({ example: '10.0.0.7' })
  client_address!: string;

  @ApiProperty({ example: 'permission.create' })
  action!: string;

  @ApiProperty({ enum: AUDIT_RESOURCE_TYPES, example: 'experiment' })
  resource_type!: AuditResourceType;

  @ApiProperty({ example: '1' })
  resource_id!: string;

  @ApiPropertyOptional({ example: '1' })
  experiment_id?: string;

  @ApiPropertyOptional({ example: 7 })
  registered_model_id?: number;

  @ApiPropertyOptional({ example: '{"username":"bob","permission":"READ"}' })
  detail?: string;
}

export class SearchAuditEventsResponseDto {
  @ApiProperty({ type: [AuditEventJsonDto] })
  events!: AuditEventJsonDto[];

  @ApiPropertyOptional({ example: 'eyJvZmZzZXQiOiAxMDB9' })
  next_page_token?: string;
}

export class AuthEmptyResponseDto {}

export function toUserSummaryJson(user: User): UserSummaryJsonDto {
  return { id: user.id, username: user.username, is_admin: user.isAdmin };
}

export function toUserJson(
  user: User,
  grants: { experiments: ExperimentGrant[]; registeredModels: RegisteredModelGrant[] },
): UserJsonDto {
  return {
    ...toUserSummaryJson(user),
    experiment_permissions: grants.experiments.map(toExperimentPermissionJson),
    registered_model_permissions: grants.registeredModels.map(toRegisteredModelPermissionJson),
  };
}

export function toExperimentPermissionJson(grant: ExperimentGrant): ExperimentPermissionJsonDto {
  return {
    experiment_id: grant.experimentId,
    user_id: grant.userId,
    permission: grant.permission,
  };
}

export function toRegisteredModelPermissionJson(
  grant: RegisteredModelGrant,
): RegisteredModelPermissionJsonDto {
  return { name: grant.name, user_id: grant.userId, permission: grant.permission };
}

export function toExperimentGrantJson(grant: ExperimentGrant): ExperimentGrantJsonDto {
  return {
    experiment_id: grant.experimentId,
    user_id: grant.userId,
    username: grant.username,
    permission: grant.permission,
  };
}

export function toRegisteredModelGrantJson(
  grant: RegisteredModelGrant,
): RegisteredModelGrantJsonDto {
  return {
    name: grant.name,
    user_id: grant.userId,
    username: grant.username,
    permission: grant.permission,
  };
}

export function toTokenJson(token: ApiToken): TokenJsonDto {
  const json: TokenJsonDto = { id: token.id, name: token.name, creation_time: token.creationTime };
  if (token.experimentId !== null) json.experiment_id = token.experimentId;
  if (token.expirationTime !== null) json.expiration_time = token.expirationTime;
  if (token.lastUsedTime !== null) json.last_used_time = token.lastUsedTime;
  if (token.revokedTime !== null) json.revoked_time = token.revokedTime;
  return json;
}

export function toAuditEventJson(event: AuditEvent): AuditEventJsonDto {
  const json: AuditEventJsonDto = {
    id: event.id,
    time: event.time,
    username: event.username,
    client_address: event.clientAddress,
    action: event.action,
    resource_type: event.resourceType,
    resource_id: event.resourceId,
  };
  if (event.experimentId !== null) json.experiment_id = event.experimentId;
  if (event.registeredModelId !== null) json.registered_model_id = event.registeredModelId;
  if (event.detail !== null) json.detail = event.detail;
  return json;
}
