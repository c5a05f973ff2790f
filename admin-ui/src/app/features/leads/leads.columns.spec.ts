import { COLUMNS_STORAGE_KEY, DEFAULT_COLUMNS, loadColumns, orderColumns, saveColumns } from './leads.columns';

function memoryStorage(initial: Record<string, string> = {}): Storage {
  const values = new Map(Object.entries(initial));
  return {
    get length() {
      return values.size;
    },
    clear: () => values.clear(),
    getItem: (key) => values.get(key) ?? null,
    key: (index) => Array.from(values.keys())[index] ?? null,
    removeItem: (key) => values.delete(key),
    setItem: (key, value) => values.set(key, value),
  };
}

describe('lead columns', () => {
  it('starts with the defaults', () => {
    expect(loadColumns(memoryStorage())).toEqual(DEFAULT_COLUMNS);
    expect(loadColumns(null)).toEqual(DEFAULT_COLUMNS);
  });

  it('keeps a choice across page loads, in table order', () => {
    const storage = memoryStorage();
    saveColumns(storage, ['tags', 'email']);
    expect(JSON.parse(storage.getItem(COLUMNS_STORAGE_KEY) ?? '')).toEqual(['tags', 'email']);
    expect(loadColumns(storage)).toEqual(['email', 'tags']);
  });

  it('keeps an empty choice (name only)', () => {
    const storage = memoryStorage();
    saveColumns(storage, []);
    expect(loadColumns(storage)).toEqual([]);
  });

  it('drops unknown columns and falls back on a broken value', () => {
    expect(loadColumns(memoryStorage({ [COLUMNS_STORAGE_KEY]: '["score","gone",7]' }))).toEqual(['score']);
    expect(loadColumns(memoryStorage({ [COLUMNS_STORAGE_KEY]: '{not json' }))).toEqual(DEFAULT_COLUMNS);
    expect(loadColumns(memoryStorage({ [COLUMNS_STORAGE_KEY]: '{"a":1}' }))).toEqual(DEFAULT_COLUMNS);
  });

  it('orders whatever was picked like the table', () => {
    expect(orderColumns(['updatedAt', 'company', 'status'])).toEqual(['company', 'status', 'updatedAt']);
  });
});
