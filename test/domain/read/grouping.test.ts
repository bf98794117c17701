import { describe, expect, it } from 'vitest';
import { canonicalCountry } from '../../../src/domain/read/countries.js';
import { spellingTable } from '../../../src/domain/read/spelling.js';

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

describe('spellingTable', () => {
  it('shows each group in its most frequent spelling and countries by their canonical name', () => {
    const industries = new Map([
      ['banking', 2],
      ['Banking', 1],
      ['Machinery', 1],
      [' machinery ', 1],
    ]);
    expect([...spellingTable(industries)]).toEqual([
      ['banking', 'banking'],
      ['Banking', 'banking'],
      ['Machinery', 'Machinery'],
      [' machinery ', 'Machinery'],
    ]);
    const countries = new Map([
      ['USA', 1],
      ['united states', 1],
      ['Atlantis', 1],
      ['atlantis', 2],
    ]);
    expect([...spellingTable(countries, canonicalCountry)]).toEqual([
      ['USA', 'United States'],
      ['united states', 'United States'],
      ['Atlantis', 'atlantis'],
      ['atlantis', 'atlantis'],
    ]);
  });
});
