// Several browser tabs on one host: the unsaved state and the training run each belong to one tab at a time.
import { describe, expect, test } from 'vitest';
import type { TrainingEvent } from '../contract/contract';
import { guardTabs } from './tab-guard';
import type { CallContext, ClientInfo, Handlers } from './router';

function tab(id: number) {
  const aborter = new AbortController();
  const client: ClientInfo = { id, label: `the tab connected at 04:0${id}:00 (#${id})`, signal: aborter.signal };
  const events: TrainingEvent[] = [];
  const context: CallContext = { client, emit: (event, payload) => event === 'training' && events.push(payload as TrainingEvent) };
  return { client, context, events, close: () => aborter.abort() };
}

function services() {
  const log: string[] = [];
  let emitTo: CallContext | null = null;
  let nextRun = 1;
  const handlers = {
    setDirty: ({ dirty }: { dirty: boolean }) => (log.push(`dirty ${dirty}`), {}),
    autosave: () => (log.push('autosave'), {}),
    trainStart: (_request: unknown, context: CallContext) => ((emitTo = context), log.push('start'), { runId: nextRun++ }),
    trainControl: ({ runId, command }: { runId: number; command: string }) => (log.push(`${command} ${runId}`), { state: 'stopped' }),
  } as unknown as Handlers;
  const end = (runId: number) => emitTo?.emit('training', { runId, kind: 'done', iteration: 1, iterations: 1 });
  return { guarded: guardTabs(handlers), log, end };
}
const request = {} as never;

describe('one host, several tabs', () => {
  test('the tab with unsaved changes holds the autosave; another is refused by name, and a clean tab cannot delete it', async () => {
    const { guarded, log } = services();
    const a = tab(1), b = tab(2);
    await guarded.setDirty({ dirty: true }, a.context);
    await guarded.autosave({ text: 'a' }, a.context);
    await expect(guarded.setDirty({ dirty: true }, b.context)).rejects.toMatchObject({
      code: 'busy',
      message: "unsaved changes: the tab connected at 04:01:00 (#1) has unsaved changes to its lab; this tab's changes are not autosaved until that tab saves, discards or closes",
    });
    await expect(guarded.autosave({ text: 'b' }, b.context)).rejects.toMatchObject({ code: 'busy' });
    await guarded.setDirty({ dirty: false }, b.context); // tab B opened clean: tab A's autosave must survive it
    expect(log).toEqual(['dirty true', 'autosave']);
    a.close();
    await guarded.autosave({ text: 'b' }, b.context);
    expect(log).toEqual(['dirty true', 'autosave', 'autosave']);
  });

  test('a training run belongs to the tab that started it: another tab can neither start one nor stop it', async () => {
    const { guarded, log, end } = services();
    const a = tab(1), b = tab(2);
    const { runId } = await guarded.trainStart(request, a.context);
    await expect(guarded.trainStart(request, b.context)).rejects.toMatchObject({ code: 'busy', message: expect.stringMatching(/^a training run started by the tab connected at 04:01:00 \(#1\) is going/) });
    await expect(guarded.trainControl({ runId, command: 'stop' }, b.context)).rejects.toMatchObject({ message: `training run ${runId} belongs to the tab connected at 04:01:00 (#1); only that tab can pause or stop it` });
    end(runId);
    expect(a.events.map((e) => e.kind)).toEqual(['done']);
    await guarded.trainStart(request, b.context); // the run ended: the engine is free for tab B
    expect(log).toEqual(['start', 'start']);
  });

  test('a tab that closes during its run has the run stopped', async () => {
    const { guarded, log } = services();
    const a = tab(1);
    const { runId } = await guarded.trainStart(request, a.context);
    a.close();
    await new Promise((resolve) => setTimeout(resolve, 0));
    expect(log).toEqual(['start', `stop ${runId}`]);
  });
});
