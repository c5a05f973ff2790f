import {
  ChangeDetectionStrategy,
  Component,
  ElementRef,
  Injector,
  afterNextRender,
  computed,
  inject,
  input,
  signal,
  viewChild,
} from '@angular/core';
import { FormBuilder, FormControl, FormGroup, ReactiveFormsModule, Validators } from '@angular/forms';
import { MatButtonModule } from '@angular/material/button';
import { MatCardModule } from '@angular/material/card';
import { MatFormFieldModule } from '@angular/material/form-field';
import { MatIconModule } from '@angular/material/icon';
import { MatInputModule } from '@angular/material/input';
import { MatProgressBarModule } from '@angular/material/progress-bar';
import { Router } from '@angular/router';

import { email, required } from '../../core/forms/validators';
import { AuthStore } from '../../core/auth/auth.store';
import { safeReturnUrl } from '../../core/auth/return-url';
import { applyServerErrors, fieldErrorMessage } from '../../core/forms/server-errors';
import { ApiProblem, toApiProblem } from '../../core/http/api-problem';
import { ThemeToggleComponent } from '../../core/theme/theme-toggle.component';
import { MfaEnrolComponent } from '../../shared/mfa/mfa-enrol.component';
import { RecoveryCodesComponent } from '../../shared/mfa/recovery-codes.component';
import { ChangePasswordFormComponent } from '../../shared/password/change-password-form.component';

export type SignInStep = 'credentials' | 'verify' | 'setup' | 'recovery-codes' | 'change-password';

const CODE_PATTERN = /^\s*\d{6}\s*$/;
/** A recovery code as issued ("3f9a2-7c41b"), forgiving of spaces, dashes and case. */
const RECOVERY_PATTERN = /^\s*[0-9a-f]{5}[\s-]?[0-9a-f]{5}\s*$/i;

/** "about 15 minutes" from 900 seconds. */
function describeWait(seconds: number | null): string | null {
  if (seconds === null || seconds <= 0) {
    return null;
  }
  if (seconds < 90) {
    return 'about a minute';
  }
  return `about ${Math.round(seconds / 60)} minutes`;
}

/**
 * Sign-in, outside the shell: email and password, then whatever the API asks for next
 * (an MFA code, MFA enrolment with recovery codes, a new password), then back to the page
 * the user came for.
 */
@Component({
  selector: 'app-sign-in-page',
  imports: [
    ChangePasswordFormComponent,
    MatButtonModule,
    MatCardModule,
    MatFormFieldModule,
    MatIconModule,
    MatInputModule,
    MatProgressBarModule,
    MfaEnrolComponent,
    ReactiveFormsModule,
    RecoveryCodesComponent,
    ThemeToggleComponent,
  ],
  changeDetection: ChangeDetectionStrategy.OnPush,
  templateUrl: './sign-in-page.component.html',
  styleUrl: './sign-in-page.component.scss',
})
export class SignInPageComponent {
  private readonly auth = inject(AuthStore);
  private readonly router = inject(Router);
  private readonly injector = inject(Injector);
  private readonly heading = viewChild<ElementRef<HTMLElement>>('heading');

  /** Query parameters (router input binding). */
  readonly returnUrl = input<string | undefined>();
  readonly reason = input<string | undefined>();

  protected readonly step = signal<SignInStep>(this.initialStep());
  protected readonly busy = signal(false);
  protected readonly problem = signal<ApiProblem | null>(null);
  protected readonly passwordVisible = signal(false);
  protected readonly useRecoveryCode = signal(false);
  protected readonly recoveryCodes = signal<string[]>([]);
  protected readonly user = this.auth.user;

  protected readonly locked = computed(() => this.problem()?.status === 429);
  protected readonly lockedWait = computed(() => describeWait(this.problem()?.retryAfterSeconds ?? null));
  protected readonly expired = computed(() => this.reason() === 'expired' && this.step() === 'credentials');

  protected readonly credentials = inject(FormBuilder).nonNullable.group({
    email: ['', [required, email]],
    password: ['', required],
  });
  protected readonly code = new FormControl('', {
    nonNullable: true,
    validators: [required, Validators.pattern(CODE_PATTERN)],
  });
  protected readonly codeForm = new FormGroup({ code: this.code });

  protected fieldError(name: 'email' | 'password'): string {
    return fieldErrorMessage(this.credentials.controls[name], name === 'email' ? 'Email' : 'Password');
  }

  protected codeError(): string {
    if (this.code.hasError('pattern')) {
      return this.useRecoveryCode()
        ? 'A recovery code looks like 3f9a2-7c41b'
        : 'Enter the 6 digits your authenticator app shows';
    }
    return fieldErrorMessage(this.code, 'Code');
  }

  protected togglePassword(): void {
    this.passwordVisible.update((visible) => !visible);
  }

  protected toggleRecoveryCode(): void {
    this.useRecoveryCode.update((recovery) => !recovery);
    this.code.setValidators([required, Validators.pattern(this.useRecoveryCode() ? RECOVERY_PATTERN : CODE_PATTERN)]);
    this.code.reset();
  }

  protected async signIn(): Promise<void> {
    if (this.credentials.invalid) {
      this.credentials.markAllAsTouched();
      return;
    }
    const { email, password } = this.credentials.getRawValue();
    await this.run(async () => {
      const mfa = await this.auth.signIn(email.trim(), password);
      if (mfa === 'none') {
        await this.finish();
      } else {
        this.goTo(mfa === 'verify' ? 'verify' : 'setup');
      }
    }, this.credentials);
  }

  protected async verify(): Promise<void> {
    if (this.code.invalid) {
      this.code.markAsTouched();
      return;
    }
    await this.run(async () => {
      await this.auth.verifyMfa(this.code.value.trim());
      await this.finish();
    });
  }

  protected onMfaEnabled(codes: string[]): void {
    this.recoveryCodes.set(codes);
    this.goTo('recovery-codes');
  }

  /** Leaves a half-done sign-in (MFA or password step) and starts over. */
  protected async startOver(): Promise<void> {
    await this.auth.signOut();
    this.code.reset();
    this.credentials.controls.password.reset();
    this.problem.set(null);
    this.goTo('credentials');
  }

  protected async finish(): Promise<void> {
    if (this.auth.user()?.mustChangePassword) {
      this.goTo('change-password');
      return;
    }
    await this.router.navigateByUrl(safeReturnUrl(this.returnUrl()));
  }

  private initialStep(): SignInStep {
    const auth = this.auth;
    if (auth.status() === 'signed-in' && auth.user()?.mustChangePassword) {
      return 'change-password';
    }
    if (auth.status() === 'mfa-pending') {
      return auth.mfaStep() === 'setup' ? 'setup' : 'verify';
    }
    return 'credentials';
  }

  private goTo(step: SignInStep): void {
    this.problem.set(null);
    this.step.set(step);
    // Screen readers and keyboards follow the step: focus its heading.
    afterNextRender(() => this.heading()?.nativeElement.focus(), { injector: this.injector });
  }

  /** Runs one API step with the loading state; shows its error, next to the fields when it names them. */
  private async run(task: () => Promise<void>, form?: FormGroup): Promise<void> {
    this.busy.set(true);
    this.problem.set(null);
    try {
      await task();
    } catch (error: unknown) {
      const problem = toApiProblem(error);
      const unmatched = form ? applyServerErrors(form, problem) : problem.errors;
      if (!form && problem.errors.some((entry) => entry.field === 'code')) {
        this.code.setErrors({ server: problem.errors.find((entry) => entry.field === 'code')?.reason });
        this.code.markAsTouched();
      } else if (unmatched.length > 0 || problem.errors.length === 0) {
        this.problem.set(problem);
      }
      if (this.auth.status() === 'signed-out' && this.step() !== 'credentials') {
        // The pending sign-in ran out (its token expired): back to the start, with the reason shown.
        this.step.set('credentials');
        this.problem.set(problem);
      }
    } finally {
      this.busy.set(false);
    }
  }
}
