import { Button, makeStyles, tokens, Text } from '@fluentui/react-components';
import type { Issue } from '../../forms/types';

const SHOWN = 200;

const useStyles = makeStyles({
  list: {
    display: 'flex',
    flexDirection: 'column',
    gap: '2px',
    maxHeight: '320px',
    overflowY: 'auto',
    margin: 0,
    padding: 0,
    listStyleType: 'none',
  },
  item: {
    justifyContent: 'flex-start',
    textAlign: 'left',
    minWidth: 0,
    width: '100%',
    fontWeight: tokens.fontWeightRegular,
  },
  error: { borderLeft: `3px solid ${tokens.colorPaletteRedBorder2}` },
  warning: { borderLeft: `3px solid ${tokens.colorPaletteYellowBorder2}` },
  cell: { fontFamily: tokens.fontFamilyMonospace, marginRight: '6px' },
  plain: { display: 'block', padding: '4px 8px' },
});

/**
 * The chip beside the message shows the cell already, so `H6「是否办结」…` reads as `「是否办结」…`. Only a leading
 * address equal to the chip is removed: not `H60…` under an `H6` chip, not the `B6` of a range `B6:D6`, and not
 * a cell named later in the message (`…与 H4 重复`), which tells the clerk something else.
 */
export function withoutCell(message: string, cell: string): string {
  if (!message.startsWith(cell)) return message;
  const rest = message.slice(cell.length);
  if (/^([A-Za-z0-9]|:[A-Za-z])/.test(rest)) return message;
  return rest.replace(/^[\s::]+/, '');
}

/** Issues, errors first; a click on one with a cell selects that cell in the workbook. */
export function IssueList(props: { issues: Issue[]; onSelect: (cell: string) => void }) {
  const styles = useStyles();
  const sorted = [...props.issues].sort((a, b) => (a.severity === b.severity ? 0 : a.severity === 'error' ? -1 : 1));
  return (
    <>
      <ul className={styles.list} aria-label="问题列表">
        {sorted.slice(0, SHOWN).map((issue, i) => (
          <li key={i} className={issue.severity === 'error' ? styles.error : styles.warning}>
            {issue.cell ? (
              // Named as one sentence (`A12「序号」…`): Chromium would otherwise read the chip and the message as
              // two words (`A12 「序号」…`) because the button lays its children out as flex items.
              <Button
                appearance="subtle"
                size="small"
                className={styles.item}
                title={`定位到 ${issue.cell}`}
                aria-label={`${issue.cell}${issue.severity === 'warning' ? '提醒:' : ''}${withoutCell(issue.message, issue.cell)}`}
                onClick={() => props.onSelect(issue.cell!)}
              >
                <span className={styles.cell}>{issue.cell}</span>
                {issue.severity === 'warning' ? '提醒:' : ''}
                {withoutCell(issue.message, issue.cell)}
              </Button>
            ) : (
              <Text size={200} className={styles.plain}>
                {issue.severity === 'warning' ? '提醒:' : ''}
                {issue.message}
              </Text>
            )}
          </li>
        ))}
      </ul>
      {sorted.length > SHOWN && (
        <Text size={200}>另有 {sorted.length - SHOWN} 条问题未列出,请先修改以上问题后重新校验。</Text>
      )}
    </>
  );
}
