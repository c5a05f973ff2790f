import { AbstractControl, FormGroup } from '@angular/forms';

import { ApiProblem, FieldProblem } from '../http/api-problem';

/**
 * Puts the API's per-field errors on the matching form controls as `{ server: reason }`, so
 * they show next to the fields. The next edit of a field clears its server error (Angular
 * recomputes a control's errors on every change). Returns the errors no control took.
 */
export function applyServerErrors(form: FormGroup, problem: ApiProblem): FieldProblem[] {
  const unmatched: FieldProblem[] = [];
  for (const error of problem.errors) {
    const control = form.get(error.field);
    if (control) {
      control.setErrors({ ...control.errors, server: error.reason });
      control.markAsTouched();
    } else {
      unmatched.push(error);
    }
  }
  return unmatched;
}

/** The one message to show under a field, in words: "Email is required", "Use at least 12 characters". */
export function fieldErrorMessage(control: AbstractControl | null, label: string): string {
  const errors = control?.errors;
  if (!errors) {
    return '';
  }
  if (typeof errors['server'] === 'string') {
    return `${label} ${errors['server']}`;
  }
  if (errors['required']) {
    return `${label} is required`;
  }
  if (errors['email']) {
    return 'Enter an email address like name@example.com';
  }
  const minLength = errors['minlength'] as { requiredLength: number } | undefined;
  if (minLength) {
    return `Use at least ${minLength.requiredLength} characters`;
  }
  const maxLength = errors['maxlength'] as { requiredLength: number } | undefined;
  if (maxLength) {
    return `Use at most ${maxLength.requiredLength} characters`;
  }
  if (errors['pattern']) {
    return `${label} is not in the expected format`;
  }
  if (errors['mismatch']) {
    return 'The two passwords are not the same';
  }
  if (errors['matDatepickerMin']) {
    return 'Choose a date in the future';
  }
  if (errors['matDatepickerParse']) {
    return 'Enter a date like 12/31/2026';
  }
  return `${label} is not valid`;
}
