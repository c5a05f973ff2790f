import { Module } from '@nestjs/common';
import { PrometheusModule } from '@willsoto/nestjs-prometheus';
import { MetricsController } from './metrics.controller';
import { collectProcessMetrics } from './metrics';

@Module({
  imports: [
    PrometheusModule.register({
      path: '/metrics',
      controller: MetricsController,
      defaultMetrics: { enabled: false }, // collectProcessMetrics instead
    }),
  ],
})
export class MetricsModule {
  constructor() {
    collectProcessMetrics();
  }
}
