/** 训练面板（5.1.4 节）的中文字符串。 */
import type en from './en';

const zhCN: typeof en = {
  title: '学习卷积核（5.1.4）',
};
export default zhCN;
