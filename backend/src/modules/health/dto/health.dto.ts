import { ApiProperty } from '@nestjs/swagger';

export class LivenessDto {
  @ApiProperty({ example: 'ok', enum: ['ok'] }) status: 'ok';
  @ApiProperty({ example: 42 }) uptimeSeconds: number;
}

export class ReadinessDto {
  @ApiProperty({ example: 'ok', enum: ['ok'] }) status: 'ok';
  @ApiProperty({
    description: 'Each check by name (database, redis, queue:<name>, disk) with its status and facts.',
    type: 'object',
    additionalProperties: { type: 'object', additionalProperties: true },
    example: { database: { status: 'up', latencyMs: 1.2 }, disk: { status: 'up', freeBytes: 123456789 } },
  })
  checks: Record<string, Record<string, unknown>>;
}
