// SPDX-License-Identifier: MIT
// Sơ đồ thẳng: the standard view of linear assets, the border as a km axis
// with a lane for each kind, as of a chosen date.
import { useState } from 'preact/hooks';
import type { User } from '../api';
import { tr } from '../i18n';
import { isIsoDay, today } from '../fmt';
import { loadLanes } from '../lanes';
import { Diagram } from '../components/diagram';
import { DateInput, Page, Show, useLoad } from '../components/ui';

export function DiagramPage({ user }: { user: User }) {
  const [asOf, setAsOf] = useState(today());
  const st = useLoad(() => loadLanes(asOf, user), [asOf]);
  return (
    <Page
      title={tr('Sơ đồ thẳng', 'Straight-line diagram')}
      actions={
        <>
          <label class="inline" for="d-as-of">{tr('Tính đến ngày', 'As of')}</label>
          <DateInput id="d-as-of" value={asOf} onChange={(v) => isIsoDay(v) && setAsOf(v)} />
        </>
      }
    >
      <Show s={st}>{(d) => <Diagram length={d.length} lanes={d.lanes} />}</Show>
    </Page>
  );
}
