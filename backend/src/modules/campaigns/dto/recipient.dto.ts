import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { IsIn, IsOptional, IsString, MaxLength } from 'class-validator';
import { PageMetaDto, PageQueryDto } from '../../../common/pagination';
import { RECIPIENT_STATUSES, type RecipientStatus } from '../campaign.types';

export class RecipientDto {
  @ApiProperty({ format: 'uuid' }) id: string;
  @ApiProperty({ format: 'uuid' }) leadId: string;
  @ApiProperty({ type: String, nullable: true, example: 'Ana Lima' }) leadName: string | null;
  @ApiProperty({ example: 'ana@example.com', description: 'Email or E.164 phone, as when the campaign started.' })
  address: string;
  @ApiProperty({ enum: RECIPIENT_STATUSES, enumName: 'RecipientStatus' }) status: RecipientStatus;
  @ApiProperty({ example: 1 }) attempts: number;
  @ApiProperty({ type: String, nullable: true }) providerMessageId: string | null;
  @ApiProperty({ type: String, nullable: true }) error: string | null;
  @ApiProperty({ type: String, format: 'date-time', nullable: true }) sentAt: string | null;
  @ApiProperty({ type: String, format: 'date-time', nullable: true }) deliveredAt: string | null;
  @ApiProperty({ type: String, format: 'date-time', nullable: true }) openedAt: string | null;
  @ApiProperty({ type: String, format: 'date-time', nullable: true }) clickedAt: string | null;
  @ApiProperty({ example: 2 }) openCount: number;
  @ApiProperty({ example: 1 }) clickCount: number;
  @ApiProperty({ format: 'date-time' }) updatedAt: string;
}

export class RecipientPageDto extends PageMetaDto {
  @ApiProperty({ type: [RecipientDto] }) items: RecipientDto[];
}

export class RecipientListQueryDto extends PageQueryDto {
  @ApiPropertyOptional({ enum: RECIPIENT_STATUSES, enumName: 'RecipientStatus' })
  @IsOptional()
  @IsIn(RECIPIENT_STATUSES, { message: `must be one of ${RECIPIENT_STATUSES.join(', ')}` })
  status?: RecipientStatus;

  @ApiPropertyOptional({ description: 'Start of the address (case-insensitive).', maxLength: 200 })
  @IsOptional()
  @IsString()
  @MaxLength(200)
  q?: string;
}
