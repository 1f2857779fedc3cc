/**
 * Every string of the interface, per language: the lab's own, the training panel's, the files', the dataset's, and the menu's
 * (shared with the native menu). Each feature keeps its strings in its own file so features grow independently.
 */
import { MENU_LABELS } from '../../../electron/contract/menu';
import en from './en';
import zhCN from './zh-CN';
import trainingEn from './training/en';
import trainingZh from './training/zh-CN';
import filesEn from './files/en';
import filesZh from './files/zh-CN';
import guideEn from './guide/en';
import guideZh from './guide/zh-CN';
import datasetEn from './dataset/en';
import datasetZh from './dataset/zh-CN';
import networkEn from './network/en';
import networkZh from './network/zh-CN';
import netTrainingEn from './net-training/en';
import netTrainingZh from './net-training/zh-CN';
import modelEn from './model/en';
import modelZh from './model/zh-CN';

export const MESSAGES = {
  en: { ...en, training: trainingEn, files: filesEn, dataset: datasetEn, network: networkEn, guideChapters: guideEn, netTraining: netTrainingEn, model: modelEn, menu: MENU_LABELS.en },
  'zh-CN': { ...zhCN, training: trainingZh, files: filesZh, dataset: datasetZh, network: networkZh, guideChapters: guideZh, netTraining: netTrainingZh, model: modelZh, menu: MENU_LABELS['zh-CN'] },
};
