import { createContext, useContext } from 'react';
import type { AppConfig } from '../config/env';

export const AppConfigContext = createContext<AppConfig>({ demo: false, apiBase: '' });

export function useAppConfig(): AppConfig {
  return useContext(AppConfigContext);
}
