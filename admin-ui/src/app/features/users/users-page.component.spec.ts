import { provideHttpClient, withInterceptors } from '@angular/common/http';
import { HttpTestingController, provideHttpClientTesting } from '@angular/common/http/testing';
import { ComponentFixture, TestBed } from '@angular/core/testing';
import { provideRouter } from '@angular/router';
import { MeDto, UserDto, provideApiConfiguration } from '@meridian/api-client';

import { authInterceptor } from '../../core/auth/auth.interceptor';
import { AuthStore } from '../../core/auth/auth.store';
import { assignableRoles } from '../../core/auth/permissions';
import { me, restore, session, settle } from '../../core/auth/testing/auth.fixtures';
import { provideAppIcons } from '../../core/icons/app-icons';
import { UsersPageComponent } from './users-page.component';

function user(overrides: Partial<UserDto> = {}): UserDto {
  return {
    id: '11111111-1111-4111-8111-111111111111',
    email: 'ana@example.com',
    name: 'Ana Lima',
    role: 'agent',
    status: 'active',
    mfaEnabled: false,
    mustChangePassword: false,
    lastLoginAt: null,
    createdAt: '2026-01-15T10:00:00.000Z',
    ...overrides,
  };
}

describe('UsersPageComponent', () => {
  let fixture: ComponentFixture<UsersPageComponent>;
  let http: HttpTestingController;
  let page: HTMLElement;

  async function open(signedIn: MeDto, first: { items: UserDto[]; nextCursor: string | null }): Promise<void> {
    TestBed.configureTestingModule({
      imports: [UsersPageComponent],
      providers: [
        provideHttpClient(withInterceptors([authInterceptor])),
        provideHttpClientTesting(),
        provideApiConfiguration(''),
        provideAppIcons(),
        provideRouter([]),
      ],
    });
    http = TestBed.inject(HttpTestingController);
    await restore(http, TestBed.inject(AuthStore), session({ accessToken: 'tok' }, signedIn));
    fixture = TestBed.createComponent(UsersPageComponent);
    page = fixture.nativeElement as HTMLElement;
    await fixture.whenStable();
    const request = http.expectOne((req) => req.url === '/api/users');
    expect(request.request.headers.get('Authorization')).toBe('Bearer tok');
    request.flush(first);
    await settled();
  }

  async function settled(): Promise<void> {
    await settle();
    await fixture.whenStable();
  }

  afterEach(() => http.verify());

  async function until(condition: () => boolean, timeoutMs = 3000): Promise<void> {
    const deadline = Date.now() + timeoutMs;
    while (!condition()) {
      if (Date.now() > deadline) {
        throw new Error('Timed out waiting for the page');
      }
      await new Promise((resolve) => setTimeout(resolve, 20));
      await fixture.whenStable();
    }
  }

  function rows(): HTMLElement[] {
    return Array.from(page.querySelectorAll<HTMLElement>('tr[data-user-email]'));
  }

  it('lists the users with role, status and MFA, and loads more', async () => {
    await open(me(), {
      items: [user({ id: me().id, email: me().email, name: me().name, role: 'owner' }), user({ mfaEnabled: true })],
      nextCursor: 'c1',
    });

    expect(rows()).toHaveLength(2);
    expect(rows()[0].textContent).toContain('You');
    expect(rows()[1].querySelector('app-role-chip')?.textContent?.trim()).toBe('Agent');
    expect(rows()[1].textContent).toContain('Active');
    expect(rows()[1].textContent).toContain('On');
    expect(rows()[1].textContent).toContain('Never');

    const loadMore = Array.from(page.querySelectorAll('button')).find((b) => b.textContent?.trim() === 'Load more');
    loadMore?.click();
    const next = http.expectOne((req) => req.url === '/api/users');
    expect(next.request.params.get('cursor')).toBe('c1');
    next.flush({
      items: [user({ id: '22222222-2222-4222-8222-222222222222', email: 'bo@example.com', status: 'deactivated' })],
      nextCursor: null,
    });
    await settled();

    expect(rows()).toHaveLength(3);
    expect(rows()[2].textContent).toContain('Deactivated');
    expect(page.textContent).not.toContain('Load more');
  });

  it('offers no changes to someone who may only see users', async () => {
    await open(me({ role: 'manager', permissions: ['users:read', 'system:read', 'leads:read'] }), {
      items: [user()],
      nextCursor: null,
    });

    expect(rows()).toHaveLength(1);
    expect(page.querySelector('[data-testid="add-user"]')).toBeNull();
    expect(page.querySelector('[data-testid="user-actions"]')).toBeNull();
  });

  it('lets a manager of users act on others but not on themselves', async () => {
    await open(me(), { items: [user({ id: me().id, email: me().email, role: 'owner' }), user()], nextCursor: null });

    expect(rows()[0].querySelector('[data-testid="user-actions"]')).toBeNull();
    expect(rows()[1].querySelector('[data-testid="user-actions"]')).not.toBeNull();
  });

  it('adds a user and shows the generated password once', async () => {
    await open(me(), { items: [], nextCursor: null });
    expect(page.querySelector('[data-testid="users-empty"]')).not.toBeNull();

    page.querySelector<HTMLButtonElement>('[data-testid="add-user"]')?.click();
    await settled();
    const type = (testId: string, value: string): void => {
      const input = document.querySelector<HTMLInputElement>(`[data-testid="${testId}"]`);
      if (!input) {
        throw new Error(`No ${testId}`);
      }
      input.value = value;
      input.dispatchEvent(new Event('input'));
    };
    type('user-name', 'Vera Viewer');
    type('user-email', 'vera@example.com');
    document.querySelector<HTMLButtonElement>('[data-testid="add-user-submit"]')?.click();

    const create = http.expectOne((req) => req.method === 'POST' && req.url === '/api/users');
    expect(create.request.body).toEqual({ name: 'Vera Viewer', email: 'vera@example.com', role: 'viewer' });
    create.flush(
      {
        user: user({ name: 'Vera Viewer', email: 'vera@example.com', role: 'viewer', mustChangePassword: true }),
        temporaryPassword: 'Tmp-Password-123456',
      },
      { status: 201, statusText: 'Created' },
    );
    // The form dialog closes (with its exit animation), then the secret dialog opens.
    await until(() => document.querySelector('[data-testid="secret-value"]') !== null);

    expect(document.querySelector('[data-testid="secret-value"]')?.textContent?.trim()).toBe('Tmp-Password-123456');
    expect(rows().map((row) => row.dataset['userEmail'])).toEqual(['vera@example.com']);
    expect(rows()[0].textContent).toContain('New password pending');
  });
});

describe('assignableRoles', () => {
  it('lets owners give any role and everyone else any role but owner', () => {
    expect(assignableRoles('owner')).toEqual(['owner', 'admin', 'manager', 'agent', 'viewer']);
    expect(assignableRoles('admin')).toEqual(['admin', 'manager', 'agent', 'viewer']);
    expect(assignableRoles(undefined)).toEqual([]);
  });
});
