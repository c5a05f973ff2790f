import { ComponentFixture, TestBed } from '@angular/core/testing';
import { MAT_DIALOG_DATA, MatDialogRef } from '@angular/material/dialog';
import { CreateApiKeyDto, CreatedApiKeyDto } from '@meridian/api-client';

import { VIEWER_PERMISSIONS, settle } from '../../../core/auth/testing/auth.fixtures';
import { provideAppIcons } from '../../../core/icons/app-icons';
import { describePermissions } from '../api-keys-page.component';
import { CreateApiKeyDialogComponent, CreateApiKeyDialogData } from './create-api-key-dialog.component';

describe('CreateApiKeyDialogComponent', () => {
  let fixture: ComponentFixture<CreateApiKeyDialogComponent>;
  let element: HTMLElement;
  let save: jest.Mock<Promise<CreatedApiKeyDto>, [CreateApiKeyDto]>;
  let close: jest.Mock;

  beforeEach(async () => {
    save = jest.fn((body: CreateApiKeyDto) =>
      Promise.resolve({
        secret: 'mk_0123abcd_secret',
        key: {
          id: 'k1',
          name: body.name,
          prefix: 'mk_0123abcd',
          permissions: body.permissions ?? [],
          createdBy: 'u1',
          createdAt: '2026-01-15T10:00:00.000Z',
          lastUsedAt: null,
          expiresAt: null,
          revokedAt: null,
        },
      }),
    );
    close = jest.fn();
    TestBed.configureTestingModule({
      imports: [CreateApiKeyDialogComponent],
      providers: [
        provideAppIcons(),
        {
          provide: MAT_DIALOG_DATA,
          useValue: { permissions: VIEWER_PERMISSIONS, save } satisfies CreateApiKeyDialogData,
        },
        { provide: MatDialogRef, useValue: { close } },
      ],
    });
    fixture = TestBed.createComponent(CreateApiKeyDialogComponent);
    element = fixture.nativeElement as HTMLElement;
    await fixture.whenStable();
  });

  function type(testId: string, value: string): void {
    const input = element.querySelector<HTMLInputElement>(`[data-testid="${testId}"]`);
    if (!input) {
      throw new Error(`No ${testId}`);
    }
    input.value = value;
    input.dispatchEvent(new Event('input'));
  }

  async function click(selector: string): Promise<void> {
    element.querySelector<HTMLElement>(selector)?.click();
    await settle();
    await fixture.whenStable();
  }

  it('offers only the permissions of its creator, and needs at least one', async () => {
    type('api-key-name', 'Reporting');
    await click('[data-testid="scope-custom"] input');

    const offered = Array.from(element.querySelectorAll<HTMLElement>('[data-permission]')).map(
      (box) => box.dataset['permission'],
    );
    expect(offered).toEqual(VIEWER_PERMISSIONS);

    await click('[data-testid="create-api-key-submit"]');
    expect(element.textContent).toContain('Choose at least one permission.');
    expect(save).not.toHaveBeenCalled();

    await click('[data-permission="analytics:read"] input');
    await click('[data-testid="create-api-key-submit"]');

    expect(save).toHaveBeenCalledWith({ name: 'Reporting', scope: 'custom', permissions: ['analytics:read'] });
    expect(close).toHaveBeenCalledWith(expect.objectContaining({ secret: 'mk_0123abcd_secret' }));
  });

  it('asks for read-only access by default', async () => {
    type('api-key-name', ' Nightly export ');
    await click('[data-testid="create-api-key-submit"]');

    expect(save).toHaveBeenCalledWith({ name: 'Nightly export', scope: 'read-only' });
  });
});

describe('describePermissions', () => {
  it('sums a key up', () => {
    expect(describePermissions(['leads:read', 'campaigns:read'])).toBe('Read-only · 2 permissions');
    expect(describePermissions(['leads:read', 'leads:export'])).toBe('2 permissions');
    expect(describePermissions(['leads:write'])).toBe('1 permission');
    expect(describePermissions([])).toBe('No permissions');
  });
});
