import { HttpClient } from '@angular/common/http';
import { Injectable, inject } from '@angular/core';
import {
  ApiConfiguration,
  CreateUserDto,
  CreatedUserDto,
  Role,
  UserDto,
  createUser,
  deactivateUser,
  listUsers,
  reactivateUser,
  resetUserPassword,
  updateUser,
} from '@meridian/api-client';
import { Observable, firstValueFrom, map } from 'rxjs';

import { KeysetList } from '../../shared/list/keyset-list';

export const USERS_PAGE_SIZE = 50;

type Body<T> = { body: T };

/** Users of the organization (oldest first) and what can be done to them. Provided by the page. */
@Injectable()
export class UsersStore {
  private readonly http = inject(HttpClient);
  private readonly apiConfig = inject(ApiConfiguration);

  readonly list = new KeysetList<UserDto>((cursor) =>
    this.call(listUsers(this.http, this.apiConfig.rootUrl, { limit: USERS_PAGE_SIZE, cursor })),
  );

  async create(body: CreateUserDto): Promise<CreatedUserDto> {
    const created = await this.call(createUser(this.http, this.apiConfig.rootUrl, { body }));
    this.list.add(created.user, 'end');
    return created;
  }

  async changeRole(id: string, role: Role): Promise<UserDto> {
    return this.replace(updateUser(this.http, this.apiConfig.rootUrl, { id, body: { role } }));
  }

  deactivate(id: string): Promise<UserDto> {
    return this.replace(deactivateUser(this.http, this.apiConfig.rootUrl, { id }));
  }

  reactivate(id: string): Promise<UserDto> {
    return this.replace(reactivateUser(this.http, this.apiConfig.rootUrl, { id }));
  }

  /** Resolves with the new temporary password (shown once). */
  async resetPassword(id: string): Promise<string> {
    const answer = await this.call(resetUserPassword(this.http, this.apiConfig.rootUrl, { id }));
    this.list.replace(answer.user);
    return answer.temporaryPassword;
  }

  private async replace(response$: Observable<Body<UserDto>>): Promise<UserDto> {
    const user = await this.call(response$);
    this.list.replace(user);
    return user;
  }

  private call<T>(response$: Observable<Body<T>>): Promise<T> {
    return firstValueFrom(response$.pipe(map((response) => response.body)));
  }
}
