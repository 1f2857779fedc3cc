/** 实验文件（打开、保存、自动保存、导出）的中文字符串。 */
import type en from './en';

const zhCN: typeof en = {
  untitled: '未命名实验',
};
export default zhCN;
