// The round picker both panels show: the campaign's due dates in Chinese, the current one marked.
import { Field, Select } from '@fluentui/react-components';
import { chineseDay } from './dates';

export function RoundSelect(props: {
  label: string;
  rounds: string[];
  current: string | null;
  value: string;
  onChange: (round: string) => void;
}) {
  return (
    <Field label={props.label}>
      <Select value={props.value} onChange={(_, d) => props.onChange(d.value)}>
        {props.rounds.map((r) => (
          <option key={r} value={r}>
            {chineseDay(r)}
            {r === props.current ? '(当前)' : ''}
          </option>
        ))}
      </Select>
    </Field>
  );
}
