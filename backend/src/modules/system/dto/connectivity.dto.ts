import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { Type } from 'class-transformer';
import { IsInt, IsOptional, Min } from 'class-validator';

export class ConnectivityQueryDto {
  @ApiPropertyOptional({ description: 'Client clock (epoch ms) when the request was sent; echoed back.' })
  @IsOptional()
  @Type(() => Number)
  @IsInt()
  @Min(0)
  clientSentAt?: number;
}

export class ConnectivityDto {
  @ApiProperty({ example: true }) ok: boolean;
  @ApiProperty({ format: 'date-time' }) serverTime: string;
  @ApiProperty({ description: 'Request id of this call (also in the X-Request-Id header).' }) requestId: string;
  @ApiPropertyOptional({
    type: Number,
    nullable: true,
    description: 'The clientSentAt value received, so the client can compute the round trip.',
  })
  clientSentAt: number | null;
  @ApiProperty({ description: 'Time spent inside the server for this request, in ms.' }) serverProcessingMs: number;
  @ApiPropertyOptional({ type: String, nullable: true }) clientIp: string | null;
  @ApiProperty({ example: 'HTTP/1.1' }) protocol: string;
}

export class ConnectivityEchoDto {
  @ApiProperty({
    description: 'Client clock (epoch ms) when the request was sent; echoed back.',
    example: 1767225600000,
  })
  @IsInt()
  @Min(0)
  clientSentAt: number;
}
