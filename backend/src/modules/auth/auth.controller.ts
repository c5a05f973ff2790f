import { Body, Controller, Get, HttpCode, Post, Req, Res, UnauthorizedException } from '@nestjs/common';
import { ApiBearerAuth, ApiNoContentResponse, ApiOkResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import type { FastifyReply, FastifyRequest } from 'fastify';
import { RouteSchema } from '@nestjs/platform-fastify';
import { responseSchemaOf } from '../../common/openapi/response-schema';
import { ApiProblemResponses } from '../../common/openapi/api-problem-responses';
import { UsersService } from '../users/users.service';
import { Actor, CurrentActor } from './actor';
import { AuthStateService, CallerOrganization } from './auth-state.service';
import { AuthService, Client, SignInResult } from './auth.service';
import { AllowMfaPending, Public } from './decorators';
import {
  ChangePasswordDto,
  DisableMfaDto,
  LoginDto,
  MeDto,
  MfaCodeDto,
  MfaEnabledDto,
  MfaSetupDto,
  SessionDto,
} from './dto/auth.dto';
import { ROLE_PERMISSIONS } from './permissions';
import { TokensService } from './tokens.service';
import { clearRefreshCookie, refreshCookie, setRefreshCookie } from './session-cookie';
import type { User } from '../users/user.entity';

type MeUser = Pick<User, 'id' | 'organizationId' | 'email' | 'name' | 'role' | 'mfaEnabled' | 'mustChangePassword'>;

function client(req: FastifyRequest): Client {
  return { ip: req.ip ?? null, userAgent: req.headers['user-agent'] ?? null };
}

@ApiTags('Auth')
@Controller('api/auth')
export class AuthController {
  constructor(
    private readonly auth: AuthService,
    private readonly users: UsersService,
    private readonly authState: AuthStateService,
    private readonly tokens: TokensService,
  ) {}

  @Public()
  @Post('login')
  @HttpCode(200)
  @ApiOperation({
    operationId: 'login',
    summary: 'Sign in with email and password; sets the refresh cookie',
    description:
      'Answers an access token (send it as `Authorization: Bearer ...`) and sets the httpOnly refresh cookie. When the user has MFA (or must enrol), the token is limited to the MFA routes until verifyMfa or enableMfa. Wrong passwords and unknown emails get the same 401; repeated failures lock the account (429).',
  })
  @ApiOkResponse({ type: SessionDto })
  @ApiProblemResponses(401, 429)
  async login(
    @Body() body: LoginDto,
    @Req() req: FastifyRequest,
    @Res({ passthrough: true }) reply: FastifyReply,
  ): Promise<SessionDto> {
    const result = await this.auth.login(body.email, body.password, client(req));
    return this.session(result, req, reply);
  }

  @Public()
  @Post('refresh')
  @HttpCode(200)
  @ApiOperation({
    operationId: 'refreshSession',
    summary: 'Exchange the refresh cookie for a new access token (the cookie rotates)',
    description:
      'Needs the refresh cookie set by login. The cookie rotates on every use; presenting a used one again ends the whole session (it was copied).',
  })
  @ApiOkResponse({ type: SessionDto })
  @ApiProblemResponses(401)
  async refresh(@Req() req: FastifyRequest, @Res({ passthrough: true }) reply: FastifyReply): Promise<SessionDto> {
    const presented = refreshCookie(req);
    if (!presented) throw new UnauthorizedException('No session: sign in.');
    try {
      return await this.session(await this.auth.refresh(presented, client(req)), req, reply);
    } catch (err) {
      clearRefreshCookie(reply);
      throw err;
    }
  }

  @Public()
  @Post('logout')
  @HttpCode(204)
  @ApiOperation({
    operationId: 'logout',
    summary: 'End the session of the refresh cookie and clear it',
    description:
      'Revokes the whole sign-in session of the refresh cookie: its access tokens are refused from the next request on. Without a cookie it just answers 204.',
  })
  @ApiNoContentResponse()
  async logout(@Req() req: FastifyRequest, @Res({ passthrough: true }) reply: FastifyReply): Promise<void> {
    const presented = refreshCookie(req);
    if (presented) await this.auth.logout(presented);
    clearRefreshCookie(reply);
  }

  @Get('me')
  @AllowMfaPending()
  @ApiBearerAuth()
  @ApiOperation({
    operationId: 'getMe',
    summary: 'The signed-in user (or the API key), with role and permissions',
    description:
      'Who is calling: the user (or the API key, with `via: api-key`), their role, their effective permissions and their organization. Also answers during a pending MFA step.',
  })
  @ApiOkResponse({ type: MeDto })
  @RouteSchema({ response: { 200: responseSchemaOf(MeDto) } })
  @ApiProblemResponses(401)
  async me(@CurrentActor() actor: Actor): Promise<MeDto> {
    const { principal } = actor;
    if (principal.kind === 'api-key') {
      const org = await this.authState.organization(principal.organizationId);
      return {
        id: actor.principal.id,
        email: '',
        name: actor.principal.label,
        role: actor.principal.role,
        permissions: [...actor.principal.permissions],
        organization: { id: org.id, name: org.name, mfaRequired: org.mfaRequired, timeZone: org.timeZone },
        mfaEnabled: false,
        mustChangePassword: false,
        via: 'api-key',
      };
    }
    // What the guard just read for this request (cached, invalidated by every change to the user).
    const [{ user }, org] = await Promise.all([
      this.authState.session(principal.id, principal.sessionId as string),
      this.authState.organization(principal.organizationId),
    ]);
    if (!user) throw new UnauthorizedException('The session has ended. Sign in again.');
    return this.toMe(user, org);
  }

  @Post('password')
  @HttpCode(204)
  @ApiBearerAuth()
  @ApiOperation({
    operationId: 'changePassword',
    summary: 'Change your own password',
    description: 'Needs the current password. Your other sessions are signed out; this one stays.',
  })
  @ApiNoContentResponse()
  @ApiProblemResponses(401)
  async changePassword(@CurrentActor() actor: Actor, @Body() body: ChangePasswordDto): Promise<void> {
    await this.users.changeOwnPassword(actor, body.currentPassword, body.newPassword);
    // Other devices signed in with the old password are signed out; this one stays.
    if (actor.principal.kind === 'user')
      await this.tokens.revokeOtherSessions(actor.principal.id, actor.principal.sessionId);
  }

  @Post('mfa/verify')
  @HttpCode(200)
  @AllowMfaPending()
  @ApiBearerAuth()
  @ApiOperation({
    operationId: 'verifyMfa',
    summary: 'Second sign-in step: an authenticator or recovery code',
    description:
      'Turns the pending token of a sign-in into a full session: send an authenticator code (each accepted once) or one of the recovery codes. Repeated wrong codes end the pending sign-in.',
  })
  @ApiOkResponse({ type: SessionDto })
  @ApiProblemResponses(401)
  async verifyMfa(
    @CurrentActor() actor: Actor,
    @Body() body: MfaCodeDto,
    @Req() req: FastifyRequest,
    @Res({ passthrough: true }) reply: FastifyReply,
  ): Promise<SessionDto> {
    return this.session(await this.auth.verifyMfa(actor, body.code, client(req)), req, reply);
  }

  @Post('mfa/setup')
  @HttpCode(200)
  @AllowMfaPending()
  @ApiBearerAuth()
  @ApiOperation({
    operationId: 'setupMfa',
    summary: 'Start TOTP enrolment: secret, otpauth URI and QR code',
    description:
      'Returns a new TOTP secret as text, as an otpauth URI and as a QR code image. Nothing changes until enableMfa confirms it with a code.',
  })
  @ApiOkResponse({ type: MfaSetupDto })
  @ApiProblemResponses(401, 409)
  setupMfa(@CurrentActor() actor: Actor): Promise<MfaSetupDto> {
    return this.auth.setupMfa(actor);
  }

  @Post('mfa/enable')
  @HttpCode(200)
  @AllowMfaPending()
  @ApiBearerAuth()
  @ApiOperation({
    operationId: 'enableMfa',
    summary: 'Confirm enrolment with a first code; returns recovery codes once',
    description:
      'Confirms the enrolment started by setupMfa with a first authenticator code. The 10 recovery codes are in this answer only. A pending session is upgraded to a full one (new tokens).',
  })
  @ApiOkResponse({ type: MfaEnabledDto })
  @ApiProblemResponses(401, 409)
  async enableMfa(
    @CurrentActor() actor: Actor,
    @Body() body: MfaCodeDto,
    @Req() req: FastifyRequest,
    @Res({ passthrough: true }) reply: FastifyReply,
  ): Promise<MfaEnabledDto> {
    const { recoveryCodes, session } = await this.auth.enableMfa(actor, body.code, client(req));
    return { recoveryCodes, ...(session ? { session: await this.session(session, req, reply) } : {}) };
  }

  @Post('mfa/disable')
  @HttpCode(204)
  @ApiBearerAuth()
  @ApiOperation({
    operationId: 'disableMfa',
    summary: 'Turn MFA off (password and a current code)',
    description:
      'Needs the current password and a current authenticator code. Refused (403) for owners and admins when the organization requires MFA.',
  })
  @ApiNoContentResponse()
  @ApiProblemResponses(401, 403)
  async disableMfa(@CurrentActor() actor: Actor, @Body() body: DisableMfaDto): Promise<void> {
    await this.auth.disableMfa(actor, body.password, body.code);
  }

  private async session(result: SignInResult, req: FastifyRequest, reply: FastifyReply): Promise<SessionDto> {
    // A pending session gets no refresh cookie: it must finish MFA within the access token's life.
    if (result.mfa === 'none') setRefreshCookie(req, reply, result.tokens);
    return {
      accessToken: result.tokens.accessToken,
      expiresIn: result.tokens.expiresIn,
      mfa: result.mfa,
      user: await this.toMe(result.user),
    };
  }

  private async toMe(user: MeUser, knownOrg?: CallerOrganization): Promise<MeDto> {
    const org = knownOrg ?? (await this.authState.organization(user.organizationId));
    return {
      id: user.id,
      email: user.email,
      name: user.name,
      role: user.role,
      permissions: [...ROLE_PERMISSIONS[user.role]],
      organization: { id: org.id, name: org.name, mfaRequired: org.mfaRequired, timeZone: org.timeZone },
      mfaEnabled: user.mfaEnabled,
      mustChangePassword: user.mustChangePassword,
      via: 'user',
    };
  }
}
