// The task pane. It knows the workbook only through WorkbookHost and the server only through ApiClient, so the
// same component runs in Excel (ExcelWorkbookHost) and on the browser page (addin/browser's host).
import {
  FluentProvider,
  makeStyles,
  MessageBar,
  MessageBarBody,
  ProgressBar,
  Tab,
  TabList,
  Text,
  webLightTheme,
} from '@fluentui/react-components';
import { useCallback, useEffect, useMemo, useState } from 'react';
import type { ApiClient, ClientOptions } from '../api/client';
import type { MeResponse } from '../../contract/api';
import type { WorkbookHost } from '../workbook/types';
import { ConnectedAs, ConnectPanel } from './ConnectPanel';
import { FillPanel } from './FillPanel';
import { PrefecturePanel } from './PrefecturePanel';
import { loadSettings, saveSettings, type KeyValueStorage, type Settings } from './settings';
import { useTask } from './task';

export type ApiFactory = (opts: Pick<ClientOptions, 'baseUrl' | 'token'>) => ApiClient;

export interface AppProps {
  host: WorkbookHost;
  createApi: ApiFactory;
  storage: KeyValueStorage;
  /** Shown as the server address when the user has not typed one (the deployed API, or the pane's origin). */
  defaultBaseUrl?: string;
  /** Where the keyboard goes once connected while there is no 附件 to work on (browser page: its upload control). */
  initialFocus?: () => HTMLElement | null;
}

const useStyles = makeStyles({
  root: {
    padding: '8px 10px',
    display: 'flex',
    flexDirection: 'column',
    gap: '8px',
    minWidth: '280px',
    maxWidth: '520px',
  },
});

type TabId = 'fill' | 'prefecture' | 'connect';

export function App({ host, createApi, storage, defaultBaseUrl, initialFocus }: AppProps) {
  const styles = useStyles();
  const [settings, setSettings] = useState<Settings>(() => loadSettings(storage));
  const [me, setMe] = useState<MeResponse | null>(null);
  const [tab, setTab] = useState<TabId>('connect');
  const task = useTask();
  const runTask = task.run;
  const api = useMemo(
    () => (settings.token ? createApi({ baseUrl: settings.baseUrl, token: settings.token }) : null),
    [createApi, settings.baseUrl, settings.token],
  );

  const updateSettings = useCallback(
    (next: Settings) => {
      saveSettings(storage, next);
      setSettings(next);
    },
    [storage],
  );

  const connect = useCallback(
    (baseUrl: string, token: string) =>
      runTask('正在连接服务器…', async () => {
        const who = await createApi({ baseUrl, token }).me();
        updateSettings({ ...loadSettings(storage), baseUrl, token });
        setMe(who);
        setTab(who.role === 'prefecture' ? 'prefecture' : 'fill');
      }),
    [createApi, storage, runTask, updateSettings],
  );

  // Remembered connection: reconnect silently on open; a revoked token lands on the connect tab with the reason.
  useEffect(() => {
    const saved = loadSettings(storage);
    if (saved.token) void connect(saved.baseUrl, saved.token);
  }, []); // eslint-disable-line react-hooks/exhaustive-deps -- once, when the pane opens; not again when `connect` changes

  const disconnect = () => {
    updateSettings({ ...settings, token: '' });
    setMe(null);
    setTab('connect');
  };

  return (
    <FluentProvider theme={webLightTheme}>
      <main className={styles.root}>
        <Text as="h1" size={400} weight="semibold">
          报送
        </Text>
        {me && api ? (
          <TabList
            size="small"
            selectedValue={tab}
            onTabSelect={(_, d) => {
              task.clearFailure();
              setTab(d.value as TabId);
            }}
          >
            <Tab value="fill">填报</Tab>
            {me.role === 'prefecture' && <Tab value="prefecture">汇总</Tab>}
            <Tab value="connect">连接</Tab>
          </TabList>
        ) : null}
        {me && api && tab === 'fill' && (
          <FillPanel
            host={host}
            api={api}
            me={me}
            settings={settings}
            onSettings={updateSettings}
            task={task}
            initialFocus={initialFocus}
          />
        )}
        {me && api && tab === 'prefecture' && <PrefecturePanel host={host} api={api} me={me} task={task} />}
        {(!me || tab === 'connect') && (
          <>
            <ConnectPanel
              defaultBaseUrl={defaultBaseUrl}
              settings={settings}
              me={me}
              busy={task.busy !== null}
              onConnect={connect}
              onDisconnect={disconnect}
            />
            {task.busy && <ProgressBar aria-label={task.busy} />}
            {task.failure && (
              <MessageBar intent="error" layout="multiline">
                <MessageBarBody>{task.failure.message}</MessageBarBody>
              </MessageBar>
            )}
          </>
        )}
        {me && tab === 'prefecture' && task.failure && (
          <MessageBar intent="error" layout="multiline">
            <MessageBarBody>{task.failure.message}</MessageBarBody>
          </MessageBar>
        )}
        {me && tab === 'prefecture' && <ConnectedAs me={me} />}
      </main>
    </FluentProvider>
  );
}
