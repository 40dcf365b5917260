// The task pane. It knows the workbook only through WorkbookHost and the server only through ApiClient, so the
// same component runs in Excel (ExcelWorkbookHost) and on the browser page (addin/browser's host).
import {
  Field,
  FluentProvider,
  makeStyles,
  MessageBar,
  MessageBarBody,
  ProgressBar,
  Select,
  Tab,
  TabList,
  Text,
  webLightTheme,
} from '@fluentui/react-components';
import { useCallback, useEffect, useMemo, useState } from 'react';
import { ApiError, type ApiClient, type ClientOptions } from '../api/client';
import type { MeResponse } from '../../contract/api';
import { chosenCampaign } from '../campaign';
import type { WorkbookHost } from '../workbook/types';
import { ConnectedAs, ConnectPanel } from './ConnectPanel';
import { FillPanel } from './FillPanel';
import { PrefecturePanel } from './PrefecturePanel';
import { chineseDay } from './dates';
import { keepMe, keptMe, loadSettings, saveSettings, type KeyValueStorage, type Settings } from './settings';
import { useTask } from './task';

export type ApiFactory = (opts: Pick<ClientOptions, 'baseUrl' | 'token' | 'campaign'>) => ApiClient;

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
  // A unit in several campaigns works in one at a time: the one chosen last (remembered), else the server's default.
  const campaignId = me ? chosenCampaign(me, settings.campaign) : '';
  const api = useMemo(
    () =>
      settings.token
        ? createApi({
            baseUrl: settings.baseUrl,
            token: settings.token,
            ...(campaignId ? { campaign: campaignId } : {}),
          })
        : null,
    [createApi, settings.baseUrl, settings.token, campaignId],
  );

  const updateSettings = useCallback(
    (next: Settings) => {
      saveSettings(storage, next);
      setSettings(next);
    },
    [storage],
  );

  const connect = useCallback(
    (baseUrl: string, token: string, opening = false) =>
      runTask('正在连接服务器…', async () => {
        let who: MeResponse;
        try {
          who = await createApi({ baseUrl, token }).me();
          keepMe(storage, baseUrl, token, who);
        } catch (err) {
          // Opening the pane without a network: the last answer for this connection, so 校验 still works with
          // the forms kept by addin/campaign.ts.
          const kept = opening && err instanceof ApiError && err.status === 0 ? keptMe(storage, baseUrl, token) : null;
          if (!kept) throw err;
          who = kept;
        }
        updateSettings({ ...loadSettings(storage), baseUrl, token });
        setMe(who);
        setTab(who.role === 'prefecture' ? 'prefecture' : 'fill');
      }),
    [createApi, storage, runTask, updateSettings],
  );

  // Remembered connection: reconnect silently on open; a revoked token lands on the connect tab with the reason.
  useEffect(() => {
    const saved = loadSettings(storage);
    if (saved.token) void connect(saved.baseUrl, saved.token, true);
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
        {me && api && me.campaigns.length > 1 && tab !== 'connect' && (
          <Field label="专项行动">
            <Select
              value={campaignId}
              disabled={task.busy !== null}
              onChange={(_, d) => {
                task.clearFailure();
                updateSettings({ ...settings, campaign: d.value });
              }}
            >
              {me.campaigns.map((c) => (
                <option key={c.id} value={c.id}>
                  {c.name}({c.nextDue ? `下一轮 ${chineseDay(c.nextDue)}` : '已结束'})
                </option>
              ))}
            </Select>
          </Field>
        )}
        {/* Keyed by the campaign: another campaign starts with its own rounds, forms and sheets. */}
        {me && api && tab === 'fill' && (
          <FillPanel
            key={campaignId}
            {...{ host, api, me, campaignId, storage, task }}
            settings={settings}
            onSettings={updateSettings}
            initialFocus={initialFocus}
          />
        )}
        {me && api && tab === 'prefecture' && (
          <PrefecturePanel key={campaignId} {...{ host, api, me, campaignId, storage, task }} />
        )}
        {(!me || tab === 'connect') && (
          <>
            <ConnectPanel
              defaultBaseUrl={defaultBaseUrl}
              settings={settings}
              me={me}
              campaignId={campaignId}
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
        {me && tab === 'prefecture' && <ConnectedAs me={me} campaignId={campaignId} />}
      </main>
    </FluentProvider>
  );
}
