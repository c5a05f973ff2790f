import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { IsBoolean, IsOptional, IsString, MaxLength, MinLength } from 'class-validator';

export class OrganizationDto {
  @ApiProperty({ format: 'uuid' }) id: string;
  @ApiProperty() name: string;
  @ApiProperty({ description: 'Owners and admins must use MFA.' }) mfaRequired: boolean;
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
}
