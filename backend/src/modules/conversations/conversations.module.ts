import { Module } from '@nestjs/common';
import { TypeOrmModule } from '@nestjs/typeorm';
import { AuditModule } from '../audit/audit.module';
import { KapaModule } from '../kapa/kapa.module';
import { LeadsModule } from '../leads/leads.module';
import { ConversationLiveService } from './conversation-live.service';
import { ConversationMessage } from './conversation-message.entity';
import { Conversation } from './conversation.entity';
import { ConversationsController } from './conversations.controller';
import { ConversationsService } from './conversations.service';
import { WidgetSettings } from './widget-settings.entity';
import { WidgetStreamSlots } from './widget-stream-slots';
import { WidgetStreamService } from './widget-stream.service';
import { WidgetPublicController, WidgetScriptController, WidgetSettingsController } from './widget.controller';
import { WidgetService } from './widget.service';

/**
 * The inbox (WhatsApp and website widget conversations) and the widget's
 * public routes. API process only: incoming WhatsApp messages come through
 * the webhook, which the API serves.
 */
@Module({
  imports: [
    TypeOrmModule.forFeature([Conversation, ConversationMessage, WidgetSettings]),
    AuditModule,
    LeadsModule,
    KapaModule,
  ],
  controllers: [ConversationsController, WidgetSettingsController, WidgetPublicController, WidgetScriptController],
  providers: [ConversationsService, ConversationLiveService, WidgetService, WidgetStreamService, WidgetStreamSlots],
  exports: [ConversationsService],
})
export class ConversationsModule {}
