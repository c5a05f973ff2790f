import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { IsEmail, IsString, MaxLength, MinLength } from 'class-validator';
import { Permission, Role } from '../permissions';
import { MIN_PASSWORD_LENGTH } from '../password.service';

export class LoginDto {
  @ApiProperty({ example: 'owner@example.com' })
  @IsEmail({}, { message: 'must be an email address' })
  @MaxLength(320)
  email: string;

  @ApiProperty({ example: 'correct horse battery staple' })
  @IsString()
  @MinLength(1, { message: 'is required' })
  @MaxLength(1024)
  password: string;
}

export class MfaCodeDto {
  @ApiProperty({ description: 'A 6-digit authenticator code, or a recovery code.', example: '123456' })
  @IsString()
  @MinLength(6)
  @MaxLength(32)
  code: string;
}

export class DisableMfaDto {
  @ApiProperty({
    description: 'A 6-digit code from the authenticator app (recovery codes only sign in; they do not turn MFA off).',
    example: '123456',
  })
  @IsString()
  @MinLength(6)
  @MaxLength(32)
  code: string;

  @ApiProperty()
  @IsString()
  @MinLength(1, { message: 'is required' })
  @MaxLength(1024)
  password: string;
}

export class ChangePasswordDto {
  @ApiProperty()
  @IsString()
  @MinLength(1, { message: 'is required' })
  @MaxLength(1024)
  currentPassword: string;

  @ApiProperty({ minLength: MIN_PASSWORD_LENGTH })
  @IsString()
  @MinLength(MIN_PASSWORD_LENGTH, { message: `must be at least ${MIN_PASSWORD_LENGTH} characters` })
  @MaxLength(1024)
  newPassword: string;
}

export class OrganizationSummaryDto {
  @ApiProperty({ format: 'uuid' }) id: string;
  @ApiProperty() name: string;
  @ApiProperty({ description: 'Owners and admins must use MFA.' }) mfaRequired: boolean;
  @ApiProperty({
    example: 'Europe/Paris',
    description: 'IANA time zone the organization cuts its days in (analytics, date filters of leads).',
  })
  timeZone: string;
}

export class MeDto {
  @ApiProperty({ format: 'uuid' }) id: string;
  @ApiProperty() email: string;
  @ApiProperty() name: string;
  @ApiProperty({ enum: Role, enumName: 'Role' }) role: Role;
  @ApiProperty({ enum: Permission, enumName: 'Permission', isArray: true }) permissions: Permission[];
  @ApiProperty({ type: OrganizationSummaryDto }) organization: OrganizationSummaryDto;
  @ApiProperty() mfaEnabled: boolean;
  @ApiProperty({ description: 'An admin set the password: choose a new one.' }) mustChangePassword: boolean;
  @ApiProperty({ enum: ['user', 'api-key'] }) via: 'user' | 'api-key';
}

export class SessionDto {
  @ApiProperty({ description: 'Bearer token for the API, valid `expiresIn` seconds. Keep it in memory.' })
  accessToken: string;

  @ApiProperty({ example: 900 }) expiresIn: number;

  @ApiProperty({
    enum: ['none', 'verify', 'setup'],
    description:
      '`verify`: send an authenticator code to /api/auth/mfa/verify. `setup`: the organization requires MFA, enrol with /api/auth/mfa/setup then /enable. Until then the token only opens /api/auth routes.',
  })
  mfa: 'none' | 'verify' | 'setup';

  @ApiProperty({ type: MeDto }) user: MeDto;
}

export class MfaSetupDto {
  @ApiProperty({ description: 'Base32 secret, for typing into an authenticator app by hand.' }) secret: string;
  @ApiProperty({ example: 'otpauth://totp/Meridian:owner%40example.com?secret=...' }) otpauthUri: string;
  @ApiProperty({ description: 'PNG data URL of the QR code of otpauthUri.' }) qrCodeDataUrl: string;
}

export class MfaEnabledDto {
  @ApiProperty({ type: [String], description: 'Ten single-use recovery codes. Shown once.' }) recoveryCodes: string[];
  @ApiPropertyOptional({ type: SessionDto, description: 'A full session, when enrolment completed a pending sign-in.' })
  session?: SessionDto;
}
