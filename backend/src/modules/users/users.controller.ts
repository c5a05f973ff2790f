import { Body, Controller, Get, HttpCode, Param, ParseUUIDPipe, Patch, Post, Query } from '@nestjs/common';
import { ApiBearerAuth, ApiCreatedResponse, ApiOkResponse, ApiOperation, ApiSecurity, ApiTags } from '@nestjs/swagger';
import { ApiProblemResponses } from '../../common/openapi/api-problem-responses';
import { PageQueryDto } from '../../common/pagination';
import { Actor, CurrentActor } from '../auth/actor';
import { RequirePermissions } from '../auth/decorators';
import { Permission } from '../auth/permissions';
import { CreatedUserDto, CreateUserDto, PasswordResetDto, UpdateUserDto, UserDto, UserPageDto } from './dto/users.dto';
import { User, UserStatus } from './user.entity';
import { UsersService } from './users.service';

export function toUserDto(user: User): UserDto {
  return {
    id: user.id,
    email: user.email,
    name: user.name,
    role: user.role,
    status: user.status,
    mfaEnabled: user.mfaEnabled,
    mustChangePassword: user.mustChangePassword,
    lastLoginAt: user.lastLoginAt?.toISOString() ?? null,
    createdAt: user.createdAt.toISOString(),
  };
}

@ApiTags('Users')
@ApiBearerAuth()
@ApiSecurity('api-key')
@ApiProblemResponses(401, 403)
@Controller('api/users')
export class UsersController {
  constructor(private readonly users: UsersService) {}

  @Get()
  @RequirePermissions(Permission.UsersRead)
  @ApiOperation({
    operationId: 'listUsers',
    summary: 'Users of your organization, oldest first',
    description: 'Users of your organization with role, status, MFA and last sign-in, oldest first, keyset-paginated.',
  })
  @ApiOkResponse({ type: UserPageDto })
  async list(@CurrentActor() actor: Actor, @Query() query: PageQueryDto): Promise<UserPageDto> {
    const page = await this.users.list(actor.principal.organizationId, query.limit, query.cursor);
    return { items: page.items.map(toUserDto), nextCursor: page.nextCursor };
  }

  @Post()
  @RequirePermissions(Permission.UsersManage)
  @ApiOperation({
    operationId: 'createUser',
    summary: 'Add a user to your organization',
    description:
      'Creates a user with a role you may give. Without a password, a temporary one is generated, returned once, and must be changed at first sign-in.',
  })
  @ApiCreatedResponse({ type: CreatedUserDto })
  @ApiProblemResponses(409)
  async create(@CurrentActor() actor: Actor, @Body() body: CreateUserDto): Promise<CreatedUserDto> {
    const { user, temporaryPassword } = await this.users.create(actor, body);
    return { user: toUserDto(user), ...(temporaryPassword ? { temporaryPassword } : {}) };
  }

  @Get(':id')
  @RequirePermissions(Permission.UsersRead)
  @ApiOperation({
    operationId: 'getUser',
    summary: 'One user',
    description: 'One user of your organization; users of other organizations answer 404.',
  })
  @ApiOkResponse({ type: UserDto })
  @ApiProblemResponses(404)
  async get(@CurrentActor() actor: Actor, @Param('id', ParseUUIDPipe) id: string): Promise<UserDto> {
    return toUserDto(await this.users.get(actor.principal.organizationId, id));
  }

  @Patch(':id')
  @RequirePermissions(Permission.UsersManage)
  @ApiOperation({
    operationId: 'updateUser',
    summary: 'Rename a user or change their role',
    description:
      "Renames a user or changes their role (only owners change owners' roles; the last owner cannot be demoted). A new role applies to their next request and to their API keys.",
  })
  @ApiOkResponse({ type: UserDto })
  @ApiProblemResponses(404, 409)
  async update(
    @CurrentActor() actor: Actor,
    @Param('id', ParseUUIDPipe) id: string,
    @Body() body: UpdateUserDto,
  ): Promise<UserDto> {
    return toUserDto(await this.users.update(actor, id, body));
  }

  @Post(':id/deactivate')
  @HttpCode(200)
  @RequirePermissions(Permission.UsersManage)
  @ApiOperation({
    operationId: 'deactivateUser',
    summary: 'Deactivate a user: their sessions and API keys stop at once',
    description:
      'The user can no longer sign in; their sessions and API keys are refused from the next request on, on every replica. The last owner cannot be deactivated.',
  })
  @ApiOkResponse({ type: UserDto })
  @ApiProblemResponses(404, 409)
  async deactivate(@CurrentActor() actor: Actor, @Param('id', ParseUUIDPipe) id: string): Promise<UserDto> {
    return toUserDto(await this.users.setStatus(actor, id, UserStatus.Deactivated));
  }

  @Post(':id/reactivate')
  @HttpCode(200)
  @RequirePermissions(Permission.UsersManage)
  @ApiOperation({
    operationId: 'reactivateUser',
    summary: 'Let a deactivated user sign in again',
    description:
      'The user can sign in again, and their API keys work again. Sessions ended by the deactivation stay ended.',
  })
  @ApiOkResponse({ type: UserDto })
  @ApiProblemResponses(404)
  async reactivate(@CurrentActor() actor: Actor, @Param('id', ParseUUIDPipe) id: string): Promise<UserDto> {
    return toUserDto(await this.users.setStatus(actor, id, UserStatus.Active));
  }

  @Post(':id/reset-password')
  @HttpCode(200)
  @RequirePermissions(Permission.UsersManage)
  @ApiOperation({
    operationId: 'resetUserPassword',
    summary: 'Set a temporary password (shown once) and unlock the account',
    description:
      "Generates a temporary password (returned once) that the user must change at next sign-in, unlocks the account, and ends the user's sessions.",
  })
  @ApiOkResponse({ type: PasswordResetDto })
  @ApiProblemResponses(404)
  async resetPassword(@CurrentActor() actor: Actor, @Param('id', ParseUUIDPipe) id: string): Promise<PasswordResetDto> {
    const { user, temporaryPassword } = await this.users.resetPassword(actor, id);
    return { user: toUserDto(user), temporaryPassword };
  }
}
