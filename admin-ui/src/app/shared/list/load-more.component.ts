import { ChangeDetectionStrategy, Component, input } from '@angular/core';
import { MatButtonModule } from '@angular/material/button';
import { MatIconModule } from '@angular/material/icon';
import { KeysetList } from './keyset-list';

/** The foot of a keyset list: the error of the last "load more", and the button for the next page. */
@Component({
  selector: 'app-load-more',
  imports: [MatButtonModule, MatIconModule],
  changeDetection: ChangeDetectionStrategy.OnPush,
  template: `
    @if (list().loadMoreError(); as problem) {
      <p class="app-form-error load-more-error" role="alert">
        <mat-icon svgIcon="error" aria-hidden="true" />
        <span>Could not load more {{ noun() }}: {{ problem.detail || problem.title }}</span>
      </p>
    }
    @if (list().hasMore()) {
      <div class="app-load-more">
        <button mat-stroked-button type="button" (click)="list().loadMore()" [disabled]="list().loadingMore()">
          {{ list().loadingMore() ? 'Loading…' : 'Load more' }}
        </button>
      </div>
    }
  `,
  styles: `
    .load-more-error {
      margin-top: 16px;
    }
  `,
})
export class LoadMoreComponent {
  readonly list = input.required<KeysetList<{ id: string }>>();
  /** What the list holds, for the error message: "users", "keys"... */
  readonly noun = input.required<string>();
}
