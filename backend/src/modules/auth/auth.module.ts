import { Module } from '@nestjs/common';
import { createSecretKey } from 'node:crypto';
import { APP_GUARD } from '@nestjs/core';
import { JwtModule } from '@nestjs/jwt';
import { TypeOrmModule } from '@nestjs/typeorm';
import { AppConfig } from '../../config/app-config';
import { ApiKeysModule } from '../api-keys/api-keys.module';
import { AuditModule } from '../audit/audit.module';
import { OrganizationsModule } from '../organizations/organizations.module';
import { UsersModule } from '../users/users.module';
import { AuthStateService } from './auth-state.service';
import { AuthController } from './auth.controller';
import { AuthGuard } from './auth.guard';
import { AuthService } from './auth.service';
import { BootstrapOwnerService } from './bootstrap-owner.service';
import { resolveJwtSecret } from './jwt-secret';
import { LoginThrottleService } from './login-throttle.service';
import { MfaService } from './mfa.service';
import { PasswordModule } from './password.module';
import { RefreshToken } from './refresh-token.entity';
import { TokensService } from './tokens.service';

@Module({
  imports: [
    TypeOrmModule.forFeature([RefreshToken]),
    JwtModule.registerAsync({
      inject: [AppConfig],
      // A KeyObject made once: given a string, jsonwebtoken re-parses it as a key on every verify.
      useFactory: (config: AppConfig) => ({
        secret: createSecretKey(Buffer.from(resolveJwtSecret(config))) as unknown as Buffer,
      }),
    }),
    PasswordModule,
    UsersModule,
    OrganizationsModule,
    ApiKeysModule,
    AuditModule,
  ],
  controllers: [AuthController],
  providers: [
    TokensService,
    AuthStateService,
    AuthService,
    LoginThrottleService,
    MfaService,
    BootstrapOwnerService,
    { provide: APP_GUARD, useClass: AuthGuard },
  ],
})
export class AuthModule {}
