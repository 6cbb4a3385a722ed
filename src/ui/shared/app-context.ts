import { createContext } from '@lit/context';
import type { DatasetSession } from '../../app/dataset-session';
import type { RunList } from '../../app/run-list';
import type { TrainingRun } from '../../app/training-run';
import type { TrainingSettingsStore } from '../../app/training-settings';
import type { TuningSearch } from '../../app/tuning-search';

/**
 * The application objects (src/app) the page makes once and its panels read: lab-app provides
 * them, a panel consumes the ones it draws, and none looks another panel up.
 */
export const datasetContext = createContext<DatasetSession>(Symbol('dataset-session'));
export const settingsContext = createContext<TrainingSettingsStore>(Symbol('training-settings'));
export const trainingContext = createContext<TrainingRun>(Symbol('training-run'));
export const tuningContext = createContext<TuningSearch>(Symbol('tuning-search'));
export const runListContext = createContext<RunList>(Symbol('run-list'));
