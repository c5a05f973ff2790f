import { DatePipe } from '@angular/common';
import { ChangeDetectionStrategy, Component, OnInit, computed, inject } from '@angular/core';
import { MatButtonModule } from '@angular/material/button';
import { MatCardModule } from '@angular/material/card';
import { MatDialog } from '@angular/material/dialog';
import { MatIconModule } from '@angular/material/icon';
import { MatProgressBarModule } from '@angular/material/progress-bar';
import { MatSnackBar } from '@angular/material/snack-bar';
import { MatTableModule } from '@angular/material/table';
import { ApiKeyDto, CreatedApiKeyDto, Permission } from '@meridian/api-client';
import { firstValueFrom } from 'rxjs';

import { AuthStore } from '../../core/auth/auth.store';
import { ALL_PERMISSIONS, PERMISSION_LABELS } from '../../core/auth/permissions';
import { toApiProblem } from '../../core/http/api-problem';
import { confirmAction } from '../../shared/dialogs/confirm-dialog.component';
import { showSecret } from '../../shared/dialogs/secret-dialog.component';
import { RelativeTimePipe } from '../../shared/format/format.pipes';
import { StatusChipComponent, StatusTone } from '../../shared/status-chip/status-chip.component';
import { ApiKeyStatus, ApiKeysStore, apiKeyStatus } from './api-keys.store';
import { CreateApiKeyDialogComponent, CreateApiKeyDialogData } from './dialogs/create-api-key-dialog.component';
import { LoadMoreComponent } from '../../shared/list/load-more.component';

const COLUMNS = ['name', 'prefix', 'permissions', 'created', 'lastUsed', 'expires', 'status', 'actions'];

const STATUS_CHIPS: Record<ApiKeyStatus, { tone: StatusTone; label: string }> = {
  active: { tone: 'healthy', label: 'Active' },
  expired: { tone: 'degraded', label: 'Expired' },
  revoked: { tone: 'neutral', label: 'Revoked' },
};

/** "Read-only · 6 permissions", "All permissions", "3 permissions". */
export function describePermissions(permissions: readonly Permission[]): string {
  if (permissions.length === 0) {
    return 'No permissions';
  }
  if (ALL_PERMISSIONS.every((permission) => permissions.includes(permission))) {
    return 'All permissions';
  }
  const count = `${permissions.length} ${permissions.length === 1 ? 'permission' : 'permissions'}`;
  return permissions.every((permission) => permission.endsWith(':read')) ? `Read-only · ${count}` : count;
}

@Component({
  selector: 'app-api-keys-page',
  imports: [
    LoadMoreComponent,
    DatePipe,
    MatButtonModule,
    MatCardModule,
    MatIconModule,
    MatProgressBarModule,
    MatTableModule,
    RelativeTimePipe,
    StatusChipComponent,
  ],
  providers: [ApiKeysStore],
  changeDetection: ChangeDetectionStrategy.OnPush,
  templateUrl: './api-keys-page.component.html',
  styleUrl: './api-keys-page.component.scss',
})
export class ApiKeysPageComponent implements OnInit {
  private readonly store = inject(ApiKeysStore);
  private readonly auth = inject(AuthStore);
  private readonly dialog = inject(MatDialog);
  private readonly snackBar = inject(MatSnackBar);

  protected readonly list = this.store.list;
  protected readonly columns = COLUMNS;
  /** Rendered rows, with what the template needs worked out once. */
  protected readonly rows = computed(() =>
    this.list.items().map((key) => {
      const status = apiKeyStatus(key);
      return {
        key,
        status,
        chip: STATUS_CHIPS[status],
        summary: describePermissions(key.permissions),
        detail: key.permissions.map((permission) => PERMISSION_LABELS[permission]).join(', '),
      };
    }),
  );

  ngOnInit(): void {
    void this.list.reload();
  }

  protected async create(): Promise<void> {
    const ref = this.dialog.open<CreateApiKeyDialogComponent, CreateApiKeyDialogData, CreatedApiKeyDto>(
      CreateApiKeyDialogComponent,
      { data: { permissions: [...(this.auth.user()?.permissions ?? [])], save: (body) => this.store.create(body) } },
    );
    const created = await firstValueFrom(ref.afterClosed());
    if (created) {
      await showSecret(this.dialog, {
        title: `API key “${created.key.name}” created`,
        intro:
          'Send it in the Authorization header as "Bearer <key>", or in an X-API-Key header. It can do what its permissions allow, never more than you can.',
        label: 'API key',
        copyLabel: 'Copy API key',
        secret: created.secret,
        warning:
          'Copy the key now and keep it in a secret manager. This is the only time it is shown: Meridian stores only a hash of it.',
      });
    }
  }

  protected async revoke(key: ApiKeyDto): Promise<void> {
    const confirmed = await confirmAction(this.dialog, {
      title: `Revoke “${key.name}”?`,
      message:
        'Calls made with this key fail from now on. This cannot be undone: create a new key if it is needed again.',
      confirmLabel: 'Revoke key',
      destructive: true,
    });
    if (!confirmed) {
      return;
    }
    try {
      await this.store.revoke(key.id);
      this.snackBar.open(`“${key.name}” was revoked`, 'Dismiss', { duration: 6000 });
    } catch (error: unknown) {
      this.snackBar.open(`Could not revoke the key: ${toApiProblem(error).detail}`, 'Dismiss', { duration: 8000 });
    }
  }
}
