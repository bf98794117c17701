import { describe, expect, it } from 'vitest';
import { normaliseApolloJson } from '../../../src/domain/read/apollo-json.js';
import { decodeUpload } from '../../../src/domain/read/decode.js';
import { fixtureBytes } from './fixture.js';

const load = (name: string): unknown => JSON.parse(decodeUpload(fixtureBytes(name)).text);

type Row = Record<string, unknown>;
const companiesOf = (body: unknown): Row[] => (body as { companies: Row[] }).companies;

describe('normaliseApolloJson', () => {
  it('leaves a run as it is', () => {
    const run = { started_at: '2026-11-02', companies: [{ name: 'A' }] };
    expect(normaliseApolloJson(run)).toEqual({ shape: 'run', body: run, warnings: [] });
  });

  it('reads a search page: organizations then accounts, with every scoring key alias', () => {
    const out = normaliseApolloJson(load('apollo-search-page.json'));
    expect(out.shape).toBe('search_page');
    const companies = companiesOf(out.body);
    expect(companies).toHaveLength(9);
    expect(companies.map((c) => [c.name, c.icp_score, c.tier])).toEqual([
      ['Société Générale', 91, 'Tier 1'],
      ['Müller GmbH', 78, 'Tier 2'],
      ['Acme, Inc.', 88.5, 'Tier 1'],
      ['Fjord Robotics', undefined, undefined],
      ['Øresund Shipping', 47, 'Unqualified'],
      ['Zürich Analytics AG', undefined, undefined],
      ['Granite Bank', 55, 'Tier 3'],
      ['Lumen Health', 61, 'Tier 3'],
      ['Juniper Software', undefined, undefined],
    ]);
    // Acme's primary_domain is null: its website is used; Zürich has neither.
    expect(companies[2]?.domain).toBe('http://www.acme.example');
    expect(companies[5]?.domain).toBeUndefined();
    expect(companies.map((c) => c.country)).toEqual([
      ...Array(6).fill(undefined),
      'United States',
      'canada',
      'united states',
    ]);
    expect(out.warnings).toEqual([
      {
        code: 'apollo_shape',
        message: 'Read as an Apollo search page (/mixed_companies/search): 9 companies.',
      },
      {
        code: 'missing_figures',
        message:
          'No company has industry or employee count (Apollo search results carry no firmographics; enrich the organizations for them): those tables show them as Unknown.',
      },
      {
        code: 'missing_figures',
        message:
          "6 of 9 companies (the search's organizations, not yet saved as accounts) have no location: the country table shows them as Unknown.",
      },
    ]);
  });

  it('reads an enrich answer as one company', () => {
    const out = normaliseApolloJson(load('apollo-enrich.json'));
    expect(out.shape).toBe('enrich');
    expect(companiesOf(out.body)).toEqual([
      {
        name: 'Société Générale',
        domain: 'societegenerale.com',
        industry: 'banking',
        employees: 117000,
        country: 'france',
        state: 'Île-de-France',
        city: 'Paris',
        icp_score: 91,
        tier: 'Tier 1',
      },
    ]);
    expect(out.warnings.map((w) => w.code)).toEqual(['apollo_shape']);
  });

  it('reads bulk enrich, saved accounts and a bare array', () => {
    const bulk = normaliseApolloJson(load('apollo-bulk-enrich.json'));
    expect([bulk.shape, companiesOf(bulk.body).length]).toEqual(['bulk_enrich', 7]);
    const accounts = normaliseApolloJson(load('apollo-saved-accounts.json'));
    expect([accounts.shape, companiesOf(accounts.body).length]).toEqual(['saved_accounts', 8]);
    // Lumen's score is only in typed_custom_fields: unscored.
    const lumen = companiesOf(accounts.body).find((c) => c.name === 'Lumen Health');
    expect(lumen?.icp_score).toBeUndefined();
    expect(accounts.warnings[1]?.message).toBe(
      'No company has industry or employee count (saved accounts carry no industry or employee count): those tables show them as Unknown.',
    );
    const list = normaliseApolloJson(load('apollo-org-array.json'));
    expect([list.shape, companiesOf(list.body).length]).toEqual(['organization_list', 10]);
    expect(companiesOf(list.body).find((c) => String(c.name).startsWith('Zürich'))?.icp_score).toBe('61');
  });

  it('counts the organizations of a people match once each', () => {
    const out = normaliseApolloJson(load('apollo-bulk-match.json'));
    expect(out.shape).toBe('people_match');
    expect(out.people).toBe(9);
    expect(companiesOf(out.body).map((c) => c.name)).toEqual([
      'Société Générale',
      'Müller GmbH',
      'Acme, Inc.',
      'Fjord Robotics',
      'Granite Bank',
      'Lumen Health',
    ]);
    expect(out.warnings[0]?.message).toBe(
      'Read as an Apollo people match answer (/people/bulk_match): 9 people at 6 companies.',
    );
  });

  it('recognises nothing in other objects, and leaves other values to the run schema', () => {
    expect(normaliseApolloJson({ foo: 1 }).shape).toBeUndefined();
    expect(normaliseApolloJson({ run_id: 'r1' }).shape).toBe('run');
    expect(normaliseApolloJson('x').shape).toBe('run');
    expect(normaliseApolloJson([1, 2]).shape).toBe('run');
  });
});
