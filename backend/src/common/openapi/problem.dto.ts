import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';

export class FieldErrorDto {
  @ApiProperty({ example: 'email' }) field: string;
  @ApiProperty({ example: 'must be an email' }) reason: string;
  @ApiPropertyOptional({ example: 'isEmail' }) constraint?: string;
}

/** RFC 9457 problem details, the body of every error response. */
export class ProblemDto {
  @ApiProperty({ example: 'https://meridian.dev/problems/validation_failed' }) type: string;
  @ApiProperty({ example: 'Validation failed' }) title: string;
  @ApiProperty({ example: 400 }) status: number;
  @ApiProperty({ example: 'email: must be an email' }) detail: string;
  @ApiProperty({ example: 'validation_failed', description: 'Stable, machine-readable error code.' }) code: string;
  @ApiPropertyOptional({ example: '/api/leads' }) instance?: string;
  @ApiPropertyOptional({ example: '5f0c6a0e-7f7d-4f57-9f57-0c1f0b2b7b65' }) requestId?: string;
  @ApiPropertyOptional({ type: [FieldErrorDto] }) errors?: FieldErrorDto[];
}
