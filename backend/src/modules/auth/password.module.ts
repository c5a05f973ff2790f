import { Module } from '@nestjs/common';
import { PasswordService } from './password.service';

/** Password hashing on its own, so users and auth can both use it without a cycle. */
@Module({ providers: [PasswordService], exports: [PasswordService] })
export class PasswordModule {}
