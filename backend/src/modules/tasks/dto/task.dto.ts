import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { IsEnum, IsOptional, IsString, MaxLength } from 'class-validator';
import { PageQueryDto } from '../../../common/pagination';
import { TaskStatus } from '../task.entity';

export class StoredFileDto {
  @ApiProperty({ format: 'uuid' })
  id: string;

  @ApiProperty({ example: 'leads-import-errors.csv' })
  name: string;

  @ApiProperty({ example: 'lead-import-errors', description: 'What the file is for; decides who may read it.' })
  purpose: string;

  @ApiProperty({ example: 'text/csv' })
  contentType: string;

  @ApiProperty({ description: 'Bytes.' })
  size: number;

  @ApiProperty({ format: 'date-time' })
  createdAt: string;

  @ApiProperty({ format: 'date-time', description: 'The file is deleted after this time.' })
  expiresAt: string;

  @ApiProperty({ example: '/api/files/6f1c…', description: 'Where to download it (same authentication).' })
  url: string;
}

export class TaskDto {
  @ApiProperty({ format: 'uuid' })
  id: string;

  @ApiProperty({ example: 'lead.import' })
  kind: string;

  @ApiProperty({ enum: TaskStatus, enumName: 'TaskStatus' })
  status: TaskStatus;

  @ApiProperty({ example: 'Import leads.csv' })
  title: string;

  @ApiProperty({ type: Number, nullable: true, description: 'Units of work in all (rows, leads), when known.' })
  total: number | null;

  @ApiProperty({ description: 'Units of work done so far.' })
  processed: number;

  @ApiProperty({ type: Number, nullable: true, description: 'Percent done (0–100), when the total is known.' })
  percent: number | null;

  @ApiProperty({
    type: 'object',
    additionalProperties: { type: 'number' },
    example: { created: 120, updated: 4, skipped: 2, failed: 1 },
  })
  counts: Record<string, number>;

  @ApiProperty({ type: 'object', additionalProperties: true, nullable: true })
  result: Record<string, unknown> | null;

  @ApiProperty({ type: String, nullable: true })
  error: string | null;

  @ApiProperty({ description: 'Runs started; more than 1 means it resumed after an interruption.' })
  attempts: number;

  @ApiProperty({ type: String, nullable: true })
  createdByLabel: string | null;

  @ApiProperty({ format: 'date-time' })
  createdAt: string;

  @ApiProperty({ type: String, format: 'date-time', nullable: true })
  startedAt: string | null;

  @ApiProperty({ type: String, format: 'date-time', nullable: true })
  finishedAt: string | null;

  @ApiProperty({ type: [StoredFileDto], description: 'Files the task produced (error report, export).' })
  files: StoredFileDto[];
}

export class TaskPageDto {
  @ApiProperty({ type: [TaskDto] })
  items: TaskDto[];

  @ApiProperty({ type: String, nullable: true })
  nextCursor: string | null;
}

export class TaskListQueryDto extends PageQueryDto {
  @ApiPropertyOptional({ example: 'lead.import' })
  @IsOptional()
  @IsString()
  @MaxLength(64)
  kind?: string;

  @ApiPropertyOptional({ enum: TaskStatus, enumName: 'TaskStatus' })
  @IsOptional()
  @IsEnum(TaskStatus)
  status?: TaskStatus;
}
