import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { Type } from 'class-transformer';
import { IsIn, IsInt, IsOptional, IsString, IsUrl, Matches, Max, MaxLength, Min, MinLength } from 'class-validator';

export class AskDto {
  @ApiProperty({ example: 'How do I create a campaign?' })
  @IsString()
  @MinLength(3, { message: 'must be at least 3 characters' })
  @MaxLength(2000)
  question: string;

  @ApiPropertyOptional({ description: 'Continue this thread (from a previous answer).' })
  @IsOptional()
  @IsString()
  @Matches(/^[\w-]{1,100}$/, { message: 'must be a thread id from a previous answer' })
  threadId?: string;

  @ApiPropertyOptional({
    description: 'The console page the question was asked from.',
    example: 'https://meridian.example.com/campaigns',
  })
  @IsOptional()
  @IsUrl({ require_tld: false, require_protocol: true }, { message: 'must be an absolute URL' })
  @MaxLength(2000)
  originUrl?: string;
}

export class SourceDto {
  @ApiProperty() title: string;
  @ApiProperty({ description: 'Absolute URL (Kapa) or a console help link (/help/<page>#<anchor>).' }) url: string;
}

export class AnswerDto {
  @ApiProperty({ description: 'Markdown. Render it sanitised.' }) answer: string;
  @ApiProperty({
    type: String,
    nullable: true,
    description: 'Pass back as threadId for a follow-up (null for local answers).',
  })
  threadId: string | null;
  @ApiProperty({ description: 'Identifies this answer for feedback.' }) questionAnswerId: string;
  @ApiProperty({ type: [SourceDto] }) sources: SourceDto[];
  @ApiProperty({ description: 'The provider was not confident: check the sources.' }) isUncertain: boolean;
  @ApiProperty({ enum: ['kapa', 'local'] }) provider: 'kapa' | 'local';
}

export class FeedbackDto {
  @ApiProperty() @IsString() @MaxLength(100) questionAnswerId: string;

  @ApiProperty({ enum: ['upvote', 'downvote'] })
  @IsIn(['upvote', 'downvote'], { message: 'must be upvote or downvote' })
  reaction: 'upvote' | 'downvote';

  @ApiPropertyOptional({ description: 'What was wrong (with a downvote).' })
  @IsOptional()
  @IsString()
  @MaxLength(2000)
  comment?: string;
}

export class AssistantStatusDto {
  @ApiProperty({ description: 'KAPA_API_KEY and KAPA_PROJECT_ID are set.' }) configured: boolean;
  @ApiProperty({
    type: Boolean,
    nullable: true,
    description: 'Kapa answered the cheap project call (null when not configured).',
  })
  reachable: boolean | null;
  @ApiProperty({ type: Number, nullable: true }) latencyMs: number | null;
  @ApiProperty() widgetEnabled: boolean;
  @ApiProperty({ enum: ['kapa', 'local'], description: 'Who answers a question asked now.' }) provider:
    'kapa' | 'local';
  @ApiProperty({ enum: ['closed', 'open', 'half-open'] }) circuit: 'closed' | 'open' | 'half-open';
  @ApiProperty({ type: String, nullable: true }) lastError: string | null;
  @ApiProperty({ type: String, format: 'date-time', nullable: true }) lastErrorAt: string | null;
  @ApiProperty({ description: 'Sections of docs/ indexed for the local provider.' }) localSections: number;
  @ApiProperty({ description: 'Questions you may still ask this minute.' }) remainingThisMinute: number;
}

export class InsightsQueryDto {
  @ApiPropertyOptional({ minimum: 1, maximum: 90, default: 30 })
  @IsOptional()
  @Type(() => Number)
  @IsInt()
  @Min(1)
  @Max(90)
  days: number = 30;
}

export class QuestionsPerDayDto {
  @ApiProperty({ example: '2026-11-22' }) day: string;
  @ApiProperty() questions: number;
  @ApiProperty() uncertain: number;
}

export class QuestionGapDto {
  @ApiProperty() question: string;
  @ApiProperty({ format: 'date-time' }) askedAt: string;
  @ApiProperty({ enum: ['kapa', 'local'] }) provider: string;
  @ApiProperty() isUncertain: boolean;
  @ApiProperty({ type: String, nullable: true, enum: ['upvote', 'downvote'] }) reaction: string | null;
  @ApiProperty({ type: String, nullable: true }) comment: string | null;
}

export class InsightsDto {
  @ApiProperty() days: number;
  @ApiProperty() totalQuestions: number;
  @ApiProperty({ description: 'Answered by the local docs provider.' }) answeredLocally: number;
  @ApiProperty() upvotes: number;
  @ApiProperty() downvotes: number;
  @ApiProperty({ type: Number, nullable: true, description: 'upvotes / (upvotes + downvotes); null without votes.' })
  upvoteRatio: number | null;
  @ApiProperty({ type: [QuestionsPerDayDto] }) perDay: QuestionsPerDayDto[];
  @ApiProperty({
    type: [QuestionGapDto],
    description: 'Uncertain or down-voted questions, newest first: what the docs miss.',
  })
  gaps: QuestionGapDto[];
}

export class HelpPageSummaryDto {
  @ApiProperty({ example: 'getting-started' }) page: string;
  @ApiProperty({ example: 'Getting started' }) title: string;
}

export class HelpPageDto extends HelpPageSummaryDto {
  @ApiProperty({ description: 'The page as Markdown.' }) markdown: string;
}
