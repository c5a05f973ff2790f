/**
 * The match keys of duplicate finding, as SQL over a `leads` alias. The
 * migration LeadMerge indexes these very expressions (PostgreSQL only uses an
 * expression index for the same expression): change one, change the other in
 * a new migration.
 */

/** Legal forms left out of a company name before comparing ("Acme Ltd" = "ACME"). */
const LEGAL_FORMS = 'ltd|limited|inc|llc|gmbh|plc|corp|corporation|co|company|sa|sarl|srl|bv|ag';

/**
 * One mailbox, whatever way the address is written: the plus tag (RFC 5233
 * sub-addressing: Gmail, Outlook, iCloud, Fastmail, Proton) is dropped, and
 * for Gmail the dots too and googlemail.com is gmail.com (Google documents
 * both). Emails are stored lower-case; lower() keeps the key right anyway.
 */
export function canonicalEmailSql(a: string): string {
  const local = `split_part(lower(${a}.email), '@', 1)`;
  const domain = `split_part(lower(${a}.email), '@', 2)`;
  const untagged = `coalesce(nullif(split_part(${local}, '+', 1), ''), ${local})`;
  return (
    `CASE WHEN ${domain} IN ('gmail.com', 'googlemail.com') ` +
    `THEN replace(${untagged}, '.', '') || '@gmail.com' ` +
    `ELSE ${untagged} || '@' || ${domain} END`
  );
}

/** A person's name, lower-case, letters and digits only; null when the lead has no name. */
export function nameKeySql(a: string): string {
  return `nullif(regexp_replace(lower(coalesce(${a}.first_name, '') || coalesce(${a}.last_name, '')), '[^[:alnum:]]+', '', 'g'), '')`;
}

/** A company name, lower-case, letters and digits only, without its legal form; null when empty. */
export function companyKeySql(a: string): string {
  return `nullif(regexp_replace(regexp_replace(lower(coalesce(${a}.company, '')), '\\m(${LEGAL_FORMS})\\M', '', 'g'), '[^[:alnum:]]+', '', 'g'), '')`;
}

/** The name as people write it, for trigram similarity (pg_trgm lower-cases and splits words itself). */
export function personNameSql(a: string): string {
  return `(coalesce(${a}.first_name, '') || ' ' || coalesce(${a}.last_name, ''))`;
}
