// The unit's one registered contact person (各县专项整治工作联系人): shown on the 填报 tab, editable by the unit. The
// prefecture sees it on its board, in statistics and on the 催报 list; a submission's contact defaults to it.
import { Button, Field, Input, makeStyles, Text, tokens } from '@fluentui/react-components';
import { useState } from 'react';
import { phoneProblem } from '../../forms/phone';
import type { ApiClient } from '../api/client';
import type { MeResponse, UnitContact } from '../../contract/api';
import { chineseDateTime } from './dates';
import { toFailure } from './task';

const useStyles = makeStyles({
  panel: {
    display: 'flex',
    flexDirection: 'column',
    gap: '6px',
    padding: '6px 8px',
    border: `1px solid ${tokens.colorNeutralStroke2}`,
    borderRadius: tokens.borderRadiusMedium,
  },
  row: { display: 'flex', gap: '6px', flexWrap: 'wrap', alignItems: 'end' },
  missing: { color: tokens.colorPaletteDarkOrangeForeground1 },
});

export function ContactPanel(props: { api: ApiClient; me: MeResponse; busy: boolean }) {
  const { api, me } = props;
  const styles = useStyles();
  const [saved, setSaved] = useState<UnitContact | null>(me.contact ?? null);
  const [editing, setEditing] = useState(false);
  const [name, setName] = useState(saved?.name ?? '');
  const [phone, setPhone] = useState(saved?.phone ?? '');
  const [office, setOffice] = useState(saved?.office ?? '');
  const [errors, setErrors] = useState<{ name?: string; phone?: string; save?: string }>({});
  const [saving, setSaving] = useState(false);

  const save = async () => {
    const problems = {
      name: name.trim() ? undefined : '请填写联系人姓名。',
      phone: phoneProblem(phone) ?? undefined,
    };
    setErrors(problems);
    if (problems.name || problems.phone) return;
    setSaving(true);
    try {
      const contact = await api.saveContact(me.unit.id, {
        name: name.trim(),
        phone: phone.trim(),
        office: office.trim(),
      });
      setSaved(contact);
      setEditing(false);
    } catch (err) {
      setErrors({ save: `联系人未保存:${toFailure(err).message}` });
    } finally {
      setSaving(false);
    }
  };

  return (
    <section className={styles.panel} aria-label="本单位联系方式">
      <Text weight="semibold">本单位联系人</Text>
      {!editing && (
        <div className={styles.row}>
          {saved ? (
            <Text size={200}>
              {saved.name}
              {saved.office ? `(${saved.office})` : ''} {saved.phone} · 更新于 {chineseDateTime(saved.updatedAt)}
            </Text>
          ) : (
            <Text size={200} className={styles.missing}>
              尚未登记。州办公室催报时按登记的联系人和电话联系,请登记。
            </Text>
          )}
          <Button size="small" disabled={props.busy} onClick={() => setEditing(true)}>
            {saved ? '修改' : '登记联系人'}
          </Button>
        </div>
      )}
      {editing && (
        <>
          <div className={styles.row}>
            <Field label="姓名" validationMessage={errors.name}>
              <Input value={name} maxLength={50} onChange={(_, d) => setName(d.value)} />
            </Field>
            <Field label="电话" validationMessage={errors.phone}>
              <Input value={phone} maxLength={40} placeholder="0973-8722111" onChange={(_, d) => setPhone(d.value)} />
            </Field>
            <Field label="科室/职务">
              <Input value={office} maxLength={50} onChange={(_, d) => setOffice(d.value)} />
            </Field>
          </div>
          {errors.save && (
            <Text role="alert" className={styles.missing}>
              {errors.save}
            </Text>
          )}
          <div className={styles.row}>
            <Button size="small" appearance="primary" disabled={saving} onClick={() => void save()}>
              保存联系人
            </Button>
            <Button size="small" disabled={saving} onClick={() => setEditing(false)}>
              取消
            </Button>
          </div>
        </>
      )}
    </section>
  );
}
