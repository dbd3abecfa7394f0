import { Fragment } from 'react';
import { Dialog } from '../components/dialog.tsx';

const SHORTCUTS: [string[], string][] = [
  [['j', 'k'], 'Next / previous case'],
  [['Enter'], 'Open the selected case'],
  [['r'], 'Reply to the selected or open case'],
  [['a'], 'Assign the case to me'],
  [['e'], 'Resolve the case'],
  [['/'], 'Search the inbox'],
  [['u', 'Escape'], 'Back to the inbox (from a case)'],
  [['?'], 'Show these shortcuts'],
];

/** The list of keyboard shortcuts (`?`). */
export function ShortcutsDialog({ open, onClose }: { open: boolean; onClose: () => void }) {
  return (
    <Dialog open={open} onClose={onClose} title="Keyboard shortcuts">
      <table className="shortcuts">
        <tbody>
          {SHORTCUTS.map(([ks, what]) => (
            <tr key={what}>
              <th scope="row">
                {ks.map((k, i) => (
                  <Fragment key={k}>
                    {i > 0 ? ' or ' : null}
                    <kbd>{k}</kbd>
                  </Fragment>
                ))}
              </th>
              <td>{what}</td>
            </tr>
          ))}
        </tbody>
      </table>
      <p className="muted">Shortcuts are off while you type in a field; press Escape to leave it.</p>
    </Dialog>
  );
}
