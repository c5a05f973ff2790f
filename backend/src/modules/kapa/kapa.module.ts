import { Module } from '@nestjs/common';
import { KapaClient } from './kapa-client';

@Module({ providers: [KapaClient], exports: [KapaClient] })
export class KapaModule {}
