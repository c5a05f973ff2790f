import { Module } from '@nestjs/common';
import { TerminusModule } from '@nestjs/terminus';
import { KapaModule } from '../kapa/kapa.module';
import { DependencyProbes } from './dependency-probes.service';
import { HealthController } from './health.controller';
import { ReadinessService } from './readiness.service';

@Module({
  imports: [TerminusModule.forRoot({ errorLogStyle: 'json', logger: false }), KapaModule],
  controllers: [HealthController],
  providers: [DependencyProbes, ReadinessService],
  exports: [DependencyProbes],
})
export class HealthModule {}
