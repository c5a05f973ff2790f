import { DatePipe } from '@angular/common';
import { ChangeDetectionStrategy, Component, OnInit, computed, inject } from '@angular/core';
import { MatButtonModule } from '@angular/material/button';
import { MatCardModule } from '@angular/material/card';
import { MatDialog } from '@angular/material/dialog';
import { MatDividerModule } from '@angular/material/divider';
import { MatIconModule } from '@angular/material/icon';
import { MatMenuModule } from '@angular/material/menu';
import { MatProgressBarModule } from '@angular/material/progress-bar';
import { MatSnackBar } from '@angular/material/snack-bar';
import { MatTableModule } from '@angular/material/table';
import { CreatedUserDto, UserDto } from '@meridian/api-client';
import { firstValueFrom } from 'rxjs';

import { AuthStore } from '../../core/auth/auth.store';
import { assignableRoles } from '../../core/auth/permissions';
import { toApiProblem } from '../../core/http/api-problem';
import { confirmAction } from '../../shared/dialogs/confirm-dialog.component';
import { showSecret } from '../../shared/dialogs/secret-dialog.component';
import { initials } from '../../shared/format/initials';
import { RelativeTimePipe } from '../../shared/format/format.pipes';
import { RoleChipComponent } from '../../shared/role-chip/role-chip.component';
import { StatusChipComponent } from '../../shared/status-chip/status-chip.component';
import { AddUserDialogComponent, AddUserDialogData } from './dialogs/add-user-dialog.component';
import { ChangeRoleDialogComponent, ChangeRoleDialogData } from './dialogs/change-role-dialog.component';
import { UsersStore } from './users.store';
import { LoadMoreComponent } from '../../shared/list/load-more.component';

const COLUMNS = ['name', 'email', 'role', 'status', 'mfa', 'lastLogin'];

@Component({
  selector: 'app-users-page',
  imports: [
    LoadMoreComponent,
    DatePipe,
    MatButtonModule,
    MatCardModule,
    MatDividerModule,
    MatIconModule,
    MatMenuModule,
    MatProgressBarModule,
    MatTableModule,
    RelativeTimePipe,
    RoleChipComponent,
    StatusChipComponent,
  ],
  providers: [UsersStore],
  changeDetection: ChangeDetectionStrategy.OnPush,
  templateUrl: './users-page.component.html',
  styleUrl: './users-page.component.scss',
})
export class UsersPageComponent implements OnInit {
  private readonly store = inject(UsersStore);
  private readonly auth = inject(AuthStore);
  private readonly dialog = inject(MatDialog);
  private readonly snackBar = inject(MatSnackBar);

  protected readonly list = this.store.list;
  protected readonly me = this.auth.user;
  protected readonly canManage = computed(() => this.auth.permissions().has('users:manage'));
  protected readonly columns = computed(() => (this.canManage() ? [...COLUMNS, 'actions'] : COLUMNS));
  private readonly roles = computed(() => assignableRoles(this.auth.user()?.role));

  ngOnInit(): void {
    void this.list.reload();
  }

  protected initials(user: UserDto): string {
    return initials(user.name, user.email);
  }

  /** Not yourself (see the Account page), and owners only by owners: the API says the same. */
  protected canManageUser(user: UserDto): boolean {
    const me = this.me();
    return this.canManage() && !!me && user.id !== me.id && (user.role !== 'owner' || me.role === 'owner');
  }

  protected async addUser(): Promise<void> {
    const ref = this.dialog.open<AddUserDialogComponent, AddUserDialogData, CreatedUserDto>(AddUserDialogComponent, {
      data: { roles: this.roles(), save: (body) => this.store.create(body) },
    });
    const created = await firstValueFrom(ref.afterClosed());
    if (!created) {
      return;
    }
    if (created.temporaryPassword) {
      await showSecret(this.dialog, {
        title: `${created.user.name} was added`,
        intro: `Give ${created.user.email} this temporary password through a safe channel. They choose their own password at their first sign-in.`,
        label: 'Temporary password',
        copyLabel: 'Copy password',
        secret: created.temporaryPassword,
        warning: 'This is the only time the password is shown. If it is lost, reset the password again.',
      });
    } else {
      this.notify(`${created.user.name} was added`);
    }
  }

  protected async changeRole(user: UserDto): Promise<void> {
    const ref = this.dialog.open<ChangeRoleDialogComponent, ChangeRoleDialogData, UserDto>(ChangeRoleDialogComponent, {
      data: { user, roles: this.roles(), save: (role) => this.store.changeRole(user.id, role) },
    });
    const updated = await firstValueFrom(ref.afterClosed());
    if (updated) {
      this.notify(`${updated.name} is now ${/^[aeiou]/.test(updated.role) ? 'an' : 'a'} ${updated.role}`);
    }
  }

  protected async deactivate(user: UserDto): Promise<void> {
    const confirmed = await confirmAction(this.dialog, {
      title: `Deactivate ${user.name}?`,
      message:
        'They are signed out at once, their API keys stop working, and they cannot sign in until someone reactivates them.',
      confirmLabel: 'Deactivate',
      destructive: true,
    });
    if (confirmed) {
      await this.act(() => this.store.deactivate(user.id), `${user.name} was deactivated`, 'deactivate');
    }
  }

  protected async reactivate(user: UserDto): Promise<void> {
    const confirmed = await confirmAction(this.dialog, {
      title: `Reactivate ${user.name}?`,
      message: 'They can sign in again with their current password.',
      confirmLabel: 'Reactivate',
    });
    if (confirmed) {
      await this.act(() => this.store.reactivate(user.id), `${user.name} was reactivated`, 'reactivate');
    }
  }

  protected async resetPassword(user: UserDto): Promise<void> {
    const confirmed = await confirmAction(this.dialog, {
      title: `Reset the password of ${user.name}?`,
      message:
        'Meridian sets a new temporary password, shown to you once, and unlocks the account. Their current password stops working, and they choose a new one at their next sign-in.',
      confirmLabel: 'Reset password',
      destructive: true,
    });
    if (!confirmed) {
      return;
    }
    try {
      const temporaryPassword = await this.store.resetPassword(user.id);
      await showSecret(this.dialog, {
        title: `New password for ${user.name}`,
        intro: `Give ${user.email} this temporary password through a safe channel. They choose their own password at their next sign-in.`,
        label: 'Temporary password',
        copyLabel: 'Copy password',
        secret: temporaryPassword,
        warning: 'This is the only time the password is shown. If it is lost, reset the password again.',
      });
    } catch (error: unknown) {
      this.notify(`Could not reset the password: ${toApiProblem(error).detail}`);
    }
  }

  private async act(task: () => Promise<unknown>, success: string, verb: string): Promise<void> {
    try {
      await task();
      this.notify(success);
    } catch (error: unknown) {
      this.notify(`Could not ${verb}: ${toApiProblem(error).detail}`);
    }
  }

  private notify(message: string): void {
    this.snackBar.open(message, 'Dismiss', { duration: 6000 });
  }
}
