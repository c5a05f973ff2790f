import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';

export class SystemComponentsDto {
  @ApiProperty({ enum: ['embedded-pglite', 'postgresql'] }) database: 'embedded-pglite' | 'postgresql';
  @ApiProperty({ enum: ['inline', 'bullmq'] }) queue: 'inline' | 'bullmq';
  @ApiProperty({ enum: ['memory', 'redis'] }) cache: 'memory' | 'redis';
  @ApiProperty({ enum: ['kapa', 'local-docs'] }) assistant: 'kapa' | 'local-docs';
}

export class SystemFeaturesDto {
  @ApiProperty({ description: 'Kapa.ai credentials are configured.' }) kapa: boolean;
  @ApiProperty({ description: 'The help widget is shown in the console.' }) kapaWidget: boolean;
  @ApiProperty({ description: 'Background jobs run in a separate worker on Redis.' }) distributedJobs: boolean;
  @ApiProperty({ description: 'Prometheus metrics are exposed at /metrics.' }) metrics: boolean;
  @ApiProperty({ description: 'The admin console is served by this process.' }) console: boolean;
}

export class SystemInfoDto {
  @ApiProperty({ example: 'meridian' }) name: string;
  @ApiProperty({ example: '0.1.0' }) version: string;
  @ApiPropertyOptional({ type: String, nullable: true, description: 'Git commit the build came from, when known.' })
  commit: string | null;
  @ApiProperty({ enum: ['embedded', 'production'] }) profile: 'embedded' | 'production';
  @ApiProperty({ example: 'production' }) environment: string;
  @ApiProperty({ example: 'v20.19.0' }) nodeVersion: string;
  @ApiProperty({ format: 'date-time' }) startedAt: string;
  @ApiProperty() uptimeSeconds: number;
  @ApiProperty({ type: SystemComponentsDto }) components: SystemComponentsDto;
  @ApiProperty({ type: SystemFeaturesDto }) features: SystemFeaturesDto;
  @ApiProperty({ type: [String], example: ['health', 'metrics', 'openapi'] }) capabilities: string[];
}
