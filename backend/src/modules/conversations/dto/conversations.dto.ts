import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { Transform, Type } from 'class-transformer';
import {
  ArrayMaxSize,
  IsArray,
  IsBoolean,
  IsIn,
  IsOptional,
  IsString,
  IsUUID,
  Matches,
  MaxLength,
  MinLength,
  ValidateIf,
} from 'class-validator';
import { PageMetaDto, PageQueryDto } from '../../../common/pagination';
import {
  MESSAGE_DIRECTIONS,
  MESSAGE_KINDS,
  MESSAGE_STATUSES,
  type MessageDirection,
  type MessageKind,
  type MessageStatus,
} from '../conversation-message.entity';
import {
  CONVERSATION_CHANNELS,
  CONVERSATION_STATUSES,
  type ConversationChannel,
  type ConversationStatus,
} from '../conversation.entity';

const toBoolean = ({ value }: { value: unknown }) => (value === 'true' ? true : value === 'false' ? false : value);
const trim = ({ value }: { value: unknown }) => (typeof value === 'string' ? value.trim() : value);

export class ConversationListQueryDto extends PageQueryDto {
  @ApiPropertyOptional({ enum: CONVERSATION_STATUSES, enumName: 'ConversationStatus' })
  @IsOptional()
  @IsIn(CONVERSATION_STATUSES)
  status?: ConversationStatus;

  @ApiPropertyOptional({ description: 'true: only conversations with unread messages.' })
  @IsOptional()
  @Transform(toBoolean)
  @IsBoolean({ message: 'unread must be true or false' })
  unread?: boolean;

  @ApiPropertyOptional({
    description: '`me`, `unassigned`, or a user id.',
    example: 'me',
  })
  @IsOptional()
  @Matches(/^(me|unassigned|[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12})$/i, {
    message: 'assignee must be "me", "unassigned" or a user id',
  })
  assignee?: string;

  @ApiPropertyOptional({ enum: CONVERSATION_CHANNELS, enumName: 'ConversationChannel' })
  @IsOptional()
  @IsIn(CONVERSATION_CHANNELS)
  channel?: ConversationChannel;

  @ApiPropertyOptional({ format: 'uuid', description: "Only this lead's conversations." })
  @IsOptional()
  @IsUUID()
  leadId?: string;
}

export class ConversationWindowDto {
  @ApiProperty({ description: 'Free-form text can be sent now (always true for the widget).' })
  open: boolean;

  @ApiProperty({
    type: String,
    format: 'date-time',
    nullable: true,
    description: "WhatsApp: 24 hours after the contact's last message; null when they never wrote (or widget).",
  })
  closesAt: string | null;
}

export class ConversationDto {
  @ApiProperty({ format: 'uuid' }) id: string;
  @ApiProperty({ enum: CONVERSATION_CHANNELS, enumName: 'ConversationChannel' }) channel: ConversationChannel;
  @ApiProperty({ enum: CONVERSATION_STATUSES, enumName: 'ConversationStatus' }) status: ConversationStatus;
  @ApiProperty({ type: String, format: 'uuid', nullable: true }) leadId: string | null;
  @ApiProperty({ example: '+4915112345678', description: 'E.164 phone (WhatsApp), or email / phone (widget).' })
  contactAddress: string;
  @ApiProperty({ type: String, nullable: true, example: 'Ada Lovelace' }) contactName: string | null;
  @ApiProperty({ type: String, format: 'uuid', nullable: true }) assigneeId: string | null;
  @ApiProperty({ description: 'Messages from the contact not opened yet.' }) unreadCount: number;
  @ApiProperty({ format: 'date-time' }) lastMessageAt: string;
  @ApiProperty({ type: String, format: 'date-time', nullable: true }) lastInboundAt: string | null;
  @ApiProperty({ example: 'Hello, is the spring offer still on?' }) lastMessagePreview: string;
  @ApiProperty({ type: ConversationWindowDto }) window: ConversationWindowDto;
  @ApiProperty({ format: 'date-time' }) createdAt: string;
}

export class ConversationPageDto extends PageMetaDto {
  @ApiProperty({ type: [ConversationDto] }) items: ConversationDto[];
}

export class ConversationMessageDto {
  @ApiProperty({ format: 'uuid' }) id: string;
  @ApiProperty({ format: 'uuid' }) conversationId: string;
  @ApiProperty({ enum: MESSAGE_DIRECTIONS, enumName: 'MessageDirection', description: 'in: from the contact.' })
  direction: MessageDirection;
  @ApiProperty({ enum: MESSAGE_KINDS, enumName: 'MessageKind' }) kind: MessageKind;
  @ApiProperty({ example: 'Hello, is the spring offer still on?' }) body: string;
  @ApiProperty({ type: String, nullable: true }) templateName: string | null;
  @ApiProperty({
    enum: MESSAGE_STATUSES,
    enumName: 'MessageStatus',
    description: 'received (inbound); pending, sent, delivered, read or failed (replies, from the status webhooks).',
  })
  status: MessageStatus;
  @ApiProperty({ type: String, nullable: true, description: 'Why a reply failed.' }) error: string | null;
  @ApiProperty({ type: String, nullable: true, description: 'Who wrote it (teammate, contact name, Assistant).' })
  authorLabel: string | null;
  @ApiProperty({ format: 'date-time' }) createdAt: string;
}

export class ConversationMessagePageDto extends PageMetaDto {
  @ApiProperty({ type: [ConversationMessageDto], description: 'Newest first.' }) items: ConversationMessageDto[];
}

export class UpdateConversationDto {
  @ApiPropertyOptional({ enum: CONVERSATION_STATUSES, enumName: 'ConversationStatus' })
  @IsOptional()
  @IsIn(CONVERSATION_STATUSES)
  status?: ConversationStatus;

  @ApiPropertyOptional({ type: String, format: 'uuid', nullable: true, description: 'null: unassign.' })
  @ValidateIf((_, value) => value !== null && value !== undefined)
  @IsUUID()
  assigneeId?: string | null;
}

export const REPLY_KINDS = ['text', 'template'] as const;

export class ReplyDto {
  @ApiProperty({
    enum: REPLY_KINDS,
    enumName: 'ReplyKind',
    description:
      "text: free-form (WhatsApp: within 24 h of the contact's last message); template: an approved WhatsApp template.",
  })
  @IsIn(REPLY_KINDS)
  kind: (typeof REPLY_KINDS)[number];

  @ApiPropertyOptional({ maxLength: 4096, example: 'Yes! It runs until Sunday.', description: 'Required for text.' })
  @ValidateIf((o: ReplyDto) => o.kind === 'text')
  @Transform(trim)
  @IsString()
  @MinLength(1, { message: 'text must not be empty' })
  @MaxLength(4096)
  text?: string;

  @ApiPropertyOptional({ example: 'follow_up', description: 'Required for template: the approved template name.' })
  @ValidateIf((o: ReplyDto) => o.kind === 'template')
  @IsString()
  @Matches(/^[a-z0-9_]{1,512}$/, { message: 'templateName must be lower-case letters, digits and _' })
  templateName?: string;

  @ApiPropertyOptional({ example: 'en_US', default: 'en_US' })
  @IsOptional()
  @Matches(/^[a-z]{2,3}(_[A-Z]{2})?$/, { message: 'language must look like en or en_US' })
  language?: string;

  @ApiPropertyOptional({ type: [String], example: ['Ada'], description: 'Values of {{1}}, {{2}}... of the body.' })
  @IsOptional()
  @IsArray()
  @ArrayMaxSize(20)
  @IsString({ each: true })
  @MaxLength(1024, { each: true })
  @Type(() => String)
  bodyParameters?: string[];
}
