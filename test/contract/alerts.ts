// The contract's outbox: queued notifications are claimed by one process at a time, in order per channel.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import type { Kit } from './kit.ts';
import { at } from './records.ts';

const item = (eventId: string, channelFp: string) => ({ eventId, eventType: 'failure', job: 'j', channelFp, payload: `{"id":"${eventId}"}` });
/** Every channel the test queues for: a process claims only the channels it was given. */
const ALL = ['hook', 'mail', 'pager'];

export function alertContract(kit: Kit): void {
  const name = (what: string) => `${kit.name} store: ${what}`;

  test(name('outbox: enqueue, due, claim once, in order per channel; delivered, failed, released, purged'), async () => {
    const target = await kit.target();
    const [one, other] = [await kit.writable(target), await kit.writable(target)];
    const ids = await one.alerts.enqueue([item('e1', 'hook'), item('e2', 'hook'), item('e3', 'mail')], at(0));
    assert.equal(ids.length, 3);
    assert.equal(new Set(ids).size, 3);
    assert.deepEqual(await other.alerts.claim(at(-1), at(0), 'token-0', 10, ALL), [], 'not due before it was queued');
    assert.deepEqual(await other.alerts.claim(at(0), at(1), 'token-0', 10, ['elsewhere']), [], 'only its own channel claims a row');

    const claimed = await one.alerts.claim(at(0), at(1), 'token-1', 10, ALL);
    assert.deepEqual(claimed.map((c) => [c.eventId, c.channelFp, c.attempts]), [['e1', 'hook', 0], ['e2', 'hook', 0], ['e3', 'mail', 0]]);
    assert.equal(claimed[0]?.payload, '{"id":"e1"}');
    assert.deepEqual(await other.alerts.claim(at(0), at(1), 'token-2', 10, ALL), [], 'a claimed row is nobody else\'s until the claim runs out');

    const [e1, e2, e3] = claimed;
    assert.equal(await one.alerts.markDelivered(e1!.id, 'token-2', at(0)), false, 'a claim taken over is not ours to close');
    assert.equal(await one.alerts.markDelivered(e1!.id, 'token-1', at(0)), true);
    await one.alerts.markFailed(e2!.id, 'token-1', { error: 'HTTP 500', nextAt: at(5), deadAt: null });
    await one.alerts.release([e3!.id], 'token-1');
    assert.deepEqual(await one.metrics.outbox(), { queued: 2, dead: 0 });

    const again = await other.alerts.claim(at(1), at(2), 'token-2', 10, ALL);
    assert.deepEqual(again.map((c) => c.eventId), ['e3'], 'e2 waits for its retry time');
    assert.equal(await other.alerts.markDelivered(e3!.id, 'token-2', at(1)), true);
    const later = await other.alerts.claim(at(5), at(6), 'token-3', 10, ALL);
    assert.deepEqual(later.map((c) => [c.eventId, c.attempts]), [['e2', 1]]);
    assert.equal(await other.alerts.markDelivered(e2!.id, 'token-3', at(5)), true);
    assert.deepEqual(await one.metrics.outbox(), { queued: 0, dead: 0 });

    const [blocker] = await one.alerts.enqueue([item('e4', 'pager')], at(6));
    await one.alerts.enqueue([item('e5', 'pager')], at(6));
    const pager = await one.alerts.claim(at(6), at(7), 'token-4', 1, ALL);
    assert.deepEqual(pager.map((c) => c.id), [blocker]);
    await one.alerts.markFailed(blocker!, 'token-4', { error: 'refused', nextAt: at(60), deadAt: null });
    assert.deepEqual(await one.alerts.claim(at(8), at(9), 'token-5', 10, ALL), [], 'a younger row of a channel waits behind an older one');
    await one.alerts.claim(at(60), at(61), 'token-6', 10, ALL).then(async (rows) => {
      for (const row of rows) await one.alerts.markFailed(row.id, 'token-6', { error: 'gone', nextAt: at(1000), deadAt: at(60) });
    });
    assert.deepEqual(await one.metrics.outbox(), { queued: 0, dead: 2 }, 'given up: e4 and e5');

    assert.equal(await one.alerts.purgeDelivered(at(-1)), 0);
    assert.equal(await one.alerts.purgeDelivered(at(1)), 1, 'e1; e3 was delivered at the cutoff');
    assert.equal(await one.alerts.purgeDelivered(at(100)), 2);
  });

  test(name('what each channel heard: a problem is queued once per channel and appearance, its resolution once, whoever races'), async () => {
    const target = await kit.target();
    const [one, other] = [await kit.writable(target), await kit.writable(target)];
    const heard = { channelFp: 'hook', job: 'j', kind: 'failing', since: at(1), runId: 'r1', message: 'failed' };
    const told = (eventId: string, op: 'hear' | 'forget', problem = heard) => ({ ...item(eventId, problem.channelFp), eventType: op === 'hear' ? 'problem' : 'resolved', heard: { op, problem } });
    assert.equal((await one.alerts.enqueue([told('p1', 'hear'), told('m1', 'hear', { ...heard, channelFp: 'mail' })], at(2))).length, 2);
    assert.deepEqual(await other.alerts.enqueue([told('p2', 'hear')], at(3)), [], 'that channel already heard of this appearance');
    assert.deepEqual(await other.alerts.heard(['hook']), [heard]);
    assert.deepEqual((await other.alerts.heard(['hook', 'mail', 'pager'])).map((h) => h.channelFp), ['hook', 'mail']);
    assert.deepEqual(await other.alerts.heard([]), []);
    assert.deepEqual(await other.alerts.enqueue([told('x1', 'forget', { ...heard, since: at(0) })], at(3)), [], 'another appearance is not the one it heard');
    assert.equal((await one.alerts.enqueue([told('r1', 'forget'), item('plain', 'hook')], at(4))).length, 2, 'an item without a change is always queued');
    assert.deepEqual(await other.alerts.enqueue([told('r2', 'forget')], at(5)), [], 'its resolution is queued once');
    assert.deepEqual(await other.alerts.heard(['hook']), []);
    const queued = await other.alerts.claim(at(9), at(10), 't', 10, ALL);
    assert.deepEqual(queued.map((q) => q.eventId), ['p1', 'm1', 'r1', 'plain']);
  });
}
