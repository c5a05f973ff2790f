import { ChangeDetectionStrategy, Component, computed, inject } from '@angular/core';
import { MatButtonModule } from '@angular/material/button';
import { MatIconModule } from '@angular/material/icon';
import { MatMenuModule } from '@angular/material/menu';

import { ThemeMode, ThemeService } from './theme.service';

interface ThemeOption {
  mode: ThemeMode;
  label: string;
  icon: string;
}

const OPTIONS: readonly ThemeOption[] = [
  { mode: 'light', label: 'Light', icon: 'light_mode' },
  { mode: 'dark', label: 'Dark', icon: 'dark_mode' },
  { mode: 'system', label: 'System', icon: 'brightness_medium' },
];

@Component({
  selector: 'app-theme-toggle',
  imports: [MatButtonModule, MatIconModule, MatMenuModule],
  changeDetection: ChangeDetectionStrategy.OnPush,
  template: `
    <button
      mat-icon-button
      type="button"
      [matMenuTriggerFor]="menu"
      [attr.aria-label]="'Theme: ' + current().label + '. Change theme'"
      [title]="'Theme: ' + current().label"
      data-testid="theme-toggle"
    >
      <mat-icon [svgIcon]="current().icon" aria-hidden="true" />
    </button>
    <mat-menu #menu="matMenu" xPosition="before">
      @for (option of options; track option.mode) {
        <button
          mat-menu-item
          type="button"
          role="menuitemradio"
          [attr.aria-checked]="option.mode === theme.mode()"
          [attr.data-theme-option]="option.mode"
          (click)="theme.setMode(option.mode)"
        >
          <mat-icon [svgIcon]="option.icon" aria-hidden="true" />
          <span class="option-label">{{ option.label }}</span>
          @if (option.mode === theme.mode()) {
            <mat-icon class="check" svgIcon="check" aria-hidden="true" />
          }
        </button>
      }
    </mat-menu>
  `,
  styles: `
    .option-label {
      display: inline-block;
      min-width: 72px;
    }
    .check {
      margin: 0 0 0 16px;
      color: var(--mat-sys-primary);
    }
  `,
})
export class ThemeToggleComponent {
  protected readonly theme = inject(ThemeService);
  protected readonly options = OPTIONS;
  protected readonly current = computed(
    () => OPTIONS.find((option) => option.mode === this.theme.mode()) ?? OPTIONS[2],
  );
}
