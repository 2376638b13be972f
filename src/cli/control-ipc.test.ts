// IPC calls between the control child and the data plane: replies matched by number, deadlines, failed sends.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { answerCall, IpcCaller, isControlCall, isControlReady, isControlReply, readyMessage, type ControlCall } from './control-ipc.js';

test('a call resolves with its own reply; replies to other calls are ignored', async () => {
  const caller = new IpcCaller();
  const sent: ControlCall[] = [];
  const send = (message: ControlCall, callback: (error: Error | null) => void) => {
    sent.push(message);
    callback(null);
    return true;
  };
  const first = caller.call(send, { op: 'changed', kind: 'key', id: 'k1', logId: 'l1' }, 1_000);
  const second = caller.call(send, { op: 'router-status' }, 1_000);
  assert.ok(sent.every(isControlCall));
  assert.equal(caller.settle({ tag: 'sluice-control', call: 999 }), false);
  const reply = await answerCall(sent[1]!, { changed: async () => undefined, routerStatus: async () => [{ pid: 7, deployments: [], health: [] }] });
  assert.ok(isControlReply(reply));
  caller.settle(reply);
  assert.deepEqual((await second).parts, [{ pid: 7, deployments: [], health: [] }]);
  caller.settle(await answerCall(sent[0]!, { changed: async () => undefined, routerStatus: async () => [] }));
  assert.equal((await first).error, undefined);
});

test('a handler that throws becomes an error reply, and the caller rejects with its message', async () => {
  const caller = new IpcCaller();
  let call: ControlCall | undefined;
  const pending = caller.call((message) => ((call = message), true), { op: 'changed', kind: 'team', id: 't', logId: 'l2' }, 1_000);
  caller.settle(await answerCall(call!, { changed: async () => { throw new Error('database away'); }, routerStatus: async () => [] }));
  await assert.rejects(pending, /database away/);
});

test('no answer before the deadline, a failed send, or a closed channel reject the call', async () => {
  const caller = new IpcCaller();
  const keepAlive = setTimeout(() => undefined, 1_000); // the deadline timer is unref'd, as it is in the gateway
  await assert.rejects(caller.call(() => true, { op: 'router-status' }, 20), /no answer to router-status within 20 ms/);
  clearTimeout(keepAlive);
  await assert.rejects(caller.call((_message, callback) => (callback(new Error('channel closed')), false), { op: 'router-status' }, 1_000), /channel closed/);
  const waiting = caller.call(() => true, { op: 'router-status' }, 1_000);
  caller.close('parent process gone');
  await assert.rejects(waiting, /parent process gone/);
});

test('the ready message is recognised and is not a call or a reply', () => {
  const ready = readyMessage();
  assert.ok(isControlReady(ready));
  assert.equal(isControlCall(ready), false);
  assert.equal(isControlReply(ready), false);
  assert.equal(isControlCall({ tag: 'sluice-router', call: 1, op: 'sync' }), false);
});
