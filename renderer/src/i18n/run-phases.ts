/** The words for a run's phases that both training modes (a kernel, a network) say alike, in each language. */
type PhaseWords = Record<'idle' | 'paused' | 'done' | 'stopped' | 'diverged' | 'error', string>;

export const RUN_PHASES: Record<'en' | 'zh-CN', PhaseWords> = {
  en: { idle: 'Ready', paused: 'Paused', done: 'Done', stopped: 'Stopped', diverged: 'Stopped: the loss diverged', error: 'Not started' },
  'zh-CN': { idle: '就绪', paused: '已暂停', done: '完成', stopped: '已停止', diverged: '已停止：损失发散', error: '未开始' },
};
