import { suggestMapping, validateMapping } from './lead-import-mapping';

describe('import header auto-mapping', () => {
  it('maps common spellings and synonyms, in several languages', () => {
    expect(
      suggestMapping([
        'E-mail',
        'Email Address',
        'First Name',
        'Vorname',
        'Nachname',
        'Phone number',
        'Mobile',
        'Company',
        'Job title',
        'Tags',
        'Name',
        'custom:industry',
        'Lead Source',
        'Notes',
      ]),
    ).toEqual({
      'E-mail': 'email',
      'Email Address': 'ignore', // email is taken by the first column
      'First Name': 'firstName',
      Vorname: 'ignore',
      Nachname: 'lastName',
      'Phone number': 'phone',
      Mobile: 'ignore',
      Company: 'company',
      'Job title': 'title',
      Tags: 'tags',
      Name: 'fullName',
      'custom:industry': 'custom:industry',
      'Lead Source': 'source',
      Notes: 'ignore',
    });
    expect(suggestMapping(['Organisation', 'Mobile', 'Société', 'PRÉNOM'])).toEqual({
      Organisation: 'company',
      Mobile: 'phone',
      Société: 'ignore',
      PRÉNOM: 'firstName',
    });
  });

  it('names each problem of a mapping', () => {
    const headers = ['Email', 'Name', 'Notes'];
    expect(validateMapping({ Email: 'email', Name: 'fullName' }, headers)).toEqual([]);
    expect(validateMapping({ Email: 'email', Name: 'email' }, headers)).toEqual([
      { field: 'mapping.Name', reason: 'email is already mapped from the column "Email"' },
    ]);
    expect(validateMapping({ Notes: 'custom:notes' }, headers).map((e) => e.field)).toEqual(['mapping']);
    expect(validateMapping({ Email: 'mail', Nope: 'email', Name: 'company' }, headers).map((e) => e.field)).toEqual([
      'mapping.Email',
      'mapping.Nope',
    ]);
  });
});
