import { describe, expect, it } from 'vitest';
import { canonicalCountry } from '../../../src/domain/read/countries.js';
import { unifySpellings } from '../../../src/domain/read/spelling.js';

describe('canonicalCountry', () => {
  it('maps names, cases, aliases and ISO codes to one name from the dataset', () => {
    for (const name of [
      'US',
      'USA',
      'U.S.',
      'united states',
      'United States',
      'United States of America',
      'usa',
    ]) {
      expect(canonicalCountry(name)).toBe('United States');
    }
    for (const name of ['UK', 'United Kingdom', 'great britain', 'GB', 'England']) {
      expect(canonicalCountry(name)).toBe('United Kingdom');
    }
    expect(canonicalCountry('GERMANY')).toBe('Germany');
    expect(canonicalCountry('DEU')).toBe('Germany');
    expect(canonicalCountry('the netherlands')).toBe('Netherlands');
    expect(canonicalCountry('Côte d’Ivoire')).toBe("Cote d'Ivoire");
    expect(canonicalCountry("cote d'ivoire")).toBe("Cote d'Ivoire");
    expect(canonicalCountry('Atlantis')).toBeUndefined();
  });
});

describe('unifySpellings', () => {
  it('shows each group in its most frequent spelling and countries by their canonical name', () => {
    const companies = [
      { name: 'a', industry: 'banking', country: 'USA', city: 'New York' },
      { name: 'b', industry: 'Banking', country: 'united states', city: 'new york' },
      { name: 'c', industry: 'banking', country: 'Atlantis', city: 'New York' },
      { name: 'd', industry: 'Machinery', country: 'atlantis', state: 'Bavaria' },
    ];
    expect(unifySpellings(companies)).toEqual([
      { name: 'a', industry: 'banking', country: 'United States', city: 'New York' },
      { name: 'b', industry: 'banking', country: 'United States', city: 'New York' },
      { name: 'c', industry: 'banking', country: 'Atlantis', city: 'New York' },
      { name: 'd', industry: 'Machinery', country: 'Atlantis', state: 'Bavaria' },
    ]);
  });

  it('returns the same objects when nothing changes', () => {
    const companies = [{ name: 'a', industry: 'banking', country: 'France' }];
    expect(unifySpellings(companies)[0]).toBe(companies[0]);
  });
});
