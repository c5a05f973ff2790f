import { ChangeDetectionStrategy, Component, computed, inject, signal } from '@angular/core';
import { MatButtonModule } from '@angular/material/button';
import { MatCardModule } from '@angular/material/card';
import { MatIconModule } from '@angular/material/icon';
import { MatSnackBar } from '@angular/material/snack-bar';

import { AuthStore } from '../../core/auth/auth.store';
import { ROLE_INFO } from '../../core/auth/permissions';
import { initials } from '../../shared/format/initials';
import { MfaEnrolComponent } from '../../shared/mfa/mfa-enrol.component';
import { RecoveryCodesComponent } from '../../shared/mfa/recovery-codes.component';
import { ChangePasswordFormComponent } from '../../shared/password/change-password-form.component';
import { RoleChipComponent } from '../../shared/role-chip/role-chip.component';
import { DisableMfaFormComponent } from './disable-mfa-form.component';

type MfaMode = 'idle' | 'enrol' | 'codes' | 'disable';

@Component({
  selector: 'app-account-page',
  imports: [
    ChangePasswordFormComponent,
    DisableMfaFormComponent,
    MatButtonModule,
    MatCardModule,
    MatIconModule,
    MfaEnrolComponent,
    RecoveryCodesComponent,
    RoleChipComponent,
  ],
  changeDetection: ChangeDetectionStrategy.OnPush,
  templateUrl: './account-page.component.html',
  styleUrl: './account-page.component.scss',
})
export class AccountPageComponent {
  private readonly auth = inject(AuthStore);
  private readonly snackBar = inject(MatSnackBar);

  protected readonly user = this.auth.user;
  protected readonly mfaMode = signal<MfaMode>('idle');
  protected readonly recoveryCodes = signal<string[]>([]);
  protected readonly initials = computed(() => initials(this.user()?.name, this.user()?.email));
  protected readonly roleDescription = computed(() => {
    const role = this.user()?.role;
    return role ? ROLE_INFO[role].description : '';
  });
  /** The organization requires MFA of owners and admins: they cannot turn it off. */
  protected readonly mfaRequired = computed(() => {
    const user = this.user();
    return !!user?.organization.mfaRequired && (user.role === 'owner' || user.role === 'admin');
  });

  protected onEnabled(codes: string[]): void {
    this.recoveryCodes.set(codes);
    this.mfaMode.set('codes');
  }

  protected onCodesSaved(): void {
    this.recoveryCodes.set([]);
    this.mfaMode.set('idle');
  }

  protected onDisabled(): void {
    this.mfaMode.set('idle');
    this.snackBar.open('Two-step verification is off', 'Dismiss', { duration: 6000 });
  }
}
