#!/usr/bin/env node
// Writes six weekly sample runs (JSON, the canonical upload format) into the directory given, for
// demos and the report screenshot, and, when a second path is given, a JSON list of campaign
// updates there (as `report --campaigns FILE` and `POST /api/campaigns` take them): weekly Email
// and LinkedIn results for eight weeks, Content only in the first four (so the last 30 days show a
// channel with nothing sent). Deterministic: the same files every time.
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';

const dir = process.argv[2];
const campaignsFile = process.argv[3];
if (!dir) {
  console.error('Usage: node scripts/make-sample-runs.mjs DIR [CAMPAIGNS.json]');
  process.exit(2);
}
mkdirSync(dir, { recursive: true });

let seed = 42;
const random = () => {
  seed = (seed * 1103515245 + 12345) % 2147483648;
  return seed / 2147483648;
};
const pick = (list) => list[Math.floor(random() * list.length)];

const INDUSTRIES = ['Software', 'Fintech', 'Healthcare', 'Retail', 'Manufacturing', 'Logistics', 'Media'];
const BOOST = {
  Software: 18,
  Fintech: 12,
  Healthcare: 6,
  Retail: -14,
  Manufacturing: -4,
  Logistics: 0,
  Media: -8,
};
const COUNTRIES = ['United States', 'Germany', 'United Kingdom', 'France', 'Canada', 'Netherlands', 'Spain'];
const CAMPAIGNS = ['Email', 'LinkedIn', 'Content'];

function tierOf(score) {
  if (score >= 85) return 'Tier 1';
  if (score >= 70) return 'Tier 2';
  if (score >= 60) return 'Tier 3';
  return 'Unqualified';
}

for (let week = 0; week < 6; week++) {
  const start = Date.parse('2026-10-19T09:00:00Z') + week * 7 * 86_400_000;
  const companies = Array.from({ length: 120 + week * 15 }, (_, i) => {
    const industry = pick(INDUSTRIES);
    const score = Math.max(
      0,
      Math.min(100, Math.round((42 + BOOST[industry] + week * 2 + random() * 45) * 10) / 10),
    );
    const tier = tierOf(score);
    return {
      name: `Sample Company ${week + 1}-${i + 1}`,
      domain: `sample-${week + 1}-${i + 1}.example.com`,
      industry,
      employees: Math.round(5 * 10 ** (random() * 3.6)),
      country: pick(COUNTRIES),
      icp_score: score,
      tier,
      ...(tier === 'Unqualified' ? {} : { campaign: pick(CAMPAIGNS) }),
    };
  });
  const api_calls = Array.from({ length: 60 }, (_, i) => {
    const enrich = i % 4 === 3;
    const status = random() < 0.03 + week * 0.004 ? (random() < 0.5 ? 429 : 500) : 200;
    return {
      timestamp: new Date(start + i * 900).toISOString(),
      endpoint: enrich ? '/organizations/enrich' : '/mixed_companies/search',
      response_time: Math.round((0.5 + random() * (enrich ? 1.6 : 0.9)) * 100) / 100,
      status_code: status,
      credits_used: status === 200 ? 1 : 0,
    };
  });
  const run = {
    run_id: `sample-week-${week + 1}`,
    started_at: new Date(start).toISOString(),
    label: `Sample week ${week + 1}`,
    companies,
    api_calls,
    quality_scores: [Math.round((0.78 + random() * 0.15) * 100) / 100],
  };
  writeFileSync(join(dir, `${run.run_id}.json`), `${JSON.stringify(run, null, 2)}\n`);
}
console.log(`Wrote 6 sample runs to ${dir}`);

if (campaignsFile) {
  // Rates per channel: opened, responded and converted as shares of sent.
  const CHANNELS = [
    { channel: 'email', sent: [700, 1000], opened: 0.28, responded: 0.03, converted: 0.002, weeks: 8 },
    { channel: 'linkedin', sent: [180, 300], opened: 0.5, responded: 0.07, converted: 0.008, weeks: 8 },
    { channel: 'content', sent: [400, 600], opened: 0.15, responded: 0.01, converted: 0.001, weeks: 4 },
  ];
  const updates = [];
  for (let week = 0; week < 8; week++) {
    // Fridays, from 2026-10-02 to 2026-11-20: four in the report's 30 days, four in the 30 before.
    const date = new Date(Date.parse('2026-10-02T00:00:00Z') + week * 7 * 86_400_000)
      .toISOString()
      .slice(0, 10);
    for (const c of CHANNELS) {
      if (week >= c.weeks) continue;
      const sent = Math.round(c.sent[0] + random() * (c.sent[1] - c.sent[0]));
      const share = (rate) => Math.round(sent * rate * (0.7 + random() * 0.6));
      updates.push({
        channel: c.channel,
        sent,
        opened: share(c.opened),
        responded: share(c.responded),
        converted: share(c.converted),
        date,
      });
    }
  }
  writeFileSync(campaignsFile, `${JSON.stringify(updates, null, 2)}\n`);
  console.log(`Wrote ${updates.length} campaign updates to ${campaignsFile}`);
}
