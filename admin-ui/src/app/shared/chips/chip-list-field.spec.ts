import { addChip } from './chip-list-field.component';

describe('addChip', () => {
  it('trims, cuts at the limit, and keeps one of each whatever the case, in the order given', () => {
    expect(addChip(['vip'], '  emea ', 50)).toEqual(['vip', 'emea']);
    expect(addChip(['vip'], 'VIP', 50)).toEqual(['vip']);
    expect(addChip([], '   ', 50)).toEqual([]);
    expect(addChip([], 'abcdef', 3)).toEqual(['abc']);
  });
});
