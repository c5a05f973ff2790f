import {
  LeadFilters,
  NO_FILTERS,
  filterChips,
  filtersFromLink,
  filtersFromView,
  isFiltered,
  leadFilter,
  leadListParams,
  leadName,
  sameFilter,
  sameLeadFilter,
  viewFilter,
  withoutChip,
} from './leads.query';

function filters(changes: Partial<LeadFilters>): LeadFilters {
  return { ...NO_FILTERS, ...changes };
}

const names = (id: string): string => (id === 'u1' ? 'Olivia Owner' : 'Another user');

describe('leadFilter (page filters -> API LeadFilter)', () => {
  it('sends nothing for no filters', () => {
    expect(leadFilter(NO_FILTERS, 'UTC')).toEqual({});
    expect(isFiltered(NO_FILTERS)).toBe(false);
  });

  it('maps every filter to its API parameter', () => {
    const result = leadFilter(
      filters({
        q: '  ana lim ',
        status: ['new', 'qualified'],
        source: ['web'],
        ownerId: 'u1',
        tags: ['vip', 'emea'],
        scoreMin: 40,
        scoreMax: 90,
        hasEmail: true,
        hasPhone: false,
        emailConsent: true,
      }),
      'UTC',
    );
    expect(result).toEqual({
      q: 'ana lim',
      status: ['new', 'qualified'],
      source: ['web'],
      ownerId: 'u1',
      tag: ['vip', 'emea'],
      scoreMin: 40,
      scoreMax: 90,
      hasEmail: true,
      hasPhone: false,
      emailConsent: true,
    });
  });

  it('sends false for "without" and leaves out "either way"', () => {
    expect(leadFilter(filters({ hasEmail: false, hasPhone: null, emailConsent: false }), 'UTC')).toEqual({
      hasEmail: false,
      emailConsent: false,
    });
  });

  it("turns the created days into whole days of the organization's zone, the end exclusive", () => {
    const days = filters({ createdFrom: '2026-03-03', createdTo: '2026-03-05' });
    expect(leadFilter(days, 'Europe/Berlin')).toEqual({
      createdFrom: '2026-03-02T23:00:00.000Z',
      createdTo: '2026-03-05T23:00:00.000Z',
    });
    expect(leadFilter(days, 'America/New_York')).toEqual({
      createdFrom: '2026-03-03T05:00:00.000Z',
      createdTo: '2026-03-06T05:00:00.000Z',
    });
    expect(leadFilter(filters({ createdTo: '2026-03-05' }), 'UTC')).toEqual({ createdTo: '2026-03-06T00:00:00.000Z' });
  });

  it('cuts the days at the DST changes of the zone (23- and 25-hour days)', () => {
    // Berlin springs forward on 2026-03-29 (02:00 → 03:00): that day is 23 hours long.
    expect(leadFilter(filters({ createdFrom: '2026-03-29', createdTo: '2026-03-29' }), 'Europe/Berlin')).toEqual({
      createdFrom: '2026-03-28T23:00:00.000Z',
      createdTo: '2026-03-29T22:00:00.000Z',
    });
    // New York falls back on 2026-11-01 (02:00 → 01:00): 25 hours.
    expect(leadFilter(filters({ createdFrom: '2026-11-01', createdTo: '2026-11-01' }), 'America/New_York')).toEqual({
      createdFrom: '2026-11-01T04:00:00.000Z',
      createdTo: '2026-11-02T05:00:00.000Z',
    });
  });

  it('cuts the days of zones far from UTC', () => {
    // Auckland in its summer (UTC+13): the day starts the afternoon before in UTC.
    expect(leadFilter(filters({ createdFrom: '2026-12-07', createdTo: '2026-12-07' }), 'Pacific/Auckland')).toEqual({
      createdFrom: '2026-12-06T11:00:00.000Z',
      createdTo: '2026-12-07T11:00:00.000Z',
    });
    // Kiritimati is UTC+14 all year.
    expect(leadFilter(filters({ createdFrom: '2026-01-01', createdTo: '2026-01-31' }), 'Pacific/Kiritimati')).toEqual({
      createdFrom: '2025-12-31T10:00:00.000Z',
      createdTo: '2026-01-31T10:00:00.000Z',
    });
  });

  it('sends no created bound for a day that is not one', () => {
    expect(leadFilter(filters({ createdFrom: '2026-02-30', createdTo: 'soon' }), 'UTC')).toEqual({});
  });

  it('keeps scores within 0–100, in order, and drops the bounds that filter nothing', () => {
    expect(leadFilter(filters({ scoreMin: 0, scoreMax: 100 }), 'UTC')).toEqual({});
    expect(leadFilter(filters({ scoreMin: 80, scoreMax: 20 }), 'UTC')).toEqual({ scoreMin: 20, scoreMax: 80 });
    expect(leadFilter(filters({ scoreMin: -5, scoreMax: 250 }), 'UTC')).toEqual({});
    expect(leadFilter(filters({ scoreMin: 33.6 }), 'UTC')).toEqual({ scoreMin: 34 });
  });

  it('asks for the recycle bin only when it is shown, and never saves it in a view', () => {
    expect(leadFilter(filters({ deleted: true }), 'UTC')).toEqual({ deleted: true });
    expect(viewFilter(filters({ deleted: true, status: ['lost'] }), 'UTC')).toEqual({ status: ['lost'] });
    expect(isFiltered(filters({ deleted: true }))).toBe(false);
  });

  it('adds order, page size and cursor for a page of the list', () => {
    expect(leadListParams(filters({ status: ['new'] }), 'UTC', { sort: 'score', order: 'asc' }, 50, undefined)).toEqual(
      {
        status: ['new'],
        sort: 'score',
        order: 'asc',
        limit: 50,
      },
    );
    expect(leadListParams(NO_FILTERS, 'UTC', { sort: 'createdAt', order: 'desc' }, 50, 'abc').cursor).toBe('abc');
  });
});

describe('filtersFromView (saved view -> page filters)', () => {
  it('round-trips what the page saves', () => {
    const original = filters({
      q: 'acme',
      status: ['contacted'],
      source: ['referral', 'web'],
      ownerId: 'u1',
      tags: ['vip'],
      scoreMin: 50,
      hasPhone: true,
      emailConsent: false,
      createdFrom: '2026-01-01',
      createdTo: '2026-01-31',
    });
    for (const zone of ['UTC', 'Europe/Berlin', 'America/New_York', 'Pacific/Auckland', 'Pacific/Kiritimati']) {
      const restored = filtersFromView(viewFilter(original, zone) as Record<string, unknown>, zone);
      expect(restored).toEqual(original);
      expect(sameFilter(leadFilter(restored, zone), leadFilter(original, zone))).toBe(true);
    }
  });

  it("reads the stored bounds as days of the organization's zone", () => {
    const stored = { createdFrom: '2026-03-28T23:00:00.000Z', createdTo: '2026-03-29T22:00:00.000Z' };
    expect(filtersFromView(stored, 'Europe/Berlin')).toEqual(
      filters({ createdFrom: '2026-03-29', createdTo: '2026-03-29' }),
    );
  });

  it('reads a view saved with the midnights of another zone as the days it meant', () => {
    const meant = filters({ createdFrom: '2026-01-01', createdTo: '2026-01-31' });
    // Saved from a browser in New York (UTC−5) while the organization is in Berlin, or in UTC.
    const fromNewYork = { createdFrom: '2026-01-01T05:00:00.000Z', createdTo: '2026-02-01T05:00:00.000Z' };
    expect(filtersFromView(fromNewYork, 'Europe/Berlin', 'UTC')).toEqual(meant);
    expect(filtersFromView(fromNewYork, 'UTC', 'Europe/Paris')).toEqual(meant);
    // From Auckland (UTC+13) to an organization in UTC: 13 hours apart, read in this browser's zone.
    const fromAuckland = { createdFrom: '2025-12-31T11:00:00.000Z', createdTo: '2026-01-31T11:00:00.000Z' };
    expect(filtersFromView(fromAuckland, 'UTC', 'Pacific/Auckland')).toEqual(meant);
    // A day start of the organization wins over one of the browser's zone: Kiritimati (UTC+14) and
    // Honolulu (UTC−10) are a whole day apart, so their midnights are the same instants.
    expect(
      filtersFromView({ createdFrom: '2026-01-01T10:00:00.000Z' }, 'Pacific/Kiritimati', 'Pacific/Honolulu'),
    ).toEqual(filters({ createdFrom: '2026-01-02' }));
  });

  it('takes single values as lists, and drops what it does not know or cannot read', () => {
    expect(
      filtersFromView(
        {
          status: 'new',
          source: ['web', 'carrier-pigeon'],
          tag: 'vip',
          scoreMin: '30',
          scoreMax: 'lots',
          hasEmail: 'true',
          createdFrom: 'not a date',
          campaignId: 'x',
        },
        'UTC',
      ),
    ).toEqual(filters({ status: ['new'], source: ['web'], tags: ['vip'], scoreMin: 30, hasEmail: true }));
    expect(filtersFromView(null, 'UTC')).toEqual(NO_FILTERS);
  });
});

describe('filtersFromLink (/leads?tag=&source=&status=&ownerId=&createdFrom=&createdTo=)', () => {
  const params = (query: string) => {
    const search = new URLSearchParams(query);
    return { getAll: (name: string) => search.getAll(name) };
  };

  it('filters on the tags, known sources and statuses of the link, nothing else', () => {
    expect(filtersFromLink(params('tag=fair&tag=vip&source=import&source=nope&status=new&status=won&q=x'))).toEqual(
      filters({ tags: ['fair', 'vip'], source: ['import'], status: ['new'] }),
    );
  });

  it("takes the owner and the created days (the organization's) of a dashboard figure", () => {
    expect(
      filtersFromLink(params('ownerId=u1&createdFrom=2026-03-08&createdTo=2026-03-14&createdTo=2026-04-01')),
    ).toEqual(filters({ ownerId: 'u1', createdFrom: '2026-03-08', createdTo: '2026-03-14' }));
    expect(filtersFromLink(params('createdFrom=March'))).toBeNull();
  });

  it('is null for a link without them', () => {
    expect(filtersFromLink(params('q=new'))).toBeNull();
    expect(filtersFromLink(params('tag=&source=nope&status=won'))).toBeNull();
  });
});

describe('sameFilter', () => {
  it('ignores the order of values and of keys', () => {
    expect(sameFilter({ status: ['new', 'lost'], q: 'a' }, { q: 'a', status: ['lost', 'new'] })).toBe(true);
    expect(sameFilter({ status: ['new'] }, { status: ['new'], tag: [] })).toBe(true);
    expect(sameFilter({ status: ['new'] }, { status: ['lost'] })).toBe(false);
  });
});

describe('sameLeadFilter (page filters)', () => {
  it('takes an echo of the same filters as no change, and a new search or range as one', () => {
    const shown = filters({ q: 'ana', status: ['new', 'lost'] });
    expect(sameLeadFilter(shown, { ...shown, status: ['lost', 'new'] })).toBe(true);
    expect(sameLeadFilter(shown, { ...shown, q: ' ana ' })).toBe(true);
    expect(sameLeadFilter(shown, { ...shown, q: 'anab' })).toBe(false);
    expect(sameLeadFilter(shown, { ...shown, status: ['new'] })).toBe(false);
  });
});

describe('filter chips', () => {
  const all = filters({
    q: 'acme',
    status: ['new', 'contacted'],
    source: ['whatsapp'],
    ownerId: 'u1',
    tags: ['vip', 'emea'],
    scoreMin: 50,
    hasEmail: true,
    hasPhone: false,
    emailConsent: true,
    createdFrom: '2026-01-01',
  });

  it('says each filter in words', () => {
    const labels = filterChips(all, names).map((chip) => chip.label);
    expect(labels).toEqual([
      'Search: “acme”',
      'Status: New, Contacted',
      'Source: WhatsApp',
      'Owner: Olivia Owner',
      'Tag: vip',
      'Tag: emea',
      'Score 50–100',
      'Has an email',
      'No phone',
      'Email consent',
      expect.stringMatching(/^Created since .*2026/),
    ]);
  });

  it('removes exactly what a chip stands for', () => {
    const chips = filterChips(all, names);
    const byId = (id: string) => chips.find((chip) => chip.id === id)!;

    expect(withoutChip(all, byId('tag:vip')).tags).toEqual(['emea']);
    expect(withoutChip(all, byId('status')).status).toEqual([]);
    expect(withoutChip(all, byId('score'))).toMatchObject({ scoreMin: null, scoreMax: null });
    expect(withoutChip(all, byId('created'))).toMatchObject({ createdFrom: null, createdTo: null });
    expect(withoutChip(all, byId('hasPhone')).hasPhone).toBeNull();
    expect(withoutChip(all, byId('q')).q).toBe('');
    expect(withoutChip(all, byId('ownerId')).ownerId).toBeNull();
  });
});

describe('leadName', () => {
  it('uses the name, else the email, the company or the phone', () => {
    const none = { firstName: null, lastName: null, email: null, company: null, phone: null };
    expect(leadName({ ...none, firstName: 'Ana', lastName: 'Lima', email: 'a@x.io' })).toBe('Ana Lima');
    expect(leadName({ ...none, email: 'a@x.io', company: 'Acme' })).toBe('a@x.io');
    expect(leadName({ ...none, company: 'Acme' })).toBe('Acme');
    expect(leadName({ ...none, phone: '+4420' })).toBe('+4420');
    expect(leadName(none)).toBe('Unnamed lead');
  });
});
