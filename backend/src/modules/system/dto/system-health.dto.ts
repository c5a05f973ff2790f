import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';

export enum ServiceStatus {
  Healthy = 'healthy',
  Degraded = 'degraded',
  Unhealthy = 'unhealthy',
}

export enum ServiceName {
  Database = 'database',
  Cache = 'cache',
  Queue = 'queue',
  Kapa = 'kapa',
  AiProvider = 'ai_provider',
  Email = 'email',
  WhatsApp = 'whatsapp',
}

export class ServiceHealthDto {
  @ApiProperty({ enum: ServiceName, enumName: 'ServiceName' })
  name: ServiceName;

  @ApiProperty({ example: 'Database' })
  label: string;

  @ApiProperty({ enum: ServiceStatus, enumName: 'ServiceStatus' })
  status: ServiceStatus;

  @ApiProperty({
    description: 'False when the service is optional and not set up (it does not lower the overall status).',
  })
  configured: boolean;

  @ApiProperty({ type: Number, nullable: true, description: 'Measured round trip of the check, in milliseconds.' })
  latencyMs: number | null;

  @ApiProperty({ example: 'PostgreSQL 16.4 answered SELECT 1' })
  message: string;

  @ApiProperty({
    description: 'Facts about the service (driver, mode, queue depths...).',
    type: 'object',
    additionalProperties: { oneOf: [{ type: 'string' }, { type: 'number' }, { type: 'boolean' }] },
  })
  details: Record<string, string | number | boolean>;
}

export class CpuResourceDto {
  @ApiProperty() cores: number;
  @ApiProperty({ description: '1-minute load average' }) loadAverage1m: number;
  @ApiProperty({ description: 'Load average over cores, as a percentage (0-100+).' }) usagePercent: number;
}

export class MemoryResourceDto {
  @ApiProperty() totalBytes: number;
  @ApiProperty() usedBytes: number;
  @ApiProperty() usagePercent: number;
  @ApiProperty({ description: 'Resident set size of the API process.' }) processRssBytes: number;
}

export class DiskResourceDto {
  @ApiProperty({ description: 'Filesystem path measured (the data directory).' }) path: string;
  @ApiProperty() totalBytes: number;
  @ApiProperty() freeBytes: number;
  @ApiProperty() usagePercent: number;
}

export class SystemResourcesDto {
  @ApiProperty({ type: CpuResourceDto }) cpu: CpuResourceDto;
  @ApiProperty({ type: MemoryResourceDto }) memory: MemoryResourceDto;
  @ApiPropertyOptional({ type: DiskResourceDto, nullable: true }) disk: DiskResourceDto | null;
}

export class SystemHealthDto {
  @ApiProperty({
    enum: ServiceStatus,
    enumName: 'ServiceStatus',
    description: 'Worst status of the configured services.',
  })
  status: ServiceStatus;

  @ApiProperty({ format: 'date-time' })
  checkedAt: string;

  @ApiProperty({ description: 'Time the whole check took, in milliseconds.' })
  durationMs: number;

  @ApiProperty({ type: [ServiceHealthDto] })
  services: ServiceHealthDto[];

  @ApiProperty({ type: SystemResourcesDto })
  resources: SystemResourcesDto;
}
