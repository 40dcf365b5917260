import { Button, Field, Input, makeStyles, MessageBar, MessageBarBody, Text } from '@fluentui/react-components';
import { useState } from 'react';
import type { MeResponse } from '../../contract/api';
import { chineseDay } from './dates';
import type { Settings } from './settings';
import { campaignCalendar } from './useCampaign';

const useStyles = makeStyles({ form: { display: 'flex', flexDirection: 'column', gap: '8px' } });

export function ConnectPanel(props: {
  settings: Settings;
  defaultBaseUrl?: string;
  me: MeResponse | null;
  campaignId: string;
  busy: boolean;
  onConnect: (baseUrl: string, token: string) => void;
  onDisconnect: () => void;
}) {
  const styles = useStyles();
  const [baseUrl, setBaseUrl] = useState(props.settings.baseUrl);
  const [token, setToken] = useState(props.settings.token);
  return (
    <form
      className={styles.form}
      onSubmit={(e) => {
        e.preventDefault();
        props.onConnect(baseUrl.trim(), token.trim());
      }}
    >
      {props.me && <ConnectedAs me={props.me} campaignId={props.campaignId} />}
      <Field label="服务器地址" hint={`留空则使用 ${props.defaultBaseUrl || '本加载项所在的地址'}`}>
        <Input
          value={baseUrl}
          placeholder={props.defaultBaseUrl || 'https://…'}
          onChange={(_, d) => setBaseUrl(d.value)}
        />
      </Field>
      <Field label="访问令牌" hint="由州环境局管理员发放,每个单位一个" required>
        <Input type="password" autoComplete="off" value={token} onChange={(_, d) => setToken(d.value)} />
      </Field>
      <Button appearance="primary" type="submit" disabled={props.busy || !token.trim()}>
        连接
      </Button>
      {props.me && (
        <Button appearance="subtle" onClick={props.onDisconnect}>
          断开并清除令牌
        </Button>
      )}
    </form>
  );
}

export function ConnectedAs({ me, campaignId }: { me: MeResponse; campaignId: string }) {
  const calendar = campaignCalendar(me, campaignId);
  return (
    <MessageBar intent="info">
      <MessageBarBody>
        <Text weight="semibold">{me.unit.name}</Text>(
        {me.role === 'prefecture' ? '州级' : me.role === 'admin' ? '管理员' : '县级'})
        <br />
        {me.campaigns.length > 1 && (
          <>
            {calendar.name}
            <br />
          </>
        )}
        {calendar.nextDue ? <>下一轮报送截止:{chineseDay(calendar.nextDue)}</> : <>本次专项整治的报送轮次已全部结束</>}
      </MessageBarBody>
    </MessageBar>
  );
}
