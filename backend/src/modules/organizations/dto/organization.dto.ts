import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { IsBoolean, IsOptional, IsString, IsTimeZone, MaxLength, MinLength } from 'class-validator';

export class OrganizationDto {
  @ApiProperty({ format: 'uuid' }) id: string;
  @ApiProperty() name: string;
  @ApiProperty({ description: 'Owners and admins must use MFA.' }) mfaRequired: boolean;
  @ApiProperty({
    example: 'Europe/Paris',
    description: "IANA time zone: where the organization's days start and end in analytics and reports.",
  })
  timeZone: string;
  @ApiProperty({ format: 'date-time' }) createdAt: string;
}

export class UpdateOrganizationDto {
  @ApiPropertyOptional()
  @IsOptional()
  @IsString()
  @MinLength(1, { message: 'must not be empty' })
  @MaxLength(200)
  name?: string;

  @ApiPropertyOptional({ description: 'Require MFA for owners and admins (they enrol at their next sign-in).' })
  @IsOptional()
  @IsBoolean()
  mfaRequired?: boolean;

  @ApiPropertyOptional({
    example: 'America/New_York',
    description: 'IANA time zone name. Analytics figures are recomputed in it within a minute.',
  })
  @IsOptional()
  @IsString()
  @IsTimeZone({ message: 'must be an IANA time zone name, such as Europe/Paris' })
  timeZone?: string;
}
