/**
 * One OS process of a multi-process store test (test/store/multi-process.test.ts), on the built
 * store in dist/. Task (argv[2], JSON): { url, worker, startAt, count, op: 'updates' | 'claims' }.
 * Waits until `startAt` so all processes begin together, then prints its results as JSON.
 */
import { z } from 'zod';
import { openStore } from '../../dist/src/store/open-store.js';

const task = JSON.parse(process.argv[2] ?? '{}');
const store = await openStore({ url: task.url });
await new Promise((resolve) => setTimeout(resolve, Math.max(0, task.startAt - Date.now())));

const ids = Array.from({ length: task.count }, (_, i) => i);
const campaignUpdates = z.object({ updates: z.array(z.object({ id: z.string(), by: z.number() })) });

if (task.op === 'updates') {
  await Promise.all(
    ids.flatMap((i) => [
      store.updateDocument('T1', 'campaign-updates', campaignUpdates, (current) => ({
        value: { updates: [...(current?.updates ?? []), { id: `w${task.worker}-u${i}`, by: task.worker }] },
        result: undefined,
      })),
      store.updateSettings('T1', (current) => ({
        ...current,
        [`w${task.worker}_k${i}`]: { value: i, set_by: `U${task.worker}`, set_at: new Date().toISOString() },
      })),
    ]),
  );
  process.stdout.write(JSON.stringify({ done: task.count }));
} else if (task.op === 'claims') {
  const won = await Promise.all(
    ids.map((i) => store.claim('T1', `digest:race-${i}`, { now: new Date(), staleMs: 3_600_000 })),
  );
  process.stdout.write(JSON.stringify({ won: ids.filter((i) => won[i]) }));
}
await store.close();
