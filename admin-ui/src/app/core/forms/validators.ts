import { ValidatorFn, Validators } from '@angular/forms';

// Angular's static validators as plain functions: passing `Validators.required` around is
// what the type-checked lint rule `unbound-method` forbids (rightly, in general).
export const required: ValidatorFn = (control) => Validators.required(control);
export const email: ValidatorFn = (control) => Validators.email(control);
