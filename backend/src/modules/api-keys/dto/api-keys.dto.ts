import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { Type } from 'class-transformer';
import {
  ArrayMaxSize,
  IsArray,
  IsDate,
  IsEnum,
  IsIn,
  IsOptional,
  IsString,
  MaxLength,
  MinDate,
  MinLength,
  ValidateIf,
} from 'class-validator';
import { PageMetaDto } from '../../../common/pagination';
import { Permission } from '../../auth/permissions';

export class CreateApiKeyDto {
  @ApiProperty({ example: 'CRM sync' })
  @IsString()
  @MinLength(1, { message: 'is required' })
  @MaxLength(100)
  name: string;

  @ApiProperty({
    enum: ['read-only', 'custom'],
    description: '`read-only`: every :read permission you hold. `custom`: the `permissions` listed.',
  })
  @IsIn(['read-only', 'custom'], { message: 'must be read-only or custom' })
  scope: 'read-only' | 'custom';

  @ApiPropertyOptional({
    enum: Permission,
    enumName: 'Permission',
    isArray: true,
    description: 'With scope `custom`: a subset of your own permissions.',
  })
  @ValidateIf((o: CreateApiKeyDto) => o.scope === 'custom')
  @IsArray()
  @ArrayMaxSize(50)
  @IsEnum(Permission, { each: true, message: 'each value must be a known permission' })
  permissions?: Permission[];

  @ApiPropertyOptional({ format: 'date-time', description: 'When the key stops working. Leave out for no expiry.' })
  @IsOptional()
  @Type(() => Date)
  @IsDate({ message: 'must be a date-time' })
  @MinDate(() => new Date(), { message: 'must be in the future' })
  expiresAt?: Date;
}

export class ApiKeyDto {
  @ApiProperty({ format: 'uuid' }) id: string;
  @ApiProperty() name: string;
  @ApiProperty({ example: 'mk_1a2b3c4d' }) prefix: string;
  @ApiProperty({ enum: Permission, enumName: 'Permission', isArray: true }) permissions: Permission[];
  @ApiProperty({ format: 'uuid' }) createdBy: string;
  @ApiProperty({ format: 'date-time' }) createdAt: string;
  @ApiProperty({ type: String, format: 'date-time', nullable: true }) lastUsedAt: string | null;
  @ApiProperty({ type: String, format: 'date-time', nullable: true }) expiresAt: string | null;
  @ApiProperty({ type: String, format: 'date-time', nullable: true }) revokedAt: string | null;
}

export class CreatedApiKeyDto {
  @ApiProperty({ type: ApiKeyDto }) key: ApiKeyDto;
  @ApiProperty({ description: 'The key itself. Shown once: store it now.', example: 'mk_1a2b3c4d_...' }) secret: string;
}

export class ApiKeyPageDto extends PageMetaDto {
  @ApiProperty({ type: [ApiKeyDto] }) items: ApiKeyDto[];
}
