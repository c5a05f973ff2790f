import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { Type } from 'class-transformer';
import {
  ArrayMaxSize,
  ArrayMinSize,
  IsArray,
  IsEnum,
  IsOptional,
  IsString,
  IsUUID,
  MaxLength,
  ValidateIf,
  ValidateNested,
} from 'class-validator';
import { TaskDto } from '../../tasks/dto/task.dto';
import { LeadFilter } from '../lead-filter';
import { LeadStatus } from '../lead.entity';

export enum BulkAction {
  SetStatus = 'set_status',
  Assign = 'assign',
  AddTags = 'add_tags',
  RemoveTags = 'remove_tags',
  Delete = 'delete',
  Restore = 'restore',
}

/** Most ids one request may list; larger selections go by filter. */
export const MAX_BULK_IDS = 1000;

export class BulkLeadsDto {
  @ApiProperty({ enum: BulkAction, enumName: 'BulkAction' })
  @IsEnum(BulkAction, { message: `must be one of ${Object.values(BulkAction).join(', ')}` })
  action: BulkAction;

  @ApiPropertyOptional({
    type: [String],
    format: 'uuid',
    maxItems: MAX_BULK_IDS,
    description: 'The leads to change. Give either ids or filter.',
  })
  @IsOptional()
  @IsArray()
  @ArrayMinSize(1, { message: 'must list at least one lead' })
  @ArrayMaxSize(MAX_BULK_IDS, { message: `lists at most ${MAX_BULK_IDS} leads; use a filter for more` })
  @IsUUID('all', { each: true, message: 'each value must be a lead id' })
  ids?: string[];

  @ApiPropertyOptional({ type: LeadFilter, description: 'Every lead matching this filter. Give either ids or filter.' })
  @IsOptional()
  @ValidateNested()
  @Type(() => LeadFilter)
  filter?: LeadFilter;

  @ApiPropertyOptional({ enum: LeadStatus, enumName: 'LeadStatus', description: 'For set_status.' })
  @ValidateIf((o: BulkLeadsDto) => o.action === BulkAction.SetStatus)
  @IsEnum(LeadStatus, { message: `must be one of ${Object.values(LeadStatus).join(', ')}` })
  status?: LeadStatus;

  @ApiPropertyOptional({
    type: String,
    format: 'uuid',
    nullable: true,
    description: 'For assign: the new owner, or null to unassign.',
  })
  @ValidateIf((o: BulkLeadsDto) => o.action === BulkAction.Assign && o.ownerId !== null)
  @IsUUID('all', { message: 'must be a user id, or null to unassign' })
  ownerId?: string | null;

  @ApiPropertyOptional({ type: [String], description: 'For add_tags and remove_tags.' })
  @ValidateIf((o: BulkLeadsDto) => o.action === BulkAction.AddTags || o.action === BulkAction.RemoveTags)
  @IsArray({ message: 'must be a list of tags' })
  @ArrayMinSize(1, { message: 'must list at least one tag' })
  @ArrayMaxSize(20)
  @IsString({ each: true })
  @MaxLength(50, { each: true })
  tags?: string[];
}

export class BulkResultDto {
  @ApiProperty({
    type: Number,
    nullable: true,
    description: 'Leads changed, when the change ran at once (small selections); null when it runs as a task.',
  })
  changed: number | null;

  @ApiProperty({
    type: Number,
    nullable: true,
    description: 'Selected leads already in the wanted state (or skipped).',
  })
  unchanged: number | null;

  @ApiProperty({ type: TaskDto, nullable: true, description: 'The task running a large change; follow its progress.' })
  task: TaskDto | null;
}
