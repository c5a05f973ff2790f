import { bulkBody, bulkOutcome } from './lead-bulk-actions';

describe('bulk lead actions', () => {
  it('sends the ticked ids, or the filter when every matching lead is selected', () => {
    expect(bulkBody({ ids: ['a', 'b'] }, { action: 'set_status', status: 'lost' })).toEqual({
      action: 'set_status',
      ids: ['a', 'b'],
      status: 'lost',
    });
    expect(bulkBody({ filter: { tag: ['vip'], q: 'ana' } }, { action: 'add_tags', tags: ['hot'] })).toEqual({
      action: 'add_tags',
      filter: { tag: ['vip'], q: 'ana' },
      tags: ['hot'],
    });
  });

  it('unassigns with ownerId null, and sends nothing else for delete and restore', () => {
    expect(bulkBody({ ids: ['a'] }, { action: 'assign', ownerId: null })).toEqual({
      action: 'assign',
      ids: ['a'],
      ownerId: null,
    });
    expect(bulkBody({ filter: { deleted: true } }, { action: 'restore' })).toEqual({
      action: 'restore',
      filter: { deleted: true },
    });
    expect(bulkBody({ ids: ['a'] }, { action: 'delete' })).toEqual({ action: 'delete', ids: ['a'] });
  });

  it('tells an immediate change from a task', () => {
    expect(bulkOutcome({ changed: 3, unchanged: 1, task: null })).toEqual({ kind: 'done', changed: 3, unchanged: 1 });
    const task = { id: 't1' } as never;
    expect(bulkOutcome({ changed: null, unchanged: null, task })).toEqual({ kind: 'task', task });
  });
});
