import { Module } from '@nestjs/common';
import { TypeOrmModule } from '@nestjs/typeorm';
import { AuditModule } from '../audit/audit.module';
import { Suppression } from './suppression.entity';
import { SuppressionsController } from './suppressions.controller';
import { SuppressionsService } from './suppressions.service';

/** Suppressions and unsubscribe semantics shared by every channel. */
@Module({
  imports: [TypeOrmModule.forFeature([Suppression]), AuditModule],
  controllers: [SuppressionsController],
  providers: [SuppressionsService],
  exports: [SuppressionsService],
})
export class ConsentModule {}
