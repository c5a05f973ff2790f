import { ApiProperty, ApiPropertyOptional, PartialType } from '@nestjs/swagger';
import { Type } from 'class-transformer';
import { IsOptional, IsString, MaxLength, MinLength, ValidateNested } from 'class-validator';
import { PageMetaDto } from '../../../common/pagination';
import { LeadFilter } from '../../leads/lead-filter';

export class CreateSegmentDto {
  @ApiProperty({ example: 'Newsletter subscribers in retail', maxLength: 200 })
  @IsString()
  @MinLength(1)
  @MaxLength(200)
  name: string;

  @ApiPropertyOptional({ type: String, nullable: true, maxLength: 2000 })
  @IsOptional()
  @IsString()
  @MaxLength(2000)
  description?: string | null;

  @ApiProperty({ type: () => LeadFilter })
  @ValidateNested()
  @Type(() => LeadFilter)
  filter: LeadFilter;
}

export class UpdateSegmentDto extends PartialType(CreateSegmentDto) {}

export class SegmentDto {
  @ApiProperty({ format: 'uuid' }) id: string;
  @ApiProperty({ example: 'Newsletter subscribers in retail' }) name: string;
  @ApiProperty({ type: String, nullable: true }) description: string | null;
  @ApiProperty({ type: () => LeadFilter }) filter: LeadFilter;
  @ApiProperty({ format: 'date-time' }) createdAt: string;
  @ApiProperty({ format: 'date-time' }) updatedAt: string;
}

export class SegmentPageDto extends PageMetaDto {
  @ApiProperty({ type: [SegmentDto] }) items: SegmentDto[];
}
