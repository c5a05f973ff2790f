import { Module } from '@nestjs/common';
import { TypeOrmModule } from '@nestjs/typeorm';
import { AssistantQuestion } from './assistant-question.entity';
import { AssistantService } from './assistant.service';
import { HelpSection } from './help-section.entity';
import { KapaClient } from './kapa-client';
import { HelpController } from './help.controller';
import { KapaController } from './kapa.controller';
import { LocalDocsService } from './local-docs.service';

@Module({
  imports: [TypeOrmModule.forFeature([HelpSection, AssistantQuestion])],
  controllers: [KapaController, HelpController],
  providers: [KapaClient, LocalDocsService, AssistantService],
  exports: [KapaClient, LocalDocsService, AssistantService],
})
export class KapaModule {}
